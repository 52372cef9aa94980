import { Hono } from 'hono';
import { BIDANG, COMPLAINT_CATEGORIES, COMPLAINT_CLOSE_REASONS, type Bidang, type ComplaintCloseReason } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { kecamatanByName } from '../../../services/areas.ts';
import { listAttachments, readAttachment } from '../../../services/complaints/attachments.ts';
import type { ComplaintCategory } from '../../../services/complaints/file.ts';
import { addNote, assignComplaint, closeComplaint, replyToResident, startWork, verifyComplaint, type Refusal, type Result } from '../../../services/complaints/lifecycle.ts';
import { complaintConversation, complaintVersion, getComplaint, laporExport, revealReporter } from '../../../services/complaints/queries.ts';
import { dismissComplaint, rerouteComplaint, takeComplaint, type Routing } from '../../../services/complaints/triage.ts';
import { cannedFor } from '../../../services/staff/canned-responses.ts';
import { officersInScope } from '../../../services/staff/officers.ts';
import { staffNames } from '../../../services/staff/users.ts';
import type { AppDeps } from '../../context.ts';
import { emptyNotFound, errorAnswers } from '../../errors.ts';
import { workEvents } from '../inbox/routes.tsx';
import { fileResponse } from '../shell/file-response.ts';
import { liveStream } from '../shell/live.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ComplaintNotFound, ComplaintPage, DONE, type Done, type ShowOptions } from './views/complaint.tsx';
import { ComplaintLive, type LiveData } from './views/live.tsx';
import { REPLYABLE } from './views/reply.tsx';

// One complaint: its facts, the whole history (messages both ways, notes, status changes) and the forms to
// work it. Every action goes through the lifecycle services, which check scope and status; a complaint the
// person may not see is answered exactly like one that does not exist.

const REFUSALS: readonly Refusal[] = ['not_found', 'forbidden', 'invalid_status', 'invalid_input', 'outside_24h_window', 'no_channel', 'unreachable', 'already_rated', 'unknown_variable'];

/** A request from htmx (an action posted in place, a live refresh): answered with the fragment, not a page. */
const fromHtmx = (c: ConsoleContext) => c.req.header('HX-Request') === 'true';

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** The complaint page and its live part, loaded and rendered; a complaint not found answers the 404 page. */
function complaintPages(deps: AppDeps) {
  const db = deps.database.db;

  const notFound = (c: ConsoleContext) => c.html(<ComplaintNotFound t={deps.i18n.getFixedT(c.get('locale'))} locale={c.get('locale')} session={c.get('session')} />, 404);

  // Everything the live parts show. `audit: false` for the page refreshing itself: a person opening the
  // complaint is one read in the audit log, not one per second while it stays open.
  const loadLive = async (c: ConsoleContext, id: number, opts: { audit: boolean }): Promise<LiveData | null> => {
    const actor = c.get('session').actor;
    const view = await getComplaint(db, actor, id, { now: deps.clock(), audit: opts.audit });
    if (!view) return null;
    const conversation = (await complaintConversation(db, actor, id, { audit: opts.audit })) ?? { hidden: true as const };
    const attachments = (await listAttachments(db, actor, id)) ?? [];
    const staffIds = [
      ...new Set([view.assigneeId, ...view.events.map((e) => e.staffId), ...(conversation.hidden ? [] : conversation.messages.map((m) => m.staffId))].filter((x): x is number => x !== null)),
    ];
    const names = await staffNames(db, staffIds);
    const t = deps.i18n.getFixedT(c.get('locale'));
    const staffName = (sid: number | null) => (sid === null ? t('console:events.system') : (names.get(sid) ?? `#${sid}`));
    const works = can(actor, 'complaints.work');
    const canned = works && REPLYABLE.includes(view.status) ? await cannedFor(db, actor, view.language ?? deps.defaultLocale) : [];
    const officers = can(actor, 'complaints.assign') ? await officersInScope(db, actor) : [];
    const all = await kecamatanByName(db);
    const areas = actor.kecamatanId === null ? all : all.filter((k) => k.id === actor.kecamatanId);
    return { view, conversation, staffName, attachments, canned, officers, areas };
  };

  const show = async (c: ConsoleContext, id: number, opts: ShowOptions = {}) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    const loaded = await loadLive(c, id, { audit: true });
    if (!loaded) return notFound(c);
    const works = can(actor, 'complaints.work');
    const status = opts.error ? (opts.error === 'not_found' ? 404 : 422) : 200;
    const mayReveal = loaded.view.anonymous ? can(actor, 'identity.reveal') : works;
    return c.html(<ComplaintPage t={t} locale={locale} timeZone={deps.timeZone} session={session} live={loaded} works={works} mayReveal={mayReveal} opts={opts} />, status);
  };

  /** The live fragment, after an action posted in place or when the stream asks; with the action's outcome. */
  const fragment = async (c: ConsoleContext, id: number, extra: { error?: Refusal; done?: Done; draft?: string; note?: string } = {}) => {
    const loaded = await loadLive(c, id, { audit: false });
    if (!loaded) return c.text('', 404);
    const t = deps.i18n.getFixedT(c.get('locale'));
    return c.html(<ComplaintLive t={t} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} {...loaded} {...extra} />);
  };

  return { notFound, show, fragment };
}

