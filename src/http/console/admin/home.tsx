import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { adminPagesFor } from './pages.ts';
import { adminPage, forbiddenPage, tOf } from './shared.tsx';
import { AdminIndex } from './views/home.tsx';

// The admin index: a link to each admin page the signed-in role may use, with one line on what it is for.

export function adminHomeRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  app.get('/console/admin', requireStaff(deps), async (c) => {
    const t = tOf(deps, c);
    const pages = adminPagesFor(c.get('session').actor);
    if (pages.length === 0) return forbiddenPage(deps, c);
    return adminPage(deps, c, {
      title: t('admin:index.title'),
      here: '/console/admin',
      children: <AdminIndex t={t} pages={pages} />,
    });
  });
  return app;
}
