import type { TFunction } from 'i18next';
import { STAFF_ROLES, type StaffRole } from '../../../domain/vocabulary.ts';
import { roleAtMost } from '../../../services/access.ts';
import type { Actor } from '../../../services/actor.ts';
import type { Bidang } from '../../../domain/vocabulary.ts';
import { createStaffUser, listStaffUsers, normalizeEmail, StaffInputError, updateStaffAccess, type StaffSummary } from '../../../services/staff/users.ts';
import { kecamatanByName, type Kecamatan } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { Csrf } from '../shell/layout.tsx';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, areaName, ErrorBox, formFields, notFoundPage, parseId, parseKecamatan, ScopeFields, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ListPage } from './views/list-page.tsx';
import { ShownOnce } from './views/shown-once.tsx';

// Staff accounts: the list, a new account (its generated password shown once, on the answer to the POST,
// never stored or shown again), and a colleague's role, scope and whether they may sign in. The rules
// (nobody changes their own access, nobody grants above their own role or scope) live in staff-users.ts.

const DONE = ['update'] as const;

type Draft = { name: string; email: string; role: string; kecamatanId: number | null; bidang: string | null };
const EMPTY: Draft = { name: '', email: '', role: 'operator', kecamatanId: null, bidang: null };

/** The message and status for a refusal from the staff services, or null when it is a plain missing permission. */
function refusal(t: TFunction, err: unknown): { text: string; status: 403 | 422 } | null {
  if (err instanceof StaffInputError) return { text: t(`admin:users.refusals.${err.code}`), status: 422 };
  const why = refusedFor(err, 'self', 'rank', 'scope');
  return why ? { text: t(`admin:users.refusals.${why}`), status: 403 } : null;
}

// '' is every bidang; any other value is checked by the service against BIDANG.
const parseBidang = (raw: string): Bidang | null => (raw === '' ? null : (raw as Bidang));

function RoleSelect({ t, id, actor, selected }: { t: TFunction; id: string; actor: Actor; selected: string }) {
  return (
    <select id={id} name="role">
      {STAFF_ROLES.filter((r) => roleAtMost(r, actor.role)).map((r) => (
        <option value={r} selected={r === selected}>
          {t(`admin:roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

export function userRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const actor = session.actor;
    const [users, areas] = await Promise.all([listStaffUsers(db, actor), kecamatanByName(db)]);
    const draft = opts.draft ?? EMPTY;
    const now = deps.clock();
    return adminPage(
      deps,
      c,
      {
        title: t('admin:users.title'),
        here: '/console/admin/users',
        children: (
          <ListPage
            done={opts.done}
            errors={opts.errors}
            rows={
              <table data-testid="staff-users">
                <thead>
                  <tr>
                    <th>{t('admin:users.name')}</th>
                    <th>{t('admin:users.email')}</th>
                    <th>{t('admin:users.role')}</th>
                    <th>{t('admin:scope.kecamatan')}</th>
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
                      <td>{areaName(t, areas, u.kecamatanId)}</td>
                      <td>{u.bidang ?? t('admin:scope.allBidang')}</td>
                      <td>{u.active ? t('admin:yes') : t('admin:no')}</td>
                      <td>{u.lockedUntil && u.lockedUntil > now ? t('admin:yes') : t('admin:no')}</td>
                      <td>{u.id === actor.id && actor.kind === 'staff' ? t('admin:users.you') : <a href={`/console/admin/users/${u.id}`}>{t('admin:users.edit')}</a>}</td>
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
                    <RoleSelect t={t} id="u-role" actor={actor} selected={draft.role} />
                  </div>
                  <ScopeFields t={t} idPrefix="u" areas={areas} actor={actor} kecamatanId={draft.kecamatanId} bidang={draft.bidang} />
                  <button class="primary" type="submit">
                    {t('admin:users.create.submit')}
                  </button>
                </form>
              ),
            }}
          />
        ),
      },
      status,
    );
  };

  const edit = async (c: ConsoleContext, user: StaffSummary, areas: Kecamatan[], opts: { error?: string } = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    return adminPage(
      deps,
      c,
      {
        title: t('admin:users.editTitle', { name: user.name }),
        here: `/console/admin/users/${user.id}`,
        children: (
          <>
            <ErrorBox text={opts.error} />
            <dl class="facts">
              <dt>{t('admin:users.email')}</dt>
              <dd>{user.email}</dd>
              <dt>{t('admin:users.role')}</dt>
              <dd data-current-role={user.role}>{t(`admin:roles.${user.role}`)}</dd>
              <dt>{t('admin:users.locked')}</dt>
              <dd>{user.lockedUntil && user.lockedUntil > deps.clock() ? t('admin:yes') : t('admin:no')}</dd>
            </dl>
            <section class="card">
              <form method="post" action={`/console/admin/users/${user.id}`}>
                <Csrf session={session} />
                <div class="field">
                  <label for="e-role">{t('admin:users.role')}</label>
                  <RoleSelect t={t} id="e-role" actor={session.actor} selected={user.role} />
                </div>
                <ScopeFields t={t} idPrefix="e" areas={areas} actor={session.actor} kecamatanId={user.kecamatanId} bidang={user.bidang} />
                <div class="field">
                  <label>
                    <input type="checkbox" name="active" value="1" checked={user.active} /> {t('admin:users.activeLabel')}
                  </label>
                </div>
                <button class="primary" type="submit">
                  {t('admin:users.save')}
                </button>
              </form>
            </section>
          </>
        ),
      },
      status,
    );
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'users', DONE, list);

  app.post('/console/admin/users', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const f = await formFields(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const bidang = parseBidang(f.bidang ?? '');
    const draft: Draft = { name: (f.name ?? '').slice(0, 200), email: (f.email ?? '').slice(0, 254), role: f.role ?? '', kecamatanId: kecamatanId === 'invalid' ? null : kecamatanId, bidang };
    if (kecamatanId === 'invalid') return list(c, { errors: [t('admin:users.refusals.kecamatan_unknown')], draft }, 422);
    let created;
    try {
      created = await createStaffUser(db, c.get('session').actor, { name: draft.name, email: draft.email, role: draft.role as StaffRole, kecamatanId, bidang });
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

  const findUser = async (c: ConsoleContext, id: number) => (await listStaffUsers(db, c.get('session').actor)).find((u) => u.id === id);

  app.get('/console/admin/users/:id', guard, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    return edit(c, user, await kecamatanByName(db));
  });

  app.post('/console/admin/users/:id', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const id = parseId(c.req.param('id'));
    const user = id === null ? undefined : await findUser(c, id);
    if (!user) return notFoundPage(deps, c, '/console/admin/users');
    const areas = await kecamatanByName(db);
    const f = await formFields(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const bidang = parseBidang(f.bidang ?? '');
    if (kecamatanId === 'invalid') return edit(c, user, areas, { error: t('admin:users.refusals.kecamatan_unknown') }, 422);
    try {
      await updateStaffAccess(db, c.get('session').actor, user.id, { role: (f.role ?? '') as StaffRole, kecamatanId, bidang, active: f.active === '1' });
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return edit(c, user, areas, { error: refused.text }, refused.status);
    }
    return c.redirect('/console/admin/users?done=update', 303);
  });

  return app;
}
