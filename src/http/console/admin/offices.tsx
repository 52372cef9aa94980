import type { TFunction } from 'i18next';
import type { OpeningSpan } from '../../../domain/office-hours.ts';
import { HOURS_TEXT_MAX, MAX_SPANS, officeHoursProblems, officesToManage, updateOfficeHours, type OfficeHoursInput, type OfficeHoursProblem } from '../../../services/calendar/office-hours.ts';
import type { AppDeps } from '../../context.ts';
import { refusedFor } from '../../errors.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formFields, notFoundPage, parseId, tOf } from './shared.tsx';
import { adminList } from './skeleton.ts';
import { OfficeEdit, OfficesList, SPAN_ROWS, type OfficeDraft } from './views/offices.tsx';

// Office hours: each office the admin may change with its hours text (Indonesian, English) and its weekly
// schedule; one page per office to change them. The FAQ and the handover read the offices table on every
// message, so a saved change is what the next resident is told.

const DONE = ['update'] as const;

function problemText(t: TFunction, p: OfficeHoursProblem): string {
  if (p.field === 'schedule') return t(`admin:offices.problems.schedule.${p.problem}`, { span: p.span ?? '', max: MAX_SPANS });
  return t(`admin:offices.problems.${p.field}_${p.problem}`, { max: HOURS_TEXT_MAX });
}

/** The form's rows of spans: "s1_d3" ticked is Wednesday in the first; a row with no day and no time is unused. */
function readSchedule(f: Record<string, string>): OpeningSpan[] {
  const spans: OpeningSpan[] = [];
  for (let i = 1; i <= SPAN_ROWS; i++) {
    const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => f[`s${i}_d${d}`] === '1');
    const opens = (f[`s${i}_opens`] ?? '').trim().slice(0, 10);
    const closes = (f[`s${i}_closes`] ?? '').trim().slice(0, 10);
    if (days.length === 0 && !opens && !closes) continue;
    spans.push({ days, opens, closes });
  }
  return spans;
}

export function officeRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const list = async (c: ConsoleContext, opts: { done?: string } = {}) => {
    const t = tOf(deps, c);
    const rows = await officesToManage(db, c.get('session').actor);
    return adminPage(deps, c, {
      title: t('admin:offices.title'),
      here: '/console/admin/offices',
      children: <OfficesList t={t} locale={c.get('locale')} timeZone={deps.timeZone} rows={rows} done={opts.done} />,
    });
  };

  const edit = (c: ConsoleContext, draft: OfficeDraft, errors: string[] = [], status: 200 | 403 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:offices.editTitle', { name: draft.name }),
        here: '/console/admin/offices',
        children: <OfficeEdit t={t} locale={c.get('locale')} session={c.get('session')} draft={draft} errors={errors} />,
      },
      status,
    );
  };

  const findOffice = async (c: ConsoleContext) => {
    const id = parseId(c.req.param('id'));
    return id === null ? undefined : (await officesToManage(db, c.get('session').actor)).find((o) => o.id === id);
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'offices', DONE, list);

  app.get('/console/admin/offices/:id', guard, allowed, async (c) => {
    const office = await findOffice(c);
    if (!office) return notFoundPage(deps, c, '/console/admin/offices');
    return edit(c, { id: office.id, name: office.name, hours: office.hours, hoursEn: office.hoursEn ?? '', schedule: office.schedule ?? [] });
  });

  app.post('/console/admin/offices/:id', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const office = await findOffice(c);
    if (!office) return notFoundPage(deps, c, '/console/admin/offices');
    const f = await formFields(c);
    const input: OfficeHoursInput = { hours: (f.hours ?? '').slice(0, 1000), hoursEn: (f.hoursEn ?? '').slice(0, 1000), schedule: readSchedule(f) };
    const draft: OfficeDraft = { id: office.id, name: office.name, hours: input.hours, hoursEn: input.hoursEn ?? '', schedule: input.schedule };
    const problems = officeHoursProblems(input);
    if (problems.length > 0) return edit(c, draft, problems.map((p) => problemText(t, p)), 422);
    let result;
    try {
      result = await updateOfficeHours(db, c.get('session').actor, office.id, input);
    } catch (err) {
      if (refusedFor(err, 'scope')) return edit(c, draft, [t('admin:offices.problems.scope')], 403);
      throw err;
    }
    if (!result.ok) return notFoundPage(deps, c, '/console/admin/offices');
    return c.redirect('/console/admin/offices?done=update', 303);
  });

  return app;
}
