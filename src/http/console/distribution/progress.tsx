import { Hono } from 'hono';
import { getEvent } from '../../../services/distribution/events.ts';
import { eventDelivery } from '../../../services/distribution/delivery.ts';
import { eventProgress, progressVersion, type EventProgress } from '../../../services/distribution/progress.ts';
import type { AppDeps } from '../../context.ts';
import { formatTime } from '../shell/layout.tsx';
import { liveStream } from '../shell/live.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, mayRead, notFound, pageOf, parseId, tOf } from './shared.tsx';
import { DeliveryCard } from './views/delivery.tsx';
import { ProgressLive, ProgressPage } from './views/progress.tsx';

// Live progress of one event, per kelurahan: invited, reachable by chat, confirmed, kuasa, collected,
// no-show; and how the invitations went out (path × delivery state, failure kinds). The page keeps an SSE stream open that only says "changed" when progressVersion moves; the page
// then fetches the /live fragment (same guard and scope) and swaps it in, so no count is ever pushed past
// a check. Only figures and area names are shown, never a resident.

export function progressRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  /** The counts, or null when the event is unknown or outside the person's area. */
  const load = async (c: ConsoleContext, id: number, opts: { delivery?: boolean } = {}): Promise<EventProgress | null> => {
    const actor = c.get('session').actor;
    if (!(await getEvent(db, actor, id))) return null;
    return eventProgress(db, actor, id, opts);
  };

  const guarded = async (c: ConsoleContext, run: (id: number) => Promise<Response>) => {
    if (!mayRead(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    return await run(id);
  };

  const stamp = (c: ConsoleContext) => formatTime(deps.clock(), c.get('locale'), deps.timeZone);

  app.get('/console/distribution/:id/progress', guard, (c) =>
    guarded(c, async (id) => {
      const p = await load(c, id);
      if (!p) return notFound(deps, c);
      return c.html(<ProgressPage page={pageOf(deps, c)} p={p} updatedAt={stamp(c)} />);
    }),
  );

  app.get('/console/distribution/:id/progress/live', guard, (c) =>
    guarded(c, async (id) => {
      // The delivery card reloads on its own (below): a check-in does not change it.
      const p = await load(c, id, { delivery: false });
      if (!p) return c.text('', 404);
      return c.html(<ProgressLive t={tOf(deps, c)} p={p} updatedAt={stamp(c)} />);
    }),
  );

  app.get('/console/distribution/:id/progress/delivery', guard, (c) =>
    guarded(c, async (id) => {
      const actor = c.get('session').actor;
      const d = (await getEvent(db, actor, id)) ? await eventDelivery(db, actor, id) : null;
      if (!d) return c.text('', 404);
      return c.html(<DeliveryCard t={tOf(deps, c)} eventId={id} d={d} />);
    }),
  );

  app.get('/console/distribution/:id/progress/events', guard, (c) =>
    guarded(c, async (id) => {
      const actor = c.get('session').actor;
      // Visibility is checked before the stream starts; the stream ends (and reconnects, re-checking the
      // session) after its maximum life.
      if (!(await getEvent(db, actor, id))) return c.text('', 404);
      return liveStream(c, async () => String(await progressVersion(db, id)));
    }),
  );

  return app;
}
