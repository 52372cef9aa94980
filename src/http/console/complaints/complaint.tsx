import { Hono } from 'hono';
import { can } from '../../../services/access.ts';
import { cannedFor } from '../../../services/staff/canned-responses.ts';
import { staffNames } from '../../../services/staff/users.ts';
import {
  complaintConversation,
  complaintVersion,
  getComplaint,
  laporExport,
  revealReporter,
  type RevealedReporter,
} from '../../../services/complaints/queries.ts';
import { listAttachments, readAttachment } from '../../../services/complaints/attachments.ts';
import { REPLY_VARIABLES } from '../../../domain/reply-variables.ts';
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
import type { AppDeps } from '../../context.ts';
import { emptyNotFound, errorAnswers } from '../../errors.ts';
import { ComplaintLive } from './views/live.tsx';
import { Csrf, formatTime, Shell } from '../shell/layout.tsx';
import { fileResponse } from '../shell/file-response.ts';
import { liveStream } from '../shell/live.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';

// One complaint: its facts, the whole history (messages both ways, notes, status changes) and the forms to
// work it. Every action goes through the lifecycle services, which check scope and status; a complaint the
// person may not see is answered exactly like one that does not exist.

const REFUSALS: readonly Refusal[] = ['not_found', 'forbidden', 'invalid_status', 'invalid_input', 'outside_24h_window', 'no_channel', 'unreachable', 'already_rated', 'unknown_variable'];
const DONE = ['reply', 'note', 'verify', 'assign', 'start', 'close'] as const;
type Done = (typeof DONE)[number];
const REPLYABLE = ['verified', 'in_progress', 'reopened', 'answered'];

const PLACEHOLDERS = REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ');

interface ShowOptions {
  error?: Refusal;
  draft?: string;
  note?: string;
  done?: Done;
  /** A canned response picked from the list: its text goes into the reply box. */
  cannedId?: number;
  /** The reporter in full, after an audited reveal; shown on this response only. */
  revealed?: RevealedReporter;
}

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

