import type { TFunction } from 'i18next';
import { LOCALES } from '../../../../domain/vocabulary.ts';
import { FIELD_ROLE_NAME_MAX, FIELD_ROLE_PERMISSIONS, type FieldRole } from '../../../../services/staff/field-roles.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { ErrorBox } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The field roles page (issue 19): TKSK, PSM, pendamping… with their names and what each may do, in words;
// the form for a new one, and the page that changes one. Only a city-wide admin changes them (they hold for
// every kecamatan); a scoped admin reads them to know what they give a worker.

export type Draft = { key: string; names: Record<string, string>; permissions: string[] };

/** A permission in the office's words; a name outside the allow-list (written into the table by hand) as itself. */
const permissionWords = (t: TFunction, p: string) => t(`admin:fieldRoles.permissionNames.${p}`, { defaultValue: p });

function FieldRoleForm({ t, action, session, draft, creating, submit }: { t: TFunction; action: string; session: Session; draft: Draft; creating: boolean; submit: string }) {
  return (
    <form method="post" action={action}>
      <Csrf session={session} />
      {creating ? (
        <div class="field">
          <label for="fr-key">{t('admin:fieldRoles.key')}</label>
          <input id="fr-key" name="key" required maxlength={31} value={draft.key} aria-describedby="fr-key-hint" />
          <p class="meta" id="fr-key-hint">
            {t('admin:fieldRoles.keyHint')}
          </p>
        </div>
      ) : null}
      {LOCALES.map((l) => (
        <div class="field">
          <label for={`fr-name-${l}`}>{t('admin:fieldRoles.name', { language: t(`admin:languages.${l}`) })}</label>
          <input id={`fr-name-${l}`} name={`name_${l}`} required maxlength={FIELD_ROLE_NAME_MAX} value={draft.names[l] ?? ''} />
        </div>
      ))}
      <fieldset>
        <legend>{t('admin:fieldRoles.permissions')}</legend>
        {FIELD_ROLE_PERMISSIONS.map((p) => (
          <div>
            <label>
              <input type="checkbox" name="permission" value={p} checked={draft.permissions.includes(p)} /> {permissionWords(t, p)}
            </label>
          </div>
        ))}
        <p class="meta">{t('admin:fieldRoles.permissionsHint')}</p>
      </fieldset>
      <button class="primary" type="submit">
        {submit}
      </button>
    </form>
  );
}

export interface FieldRolesListProps {
  t: TFunction;
  session: Session;
  roles: FieldRole[];
  /** A city-wide admin: may add, change and delete. */
  mayChange: boolean;
  draft: Draft;
  opts: ListState<Draft>;
}

export function FieldRolesList({ t, session, roles, mayChange, draft, opts }: FieldRolesListProps) {
  return (
    <ListPage
      intro={<p>{t('admin:fieldRoles.intro')}</p>}
      done={opts.done}
      errors={opts.errors}
      rows={
        roles.length === 0 ? (
          <p>{t('admin:fieldRoles.empty')}</p>
        ) : (
          <table data-testid="field-roles">
            <thead>
              <tr>
                <th>{t('admin:fieldRoles.key')}</th>
                {LOCALES.map((l) => (
                  <th>{t('admin:fieldRoles.name', { language: t(`admin:languages.${l}`) })}</th>
                ))}
                <th>{t('admin:fieldRoles.permissions')}</th>
                <th>{t('admin:fieldRoles.users')}</th>
                <th>{t('admin:users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => (
                <tr data-field-role={r.key}>
                  <td>
                    <code>{r.key}</code>
                  </td>
                  {LOCALES.map((l) => (
                    <td>{r.names[l] ?? '—'}</td>
                  ))}
                  <td>
                    <ul>
                      {r.permissions.map((p) => (
                        <li data-permission={p}>{permissionWords(t, p)}</li>
                      ))}
                    </ul>
                  </td>
                  <td data-users={String(r.users)}>{t('admin:fieldRoles.userCount', { count: r.users })}</td>
                  <td class="actions">
                    {mayChange ? (
                      <>
                        <a href={`/console/admin/field-roles/${r.key}`}>{t('admin:fieldRoles.edit')}</a>
                        {/* A role someone holds is not offered for deletion; the service refuses it anyway. */}
                        {r.users === 0 ? <PostButton session={session} action={`/console/admin/field-roles/${r.key}/delete`} label={t('admin:fieldRoles.delete')} /> : null}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
      create={{
        id: 'h-new-field-role',
        title: t('admin:fieldRoles.create'),
        form: mayChange ? (
          <FieldRoleForm t={t} action="/console/admin/field-roles" session={session} draft={draft} creating={true} submit={t('admin:fieldRoles.add')} />
        ) : (
          <p class="meta">{t('admin:fieldRoles.cityWideOnly')}</p>
        ),
      }}
    />
  );
}

export function FieldRoleEdit({ t, session, draft, errors }: { t: TFunction; session: Session; draft: Draft; errors: string[] }) {
  return (
    <>
      {errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      <dl class="facts">
        <dt>{t('admin:fieldRoles.key')}</dt>
        <dd>
          <code>{draft.key}</code>
        </dd>
      </dl>
      <section class="card">
        <FieldRoleForm t={t} action={`/console/admin/field-roles/${draft.key}`} session={session} draft={draft} creating={false} submit={t('admin:fieldRoles.save')} />
      </section>
    </>
  );
}
