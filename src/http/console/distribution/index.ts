import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import type { ConsoleEnv } from '../session.ts';
import { eventRoutes } from './event.tsx';
import { listRoutes } from './list.tsx';
import { listsRoutes } from './lists.tsx';
import { newEventRoutes } from './new.tsx';
import { progressRoutes } from './progress.tsx';
import { proxyAttachmentRoutes } from './proxy-attachments.tsx';

/**
 * The distribution pages under /console/distribution. Each route carries its own session, CSRF and
 * permission guards. /new is mounted before /:id so it is never read as an event id.
 */
export function distributionConsoleRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  app.route('/', listRoutes(deps));
  app.route('/', newEventRoutes(deps));
  app.route('/', progressRoutes(deps));
  app.route('/', listsRoutes(deps));
  app.route('/', proxyAttachmentRoutes(deps));
  app.route('/', eventRoutes(deps));
  return app;
}
