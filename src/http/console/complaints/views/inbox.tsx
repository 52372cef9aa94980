import type { TFunction } from 'i18next';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import type { ComplaintListRow } from '../../../../services/complaints/queries.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { formatDuration, Shell } from '../../shell/layout.tsx';

// The inbox page, from what its route loaded: the queue tabs, the filters as the officer set them, and the
// list that refreshes itself.

export const QUEUES = ['mine', 'unassigned', 'all'] as const;
export const SLAS = ['due_today', 'late'] as const;

export function SlaCell({ t, sla }: { t: TFunction; sla: ComplaintListRow['sla'] }) {
  if (!sla) return <span>—</span>;
  return sla.late ? (
    <span class="late">{t('console:sla.late', { time: formatDuration(t, sla.msLeft) })}</span>
  ) : (
    <span>{t('console:sla.left', { time: formatDuration(t, sla.msLeft) })}</span>
  );
}

/** The filters as the address carries them. */
export interface InboxFilters {
  queue: (typeof QUEUES)[number];
  status: string | undefined;
  category: string | undefined;
  sla: string | undefined;
  kecamatanId: number | undefined;
  search: string;
}

type Link = (over: Record<string, string | undefined>) => string;

/** The inbox's address with some of its filters changed. */
function linkOf(f: InboxFilters): Link {
  return (over) => {
    const p = new URLSearchParams();
    const all = { queue: f.queue, status: f.status, category: f.category, sla: f.sla, kecamatan: f.kecamatanId === undefined ? undefined : String(f.kecamatanId), q: f.search || undefined, ...over };
    for (const [k, v] of Object.entries(all)) if (v) p.set(k, v);
    return `/console/complaints?${p.toString()}`;
  };
}

export interface InboxPageProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  filters: InboxFilters;
  rows: ComplaintListRow[];
  total: number;
  page: number;
  pages: number;
  areaName: Map<number, string>;
  /** The kecamatan the filter offers: all of them, or the person's own. */
  visibleAreas: { id: number; name: string }[];
}

export function InboxPage({ t, locale, session, filters, rows, total, page, pages, areaName, visibleAreas }: InboxPageProps) {
  const { queue } = filters;
  const link = linkOf(filters);
  return (
    <Shell t={t} locale={locale} title={t('console:inbox.title')} session={session} live>
      <h1>{t('console:inbox.title')}</h1>
      <nav class="tabs" aria-label={t('console:inbox.queues')}>
        {QUEUES.map((q) => (
          <a href={link({ queue: q, page: undefined })} aria-current={q === queue ? 'page' : undefined}>
            {t(`console:inbox.queue.${q}`)}
          </a>
        ))}
      </nav>
      <InboxFilterForm t={t} filters={filters} visibleAreas={visibleAreas} />
      {/* New and changed complaints appear by themselves: the stream signals, htmx refetches this same
          address and keeps only this part (the filters above are left as the officer set them). */}
      <div hx-ext="sse" sse-connect="/console/complaints/events">
        <div id="inbox-list" hx-get={link({ page: page > 1 ? String(page) : undefined })} hx-trigger="sse:changed" hx-select="#inbox-list" hx-swap="outerHTML">
          <p class="meta" role="status">
            {t('console:inbox.count', { total })} · <a href={link({ page: undefined }).replace('/console/complaints?', '/console/complaints.csv?')}>{t('console:export.csv')}</a> ·{' '}
            <a href={link({ page: undefined }).replace('/console/complaints?', '/console/complaints.xlsx?')}>{t('console:export.xlsx')}</a>
          </p>
          {rows.length === 0 ? <p class="card">{t('console:inbox.empty')}</p> : <InboxTable t={t} rows={rows} areaName={areaName} />}
          {pages > 1 ? (
            <nav class="tabs" aria-label={t('console:inbox.pages')}>
              {page > 1 ? <a href={link({ page: String(page - 1) })}>{t('console:inbox.previous')}</a> : null}
              <span>{t('console:inbox.pageOf', { page, pages })}</span>
              {page < pages ? <a href={link({ page: String(page + 1) })}>{t('console:inbox.next')}</a> : null}
            </nav>
          ) : null}
        </div>
      </div>
    </Shell>
  );
}

function InboxFilterForm({ t, filters, visibleAreas }: { t: TFunction; filters: InboxFilters; visibleAreas: { id: number; name: string }[] }) {
  const { queue, status, category, sla, kecamatanId, search } = filters;
  return (
    <form class="filters" method="get" action="/console/complaints" role="search">
      <input type="hidden" name="queue" value={queue} />
      <div>
        <label for="f-status">{t('console:inbox.filters.status')}</label>
        <select id="f-status" name="status">
          <option value="">{t('console:inbox.filters.any')}</option>
          {COMPLAINT_STATUSES.map((s) => (
            <option value={s} selected={s === status}>
              {t(`console:status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-category">{t('console:inbox.filters.category')}</label>
        <select id="f-category" name="category">
          <option value="">{t('console:inbox.filters.any')}</option>
          {COMPLAINT_CATEGORIES.map((s) => (
            <option value={s} selected={s === category}>
              {t(`console:category.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-kecamatan">{t('console:inbox.filters.kecamatan')}</label>
        <select id="f-kecamatan" name="kecamatan">
          <option value="">{t('console:inbox.filters.any')}</option>
          {visibleAreas.map((a) => (
            <option value={String(a.id)} selected={a.id === kecamatanId}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-sla">{t('console:inbox.filters.sla')}</label>
        <select id="f-sla" name="sla">
          <option value="">{t('console:inbox.filters.any')}</option>
          {SLAS.map((s) => (
            <option value={s} selected={s === sla}>
              {t(`console:inbox.sla.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-q">{t('console:inbox.filters.search')}</label>
        <input id="f-q" name="q" type="search" maxlength={200} value={search} placeholder={t('console:inbox.filters.searchHint')} />
      </div>
      <button type="submit">{t('console:inbox.filters.apply')}</button>
    </form>
  );
}

function InboxTable({ t, rows, areaName }: { t: TFunction; rows: ComplaintListRow[]; areaName: Map<number, string> }) {
  return (
    <table>
      <thead>
        <tr>
          <th>{t('console:complaint.trackingId')}</th>
          <th>{t('console:complaint.category')}</th>
          <th>{t('console:complaint.status')}</th>
          <th>{t('console:complaint.kecamatan')}</th>
          <th>{t('console:complaint.sla')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <a href={`/console/complaints/${r.id}`}>{r.trackingId}</a>
            </td>
            <td>{t(`console:category.${r.category}`)}</td>
            <td>{t(`console:status.${r.status}`)}</td>
            <td>{r.kecamatanId === null ? '—' : (areaName.get(r.kecamatanId) ?? '—')}</td>
            <td>
              <SlaCell t={t} sla={r.sla} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
