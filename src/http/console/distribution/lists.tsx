import { Hono } from 'hono';
import { getEvent } from '../../../services/distribution/events.ts';
import { invitationsCsv } from '../../../services/distribution/invitation-list.ts';
import { householdsWithoutChatCsv } from '../../../services/distribution/paper.ts';
import { EXPORT_FORMATS } from '../../../services/exports/file.ts';
import { followUpList } from '../../../services/distribution/rounds.ts';
import type { AppDeps } from '../../context.ts';
import { exportResponse } from '../shell/file-response.ts';
import { requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, mayManage, notFound, pageOf, parseId, serviceOpts } from './shared.tsx';
import { FollowUpPage } from './views/lists.tsx';

// The lists staff take out of the office: households with no chat (a CSV or XLSX for RT/RW heads or the TKSK to
// deliver paper invitations) and households that missed a third summons (for a visit in person). Names are
// masked and each read is audited by the services.

export function listsRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  for (const format of EXPORT_FORMATS) {
    app.get(`/console/distribution/:id/invitations.${format}`, guard, async (c) => {
      if (!mayManage(c)) return forbidden(deps, c);
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(deps, c);
      const header = deps.i18n.t('api:invitationsCsvHeader', { lng: c.get('locale') }).split(',');
      const r = await invitationsCsv(db, c.get('session').actor, { eventId: id }, { now: deps.clock(), header, timeZone: deps.timeZone });
      if (!r.ok) return notFound(deps, c);
      return exportResponse(c, r, format, `undangan-${id}`);
    });

    app.get(`/console/distribution/:id/paper.${format}`, guard, async (c) => {
      if (!mayManage(c)) return forbidden(deps, c);
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(deps, c);
      const r = await householdsWithoutChatCsv(db, c.get('session').actor, id, { ...serviceOpts(deps), locale: c.get('locale') });
      if (!r.ok) return notFound(deps, c);
      return exportResponse(c, r, format, `undangan-kertas-${id}`);
    });
  }

  app.get('/console/distribution/:id/follow-up', guard, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    const actor = c.get('session').actor;
    const event = await getEvent(db, actor, id);
    if (!event) return notFound(deps, c);
    const r = await followUpList(db, actor, { eventId: id }, { now: deps.clock() });
    if (!r.ok) return notFound(deps, c);
    return c.html(<FollowUpPage page={pageOf(deps, c)} id={id} eventTitle={event.title} rows={r.rows} />);
  });

  return app;
}
