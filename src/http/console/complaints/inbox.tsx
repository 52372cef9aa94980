import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../../domain/vocabulary.ts';
import { inboxVersion, listComplaints, type ComplaintListRow, type ListQuery } from '../../../services/complaints/queries.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { formatDuration, Shell } from '../shell/layout.tsx';
import { homeFor } from '../shell/home.ts';
import { liveStream } from '../shell/live.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { complaintsCsv } from '../../../services/complaints/export.ts';
import { complaintExportLabels } from '../../export-labels.ts';

// The inbox: Mine / Unassigned / All in scope, with filters. Scope is the service's business: whatever the
// query string says, listComplaints only returns what the signed-in person may see.

const QUEUES = ['mine', 'unassigned', 'all'] as const;
const SLAS = ['due_today', 'late'] as const;
const PAGE_SIZE = 50;

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return value !== undefined && (list as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function SlaCell({ t, sla }: { t: TFunction; sla: ComplaintListRow['sla'] }) {
  if (!sla) return <span>—</span>;
  return sla.late ? (
    <span class="late">{t('console:sla.late', { time: formatDuration(t, sla.msLeft) })}</span>
  ) : (
    <span>{t('console:sla.left', { time: formatDuration(t, sla.msLeft) })}</span>
  );
}

/** The inbox's filters from the address, as the list and its CSV both read them. */
function readFilters(c: ConsoleContext) {
  const queue = oneOf(QUEUES, c.req.query('queue')) ?? 'all';
  const status = oneOf(COMPLAINT_STATUSES, c.req.query('status'));
  const category = oneOf(COMPLAINT_CATEGORIES, c.req.query('category'));
  const sla = oneOf(SLAS, c.req.query('sla'));
  const kecamatanParam = c.req.query('kecamatan');
  const kecamatanId = kecamatanParam && /^\d{1,9}$/.test(kecamatanParam) ? Number(kecamatanParam) : undefined;
  const search = (c.req.query('q') ?? '').slice(0, 200);
  const filters: Omit<ListQuery, 'limit' | 'offset'> = { queue };
  if (status) filters.status = status;
  if (category) filters.category = category;
  if (sla) filters.sla = sla;
  if (kecamatanId !== undefined) filters.kecamatanId = kecamatanId;
  if (search.trim()) filters.search = search;
  return { queue, status, category, sla, kecamatanId, search, filters };
}

export function inboxRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  app.get('/console', guard, (c) => c.redirect(homeFor(c.get('session').actor), 303));

  // Registered before /console/complaints/:id's siblings can match "events" as an id.
  app.get('/console/complaints/events', guard, (c) => {
    const actor = c.get('session').actor;
    return liveStream(c, () => inboxVersion(db, actor), { pollMs: 1000 });
  });

  app.get('/console/complaints.csv', guard, async (c) => {
    const labels = complaintExportLabels(deps.i18n.getFixedT(c.get('locale')));
    const out = await complaintsCsv(db, c.get('session').actor, readFilters(c).filters, { labels, timeZone: deps.timeZone, now: deps.clock() });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="pengaduan.csv"');
    c.header('Cache-Control', 'no-store');
    return c.body(out.csv);
  });

  app.get('/console/complaints', guard, async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    const { queue, status, category, sla, kecamatanId, search, filters } = readFilters(c);
    const pageParam = c.req.query('page');
    const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Math.max(1, Number(pageParam)) : 1;
    const query: ListQuery = { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: deps.clock(), timeZone: deps.timeZone };
    const { rows, total } = await listComplaints(db, session.actor, query);

    // Area names are public reference data (the city's own map), not personal data.
    const areas = await kecamatanByName(db);
    const areaName = new Map(areas.map((a) => [a.id, a.name]));
    const visibleAreas = session.actor.kecamatanId === null ? areas : areas.filter((a) => a.id === session.actor.kecamatanId);

    const link = (over: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      const all = { queue, status, category, sla, kecamatan: kecamatanId === undefined ? undefined : String(kecamatanId), q: search || undefined, ...over };
      for (const [k, v] of Object.entries(all)) if (v) p.set(k, v);
      return `/console/complaints?${p.toString()}`;
    };
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('console:inbox.title')} session={session} live>
        <h1>{t('console:inbox.title')}</h1>
        <nav class="tabs" aria-label={t('console:inbox.queues')}>
          {QUEUES.map((q) => (
            <a href={link({ queue: q, page: undefined })} aria-current={q === queue ? 'page' : undefined}>
              {t(`console:inbox.queue.${q}`)}
            </a>
          ))}
        </nav>
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
        {/* New and changed complaints appear by themselves: the stream signals, htmx refetches this same
            address and keeps only this part (the filters above are left as the officer set them). */}
        <div hx-ext="sse" sse-connect="/console/complaints/events">
          <div id="inbox-list" hx-get={link({ page: page > 1 ? String(page) : undefined })} hx-trigger="sse:changed" hx-select="#inbox-list" hx-swap="outerHTML">
            <p class="meta" role="status">
              {t('console:inbox.count', { total })} · <a href={link({ page: undefined }).replace('/console/complaints?', '/console/complaints.csv?')}>{t('console:export.csv')}</a>
            </p>
            {rows.length === 0 ? (
              <p class="card">{t('console:inbox.empty')}</p>
            ) : (
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
            )}
            {pages > 1 ? (
              <nav class="tabs" aria-label={t('console:inbox.pages')}>
                {page > 1 ? <a href={link({ page: String(page - 1) })}>{t('console:inbox.previous')}</a> : null}
                <span>{t('console:inbox.pageOf', { page, pages })}</span>
                {page < pages ? <a href={link({ page: String(page + 1) })}>{t('console:inbox.next')}</a> : null}
              </nav>
            ) : null}
          </div>
        </div>
      </Shell>,
    );
  });

  return app;
}
