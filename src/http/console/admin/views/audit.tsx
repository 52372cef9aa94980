import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AuditListRow } from '../../../../services/audit.ts';

// The audit log page: the filters as they were read, the rows newest first, and the links to the newest
// and the older page.

export const AUDIT_PAGE_SIZE = 50;

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

/** The filters as the address carries them ('' or null when unset). */
export interface AuditQuery {
  action: string;
  entity: string;
  staffId: number | null;
  fromDay: string;
  toDay: string;
  before: number | null;
}

export interface AuditPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  query: AuditQuery;
  rows: AuditListRow[];
  /** The actions the log holds, for the select. */
  actions: string[];
  /** The staff to pick from, for whoever may list them; otherwise the field takes an id. */
  staff: { id: number; name: string }[];
}

export function AuditPage({ t, locale, timeZone, query, rows, actions, staff }: AuditPageProps) {
  const { action, entity, staffId, fromDay, toDay, before } = query;
  const link = (over: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    const all = { action, entity, staff: staffId === null ? '' : String(staffId), from: fromDay, to: toDay, ...over };
    for (const [k, v] of Object.entries(all)) if (v) params.set(k, v);
    const s = params.toString();
    return `/console/admin/audit${s ? `?${s}` : ''}`;
  };
  const last = rows.at(-1);
  return (
    <>
      <p class="meta">{t('admin:audit.intro', { zone: timeZone })}</p>
      <AuditFilters t={t} query={query} actions={actions} staff={staff} />
      {rows.length === 0 ? (
        <p data-testid="empty">{t('admin:audit.empty')}</p>
      ) : (
        // On a phone the table scrolls sideways inside its own box (style-phone.ts): a keyboard reaches it by Tab.
        <table data-testid="audit" tabindex={0}>
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
  );
}

function AuditFilters({ t, query, actions, staff }: { t: TFunction; query: AuditQuery; actions: string[]; staff: { id: number; name: string }[] }) {
  const { action, entity, staffId, fromDay, toDay } = query;
  return (
    <form class="filters" method="get" action="/console/admin/audit">
      <div>
        <label for="a-action">{t('admin:audit.action')}</label>
        <select id="a-action" name="action">
          <option value="">{t('admin:audit.actionAny')}</option>
          {/* A filter carried by a link for an action the log no longer holds stays visible and selected. */}
          {(action && !actions.includes(action) ? [action, ...actions] : actions).map((a) => (
            <option value={a} selected={a === action}>
              {a}
            </option>
          ))}
        </select>
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
  );
}
