import type { TFunction } from 'i18next';
import { STAFF_ROLES, type Bidang, type StaffRole } from '../../../domain/vocabulary.ts';
import { roleAtMost } from '../../../services/access.ts';
import type { Actor } from '../../../services/actor.ts';
import { createStaffUser, listStaffUsers, normalizeEmail, StaffInputError, updateStaffAccess, type StaffSummary } from '../../../services/staff/users.ts';
import { listFieldRoles } from '../../../services/staff/field-roles.ts';
import { resetStaffPassword, unlockStaffUser } from '../../../services/staff/recovery.ts';
import { areasInScope, kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formWithLists, notFoundPage, parseId, parseKecamatan, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ShownOnce } from './views/shown-once.tsx';
import { UserEdit, UsersList, type AccessDraft, type Draft, type FieldChoices } from './views/users.tsx';

// Staff accounts: the list, a new account (its generated password shown once, on the answer to the POST,
// never stored or shown again), a colleague's role, scope and whether they may sign in, and getting them back
// in: lifting the sign-in hold, or a new password (shown once the same way). A field worker (issue 19) also
// gets a field role and the kelurahan they cover, picked from the kecamatan the form was last posted with.
// The rules (nobody changes their own access, nobody grants above their own role or scope, a field worker's
// kelurahan lie in their kecamatan) live in services/staff/users.ts.

const DONE = ['update', 'unlock'] as const;

const EMPTY: Draft = { name: '', email: '', role: 'operator', kecamatanId: null, bidang: null, fieldRole: null, kelurahanIds: [] };

/** The message and status for a refusal from the staff services, or null when it is a plain missing permission. */
function refusal(t: TFunction, err: unknown): { text: string; status: 403 | 422 } | null {
  if (err instanceof StaffInputError) return { text: t(`admin:users.refusals.${err.code}`), status: 422 };
  const why = refusedFor(err, 'self', 'rank', 'scope');
  return why ? { text: t(`admin:users.refusals.${why}`), status: 403 } : null;
}

/** The roles a person may grant: none above their own. */
const grantable = (actor: Actor) => STAFF_ROLES.filter((r) => roleAtMost(r, actor.role));

// '' is every bidang; any other value is checked by the service against BIDANG.
const parseBidang = (raw: string): Bidang | null => (raw === '' ? null : (raw as Bidang));

// '' is no field role; any other value is checked by the service against staff_roles.
const parseFieldRole = (raw: string): string | null => (raw === '' ? null : raw.slice(0, 64));

/** The ticked kelurahan; one that is not an id is bad input (the service checks the rest). */
function parseKelurahan(raw: readonly string[]): number[] | 'invalid' {
  const ids = raw.map((r) => parseId(r));
  return ids.every((id) => id !== null) ? (ids as number[]) : 'invalid';
}

