import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import type { ConsoleEnv } from '../shell/session.ts';
import { eventRoutes } from './event.tsx';
import { eventTemplateRoutes } from './templates.tsx';
import { listRoutes } from './list.tsx';
import { listsRoutes } from './lists.tsx';
import { newEventRoutes } from './new.tsx';
import { progressRoutes } from './progress.tsx';
import { proxyAttachmentRoutes } from './proxy-attachments.tsx';
import { siteAreaRoutes } from './site-areas.tsx';
import { forbidden } from './shared.tsx';

/**
 * The distribution pages under /console/distribution. Each route carries its own session, CSRF and
 * permission guards. /new is mounted before /:id so it is never read as an event id.
 */
export function distributionConsoleRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  // An event outside the person's area, or an action their role lacks, answers 403 (errors.ts).
  app.use('/console/distribution/*', errorAnswers<ConsoleEnv>({ forbidden: (c) => forbidden(deps, c) }));
  app.route('/', listRoutes(deps));
  app.route('/', newEventRoutes(deps));
  app.route('/', progressRoutes(deps));
  app.route('/', listsRoutes(deps));
  app.route('/', proxyAttachmentRoutes(deps));
  app.route('/', siteAreaRoutes(deps));
  app.route('/', eventTemplateRoutes(deps));
  app.route('/', eventRoutes(deps));
  return app;
}
