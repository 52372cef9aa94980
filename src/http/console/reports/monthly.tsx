import { Hono } from 'hono';
import { todayIn } from '../../../domain/dates.ts';
import type { Locale } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { CONTENT_TYPES } from '../../../services/exports/file.ts';
import { checkMonth, monthlyFigures, previousMonth } from '../../../services/reports/monthly/figures.ts';
import { generateMonthlyReport, isCityWide, keptReport, monthlyFile, type MonthlyFormat } from '../../../services/reports/monthly/generate.ts';
import { monthName } from '../../../services/reports/monthly/labels.ts';
import { isEmptyMonth } from '../../../services/reports/monthly/types.ts';
import type { AppDeps } from '../../context.ts';
import { attachmentResponse } from '../shell/file-response.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { MONTHLY_HERE, MonthlyBadMonth, MonthlyForbidden, MonthlyPage } from './views/monthly.tsx';

// The monthly report (issue 20 part 6): /console/reports/monthly?month=YYYY-MM (last month by default), the
// files at /console/reports/monthly/YYYY-MM.pdf and .xlsx, and POST /console/reports/monthly/generate ("Buat
// ulang", city-wide staff, with a confirmation box when it replaces a kept one). 'reports.read'; scope, audit
// and who may generate are the service's (services/reports/monthly/generate.ts).

const FILE = /^(\d{4}-\d{2})\.(pdf|xlsx)$/;

export function monthlyRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const renderOpts = (c: ConsoleContext) => ({ now: deps.clock(), timeZone: deps.timeZone, locale: c.get('locale'), t: tOf(c) });
  const forbidden = (c: ConsoleContext) => c.html(<MonthlyForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);

  const page = async (c: ConsoleContext, month: string, notice?: { kind: 'done' | 'error'; text: string }, status: 200 | 422 = 200) => {
    const actor = c.get('session').actor;
    const opts = { now: deps.clock(), timeZone: deps.timeZone };
    // City-wide staff see the kept report when there is one (what the files hold); others their own scope, now.
    const kept = isCityWide(actor) ? await keptReport(db, actor, month) : undefined;
    const figures = kept?.figures ?? (await monthlyFigures(db, actor, month, opts));
    return c.html(
      <MonthlyPage
        t={tOf(c)}
        locale={c.get('locale') as Locale}
        session={c.get('session')}
        timeZone={deps.timeZone}
        month={month}
        maxMonth={todayIn(deps.timeZone, deps.clock()).slice(0, 7)}
        figures={isEmptyMonth(figures) ? null : figures}
        kept={kept === undefined ? undefined : kept && { generatedAt: kept.generatedAt, generatedBy: kept.generatedBy }}
        notice={notice}
      />,
      status,
    );
  };

  app.get(MONTHLY_HERE, guard, async (c) => {
    if (!can(c.get('session').actor, 'reports.read')) return forbidden(c);
    const asked = c.req.query('month');
    const month = asked === undefined || asked === '' ? { ok: true as const, month: previousMonth(deps.clock(), deps.timeZone) } : checkMonth(asked, { now: deps.clock(), timeZone: deps.timeZone });
    if (!month.ok) return c.html(<MonthlyBadMonth t={tOf(c)} locale={c.get('locale')} session={c.get('session')} message={tOf(c)(`monthly:errors.month.${month.problem}`)} />, 400);
    const done = c.req.query('done') === 'generated' ? { kind: 'done' as const, text: tOf(c)('monthly:generated', { month: monthName(month.month, c.get('locale')) }) } : undefined;
    return page(c, month.month, done);
  });

  app.post(`${MONTHLY_HERE}/generate`, guard, csrf, async (c) => {
    const actor = c.get('session').actor;
    if (!can(actor, 'reports.read')) return forbidden(c);
    const t = tOf(c);
    const checked = checkMonth((await formField(c, 'month')).slice(0, 20), { now: deps.clock(), timeZone: deps.timeZone });
    if (!checked.ok) return c.html(<MonthlyBadMonth t={t} locale={c.get('locale')} session={c.get('session')} message={t(`monthly:errors.month.${checked.problem}`)} />, 422);
    // Replacing a kept report takes the box ticked; the first one needs no confirmation.
    const kept = await keptReport(db, actor, checked.month);
    if (kept && (await formField(c, 'confirm')) !== 'yes') {
      return page(c, checked.month, { kind: 'error', text: t('monthly:regenerateConfirm', { month: monthName(checked.month, c.get('locale')) }) }, 422);
    }
    const r = await generateMonthlyReport(db, actor, checked.month, renderOpts(c));
    if (!r.ok) return page(c, checked.month, { kind: 'error', text: t('monthly:errors.empty', { month: monthName(checked.month, c.get('locale')) }) }, 422);
    return c.redirect(`${MONTHLY_HERE}?month=${r.month}&done=generated`, 303);
  });

  app.get(`${MONTHLY_HERE}/:file`, guard, async (c) => {
    if (!can(c.get('session').actor, 'reports.read')) return forbidden(c);
    const t = tOf(c);
    const m = FILE.exec(c.req.param('file'));
    if (!m) return c.text(t('monthly:errors.month.format'), 400);
    const format = m[2] as MonthlyFormat;
    const r = await monthlyFile(db, c.get('session').actor, m[1]!, format, renderOpts(c));
    if (!r.ok) {
      const message = r.reason === 'empty' ? t('monthly:errors.empty', { month: monthName(m[1]!, c.get('locale')) }) : t(`monthly:errors.month.${r.reason}`);
      return c.text(message, r.reason === 'empty' ? 422 : 400);
    }
    const contentType = format === 'pdf' ? 'application/pdf' : CONTENT_TYPES.xlsx;
    const body = new Uint8Array(r.bytes.byteLength);
    body.set(r.bytes);
    return attachmentResponse(c, { body, contentType, fileName: `laporan-bulanan-${r.month}.${format}` });
  });

  return app;
}
