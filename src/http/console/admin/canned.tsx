import type { TFunction } from 'i18next';
import { LOCALES } from '../../../domain/vocabulary.ts';
import { BIDANG } from '../../../domain/vocabulary.ts';
import { CANNED_BODY_MAX, CANNED_TITLE_MAX, CANNED_VARIABLES, cannedProblems, deleteCanned, listCanned, saveCanned, type CannedProblem, type CannedResponse } from '../../../services/staff/canned-responses.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { Csrf } from '../shell/layout.tsx';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, ErrorBox, formFields, notFoundPage, parseId, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ListPage } from './views/list-page.tsx';

// Canned replies: the list, one form to add, one page to change, and delete. A body may use only the
// variables of CANNED_VARIABLES; the page lists them, and a refusal names the unknown ones.

const DONE = ['create', 'update', 'delete'] as const;
type Draft = { title: string; language: string; body: string; bidang: string | null };

function problemText(t: TFunction, p: CannedProblem): string {
  if (p.problem === 'unknown_variable') {
    return t('admin:canned.problems.unknown_variable', {
      variables: p.variables.map((v) => `{{${v}}}`).join(', '),
      known: CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', '),
      interpolation: { escapeValue: false },
    });
  }
  return t(`admin:canned.problems.${p.field}_${p.problem}`, { max: p.field === 'title' ? CANNED_TITLE_MAX : CANNED_BODY_MAX });
}

