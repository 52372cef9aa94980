import { BIDANG, COMPLAINT_CATEGORIES } from '../../../domain/vocabulary.ts';
import { scopeWithin } from '../../../services/access.ts';
import { deleteRoute, listRoutes, setRoute } from '../../../services/complaints/routes.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { Csrf } from '../shell/layout.tsx';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, areaName, formFields, notFoundPage, parseId, parseKecamatan, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { ListPage } from './views/list-page.tsx';

// The complaint routing table: for each category, the city-wide default bidang and any kecamatan that
// sends it elsewhere. A change applies to complaints filed from then on; filed ones keep their bidang.

const DONE = ['set', 'delete'] as const;

export function routeRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<never> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const actor = session.actor;
    const [routes, areas] = await Promise.all([listRoutes(db, actor), kecamatanByName(db)]);
    const offeredAreas = actor.kecamatanId === null ? areas : areas.filter((a) => a.id === actor.kecamatanId);
    const offeredBidang = actor.bidang === null ? BIDANG : BIDANG.filter((b) => b === actor.bidang);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:routes.title'),
        here: '/console/admin/routes',
        children: (
          <ListPage
            intro={<p>{t('admin:routes.intro')}</p>}
            done={opts.done}
            errors={opts.errors}
            rows={
              <table data-testid="routes">
                <thead>
                  <tr>
                    <th>{t('admin:routes.category')}</th>
                    <th>{t('admin:scope.kecamatan')}</th>
                    <th>{t('admin:scope.bidang')}</th>
                    <th>{t('admin:users.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {routes.map((r) => (
                    <tr data-route-id={String(r.id)}>
                      <td>{t(`console:category.${r.category}`)}</td>
                      <td>{r.kecamatanId === null ? <strong>{t('admin:routes.cityDefault')}</strong> : areaName(t, areas, r.kecamatanId)}</td>
                      <td>
                        {scopeWithin(r, actor) ? (
                          <form method="post" action="/console/admin/routes" class="actions">
                            <Csrf session={session} />
                            <input type="hidden" name="category" value={r.category} />
                            <input type="hidden" name="kecamatan" value={r.kecamatanId === null ? '' : String(r.kecamatanId)} />
                            <select name="bidang" aria-label={t('admin:scope.bidang')}>
                              {offeredBidang.map((b) => (
                                <option value={b} selected={b === r.bidang}>
                                  {b}
                                </option>
                              ))}
                            </select>
                            <button class="secondary" type="submit">
                              {t('admin:routes.change')}
                            </button>
                          </form>
                        ) : (
                          // A kecamatan admin sees the city-wide default that applies to them but cannot change it.
                          r.bidang
                        )}
                      </td>
                      <td>
                        {r.kecamatanId === null ? (
                          <span class="meta">{t('admin:routes.defaultKept')}</span>
                        ) : !scopeWithin(r, actor) ? (
                          '—'
                        ) : (
                          <form method="post" action={`/console/admin/routes/${r.id}/delete`}>
                            <Csrf session={session} />
                            <button class="secondary" type="submit">
                              {t('admin:routes.delete')}
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
            create={{
              id: 'h-new-route',
              title: t('admin:routes.add.title'),
              hint: t('admin:routes.add.hint'),
              form: (
                <form method="post" action="/console/admin/routes" class="filters">
                  <Csrf session={session} />
                  <div>
                    <label for="r-category">{t('admin:routes.category')}</label>
                    <select id="r-category" name="category">
                      {COMPLAINT_CATEGORIES.map((k) => (
                        <option value={k}>{t(`console:category.${k}`)}</option>
                      ))}
                    </select>
                  </div>
                  <div>
                    <label for="r-kecamatan">{t('admin:scope.kecamatan')}</label>
                    <select id="r-kecamatan" name="kecamatan">
                      {actor.kecamatanId === null ? <option value="">{t('admin:routes.cityDefault')}</option> : null}
                      {offeredAreas.map((a) => (
                        <option value={String(a.id)}>{a.name}</option>
                      ))}
                    </select>
                  </div>
                  <div>
                    <label for="r-bidang">{t('admin:scope.bidang')}</label>
                    <select id="r-bidang" name="bidang">
                      {offeredBidang.map((b) => (
                        <option value={b}>{b}</option>
                      ))}
                    </select>
                  </div>
                  <button type="submit">{t('admin:routes.add.submit')}</button>
                </form>
              ),
            }}
          />
        ),
      },
      status,
    );
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'routes', DONE, list);

  app.post('/console/admin/routes', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const f = await formFields(c);
    const kecamatanId = parseKecamatan(f.kecamatan ?? '');
    if (kecamatanId === 'invalid') return list(c, { errors: [t('admin:routes.refusals.kecamatan_unknown')] }, 422);
    let result;
    try {
      result = await setRoute(db, c.get('session').actor, { category: f.category ?? '', kecamatanId, bidang: f.bidang ?? '' });
    } catch (err) {
      if (refusedFor(err, 'scope')) return list(c, { errors: [t('admin:routes.refusals.scope')] }, 403);
      throw err;
    }
    if (!result.ok) return list(c, { errors: [t(`admin:routes.refusals.${result.reason}`)] }, 422);
    return c.redirect('/console/admin/routes?done=set', 303);
  });

  app.post('/console/admin/routes/:id/delete', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFoundPage(deps, c, '/console/admin/routes');
    let result;
    try {
      result = await deleteRoute(db, c.get('session').actor, id);
    } catch (err) {
      if (refusedFor(err, 'scope')) return list(c, { errors: [t('admin:routes.refusals.scope')] }, 403);
      throw err;
    }
    if (!result.ok && result.reason === 'not_found') return notFoundPage(deps, c, '/console/admin/routes');
    if (!result.ok) return list(c, { errors: [t('admin:routes.refusals.city_default')] }, 422);
    return c.redirect('/console/admin/routes?done=delete', 303);
  });

  return app;
}
