import { Hono } from 'hono';
import { can } from '../../../services/access.ts';
import { todayIn } from '../../../domain/dates.ts';
import { chartSheet, DASHBOARD_CHARTS, type DashboardChart } from '../../../services/reports/chart-csv.ts';
import { dashboard, DASHBOARD_PERIODS, type DashboardDays } from '../../../services/reports/dashboard.ts';
import { trends } from '../../../services/reports/trends.ts';
import { csvOf } from '../../../domain/csv.ts';
import { exportResponse } from '../shell/file-response.ts';
import { DEFAULT_IKM_TARGET } from '../../../config.ts';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { DashboardForbidden, DashboardPage } from './views/dashboard.tsx';
import { monthlyRoutes } from './monthly.tsx';
import { socialRoutes } from './social.tsx';

// The dashboard: counts over the complaints in the signed-in person's scope (the service filters), drawn
// as inline SVG with a data table under each chart, and each chart's figures as CSV
// (/console/dashboard/export.csv?chart=…&days=…). Only figures, area and officer names, never a resident.

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);

  const daysOf = (c: ConsoleContext): DashboardDays => {
    const asked = Number(c.req.query('days'));
    return (DASHBOARD_PERIODS as readonly number[]).includes(asked) ? (asked as DashboardDays) : 30;
  };
  const figures = (c: ConsoleContext, days: DashboardDays) => {
    const opts = { days, now: deps.clock(), timeZone: deps.timeZone };
    const actor = c.get('session').actor;
    return Promise.all([dashboard(deps.database.db, actor, opts), trends(deps.database.db, actor, opts)]);
  };

  app.get('/console/dashboard', guard, async (c) => {
    const locale = c.get('locale');
    const t = deps.i18n.getFixedT(locale);
    const session = c.get('session');
    if (!can(session.actor, 'dashboard.read')) return c.html(<DashboardForbidden t={t} locale={locale} session={session} />, 403);
    const days = daysOf(c);
    const [d, tr] = await figures(c, days);
    return c.html(<DashboardPage t={t} locale={locale} session={session} days={days} d={d} tr={tr} ikmTarget={deps.ikmTarget ?? DEFAULT_IKM_TARGET} />);
  });

  app.get('/console/dashboard/export.csv', guard, async (c) => {
    const locale = c.get('locale');
    const t = deps.i18n.getFixedT(locale);
    const session = c.get('session');
    if (!can(session.actor, 'dashboard.read')) return c.html(<DashboardForbidden t={t} locale={locale} session={session} />, 403);
    const chart = c.req.query('chart');
    if (!(DASHBOARD_CHARTS as readonly string[]).includes(chart ?? '')) return c.text(t('console:dashboard.unknownChart', { charts: DASHBOARD_CHARTS.join(', ') }), 400);
    const days = daysOf(c);
    const [d, tr] = await figures(c, days);
    const sheet = chartSheet(chart as DashboardChart, d, tr, t('console:dashboard.workload.unassignedRow'), deps.ikmTarget ?? DEFAULT_IKM_TARGET);
    const day = todayIn(deps.timeZone, deps.clock());
    return exportResponse(c, { sheet, csv: csvOf(sheet) }, 'csv', `dasbor-${chart}-${days}hari-${day}`);
  });

  app.route('/', socialRoutes(deps)); // the social-service indicators (issue 19), linked from the dashboard
  app.route('/', monthlyRoutes(deps)); // the monthly report (issue 20), linked from the dashboard

  return app;
}