export function userRoutes(deps: AppDeps) {
  const db = deps.database.db;

  /**
   * The field roles by name in the page's language, and the kelurahan of the kecamatan the form shows: the
   * one chosen, else a scoped admin's own (the only one their picker offers), else none yet.
   */
  const fieldChoices = async (c: ConsoleContext, kecamatanId: number | null): Promise<FieldChoices> => {
    const actor = c.get('session').actor;
    const locale = c.get('locale');
    const shown = kecamatanId ?? actor.kecamatanId;
    const [roles, areas] = await Promise.all([listFieldRoles(db, actor), shown === null ? Promise.resolve([]) : areasInScope(db, { kecamatanId: shown })]);
    const area = areas[0];
    return {
      roles: roles.map((r) => ({ key: r.key, name: r.names[locale] ?? r.names.id ?? r.key })),
      kelurahan: area ? { kecamatanName: area.name, kelurahan: area.kelurahan } : null,
    };
  };

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const draft = opts.draft ?? EMPTY;
    const [users, areas, field] = await Promise.all([listStaffUsers(db, session.actor, deps.clock()), kecamatanByName(db), fieldChoices(c, draft.kecamatanId)]);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:users.title'),
        here: '/console/admin/users',
        children: <UsersList t={t} session={session} roles={grantable(session.actor)} users={users} areas={areas} draft={draft} field={field} opts={opts} />,
      },
      status,
    );
  };

  const edit = async (c: ConsoleContext, user: StaffSummary, opts: { error?: string; draft?: AccessDraft } = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const draft: AccessDraft = opts.draft ?? {
      role: user.role,
      kecamatanId: user.kecamatanId,
      bidang: user.bidang,
      active: user.active,
      fieldRole: user.fieldRole,
      kelurahanIds: user.kelurahan.map((k) => k.id),
    };
    const [areas, field] = await Promise.all([kecamatanByName(db), fieldChoices(c, draft.kecamatanId)]);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:users.editTitle', { name: user.name }),
        here: `/console/admin/users/${user.id}`,
        children: <UserEdit t={t} session={c.get('session')} roles={grantable(c.get('session').actor)} user={user} draft={draft} areas={areas} field={field} error={opts.error} />,
      },
      status,
    );
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'users', DONE, list);

  app.post('/console/admin/users', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const { fields: f, lists } = await formWithLists(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const bidang = parseBidang(f.bidang ?? '');
    const fieldRole = parseFieldRole(f.field_role ?? '');
    const kelurahanIds = parseKelurahan(lists.kelurahan ?? []);
    const draft: Draft = {
      name: (f.name ?? '').slice(0, 200),
      email: (f.email ?? '').slice(0, 254),
      role: f.role ?? '',
      kecamatanId: kecamatanId === 'invalid' ? null : kecamatanId,
      bidang,
      fieldRole,
      kelurahanIds: kelurahanIds === 'invalid' ? [] : kelurahanIds,
    };
    if (kecamatanId === 'invalid') return list(c, { errors: [t('admin:users.refusals.kecamatan_unknown')], draft }, 422);
    if (kelurahanIds === 'invalid') return list(c, { errors: [t('admin:users.refusals.kelurahan_unknown')], draft }, 422);
    let created;
    try {
      created = await createStaffUser(db, c.get('session').actor, {
        name: draft.name,
        email: draft.email,
        role: draft.role as StaffRole,
        kecamatanId,
        bidang,
        // No field role chosen: the account is no field worker, and kelurahan ticked before mean nothing.
        fieldRole,
        kelurahanIds: fieldRole === null ? [] : kelurahanIds,
      });
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return list(c, { errors: [refused.text], draft }, refused.status);
    }
    // The one and only time the password is shown: the answer to this POST, not a page that can be reloaded.
    return adminPage(deps, c, {
      title: t('admin:users.created.title'),
      here: '/console/admin/users',
      children: (
        <ShownOnce
          notice={t('admin:users.created.text', { email: normalizeEmail(draft.email) })}
          label={t('admin:users.created.password')}
          secret={created.password}
          testId="new-password"
          once={t('admin:users.created.once')}
          back={{ href: '/console/admin/users', text: t('admin:users.back') }}
        />
      ),
    });
  });

  const findUser = async (c: ConsoleContext, id: number) => (await listStaffUsers(db, c.get('session').actor, deps.clock())).find((u) => u.id === id);

  app.get('/console/admin/users/:id', guard, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    return edit(c, user);
  });

  app.post('/console/admin/users/:id', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    const { fields: f, lists } = await formWithLists(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const bidang = parseBidang(f.bidang ?? '');
    const fieldRole = parseFieldRole(f.field_role ?? '');
    const kelurahanIds = parseKelurahan(lists.kelurahan ?? []);
    const draft: AccessDraft = {
      role: f.role ?? '',
      kecamatanId: kecamatanId === 'invalid' ? user.kecamatanId : kecamatanId,
      bidang,
      active: f.active === '1',
      fieldRole,
      kelurahanIds: kelurahanIds === 'invalid' ? [] : kelurahanIds,
    };
    if (kecamatanId === 'invalid') return edit(c, user, { error: t('admin:users.refusals.kecamatan_unknown'), draft }, 422);
    if (kelurahanIds === 'invalid') return edit(c, user, { error: t('admin:users.refusals.kelurahan_unknown'), draft }, 422);
    try {
      await updateStaffAccess(db, c.get('session').actor, user.id, {
        role: (f.role ?? '') as StaffRole,
        kecamatanId,
        bidang,
        active: f.active === '1',
        // "None" clears the field role and the kelurahan with it; the ticked ones are the whole new set.
        fieldRole,
        kelurahanIds: fieldRole === null ? [] : kelurahanIds,
      });
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return edit(c, user, { error: refused.text, draft }, refused.status);
    }
    return c.redirect('/console/admin/users?done=update', 303);
  });

  // Lifting a hold and resetting a password: the account must be in the list the admin may see (else 404, as
  // for any account out of reach); the service checks rank and self again.
  app.post('/console/admin/users/:id/unlock', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    try {
      await unlockStaffUser(db, c.get('session').actor, user.id);
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return edit(c, user, { error: refused.text }, refused.status);
    }
    return c.redirect('/console/admin/users?done=unlock', 303);
  });

  app.post('/console/admin/users/:id/reset-password', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    let reset;
    try {
      reset = await resetStaffPassword(db, c.get('session').actor, user.id);
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return edit(c, user, { error: refused.text }, refused.status);
    }
    // Like a new account's password: shown on the answer to this POST only.
    return adminPage(deps, c, {
      title: t('admin:users.reset.title'),
      here: '/console/admin/users',
      children: (
        <ShownOnce
          notice={t('admin:users.reset.text', { email: user.email })}
          label={t('admin:users.reset.password')}
          secret={reset.password}
          testId="new-password"
          once={t('admin:users.reset.once')}
          back={{ href: '/console/admin/users', text: t('admin:users.back') }}
        />
      ),
    });
  });

  return app;
}
