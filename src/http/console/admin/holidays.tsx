import type { TFunction } from 'i18next';
import { todayIn } from '../../../domain/dates.ts';
import { addHoliday, HOLIDAY_NAME_MAX, holidayProblems, listHolidays, removeHoliday, type Holiday } from '../../../services/calendar/holidays.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formFields, notFoundPage, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { HolidaysList } from './views/holidays.tsx';

// Public holidays: the list (past days marked), a form to add one, and remove. The deadlines and the
// handover read the table when they count, so nothing needs refreshing after a change.

const DONE = ['add', 'addPast', 'remove'] as const;

export function holidayRoutes(deps: AppDeps) {
  const db = deps.database.db;
  const today = () => todayIn(deps.timeZone, deps.clock());

  const list = async (c: ConsoleContext, opts: ListState<Holiday> = {}, status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const rows = await listHolidays(db, session.actor);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:holidays.title'),
        here: '/console/admin/holidays',
        children: <HolidaysList t={t} locale={c.get('locale')} session={session} rows={rows} today={today()} draft={opts.draft ?? { day: '', name: '' }} opts={opts} />,
      },
      status,
    );
  };

  const problemsText = (t: TFunction, input: Holiday) => holidayProblems(input).map((p) => t(`admin:holidays.problems.${p}`, { max: HOLIDAY_NAME_MAX }));

  const { app, guard, csrf, allowed } = adminList(deps, 'holidays', DONE, list);

  app.post('/console/admin/holidays', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const f = await formFields(c);
    const draft: Holiday = { day: (f.day ?? '').trim().slice(0, 20), name: (f.name ?? '').slice(0, 1000) };
    const problems = problemsText(t, draft);
    if (problems.length > 0) return list(c, { errors: problems, draft }, 422);
    let result;
    try {
      result = await addHoliday(db, c.get('session').actor, draft, today());
    } catch (err) {
      if (refusedFor(err, 'scope')) return list(c, { errors: [t('admin:holidays.problems.scope')], draft }, 403);
      throw err;
    }
    if (!result.ok) return list(c, { errors: [t(`admin:holidays.problems.${result.reason === 'duplicate' ? 'duplicate' : 'day_invalid'}`)], draft }, 422);
    return c.redirect(`/console/admin/holidays?done=${result.past ? 'addPast' : 'add'}`, 303);
  });

  app.post('/console/admin/holidays/:day/delete', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    let gone;
    try {
      gone = await removeHoliday(db, c.get('session').actor, c.req.param('day'));
    } catch (err) {
      if (refusedFor(err, 'scope')) return list(c, { errors: [t('admin:holidays.problems.scope')] }, 403);
      throw err;
    }
    if (!gone) return notFoundPage(deps, c, '/console/admin/holidays');
    return c.redirect('/console/admin/holidays?done=remove', 303);
  });

  return app;
}
