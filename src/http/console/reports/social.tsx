import { Hono } from 'hono';
import { todayIn } from '../../../domain/dates.ts';
import { csvOf } from '../../../domain/csv.ts';
import { can } from '../../../services/access.ts';
import { SOCIAL_CHARTS, socialSheet } from '../../../services/reports/social-csv.ts';
import { parseMonth, socialFigures } from '../../../services/reports/social.ts';
import type { AppDeps } from '../../context.ts';
import { exportResponse } from '../shell/file-response.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { SocialBadMonth, SocialForbidden, SocialPage } from './views/social.tsx';

// The office's social-service indicators (issue 19 part 6): /console/reports/social?month=YYYY-MM, and each
// chart's figures as CSV at /console/reports/social/<chart>.csv?month=YYYY-MM. 'reports.read', scoped in the
// service. Figures, agency and officer names only, never a resident: no audit row, like the dashboard.

export function socialRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);

  /** The month asked for, or the reason it cannot be shown (in the reader's language). */
  const monthOf = (c: ConsoleContext) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const parsed = parseMonth(c.req.query('month'), todayIn(deps.timeZone, deps.clock()));
    return parsed.ok ? parsed : { ok: false as const, message: t(`social:errors.month.${parsed.problem}`) };
  };
  const figures = (c: ConsoleContext, month: string) => socialFigures(deps.database.db, c.get('session').actor, { month, now: deps.clock(), timeZone: deps.timeZone });

  app.get('/console/reports/social', guard, async (c) => {
    const locale = c.get('locale');
    const t = deps.i18n.getFixedT(locale);
    const session = c.get('session');
    if (!can(session.actor, 'reports.read')) return c.html(<SocialForbidden t={t} locale={locale} session={session} />, 403);
    const month = monthOf(c);
    if (!month.ok) return c.html(<SocialBadMonth t={t} locale={locale} session={session} message={month.message} />, 400);
    return c.html(<SocialPage t={t} locale={locale} session={session} f={await figures(c, month.month)} />);
  });

  // One route per chart, so an unknown chart is simply not found.
  for (const chart of SOCIAL_CHARTS) {
    app.get(`/console/reports/social/${chart}.csv`, guard, async (c) => {
      const locale = c.get('locale');
      const t = deps.i18n.getFixedT(locale);
      const session = c.get('session');
      if (!can(session.actor, 'reports.read')) return c.html(<SocialForbidden t={t} locale={locale} session={session} />, 403);
      const month = monthOf(c);
      if (!month.ok) return c.text(month.message, 400);
      const sheet = socialSheet(chart, await figures(c, month.month), t('social:field.unassigned'));
      return exportResponse(c, { sheet, csv: csvOf(sheet) }, 'csv', `sosial-${chart}-${month.month}`);
    });
  }

  return app;
}