export function complaintRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const { notFound, show, fragment } = complaintPages(deps);

  // A complaint the person may not see is one that does not exist (errors.ts answers the services' Forbidden).
  app.use('/console/complaints/:id/*', errorAnswers({ forbidden: notFound }));

  // The fragment the page swaps in when its stream says something changed (htmx GET, same guard and scope).
  app.get('/console/complaints/:id/live', guard, errorAnswers(emptyNotFound), async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.text('', 404);
    return fragment(c, id);
  });

  app.get('/console/complaints/:id/events', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.text('', 404);
    const actor = c.get('session').actor;
    return liveStream(c, () => complaintVersion(db, actor, id), { also: workEvents(deps, actor) });
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
  // with what was typed kept in the form. Posted in place by htmx: the live fragment with the outcome, status
  // 200 either way so htmx swaps it (a refused reply keeps its text: only an accepted one says "pintu-sent").
  const action = (name: Done, run: (c: ConsoleContext, id: number) => Promise<{ result: Result; draft?: string; note?: string }>) =>
    app.post(`/console/complaints/:id/${name}`, guard, csrf, async (c) => {
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(c);
      const outcome = await run(c, id);
      const { result } = outcome;
      const error = result.ok ? undefined : REFUSALS.includes(result.reason) ? result.reason : 'invalid_input';
      if (fromHtmx(c)) {
        // Aimed at the box itself, not at the form that posted: a live refresh during the request swaps in a new
        // form (the box moves into it, hx-preserve), and an event on the old, detached form reaches nobody.
        if (result.ok && (name === 'reply' || name === 'note')) c.header('HX-Trigger-After-Settle', JSON.stringify({ 'pintu-sent': { target: name === 'reply' ? '#reply-text' : '#note-text' } }));
        return fragment(c, id, result.ok ? { done: name } : { error: error! });
      }
      if (result.ok) return c.redirect(`/console/complaints/${id}?done=${name}`, 303);
      if (result.reason === 'not_found') return notFound(c);
      return show(c, id, { error: error!, ...(outcome.draft !== undefined ? { draft: outcome.draft } : {}), ...(outcome.note !== undefined ? { note: outcome.note } : {}) });
    });

  const actor = (c: ConsoleContext) => c.get('session').actor;
  const when = () => ({ now: deps.clock(), timeZone: deps.timeZone });
  /** The routing an officer set on a form; "keep"/"auto" choices are left out. */
  const routing = async (c: ConsoleContext): Promise<Routing> => {
    const out: Routing = {};
    const k = await formField(c, 'kecamatanId');
    if (/^\d{1,9}$/.test(k)) out.kecamatanId = Number(k);
    const b = await formField(c, 'bidang');
    if ((BIDANG as readonly string[]).includes(b)) out.bidang = b as Bidang;
    const cat = await formField(c, 'category');
    if ((COMPLAINT_CATEGORIES as readonly string[]).includes(cat)) out.category = cat as ComplaintCategory;
    return out;
  };
  action('reply', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 10_000);
    return { result: await replyToResident(db, actor(c), id, { text, i18n: deps.i18n, ...when() }), draft: text };
  });
  action('note', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 20_000);
    return { result: await addNote(db, actor(c), id, { text, now: deps.clock() }), note: text };
  });
  action('verify', async (c, id) => ({ result: await verifyComplaint(db, actor(c), id, when()) }));
  action('take', async (c, id) => ({ result: await takeComplaint(db, actor(c), id, { ...(await routing(c)), ...when() }) }));
  action('reroute', async (c, id) => ({ result: await rerouteComplaint(db, actor(c), id, { ...(await routing(c)), ...when() }) }));
  action('assign', async (c, id) => {
    const a = actor(c);
    if (a.kind !== 'staff') return { result: { ok: false, reason: 'forbidden' } };
    // No officer chosen: the person takes it themselves (an operator's only choice).
    const raw = await formField(c, 'staffId');
    const staffId = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : a.id;
    return { result: await assignComplaint(db, a, id, staffId, when()) };
  });
  action('start', async (c, id) => ({ result: await startWork(db, actor(c), id, when()) }));
  action('close', async (c, id) => ({ result: await closeComplaint(db, actor(c), id, when()) }));
  action('dismiss', async (c, id) => {
    const reason = await formField(c, 'reason');
    const note = (await formField(c, 'note')).slice(0, 1000);
    if (!(COMPLAINT_CLOSE_REASONS as readonly string[]).includes(reason)) return { result: { ok: false, reason: 'invalid_input' } };
    return { result: await dismissComplaint(db, actor(c), id, { reason: reason as ComplaintCloseReason, note, ...when() }) };
  });

  return app;
}
