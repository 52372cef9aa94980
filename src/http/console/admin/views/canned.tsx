import type { TFunction } from 'i18next';
import { BIDANG, LOCALES } from '../../../../domain/vocabulary.ts';
import { CANNED_BODY_MAX, CANNED_TITLE_MAX, CANNED_VARIABLES, type CannedResponse } from '../../../../services/staff/canned-responses.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { ErrorBox } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The canned replies page: the list with the form for a new one, the page that changes one, and under both
// the variables a body may use.

export type Draft = { title: string; language: string; body: string; bidang: string | null };

function CannedForm({ t, action, session, draft, submit }: { t: TFunction; action: string; session: Session; draft: Draft; submit: string }) {
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

export interface CannedListProps {
  t: TFunction;
  session: Session;
  rows: CannedResponse[];
  draft: Draft;
  opts: ListState<Draft>;
}

export function CannedList({ t, session, rows, draft, opts }: CannedListProps) {
  return (
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
                    <PostButton session={session} action={`/console/admin/canned/${r.id}/delete`} label={t('admin:canned.delete')} />
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
  );
}

export function CannedEdit({ t, session, id, draft, errors }: { t: TFunction; session: Session; id: number; draft: Draft; errors: string[] }) {
  return (
    <>
      {errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      <section class="card">
        <CannedForm t={t} action={`/console/admin/canned/${id}`} session={session} draft={draft} submit={t('admin:canned.save')} />
      </section>
      <Variables t={t} />
    </>
  );
}
