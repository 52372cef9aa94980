import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import type { ConsoleEnv } from '../session.ts';
import { auditRoutes } from './audit.tsx';
import { cannedRoutes } from './canned.tsx';
import { adminHomeRoutes } from './home.tsx';
import { routeRoutes } from './routes.tsx';
import { tokenRoutes } from './tokens.tsx';
import { userRoutes } from './users.tsx';

/** The console's admin area under /console/admin; each page carries its own session, CSRF and permission guards. */
export function adminRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  app.route('/', adminHomeRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', tokenRoutes(deps));
  app.route('/', routeRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', cannedRoutes(deps));
  return app;
}
