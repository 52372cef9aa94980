import { Hono } from 'hono';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import { listAttachments, readAttachment } from '../../../services/complaints/attachments.ts';
import { complaintsCsv } from '../../../services/complaints/export.ts';
import { EXPORT_FORMATS } from '../../../services/exports/file.ts';
import {
  addNote,
  assignComplaint,
  closeComplaint,
  replyToResident,
  startWork,
  verifyComplaint,
  type Refusal,
  type Result,
} from '../../../services/complaints/lifecycle.ts';
import {
  complaintConversation,
  complaintVersion,
  getComplaint,
  inboxVersion,
  laporExport,
  listComplaints,
  revealReporter,
  type ListQuery,
} from '../../../services/complaints/queries.ts';
import { cannedFor } from '../../../services/staff/canned-responses.ts';
import { staffNames } from '../../../services/staff/users.ts';
import type { AppDeps } from '../../context.ts';
import { emptyNotFound, errorAnswers } from '../../errors.ts';
import { complaintExportLabels } from '../../export-labels.ts';
import { exportResponse, fileResponse } from '../shell/file-response.ts';
import { homeFor } from '../shell/home.ts';
import { liveStream } from '../shell/live.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ComplaintNotFound, ComplaintPage, DONE, REPLYABLE, type Done, type ShowOptions } from './views/complaint.tsx';
import { InboxPage, QUEUES, SLAS } from './views/inbox.tsx';
import { ComplaintLive } from './views/live.tsx';

// The inbox: Mine / Unassigned / All in scope, with filters. Scope is the service's business: whatever the
// query string says, listComplaints only returns what the signed-in person may see.

const PAGE_SIZE = 50;

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return value !== undefined && (list as readonly string[]).includes(value) ? (value as T) : undefined;
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
    const { queue, status, category, sla, kecamatanId, search, filters } = readFilters(c);
    const pageParam = c.req.query('page');
    const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Math.max(1, Number(pageParam)) : 1;
    const query: ListQuery = { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: deps.clock(), timeZone: deps.timeZone };
    const { rows, total } = await listComplaints(db, session.actor, query);

    // Area names are public reference data (the city's own map), not personal data.
    const areas = await kecamatanByName(db);
    const areaName = new Map(areas.map((a) => [a.id, a.name]));
    const visibleAreas = session.actor.kecamatanId === null ? areas : areas.filter((a) => a.id === session.actor.kecamatanId);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

    return c.html(
      <InboxPage
        t={t}
        locale={c.get('locale')}
        session={session}
        filters={{ queue, status, category, sla, kecamatanId, search }}
        rows={rows}
        total={total}
        page={page}
        pages={pages}
        areaName={areaName}
        visibleAreas={visibleAreas}
      />,
    );
  });

  return app;
}

// One complaint: its facts, the whole history (messages both ways, notes, status changes) and the forms to
// work it. Every action goes through the lifecycle services, which check scope and status; a complaint the
// person may not see is answered exactly like one that does not exist.

const REFUSALS: readonly Refusal[] = ['not_found', 'forbidden', 'invalid_status', 'invalid_input', 'outside_24h_window', 'no_channel', 'unreachable', 'already_rated', 'unknown_variable'];

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** The complaint page and its live part, loaded and rendered; a complaint not found answers the 404 page. */
function complaintPages(deps: AppDeps) {
  const db = deps.database.db;

  const notFound = (c: ConsoleContext) => c.html(<ComplaintNotFound t={deps.i18n.getFixedT(c.get('locale'))} locale={c.get('locale')} session={c.get('session')} />, 404);

  // Staff names for the history; the live part and the page share this.
  const loadLive = async (c: ConsoleContext, id: number) => {
    const actor = c.get('session').actor;
    const view = await getComplaint(db, actor, id, { now: deps.clock() });
    if (!view) return null;
    const conversation = (await complaintConversation(db, actor, id)) ?? { hidden: true as const };
    const attachments = (await listAttachments(db, actor, id)) ?? [];
    const staffIds = [
      ...new Set([view.assigneeId, ...view.events.map((e) => e.staffId), ...(conversation.hidden ? [] : conversation.messages.map((m) => m.staffId))].filter((x): x is number => x !== null)),
    ];
    const names = await staffNames(db, staffIds);
    const t = deps.i18n.getFixedT(c.get('locale'));
    const staffName = (sid: number | null) => (sid === null ? t('console:events.system') : (names.get(sid) ?? `#${sid}`));
    return { view, conversation, staffName, attachments };
  };

  const show = async (c: ConsoleContext, id: number, opts: ShowOptions = {}) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    const loaded = await loadLive(c, id);
    if (!loaded) return notFound(c);
    const { view: v } = loaded;
    const works = can(actor, 'complaints.work');
    const status = opts.error ? (opts.error === 'not_found' ? 404 : 422) : 200;
    const residentLanguage = v.language ?? deps.defaultLocale;
    const canned = works && REPLYABLE.includes(v.status) ? await cannedFor(db, actor, residentLanguage) : [];
    const mayReveal = v.anonymous ? can(actor, 'identity.reveal') : works;

    return c.html(
      <ComplaintPage t={t} locale={locale} timeZone={deps.timeZone} session={session} live={loaded} works={works} mayReveal={mayReveal} canned={canned} opts={opts} />,
      status,
    );
  };

  return { notFound, loadLive, show };
}

