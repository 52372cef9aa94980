import { Hono } from 'hono';
import { CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import { complaintsCsv } from '../../../services/complaints/export.ts';
import { inboxVersion, listComplaints, QUEUES, type ListQuery } from '../../../services/complaints/list.ts';
import { EXPORT_FORMATS } from '../../../services/exports/file.ts';
import { workCounts } from '../../../services/inbox/counts.ts';
import { officersInScope } from '../../../services/staff/officers.ts';
import type { AppDeps } from '../../context.ts';
import { complaintExportLabels } from '../../export-labels.ts';
import { workEvents } from '../inbox/routes.tsx';
import { exportResponse } from '../shell/file-response.ts';
import { homeFor } from '../shell/home.ts';
import { liveStream } from '../shell/live.ts';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { InboxPage } from './views/inbox.tsx';
import { SLAS, type InboxFilters } from './views/inbox-filters.tsx';

// The inbox: Mine / Waiting for me / Unassigned / All in scope, with filters. Scope is the service's business:
// whatever the query string says, listComplaints only returns what the signed-in person may see.

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return value !== undefined && (list as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The inbox's filters from the address, as the list and its CSV both read them; anything malformed is ignored. */
export function readFilters(c: ConsoleContext): { view: InboxFilters; filters: Omit<ListQuery, 'limit' | 'offset'> } {
  const queue = oneOf(QUEUES, c.req.query('queue')) ?? 'all';
  const status = oneOf(COMPLAINT_STATUSES, c.req.query('status'));
  const category = oneOf(COMPLAINT_CATEGORIES, c.req.query('category'));
  const sla = oneOf(SLAS, c.req.query('sla'));
  const channel = oneOf(CHANNELS, c.req.query('channel'));
  const kecamatanParam = c.req.query('kecamatan');
  const kecamatanId = kecamatanParam && /^\d{1,9}$/.test(kecamatanParam) ? Number(kecamatanParam) : undefined;
  const officerParam = c.req.query('officer');
  const officer = officerParam === 'none' ? 'none' : officerParam && /^\d{1,9}$/.test(officerParam) ? Number(officerParam) : undefined;
  const from = DAY.test(c.req.query('from') ?? '') ? c.req.query('from') : undefined;
  const to = DAY.test(c.req.query('to') ?? '') ? c.req.query('to') : undefined;
  const search = (c.req.query('q') ?? '').slice(0, 200);
  const filters: Omit<ListQuery, 'limit' | 'offset'> = { queue };
  if (status) filters.status = status;
  if (category) filters.category = category;
  if (sla) filters.sla = sla;
  if (channel) filters.channel = channel;
  if (kecamatanId !== undefined) filters.kecamatanId = kecamatanId;
  if (officer !== undefined) filters.officer = officer;
  if (from) filters.from = from;
  if (to) filters.to = to;
  if (search.trim()) filters.search = search;
  const view: InboxFilters = { queue, status, category, sla, kecamatanId, officer: officer === undefined ? undefined : String(officer), channel, from, to, search };
  return { view, filters };
}

export function inboxRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);

  app.get('/console', guard, (c) => c.redirect(homeFor(c.get('session').actor), 303));

  // Registered before /console/complaints/:id's siblings can match "events" as an id.
  app.get('/console/complaints/events', guard, (c) => {
    const actor = c.get('session').actor;
    return liveStream(c, () => inboxVersion(db, actor), { pollMs: 1000, also: workEvents(deps, actor) });
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/console/complaints.${format}`, guard, async (c) => {
      const labels = complaintExportLabels(deps.i18n.getFixedT(c.get('locale')));
      const out = await complaintsCsv(db, c.get('session').actor, readFilters(c).filters, { labels, timeZone: deps.timeZone, now: deps.clock() });
      return exportResponse(c, out, format, 'pengaduan');
    });
  }

  app.get('/console/complaints', guard, async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    const actor = session.actor;
    const { view, filters } = readFilters(c);
    const pageParam = c.req.query('page');
    const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Math.max(1, Number(pageParam)) : 1;
    const now = deps.clock();
    const query: ListQuery = { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now, timeZone: deps.timeZone };
    const { rows, total } = await listComplaints(db, actor, query);
    const counts = await workCounts(db, actor);
    const officers = await officersInScope(db, actor);

    // Area names are public reference data (the city's own map), not personal data.
    const areas = await kecamatanByName(db);
    const areaName = new Map(areas.map((a) => [a.id, a.name]));
    const visibleAreas = actor.kecamatanId === null ? areas : areas.filter((a) => a.id === actor.kecamatanId);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const done = c.req.query('bulk_done');
    const refused = c.req.query('bulk_refused');
    const bulkDone = done && /^\d{1,4}$/.test(done) ? { done: Number(done), refused: refused && /^\d{1,4}$/.test(refused) ? Number(refused) : 0 } : undefined;

    return c.html(
      <InboxPage
        t={t}
        locale={c.get('locale')}
        session={session}
        filters={view}
        rows={rows}
        total={total}
        page={page}
        pages={pages}
        areaName={areaName}
        visibleAreas={visibleAreas}
        officers={officers}
        counts={counts}
        now={now}
        bulk={can(actor, 'complaints.assign')}
        {...(bulkDone ? { bulkDone } : {})}
      />,
    );
  });

  return app;
}
