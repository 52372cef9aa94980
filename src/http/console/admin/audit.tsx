import { Hono } from 'hono';
import { isRealDate, zonedParts } from '../../../domain/dates.ts';
import { can } from '../../../services/access.ts';
import { auditActions, listAudit, type AuditFilter } from '../../../services/audit.ts';
import { listStaffUsers } from '../../../services/staff/users.ts';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { adminPage, parseId, requireAdminPermission, tOf } from './shared.tsx';
import { AUDIT_PAGE_SIZE, AuditPage } from './views/audit.tsx';

// The audit log, newest first, filtered by action (a select of the actions the log holds), entity, officer and a date range read in the
// office's time zone; "older" pages by the id of the last row shown (a cursor: new rows never shift a page).
// Details were scrubbed when written, so they are shown as they are.

/** The instant a calendar day starts in a zone (zones without a midnight jump, which covers Indonesia). */
export function startOfDayIn(iso: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(y, mo, d)) return null;
  const guess = Date.UTC(y, mo - 1, d);
  const p = zonedParts(new Date(guess), timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
  return new Date(guess - offset);
}

const TEXT_FILTER = /^[\w.:-]{1,100}$/;

export function auditRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const allowed = requireAdminPermission(deps, 'audit.read');
  const timeZone = deps.timeZone;

  app.get('/console/admin/audit', guard, allowed, async (c: ConsoleContext) => {
    const t = tOf(deps, c);
    const actor = c.get('session').actor;
    const q = (name: string) => (c.req.query(name) ?? '').trim();

    // Anything malformed is ignored (shown as an unset filter) rather than failing the page.
    const action = TEXT_FILTER.test(q('action')) ? q('action') : '';
    const entity = TEXT_FILTER.test(q('entity')) ? q('entity') : '';
    const staffId = parseId(q('staff'));
    const fromDay = startOfDayIn(q('from'), timeZone) ? q('from') : '';
    const toDay = startOfDayIn(q('to'), timeZone) ? q('to') : '';
    const before = parseId(q('before'));

    const filter: AuditFilter = { limit: AUDIT_PAGE_SIZE };
    if (action) filter.action = action;
    if (entity) filter.entity = entity;
    if (staffId !== null) filter.staffId = staffId;
    if (fromDay) filter.from = startOfDayIn(fromDay, timeZone)!;
    // The "to" day is included whole: up to the start of the next day.
    if (toDay) filter.to = new Date(startOfDayIn(toDay, timeZone)!.getTime() + 86_400_000);
    if (before !== null) filter.before = before;

    const [rows, actions, staff] = await Promise.all([
      listAudit(db, actor, filter),
      auditActions(db, actor),
      can(actor, 'users.manage') ? listStaffUsers(db, actor) : Promise.resolve([]),
    ]);

    return adminPage(deps, c, {
      title: t('admin:audit.title'),
      here: '/console/admin/audit',
      children: <AuditPage t={t} locale={c.get('locale')} timeZone={timeZone} query={{ action, entity, staffId, fromDay, toDay, before }} rows={rows} actions={actions} staff={staff} />,
    });
  });

  return app;
}
