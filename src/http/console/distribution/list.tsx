import { Hono } from 'hono';
import { areaChoices } from '../../../services/distribution/console-options.ts';
import { listEvents } from '../../../services/distribution/event-list.ts';
import { createSite, listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, formFields, mayManage, mayRead, pageOf, serviceOpts } from './shared.tsx';
import { DistributionListPage, type SiteDraft } from './views/list.tsx';

// The distribution home: every event in the person's area (date, program, status, seats booked) and the
// sites events can use. Supervisors and admins create sites here; viewers and field officers only read.

export function listRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const page = async (c: ConsoleContext, opts: { error?: string; draft?: SiteDraft; done?: boolean } = {}) => {
    const actor = c.get('session').actor;
    const [events, siteRows, areas] = await Promise.all([listEvents(db, actor, { limit: 200 }), listSites(db, actor), areaChoices(db, actor)]);
    return c.html(<DistributionListPage page={pageOf(deps, c)} manage={mayManage(c)} events={events} sites={siteRows} areas={areas} opts={opts} />, opts.error ? 422 : 200);
  };

  app.get('/console/distribution', guard, async (c) => {
    if (!mayRead(c)) return forbidden(deps, c);
    return page(c, { done: c.req.query('done') === 'site' });
  });

  app.post('/console/distribution/sites', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const f = await formFields(c);
    const draft: SiteDraft = {
      kecamatanId: f.kecamatanId ?? '',
      kelurahanId: f.kelurahanId ?? '',
      name: f.name ?? '',
      address: f.address ?? '',
      latitude: f.latitude ?? '',
      longitude: f.longitude ?? '',
    };
    const num = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));
    const r = await createSite(
      db,
      c.get('session').actor,
      {
        kecamatanId: Number(draft.kecamatanId),
        kelurahanId: draft.kelurahanId === '' ? null : Number(draft.kelurahanId),
        name: draft.name,
        address: draft.address,
        latitude: num(draft.latitude),
        longitude: num(draft.longitude),
      },
      { now: serviceOpts(deps).now },
    );
    if (!r.ok) return page(c, { error: r.detail === 'coordinates' ? 'coordinates' : r.detail === 'name_or_address' ? 'site_name_or_address' : r.reason, draft });
    return c.redirect('/console/distribution?done=site', 303);
  });

  return app;
}
