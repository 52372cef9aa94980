import type { TFunction } from 'i18next';
import { STAFF_ROLES, type Bidang, type StaffRole } from '../../../domain/vocabulary.ts';
import { roleAtMost } from '../../../services/access.ts';
import { API_TOKEN_LIFETIMES_DAYS, createApiToken, DEFAULT_API_TOKEN_DAYS, listApiTokens, revokeApiToken, type ApiTokenLifetime } from '../../../services/staff/api-tokens.ts';
import { StaffInputError } from '../../../services/staff/users.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { formatTime } from '../shell/layout.tsx';
import { adminPage, formFields, notFoundPage, parseId, parseKecamatan, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ShownOnce } from './views/shown-once.tsx';
import { TokensList, type Draft } from './views/tokens.tsx';

// API tokens for other systems on /api/v1: the list, a new token (shown once, on the answer to the POST, with
// the date it stops working; only its hash is kept) and revoking one, after which /api/v1 answers 401 to it.

const DONE = ['revoke'] as const;
const EMPTY: Draft = { name: '', role: 'viewer', kecamatanId: null, bidang: null, days: DEFAULT_API_TOKEN_DAYS };

// Anything but one of the offered lifetimes is refused by the service ('lifetime_invalid'); 0 never is one.
const parseDays = (raw: string | undefined): number => (raw === undefined || raw === '' ? DEFAULT_API_TOKEN_DAYS : /^\d{1,4}$/.test(raw) ? Number(raw) : 0);

function refusal(t: TFunction, err: unknown): { text: string; status: 403 | 422 } | null {
  if (err instanceof StaffInputError) return { text: t(`admin:users.refusals.${err.code}`), status: 422 };
  const why = refusedFor(err, 'rank', 'scope');
  return why ? { text: t(`admin:tokens.refusals.${why}`), status: 403 } : null;
}

export function tokenRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [tokens, areas] = await Promise.all([listApiTokens(db, session.actor), kecamatanByName(db)]);
    const draft = opts.draft ?? EMPTY;
    // A token never gets the admin role (api-tokens.ts); nor anything above the grantor's.
    const roles = STAFF_ROLES.filter((r) => r !== 'admin' && roleAtMost(r, session.actor.role));
    return adminPage(
      deps,
      c,
      {
        title: t('admin:tokens.title'),
        here: '/console/admin/tokens',
        children: (
          <TokensList
            t={t}
            locale={c.get('locale')}
            timeZone={deps.timeZone}
            session={session}
            roles={roles}
            lifetimes={API_TOKEN_LIFETIMES_DAYS}
            tokens={tokens}
            areas={areas}
            now={deps.clock()}
            draft={draft}
            opts={opts}
          />
        ),
      },
      status,
    );
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'tokens', DONE, list);

  app.post('/console/admin/tokens', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const f = await formFields(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const days = parseDays(f.days);
    const draft: Draft = { name: (f.name ?? '').slice(0, 200), role: f.role ?? '', kecamatanId: kecamatanId === 'invalid' ? null : kecamatanId, bidang: f.bidang || null, days };
    if (kecamatanId === 'invalid') return list(c, { errors: [t('admin:users.refusals.kecamatan_unknown')], draft }, 422);
    let created;
    try {
      created = await createApiToken(db, c.get('session').actor, {
        name: draft.name,
        role: draft.role as StaffRole,
        kecamatanId,
        bidang: draft.bidang as Bidang | null,
        days: days as ApiTokenLifetime,
        now: deps.clock(),
      });
    } catch (err) {
      const refused = refusal(t, err);
      if (!refused) throw err;
      return list(c, { errors: [refused.text], draft }, refused.status);
    }
    return adminPage(deps, c, {
      title: t('admin:tokens.created.title'),
      here: '/console/admin/tokens',
      children: (
        <ShownOnce
          notice={t('admin:tokens.created.text', { name: draft.name.trim(), until: formatTime(created.expiresAt, c.get('locale'), deps.timeZone) })}
          label={t('admin:tokens.created.token')}
          secret={created.token}
          testId="new-token"
          once={t('admin:tokens.created.once')}
          back={{ href: '/console/admin/tokens', text: t('admin:tokens.back') }}
        />
      ),
    });
  });

  app.post('/console/admin/tokens/:id/revoke', guard, csrf, allowed, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFoundPage(deps, c, '/console/admin/tokens');
    const actor = c.get('session').actor;
    const known = (await listApiTokens(db, actor)).some((k) => k.id === id);
    if (!known) return notFoundPage(deps, c, '/console/admin/tokens');
    await revokeApiToken(db, actor, id, deps.clock());
    // Revoking twice lands on the same page: the token is revoked either way.
    return c.redirect('/console/admin/tokens?done=revoke', 303);
  });

  return app;
}
