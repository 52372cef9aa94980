import type { TFunction } from 'i18next';
import type { StaffRole } from '../../../../domain/vocabulary.ts';
import type { Kecamatan } from '../../../../services/areas.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import type { StaffSummary } from '../../../../services/staff/users.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { areaName, ErrorBox, ScopeFields } from './fields.tsx';
import { fieldRoleLabel, FieldWorkerFields, type FieldRoleOption, type KelurahanChoice } from './field-worker.tsx';
import { ListPage } from './list-page.tsx';

// The staff accounts page: the list with the form for a new account under it, and one colleague's access,
// with the ways to help them back in (lift the sign-in hold, reset the password). A field worker's role and
// kelurahan are picked in both forms (field-worker.tsx).

/** What a role-and-scope form holds, as typed: an account's own values, or a refused post's. */
export type Access = { role: string; kecamatanId: number | null; bidang: string | null; fieldRole: string | null; kelurahanIds: number[] };
export type Draft = Access & { name: string; email: string };
export type AccessDraft = Access & { active: boolean };

/** For the forms: the field roles to pick from, and the kelurahan of the kecamatan the form was drawn with. */
export interface FieldChoices {
  roles: FieldRoleOption[];
  kelurahan: KelurahanChoice | null;
}

function RoleSelect({ t, id, roles, selected }: { t: TFunction; id: string; roles: readonly StaffRole[]; selected: string }) {
  return (
    <select id={id} name="role">
      {roles.map((r) => (
        <option value={r} selected={r === selected}>
          {t(`admin:roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

export interface UsersListProps {
  t: TFunction;
  session: Session;
  /** The roles the person may grant: none above their own. */
  roles: readonly StaffRole[];
  users: StaffSummary[];
  areas: Kecamatan[];
  draft: Draft;
  field: FieldChoices;
  opts: ListState<Draft>;
}

export function UsersList({ t, session, roles, users, areas, draft, field, opts }: UsersListProps) {
  const actor = session.actor;
  const held = users.filter((u) => u.held).length;
  return (
    <ListPage
      intro={
        held > 0 ? (
          <p class="notice" data-testid="held-summary">
            {t('admin:users.heldSummary', { count: held })}
          </p>
        ) : undefined
      }
      done={opts.done}
      errors={opts.errors}
      rows={
        <table data-testid="staff-users">
          <thead>
            <tr>
              <th>{t('admin:users.name')}</th>
              <th>{t('admin:users.email')}</th>
              <th>{t('admin:users.role')}</th>
              <th>{t('admin:users.field.role')}</th>
              <th>{t('admin:scope.kecamatan')}</th>
              <th>{t('admin:users.field.kelurahanColumn')}</th>
              <th>{t('admin:scope.bidang')}</th>
              <th>{t('admin:users.active')}</th>
              <th>{t('admin:users.locked')}</th>
              <th>{t('admin:users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr data-staff-id={String(u.id)}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(`admin:roles.${u.role}`)}</td>
                <td data-field-role={u.fieldRole ?? ''}>{fieldRoleLabel(field.roles, u.fieldRole)}</td>
                <td>{areaName(t, areas, u.kecamatanId)}</td>
                <td>{u.kelurahan.length > 0 ? u.kelurahan.map((k) => k.name).join(', ') : '—'}</td>
                <td>{u.bidang ?? t('admin:scope.allBidang')}</td>
                <td>{u.active ? t('admin:yes') : t('admin:no')}</td>
                <td data-held={String(u.held)}>{u.held ? <strong>{t('admin:yes')}</strong> : t('admin:no')}</td>
                <td class="actions">
                  {u.id === actor.id && actor.kind === 'staff' ? (
                    t('admin:users.you')
                  ) : (
                    <>
                      <a href={`/console/admin/users/${u.id}`}>{t('admin:users.edit')}</a>
                      {/* Where the admin looks first when someone calls "I cannot sign in": on the row itself. */}
                      {u.held ? <PostButton session={session} action={`/console/admin/users/${u.id}/unlock`} label={t('admin:users.recovery.unlock')} /> : null}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      create={{
        id: 'h-new-user',
        title: t('admin:users.create.title'),
        hint: t('admin:users.create.hint'),
        form: (
          <form method="post" action="/console/admin/users">
            <Csrf session={session} />
            <div class="field">
              <label for="u-name">{t('admin:users.name')}</label>
              <input id="u-name" name="name" required maxlength={200} value={draft.name} />
            </div>
            <div class="field">
              <label for="u-email">{t('admin:users.email')}</label>
              <input id="u-email" name="email" type="email" required maxlength={254} value={draft.email} />
            </div>
            <div class="field">
              <label for="u-role">{t('admin:users.role')}</label>
              <RoleSelect t={t} id="u-role" roles={roles} selected={draft.role} />
            </div>
            <ScopeFields t={t} idPrefix="u" areas={areas} actor={actor} kecamatanId={draft.kecamatanId} bidang={draft.bidang} />
            <FieldWorkerFields t={t} idPrefix="u" roles={field.roles} fieldRole={draft.fieldRole} choice={field.kelurahan} kelurahanIds={draft.kelurahanIds} />
            <button class="primary" type="submit">
              {t('admin:users.create.submit')}
            </button>
          </form>
        ),
      }}
    />
  );
}

export interface UserEditProps {
  t: TFunction;
  session: Session;
  /** The roles the person may grant: none above their own. */
  roles: readonly StaffRole[];
  user: StaffSummary;
  /** The account's access as it is, or as typed in a refused post. */
  draft: AccessDraft;
  areas: Kecamatan[];
  field: FieldChoices;
  error: string | undefined;
}

export function UserEdit({ t, session, roles, user, draft, areas, field, error }: UserEditProps) {
  return (
    <>
      <ErrorBox text={error} />
      <dl class="facts">
        <dt>{t('admin:users.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('admin:users.role')}</dt>
        <dd data-current-role={user.role}>{t(`admin:roles.${user.role}`)}</dd>
        <dt>{t('admin:users.locked')}</dt>
        <dd data-held={String(user.held)}>{user.held ? t('admin:yes') : t('admin:no')}</dd>
      </dl>
      <section class="card">
        <form method="post" action={`/console/admin/users/${user.id}`}>
          <Csrf session={session} />
          <div class="field">
            <label for="e-role">{t('admin:users.role')}</label>
            <RoleSelect t={t} id="e-role" roles={roles} selected={draft.role} />
          </div>
          <ScopeFields t={t} idPrefix="e" areas={areas} actor={session.actor} kecamatanId={draft.kecamatanId} bidang={draft.bidang} />
          <FieldWorkerFields t={t} idPrefix="e" roles={field.roles} fieldRole={draft.fieldRole} choice={field.kelurahan} kelurahanIds={draft.kelurahanIds} />
          <div class="field">
            <label>
              <input type="checkbox" name="active" value="1" checked={draft.active} /> {t('admin:users.activeLabel')}
            </label>
          </div>
          <button class="primary" type="submit">
            {t('admin:users.save')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="h-recovery">
        <h2 id="h-recovery">{t('admin:users.recovery.title')}</h2>
        {user.held ? (
          <>
            <p>{t('admin:users.recovery.heldHint')}</p>
            <PostButton session={session} action={`/console/admin/users/${user.id}/unlock`} label={t('admin:users.recovery.unlock')} />
          </>
        ) : null}
        <p>{t('admin:users.recovery.resetHint')}</p>
        <PostButton session={session} action={`/console/admin/users/${user.id}/reset-password`} label={t('admin:users.recovery.reset')} />
      </section>
    </>
  );
}