export function complaintRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const notFound = (c: ConsoleContext) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('console:notFound.title')} session={c.get('session')} here="/console/complaints">
        <h1>{t('console:notFound.title')}</h1>
        <p>{t('console:notFound.text')}</p>
        <p>
          <a href="/console/complaints">{t('console:notFound.back')}</a>
        </p>
      </Shell>,
      404,
    );
  };

  // A complaint the person may not see is one that does not exist (errors.ts answers the services' Forbidden).
  app.use('/console/complaints/:id/*', errorAnswers({ forbidden: notFound }));

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
      <Shell t={t} locale={locale} title={v.trackingId} session={session} here={`/console/complaints/${v.id}`} live>
        <p>
          <a href="/console/complaints">← {t('console:nav.inbox')}</a>
        </p>
        <h1>{t('console:complaint.heading', { trackingId: v.trackingId })}</h1>
        {opts.error ? (
          <p class="error" role="alert">
            {t(`console:refusals.${opts.error}`, { vars: PLACEHOLDERS })}
          </p>
        ) : null}
        {opts.done ? (
          <p class="notice" role="status">
            {t(`console:done.${opts.done}`)}
          </p>
        ) : null}

        {/* The SSE stream only signals; the fragment comes from the scope-checked /live route. */}
        <div hx-ext="sse" sse-connect={`/console/complaints/${v.id}/events`}>
          <ComplaintLive t={t} locale={locale} timeZone={deps.timeZone} session={session} view={v} conversation={loaded.conversation} staffName={loaded.staffName} attachments={loaded.attachments} />
        </div>
        <p class="meta">{t('console:complaint.liveNote')}</p>

        {works && REPLYABLE.includes(v.status) ? (
          <section class="card">
            <h2>{t('console:complaint.reply')}</h2>
            {!v.replyWindowOpen ? (
              <p class="warn" role="note">
                {t('console:complaint.windowClosed')}
              </p>
            ) : v.windowClosesAt ? (
              <p class="notice" role="note">
                {t('console:complaint.windowOpen', { until: formatTime(v.windowClosesAt, locale, deps.timeZone) })}
              </p>
            ) : null}
            {canned.length > 0 ? (
              <form method="get" action={`/console/complaints/${v.id}`} class="filters">
                <div>
                  <label for="canned">{t('console:complaint.canned')}</label>
                  <select id="canned" name="canned">
                    {canned.map((r) => (
                      <option value={String(r.id)} selected={opts.cannedId === r.id}>
                        {r.title}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit">{t('console:complaint.cannedUse')}</button>
              </form>
            ) : (
              <p class="meta">{t('console:complaint.cannedNone')}</p>
            )}
            <form method="post" action={`/console/complaints/${v.id}/reply`}>
              <Csrf session={session} />
              <label for="reply-text">{t('console:complaint.replyLabel')}</label>
              <textarea id="reply-text" name="text" maxlength={4000} required>
                {opts.draft ?? (opts.cannedId !== undefined ? (canned.find((r) => r.id === opts.cannedId)?.body ?? '') : '')}
              </textarea>
              <p class="meta">{t('console:complaint.cannedHelp', { vars: PLACEHOLDERS })}</p>
              <button class="primary" type="submit">
                {t('console:actions.reply')}
              </button>
            </form>
          </section>
        ) : null}

        {mayReveal || works ? (
          <section class="card">
            <h2>{t('console:complaint.reporter')}</h2>
            {opts.revealed ? (
              <dl class="facts" data-testid="revealed">
                <dt>{t('console:complaint.revealName')}</dt>
                <dd>{opts.revealed.member?.name ?? opts.revealed.displayName ?? '—'}</dd>
                <dt>{t('console:complaint.revealNik')}</dt>
                <dd>{opts.revealed.member?.nik ?? t('console:complaint.revealNone')}</dd>
                <dt>{t('console:complaint.revealChat')}</dt>
                <dd>{opts.revealed.channel ? `${t(`console:channel.${opts.revealed.channel}`)} · ${opts.revealed.externalId ?? '—'}` : '—'}</dd>
              </dl>
            ) : mayReveal ? (
              <form method="post" action={`/console/complaints/${v.id}/reveal`}>
                <Csrf session={session} />
                <p class="meta">{t('console:complaint.revealHelp')}</p>
                <button class="secondary" type="submit">
                  {t('console:complaint.reveal')}
                </button>
              </form>
            ) : null}
            <p>
              <a href={`/console/complaints/${v.id}/lapor.json`} download>
                {t('console:complaint.exportLapor')}
              </a>
            </p>
          </section>
        ) : null}

        {works ? (
          <section class="card">
            <h2>{t('console:complaint.note')}</h2>
            <form method="post" action={`/console/complaints/${v.id}/note`}>
              <Csrf session={session} />
              <label for="note-text">{t('console:complaint.noteLabel')}</label>
              <textarea id="note-text" name="text" maxlength={10000} required>
                {opts.note ?? ''}
              </textarea>
              <button class="secondary" type="submit">
                {t('console:actions.note')}
              </button>
            </form>
          </section>
        ) : null}
      </Shell>,
      status,
    );
  };

  // The fragment the page swaps in when its stream says something changed (htmx GET, same guard and scope).
  app.get('/console/complaints/:id/live', guard, errorAnswers(emptyNotFound), async (c) => {
    const id = parseId(c.req.param('id'));
    const loaded = id === null ? null : await loadLive(c, id);
    if (!loaded) return c.text('', 404);
    const t = deps.i18n.getFixedT(c.get('locale'));
    return c.html(
      <ComplaintLive t={t} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} view={loaded.view} conversation={loaded.conversation} staffName={loaded.staffName} attachments={loaded.attachments} />,
    );
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
