import { scopeWithin } from '../../../services/access.ts';
import { deleteRoute, listRoutes, setRoute } from '../../../services/complaints/routes.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formFields, notFoundPage, parseId, parseKecamatan, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { RoutesList } from './views/routes.tsx';

// The complaint routing table: for each category, the city-wide default bidang and any kecamatan that
// sends it elsewhere. A change applies to complaints filed from then on; filed ones keep their bidang.

const DONE = ['set', 'delete'] as const;

export function routeRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: ListState<never> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [routes, areas] = await Promise.all([listRoutes(db, session.actor), kecamatanByName(db)]);
    const changeable = new Set(routes.filter((r) => scopeWithin(r, session.actor)).map((r) => r.id));
    return adminPage(
      deps,
      c,
      {
        title: t('admin:routes.title'),
        here: '/console/admin/routes',
        children: <RoutesList t={t} session={session} routes={routes} changeable={changeable} areas={areas} opts={opts} />,
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