export function complaintRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const { notFound, loadLive, show } = complaintPages(deps);

  // A complaint the person may not see is one that does not exist (errors.ts answers the services' Forbidden).
  app.use('/console/complaints/:id/*', errorAnswers({ forbidden: notFound }));

  // The fragment the page swaps in when its stream says something changed (htmx GET, same guard and scope).
  app.get('/console/complaints/:id/live', guard, errorAnswers(emptyNotFound), async (c) => {
    const id = parseId(c.req.param('id'));
    const loaded = id === null ? null : await loadLive(c, id);
    if (!loaded) return c.text('', 404);
    const t = deps.i18n.getFixedT(c.get('locale'));
    return c.html(<ComplaintLive t={t} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} {...loaded} />);
  });

  app.get('/console/complaints/:id/events', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.text('', 404);
    const actor = c.get('session').actor;
    return liveStream(c, () => complaintVersion(db, actor, id));
  });

  app.get('/console/complaints/:id/lapor.json', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    const out = id === null ? null : await laporExport(db, c.get('session').actor, id);
    if (!out) return notFound(c);
    c.header('Content-Disposition', `attachment; filename="lapor-${out.trackingId}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(out);
  });

  // One file of the complaint, streamed from the database. The service checks the complaint's scope and
  // audits the read; anything the officer may not see, or that is not stored, is a plain 404. The headers
  // keep a file from ever acting as a page: its checked type, no sniffing, nothing it could load or run.
  app.get('/console/complaints/:id/attachments/:attachmentId', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    const attachmentId = parseId(c.req.param('attachmentId'));
    const file = id === null || attachmentId === null ? null : await readAttachment(db, c.get('session').actor, id, attachmentId);
    if (!file) return notFound(c);
    return fileResponse(c, file, 'lampiran');
  });

  app.post('/console/complaints/:id/reveal', guard, csrf, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(c);
    const result = await revealReporter(db, c.get('session').actor, id);
    if (!result.ok) return result.reason === 'not_found' ? notFound(c) : show(c, id, { error: result.reason });
    c.header('Cache-Control', 'no-store');
    return show(c, id, { revealed: result.reporter });
  });

  app.get('/console/complaints/:id', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(c);
    const done = DONE.find((d) => d === c.req.query('done'));
    const cannedId = parseId(c.req.query('canned') ?? '');
    return show(c, id, { ...(done ? { done } : {}), ...(cannedId !== null ? { cannedId } : {}) });
  });

  // Post, then redirect to the page (so a reload does not post again); a refusal is shown on the page at once,
  // with what was typed kept in the form.
  const action = (name: Done, run: (c: ConsoleContext, id: number) => Promise<{ result: Result; draft?: string; note?: string }>) =>
    app.post(`/console/complaints/:id/${name}`, guard, csrf, async (c) => {
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(c);
      const outcome = await run(c, id);
      const { result } = outcome;
      if (result.ok) return c.redirect(`/console/complaints/${id}?done=${name}`, 303);
      if (result.reason === 'not_found') return notFound(c);
      const error = REFUSALS.includes(result.reason) ? result.reason : 'invalid_input';
      return show(c, id, { error, ...(outcome.draft !== undefined ? { draft: outcome.draft } : {}), ...(outcome.note !== undefined ? { note: outcome.note } : {}) });
    });

  const actor = (c: ConsoleContext) => c.get('session').actor;
  const when = () => ({ now: deps.clock(), timeZone: deps.timeZone });
  action('reply', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 10_000);
    return { result: await replyToResident(db, actor(c), id, { text, ...when() }), draft: text };
  });
  action('note', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 20_000);
    return { result: await addNote(db, actor(c), id, { text, now: deps.clock() }), note: text };
  });
  action('verify', async (c, id) => ({ result: await verifyComplaint(db, actor(c), id, when()) }));
  action('assign', async (c, id) => {
    const a = actor(c);
    if (a.kind !== 'staff') return { result: { ok: false, reason: 'forbidden' } };
    return { result: await assignComplaint(db, a, id, a.id, when()) };
  });
  action('start', async (c, id) => ({ result: await startWork(db, actor(c), id, when()) }));
  action('close', async (c, id) => ({ result: await closeComplaint(db, actor(c), id, when()) }));

  return app;
}
