import { Hono, type MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ADMIN_PAGES, type AdminPage } from './pages.ts';
import { requireAdminPermission, tOf } from './shared.tsx';

// The skeleton the admin lists (users, tokens, routes, canned) share: a page of rows with a form to add one
// under it; a change posts and redirects back with ?done=, which the list shows as a confirmation. This
// builds the area's app, its three guards from the page's entry in pages.ts, and the list's GET route;
// each page adds its own POST routes and renders its rows (views/list-page.tsx frames them).

/** What the list shows besides its rows: a confirmation, the refusals of a post, and what was typed, kept. */
export interface ListState<D> {
  done?: string;
  errors?: string[];
  draft?: D;
}

export interface AdminList {
  app: Hono<ConsoleEnv>;
  /** Signed in. */
  guard: MiddlewareHandler<ConsoleEnv>;
  /** The session's CSRF token, on every POST. */
  csrf: MiddlewareHandler<ConsoleEnv>;
  /** The page's permission (pages.ts), else the admin 403 page. */
  allowed: MiddlewareHandler<ConsoleEnv>;
}

export function adminList<D>(
  deps: AppDeps,
  key: Exclude<AdminPage['key'], 'audit'>,
  done: readonly string[],
  list: (c: ConsoleContext, state: ListState<D>) => Promise<Response>,
): AdminList {
  const page = ADMIN_PAGES.find((p) => p.key === key)!;
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);
  const allowed = requireAdminPermission(deps, page.permission);
  app.get(page.path, guard, allowed, async (c) => {
    const shown = done.find((d) => d === c.req.query('done'));
    return list(c, shown ? { done: tOf(deps, c)(`admin:${key}.done.${shown}`) } : {});
  });
  return { app, guard, csrf: requireCsrf(deps), allowed };
}