function CannedForm({ t, action, session, draft, submit }: { t: TFunction; action: string; session: Parameters<typeof Csrf>[0]['session']; draft: Draft; submit: string }) {
  return (
    <form method="post" action={action}>
      <Csrf session={session} />
      <div class="field">
        <label for="c-title">{t('admin:canned.titleField')}</label>
        <input id="c-title" name="title" required maxlength={CANNED_TITLE_MAX} value={draft.title} />
      </div>
      <div class="field">
        <label for="c-language">{t('admin:canned.language')}</label>
        <select id="c-language" name="language">
          {LOCALES.map((l) => (
            <option value={l} selected={l === draft.language}>
              {t(`admin:languages.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="c-bidang">{t('admin:scope.bidang')}</label>
        <select id="c-bidang" name="bidang">
          <option value="">{t('admin:canned.general')}</option>
          {BIDANG.map((b) => (
            <option value={b} selected={b === draft.bidang}>
              {b}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="c-body">{t('admin:canned.body')}</label>
        <textarea id="c-body" name="body" required maxlength={CANNED_BODY_MAX}>
          {draft.body}
        </textarea>
      </div>
      <button class="primary" type="submit">
        {submit}
      </button>
    </form>
  );
}

function Variables({ t }: { t: TFunction }) {
  return (
    <section class="card" aria-labelledby="h-variables">
      <h2 id="h-variables">{t('admin:canned.variables.title')}</h2>
      <p class="meta">{t('admin:canned.variables.intro')}</p>
      <dl class="facts" data-testid="variables">
        {CANNED_VARIABLES.map((v) => (
          <>
            <dt>
              <code>{`{{${v}}}`}</code>
            </dt>
            <dd>{t(`admin:canned.variables.${v}`)}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}

export function cannedRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const rows = await listCanned(db, session.actor);
    const draft = opts.draft ?? { title: '', language: c.get('locale'), body: '', bidang: null };
    return adminPage(
      deps,
      c,
      {
        title: t('admin:canned.title'),
        here: '/console/admin/canned',
        children: (
          <ListPage
            done={opts.done}
            errors={opts.errors}
            rows={
              rows.length === 0 ? (
                <p>{t('admin:canned.empty')}</p>
              ) : (
                <table data-testid="canned">
                  <thead>
                    <tr>
                      <th>{t('admin:canned.titleField')}</th>
                      <th>{t('admin:canned.language')}</th>
                      <th>{t('admin:scope.bidang')}</th>
                      <th>{t('admin:canned.body')}</th>
                      <th>{t('admin:users.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr data-canned-id={String(r.id)}>
                        <td>{r.title}</td>
                        <td>{t(`admin:languages.${r.language}`, { defaultValue: r.language })}</td>
                        <td>{r.bidang ?? t('admin:canned.general')}</td>
                        <td class="text">{r.body.length > 160 ? `${r.body.slice(0, 160)}…` : r.body}</td>
                        <td class="actions">
                          <a href={`/console/admin/canned/${r.id}`}>{t('admin:canned.edit')}</a>
                          <form method="post" action={`/console/admin/canned/${r.id}/delete`}>
                            <Csrf session={session} />
                            <button class="secondary" type="submit">
                              {t('admin:canned.delete')}
                            </button>
                          </form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
            create={{
              id: 'h-new-canned',
              title: t('admin:canned.create'),
              form: <CannedForm t={t} action="/console/admin/canned" session={session} draft={draft} submit={t('admin:canned.save')} />,
            }}
            after={<Variables t={t} />}
          />
        ),
      },
      status,
    );
  };

  const edit = (c: ConsoleContext, id: number, draft: Draft, errors: string[] = [], status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:canned.editTitle'),
        here: `/console/admin/canned/${id}`,
        children: (
          <>
            {errors.map((e) => (
              <ErrorBox text={e} />
            ))}
            <section class="card">
              <CannedForm t={t} action={`/console/admin/canned/${id}`} session={c.get('session')} draft={draft} submit={t('admin:canned.save')} />
            </section>
            <Variables t={t} />
          </>
        ),
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext): Promise<Draft> => {
    const f = await formFields(c);
    return { title: (f.title ?? '').slice(0, 1000), language: f.language ?? '', body: (f.body ?? '').slice(0, 20_000), bidang: f.bidang ? f.bidang : null };
  };

  /** Saves and answers: the redirect on success, the form again with every reason on refusal. */
  const save = async (c: ConsoleContext, id: number | undefined, draft: Draft, again: (errors: string[], status: 403 | 422) => Response | Promise<Response>) => {
    const t = tOf(deps, c);
    const problems = cannedProblems(draft);
    if (problems.length > 0) return again(problems.map((p) => problemText(t, p)), 422);
    let result;
    try {
      result = await saveCanned(db, c.get('session').actor, { ...(id !== undefined ? { id } : {}), ...draft });
    } catch (err) {
      if (refusedFor(err, 'scope')) return again([t('admin:canned.problems.scope')], 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, '/console/admin/canned');
    if (!result.ok) return again([t('admin:canned.problems.invalid')], 422);
    return c.redirect(`/console/admin/canned?done=${id === undefined ? 'create' : 'update'}`, 303);
  };

  const findCanned = async (c: ConsoleContext, id: number): Promise<CannedResponse | undefined> => (await listCanned(db, c.get('session').actor)).find((r) => r.id === id);

  const { app, guard, csrf, allowed } = adminList(deps, 'canned', DONE, list);

  app.post('/console/admin/canned', guard, csrf, allowed, async (c) => {
    const draft = await readDraft(c);
    return save(c, undefined, draft, (errors, status) => list(c, { errors, draft }, status));
  });

  app.get('/console/admin/canned/:id', guard, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    const row = id === null ? undefined : await findCanned(c, id);
    if (!row) return notFoundPage(deps, c, '/console/admin/canned');
    return edit(c, row.id, row);
  });

  app.post('/console/admin/canned/:id', guard, csrf, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFoundPage(deps, c, '/console/admin/canned');
    const draft = await readDraft(c);
    return save(c, id, draft, (errors, status) => edit(c, id, draft, errors, status));
  });

  app.post('/console/admin/canned/:id/delete', guard, csrf, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null || !(await deleteCanned(db, c.get('session').actor, id))) return notFoundPage(deps, c, '/console/admin/canned');
    return c.redirect('/console/admin/canned?done=delete', 303);
  });

  return app;
}
