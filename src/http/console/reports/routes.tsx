import { Hono } from 'hono';
import { can } from '../../../services/access.ts';
import { dashboard, DASHBOARD_PERIODS, type DashboardDays } from '../../../services/reports/dashboard.ts';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { DashboardForbidden, DashboardPage } from './views/dashboard.tsx';

// The dashboard: counts over the complaints in the signed-in person's scope (the service filters), drawn
// as inline SVG with a data table under each chart. Only figures and area names, never a resident.

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);

  app.get('/console/dashboard', guard, async (c) => {
    const locale = c.get('locale');
    const t = deps.i18n.getFixedT(locale);
    const session = c.get('session');
    if (!can(session.actor, 'dashboard.read')) return c.html(<DashboardForbidden t={t} locale={locale} session={session} />, 403);
    const asked = Number(c.req.query('days'));
    const days: DashboardDays = (DASHBOARD_PERIODS as readonly number[]).includes(asked) ? (asked as DashboardDays) : 30;
    const d = await dashboard(deps.database.db, session.actor, { days, now: deps.clock(), timeZone: deps.timeZone });
    return c.html(<DashboardPage t={t} locale={locale} session={session} days={days} d={d} />);
  });

  return app;
}
