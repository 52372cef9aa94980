import { Hono } from 'hono';
import { todayIn } from '../../../domain/dates.ts';
import { can } from '../../../services/access.ts';
import { eligibleDutyOfficers, isDay, listDuty, mayChangeDuty, setDuty } from '../../../services/duty/roster.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { DutyForbidden, DutyPage, type DutyNotice } from './views/roster.tsx';

// The duty roster at /console/duty ('complaints.assign'): the next two weeks, who is on duty each day for urgent
// reports out of office hours, and a form per day to change it. Thin: services/duty decides who may set it,
// who may be on duty and which dates may change.

/** The days the page shows from today. */
export const DUTY_PAGE_DAYS = 14;

export function dutyRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const may = (c: ConsoleContext) => can(c.get('session').actor, 'complaints.assign');
  const forbidden = (c: ConsoleContext) => c.html(<DutyForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);

  const page = async (c: ConsoleContext, notice?: DutyNotice, status: 200 | 403 | 422 = 200) => {
    const actor = c.get('session').actor;
    const today = todayIn(deps.timeZone, deps.clock());
    const [days, officers] = await Promise.all([listDuty(db, actor, today, DUTY_PAGE_DAYS), eligibleDutyOfficers(db, actor)]);
    return c.html(
      <DutyPage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} days={days} officers={officers} today={today} editable={mayChangeDuty(actor)} notice={notice} />,
      status,
    );
  };

  app.get('/console/duty', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const done = c.req.query('done');
    return page(c, done === 'set' || done === 'cleared' ? { kind: 'done', text: tOf(c)(`duty:done.${done}`) } : undefined);
  });

  app.post('/console/duty/:date', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const t = tOf(c);
    const date = c.req.param('date');
    const raw = (await formField(c, 'staffId')).trim();
    const staffId = raw === '' ? null : /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
    if (!isDay(date)) return page(c, { kind: 'error', text: t('duty:refusals.invalid_date') }, 422);
    if (Number.isNaN(staffId)) return page(c, { kind: 'error', text: t('duty:refusals.not_eligible') }, 422);
    let result;
    try {
      result = await setDuty(db, c.get('session').actor, date, staffId, { now: deps.clock(), timeZone: deps.timeZone });
    } catch (err) {
      if (refusedFor(err, 'scope')) return page(c, { kind: 'error', text: t('duty:refusals.scope') }, 403);
      throw err;
    }
    if (!result.ok) return page(c, { kind: 'error', text: t(`duty:refusals.${result.reason}`) }, 422);
    return c.redirect(`/console/duty?done=${staffId === null ? 'cleared' : 'set'}`, 303);
  });

  return app;
}
