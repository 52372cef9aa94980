import { Hono } from 'hono';
import { workCounts, workVersion } from '../../../services/inbox/counts.ts';
import type { AppDeps } from '../../context.ts';
import { WorkBadge } from '../shell/layout.tsx';
import { liveStream } from '../shell/live.ts';
import { requireStaff, type ConsoleEnv } from '../shell/session.ts';

// What waits for the officer, on every page: the menu's badge (and through console.js the tab's title). Pages
// with a stream of their own carry the `work` event on it (workEvents); the rest connect here.

/** Counting is cheap but not free: every two seconds per open page is quick enough for a person to notice. */
export const WORK_POLL_MS = 2000;

export function workEvents(deps: AppDeps, actor: Parameters<typeof workVersion>[1]) {
  return { work: { read: () => workVersion(deps.database.db, actor), everyMs: WORK_POLL_MS } };
}

export function workRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  app.get('/console/work/badge', guard, async (c) => {
    const counts = await workCounts(db, c.get('session').actor);
    c.header('Cache-Control', 'no-store');
    return c.html(<WorkBadge t={deps.i18n.getFixedT(c.get('locale'))} attention={counts.attention} />);
  });

  app.get('/console/work/events', guard, (c) => {
    const actor = c.get('session').actor;
    // The main reader is the work itself; it never ends the stream (the session's expiry does, on reconnect).
    return liveStream(c, () => workVersion(db, actor), { event: 'work', pollMs: WORK_POLL_MS });
  });

  return app;
}
