import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import type { ConsoleEnv } from '../shell/session.ts';
import { agencyRoutes } from './agencies.tsx';
import { agentRoutes } from './agents.tsx';
import { auditRoutes } from './audit.tsx';
import { cannedRoutes } from './canned.tsx';
import { checklistRoutes } from './checklists.tsx';
import { faqRoutes } from './faq.tsx';
import { fieldRoleRoutes } from './field-roles.tsx';
import { adminHomeRoutes } from './home.tsx';
import { holidayRoutes } from './holidays.tsx';
import { officeRoutes } from './offices.tsx';
import { routeRoutes } from './routes.tsx';
import { forbiddenPage } from './shared.tsx';
import { tokenRoutes } from './tokens.tsx';
import { userRoutes } from './users.tsx';

/** The console's admin area under /console/admin; each page carries its own session, CSRF and permission guards. */
export function adminRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  // A permission the role lacks, met deep in a service, answers like the page guard does (errors.ts).
  app.use('/console/admin/*', errorAnswers<ConsoleEnv>({ forbidden: (c) => forbiddenPage(deps, c) }));
  app.route('/', adminHomeRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', fieldRoleRoutes(deps));
  app.route('/', tokenRoutes(deps));
  app.route('/', routeRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', cannedRoutes(deps));
  app.route('/', faqRoutes(deps));
  app.route('/', holidayRoutes(deps));
  app.route('/', officeRoutes(deps));
  app.route('/', agencyRoutes(deps));
  app.route('/', agentRoutes(deps));
  app.route('/', checklistRoutes(deps));
  return app;
}
