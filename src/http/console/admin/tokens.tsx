import type { TFunction } from 'i18next';
import { STAFF_ROLES, type StaffRole } from '../../../domain/vocabulary.ts';
import { roleAtMost } from '../../../services/access.ts';
import type { Bidang } from '../../../domain/vocabulary.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../services/staff/api-tokens.ts';
import { StaffInputError } from '../../../services/staff/users.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { Csrf, formatTime } from '../shell/layout.tsx';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, areaName, formFields, notFoundPage, parseId, parseKecamatan, ScopeFields, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ListPage } from './views/list-page.tsx';
import { ShownOnce } from './views/shown-once.tsx';

// API tokens for other systems on /api/v1: the list, a new token (shown once, on the answer to the POST;
// only its hash is kept) and revoking one, after which /api/v1 answers 401 to it.

const DONE = ['revoke'] as const;
type Draft = { name: string; role: string; kecamatanId: number | null; bidang: string | null };
const EMPTY: Draft = { name: '', role: 'viewer', kecamatanId: null, bidang: null };

function refusal(t: TFunction, err: unknown): { text: string; status: 403 | 422 } | null {
  if (err instanceof StaffInputError) return { text: t(`admin:users.refusals.${err.code}`), status: 422 };
  const why = refusedFor(err, 'rank', 'scope');
  return why ? { text: t(`admin:tokens.refusals.${why}`), status: 403 } : null;
}

export function tokenRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<Draft> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    const [tokens, areas] = await Promise.all([listApiTokens(db, actor), kecamatanByName(db)]);
    const draft = opts.draft ?? EMPTY;
    return adminPage(
      deps,
      c,
      {
        title: t('admin:tokens.title'),
        here: '/console/admin/tokens',
        children: (
          <ListPage
            done={opts.done}
            errors={opts.errors}
            rows={
              tokens.length === 0 ? (
                <p>{t('admin:tokens.empty')}</p>
              ) : (
                <table data-testid="api-tokens">
                  <thead>
                    <tr>
                      <th>{t('admin:tokens.name')}</th>
                      <th>{t('admin:users.role')}</th>
                      <th>{t('admin:scope.kecamatan')}</th>
                      <th>{t('admin:scope.bidang')}</th>
                      <th>{t('admin:tokens.createdAt')}</th>
                      <th>{t('admin:tokens.lastUsed')}</th>
                      <th>{t('admin:tokens.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.map((k) => (
                      <tr data-token-id={String(k.id)}>
                        <td>{k.name}</td>
                        <td>{t(`admin:roles.${k.role}`)}</td>
                        <td>{areaName(t, areas, k.kecamatanId)}</td>
                        <td>{k.bidang ?? t('admin:scope.allBidang')}</td>
                        <td>{formatTime(k.createdAt, locale, deps.timeZone)}</td>
                        <td>{k.lastUsedAt ? formatTime(k.lastUsedAt, locale, deps.timeZone) : '—'}</td>
                        <td>
                          {k.revokedAt ? (
                            t('admin:tokens.revokedAt', { when: formatTime(k.revokedAt, locale, deps.timeZone) })
                          ) : (
                            <form method="post" action={`/console/admin/tokens/${k.id}/revoke`}>
                              <Csrf session={session} />
                              <button class="secondary" type="submit">
                                {t('admin:tokens.revoke')}
                              </button>
                            </form>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
            create={{
              id: 'h-new-token',
              title: t('admin:tokens.create.title'),
              hint: t('admin:tokens.create.hint'),
              form: (
                <form method="post" action="/console/admin/tokens">
                  <Csrf session={session} />
                  <div class="field">
                    <label for="k-name">{t('admin:tokens.name')}</label>
                    <input id="k-name" name="name" required maxlength={200} value={draft.name} />
                  </div>
                  <div class="field">
                    <label for="k-role">{t('admin:users.role')}</label>
                    <select id="k-role" name="role">
                      {/* A token never gets the admin role (api-tokens.ts); nor anything above the grantor's. */}
                      {STAFF_ROLES.filter((r) => r !== 'admin' && roleAtMost(r, actor.role)).map((r) => (
                        <option value={r} selected={r === draft.role}>
                          {t(`admin:roles.${r}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <ScopeFields t={t} idPrefix="k" areas={areas} actor={actor} kecamatanId={draft.kecamatanId} bidang={draft.bidang} />
                  <button class="primary" type="submit">
                    {t('admin:tokens.create.submit')}
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

  const { app, guard, csrf, allowed } = adminList(deps, 'tokens', DONE, list);

  app.post('/console/admin/tokens', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const f = await formFields(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    const draft: Draft = { name: (f.name ?? '').slice(0, 200), role: f.role ?? '', kecamatanId: kecamatanId === 'invalid' ? null : kecamatanId, bidang: f.bidang || null };
    if (kecamatanId === 'invalid') return list(c, { errors: [t('admin:users.refusals.kecamatan_unknown')], draft }, 422);
    let created;
    try {
      created = await createApiToken(db, c.get('session').actor, { name: draft.name, role: draft.role as StaffRole, kecamatanId, bidang: draft.bidang as Bidang | null });
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
          notice={t('admin:tokens.created.text', { name: draft.name.trim() })}
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
