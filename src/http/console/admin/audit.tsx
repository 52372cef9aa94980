import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import { isRealDate, zonedParts } from '../../../domain/dates.ts';
import { can } from '../../../services/access.ts';
import { listAudit, type AuditFilter, type AuditListRow } from '../../../services/audit.ts';
import { listStaffUsers } from '../../../services/staff/users.ts';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { adminPage, parseId, requireAdminPermission, tOf } from './shared.tsx';

// The audit log, newest first, filtered by action, entity, staff member and a date range read in the
// office's time zone; "older" pages by the id of the last row shown (a cursor: new rows never shift a page).
// Details were scrubbed when written, so they are shown as they are.

export const AUDIT_PAGE_SIZE = 50;
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

function formatInZone(d: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

function who(t: TFunction, r: AuditListRow): string {
  switch (r.actorKind) {
    case 'staff':
      return r.staffName !== null ? `${r.staffName} (#${r.staffId})` : t('admin:audit.who.staff', { id: r.staffId ?? '?' });
    case 'api':
      return t('admin:audit.who.api', { name: r.apiTokenName ?? `#${r.apiTokenId ?? '?'}` });
    case 'resident':
      return t('admin:audit.who.resident', { id: r.contactId ?? '?' });
    default:
      return t('admin:audit.who.system');
  }
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
    const locale = c.get('locale');
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

    const [rows, staff] = await Promise.all([listAudit(db, actor, filter), can(actor, 'users.manage') ? listStaffUsers(db, actor) : Promise.resolve([])]);

    const link = (over: Record<string, string | undefined>) => {
      const params = new URLSearchParams();
      const all = { action, entity, staff: staffId === null ? '' : String(staffId), from: fromDay, to: toDay, ...over };
      for (const [k, v] of Object.entries(all)) if (v) params.set(k, v);
      const s = params.toString();
      return `/console/admin/audit${s ? `?${s}` : ''}`;
    };
    const last = rows.at(-1);

    return adminPage(deps, c, {
      title: t('admin:audit.title'),
      here: '/console/admin/audit',
      children: (
        <>
          <p class="meta">{t('admin:audit.intro', { zone: timeZone })}</p>
          <form class="filters" method="get" action="/console/admin/audit">
            <div>
              <label for="a-action">{t('admin:audit.action')}</label>
              <input id="a-action" name="action" value={action} placeholder="staff.update" maxlength={100} />
            </div>
            <div>
              <label for="a-entity">{t('admin:audit.entity')}</label>
              <input id="a-entity" name="entity" value={entity} placeholder="staff_user" maxlength={100} />
            </div>
            <div>
              <label for="a-staff">{t('admin:audit.staff')}</label>
              {staff.length > 0 ? (
                <select id="a-staff" name="staff">
                  <option value="">{t('admin:audit.anyone')}</option>
                  {staff.map((s) => (
                    <option value={String(s.id)} selected={s.id === staffId}>
                      {s.name}
                    </option>
                  ))}
                </select>
              ) : (
                <input id="a-staff" name="staff" inputmode="numeric" value={staffId === null ? '' : String(staffId)} />
              )}
            </div>
            <div>
              <label for="a-from">{t('admin:audit.from')}</label>
              <input id="a-from" name="from" type="date" value={fromDay} />
            </div>
            <div>
              <label for="a-to">{t('admin:audit.to')}</label>
              <input id="a-to" name="to" type="date" value={toDay} />
            </div>
            <button type="submit">{t('admin:audit.apply')}</button>
          </form>
          {rows.length === 0 ? (
            <p data-testid="empty">{t('admin:audit.empty')}</p>
          ) : (
            <table data-testid="audit">
              <thead>
                <tr>
                  <th>{t('admin:audit.when')}</th>
                  <th>{t('admin:audit.who.title')}</th>
                  <th>{t('admin:audit.action')}</th>
                  <th>{t('admin:audit.entity')}</th>
                  <th>{t('admin:audit.ip')}</th>
                  <th>{t('admin:audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr data-audit-id={String(r.id)}>
                    <td>{formatInZone(r.createdAt, locale, timeZone)}</td>
                    <td>{who(t, r)}</td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td>
                      <code>{r.entity}</code>
                      {r.entityId !== null ? ` #${r.entityId}` : ''}
                    </td>
                    <td>{r.ip ?? '—'}</td>
                    <td class="text">{r.details ? <code>{JSON.stringify(r.details)}</code> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="actions">
            {before !== null ? <a href={link({})}>{t('admin:audit.newest')}</a> : null}
            {rows.length === AUDIT_PAGE_SIZE && last ? (
              <a href={link({ before: String(last.id) })} rel="next">
                {t('admin:audit.older')}
              </a>
            ) : null}
          </p>
        </>
      ),
    });
  });

  return app;
}
