import type { TFunction } from 'i18next';
import { CANNED_BODY_MAX, CANNED_TITLE_MAX, CANNED_VARIABLES, cannedProblems, deleteCanned, listCanned, saveCanned, type CannedProblem, type CannedResponse } from '../../../services/staff/canned-responses.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formFields, notFoundPage, parseId, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { CannedEdit, CannedList, type Draft } from './views/canned.tsx';

// Canned replies: the list, one form to add, one page to change, and delete. A body may use only the
// variables of CANNED_VARIABLES; the page lists them, and a refusal names the unknown ones.

const DONE = ['create', 'update', 'delete'] as const;

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
        children: <CannedList t={t} session={session} rows={rows} draft={draft} opts={opts} />,
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
        children: <CannedEdit t={t} session={c.get('session')} id={id} draft={draft} errors={errors} />,
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
