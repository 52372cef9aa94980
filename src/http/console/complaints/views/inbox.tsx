import type { TFunction } from 'i18next';
import { COMPLAINT_CLOSE_REASONS, type Locale } from '../../../../domain/vocabulary.ts';
import type { ComplaintListRow } from '../../../../services/complaints/list.ts';
import type { WorkCounts } from '../../../../services/inbox/counts.ts';
import type { Officer } from '../../../../services/staff/officers.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { WorkTabs } from '../../inbox/views/tabs.tsx';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { InboxFilterForm, linkOf, type InboxFilters } from './inbox-filters.tsx';
import { InboxTable } from './inbox-table.tsx';

// The inbox page, from what its route loaded: the tabs with their counts, the filters as the officer set them,
// the list that refreshes itself, and the bulk form for those who may assign.

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
  officers: Officer[];
  counts: WorkCounts;
  now: Date;
  /** The person may act on many complaints at once (assign, close as duplicate or spam). */
  bulk: boolean;
  /** What the last bulk action did, when the page follows one. */
  bulkDone?: { done: number; refused: number };
}

export function InboxPage(p: InboxPageProps) {
  const { t, locale, session, filters, rows, total, page, pages } = p;
  const link = linkOf(filters);
  return (
    <Shell t={t} locale={locale} title={t('console:inbox.title')} session={session} here="/console/complaints" stream="/console/complaints/events">
      <h1>{t('console:inbox.title')}</h1>
      {p.bulkDone ? (
        <p class="notice" role="status">
          {t('console:inbox.bulk.result', { done: p.bulkDone.done, refused: p.bulkDone.refused })}
        </p>
      ) : null}
      <div id="inbox-tabs">
        <WorkTabs t={t} counts={p.counts} current={filters.queue} href={(tab) => link({ queue: tab, page: undefined })} />
      </div>
      <InboxFilterForm t={t} filters={filters} visibleAreas={p.visibleAreas} officers={p.officers} />
      {p.bulk ? <BulkForm t={t} session={session} officers={p.officers} /> : null}
      {/* New and changed complaints appear by themselves: the stream signals, htmx refetches this same
          address and keeps only this part (the filters above are left as the officer set them). */}
      <div id="inbox-list" hx-get={link({ page: page > 1 ? String(page) : undefined })} hx-trigger="sse:changed, sse:work" hx-select="#inbox-list" hx-select-oob="#inbox-tabs" hx-swap="outerHTML">
        <p class="meta" role="status">
          {t('console:inbox.count', { total })} · <a href={linkOf(filters, '/console/complaints.csv')({})}>{t('console:export.csv')}</a> ·{' '}
          <a href={linkOf(filters, '/console/complaints.xlsx')({})}>{t('console:export.xlsx')}</a>
        </p>
        {rows.length === 0 ? <p class="card">{t('console:inbox.empty')}</p> : <InboxTable t={t} rows={rows} areaName={p.areaName} now={p.now} bulk={p.bulk} />}
        {pages > 1 ? (
          <nav class="tabs" aria-label={t('console:inbox.pages')}>
            {page > 1 ? <a href={link({ page: String(page - 1) })}>{t('console:inbox.previous')}</a> : null}
            <span>{t('console:inbox.pageOf', { page, pages })}</span>
            {page < pages ? <a href={link({ page: String(page + 1) })}>{t('console:inbox.next')}</a> : null}
          </nav>
        ) : null}
      </div>
    </Shell>
  );
}

/** Assign or close many at once; the next page states the count and asks before anything changes. */
function BulkForm({ t, session, officers }: { t: TFunction; session: Session; officers: Officer[] }) {
  return (
    <form id="bulk" class="bulk" method="post" action="/console/complaints/bulk" aria-label={t('console:inbox.bulk.label')}>
      <Csrf session={session} />
      <div>
        <label for="bulk-op">{t('console:inbox.bulk.op')}</label>
        <select id="bulk-op" name="op">
          <option value="assign">{t('console:inbox.bulk.assign')}</option>
          {COMPLAINT_CLOSE_REASONS.map((r) => (
            <option value={r}>{t(`console:inbox.bulk.close.${r}`)}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="bulk-officer">{t('console:inbox.bulk.officer')}</label>
        <select id="bulk-officer" name="officer">
          {officers.map((o) => (
            <option value={String(o.id)}>{o.name}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="bulk-note">{t('console:inbox.bulk.note')}</label>
        <input id="bulk-note" name="note" maxlength={500} />
      </div>
      <button type="submit" class="secondary">
        {t('console:inbox.bulk.next')}
      </button>
    </form>
  );
}
