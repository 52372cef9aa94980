import { Hono } from 'hono';
import { moveKelurahan } from '../../../services/distribution/allocation.ts';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { eventPage } from './event.tsx';
import { forbidden, formFields, mayManage, notFound, parseId, serviceOpts } from './shared.tsx';

// The POST of the "Pindahkan ke" form on every kelurahan row of the allocation preview
// (views/allocation.tsx): the kelurahan's households go to the chosen site first from now on, or back to the
// nearest ("nearest"). It answers with the same preview again, so staff see where the households now go.

/** The invite preview's area ('', 'kec:ID', 'kel:ID'); anything else is not carried back. */
const AREA = /^(|(kec|kel):[1-9]\d{0,9})$/;

export function siteAreaRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const show = eventPage(deps);

  app.post('/console/distribution/:id/site-areas', requireStaff(deps), requireCsrf(deps), async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    const f = await formFields(c);
    const area = AREA.test(f.area ?? '') ? (f.area ?? '') : '';
    const kelurahanId = parseId(f.kelurahan);
    const siteId = f.site === 'nearest' ? null : parseId(f.site);
    if (kelurahanId === null || (siteId === null && f.site !== 'nearest')) return show(c, id, { error: 'invalid_input', area }, 422);
    const r = await moveKelurahan(deps.database.db, c.get('session').actor, { eventId: id, kelurahanId, siteId }, { now: serviceOpts(deps).now });
    if (r.ok) return c.redirect(`/console/distribution/${id}?preview=1&area=${encodeURIComponent(area)}#allocation`, 303);
    if (r.reason === 'not_found') return notFound(deps, c);
    return show(c, id, { error: r.reason, area }, 422);
  });

  return app;
}
