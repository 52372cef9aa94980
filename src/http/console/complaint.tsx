import { Hono } from 'hono';
import { inArray } from 'drizzle-orm';
import { staffUsers } from '../../db/schema/index.ts';
import { Forbidden, can } from '../../services/access.ts';
import { getComplaint, type ComplaintView } from '../../services/complaint-queries.ts';
import {
  addNote,
  assignComplaint,
  closeComplaint,
  replyToResident,
  startWork,
  verifyComplaint,
  type Refusal,
  type Result,
} from '../../services/complaint-lifecycle.ts';
import type { AppDeps } from '../context.ts';
import { Csrf, formatTime, Shell } from './layout.tsx';
import { SlaCell } from './inbox.tsx';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from './session.ts';

// One complaint: its facts, the whole history (messages both ways, notes, status changes) and the forms to
// work it. Every action goes through the lifecycle services, which check scope and status; a complaint the
// person may not see is answered exactly like one that does not exist.

const REFUSALS: readonly Refusal[] = ['not_found', 'forbidden', 'invalid_status', 'invalid_input', 'outside_24h_window', 'no_channel', 'unreachable', 'already_rated'];
const DONE = ['reply', 'note', 'verify', 'assign', 'start', 'close'] as const;
type Done = (typeof DONE)[number];
const REPLYABLE = ['verified', 'in_progress', 'reopened', 'answered'];

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

  const show = async (c: ConsoleContext, id: number, opts: { error?: Refusal; draft?: string; note?: string; done?: Done } = {}) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    let view: ComplaintView | null;
    try {
      view = await getComplaint(db, actor, id);
    } catch (err) {
      if (err instanceof Forbidden) return notFound(c);
      throw err;
    }
    if (!view) return notFound(c);
    const v = view;

    const staffIds = [...new Set([v.assigneeId, ...v.events.map((e) => e.staffId)].filter((x): x is number => x !== null))];
    const names = new Map(
      staffIds.length === 0
        ? []
        : (await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, staffIds))).map((s) => [s.id, s.name]),
    );
    const staffName = (sid: number | null) => (sid === null ? t('console:events.system') : (names.get(sid) ?? `#${sid}`));

    const works = can(actor, 'complaints.work');
    const me = actor.kind === 'staff' ? actor.id : null;
    const mayAssignMe = works && v.status !== 'closed' && v.assigneeId !== me && (can(actor, 'complaints.assign') || v.assigneeId === null);
    const status = opts.error ? (opts.error === 'not_found' ? 404 : 422) : 200;

    const button = (action: Done, label: string, primary = false) => (
      <form method="post" action={`/console/complaints/${v.id}/${action}`}>
        <Csrf session={session} />
        <button class={primary ? 'primary' : 'secondary'} type="submit">
          {label}
        </button>
      </form>
    );

    return c.html(
      <Shell t={t} locale={locale} title={v.trackingId} session={session} here={`/console/complaints/${v.id}`}>
        <p>
          <a href="/console/complaints">← {t('console:nav.inbox')}</a>
        </p>
        <h1>{t('console:complaint.heading', { trackingId: v.trackingId })}</h1>
        {opts.error ? (
          <p class="error" role="alert">
            {t(`console:refusals.${opts.error}`)}
          </p>
        ) : null}
        {opts.done ? (
          <p class="notice" role="status">
            {t(`console:done.${opts.done}`)}
          </p>
        ) : null}
        <section class="card">
          <dl class="facts">
            <dt>{t('console:complaint.status')}</dt>
            <dd data-testid="status">{t(`console:status.${v.status}`)}</dd>
            <dt>{t('console:complaint.category')}</dt>
            <dd>{t(`console:category.${v.category}`)}</dd>
            <dt>{t('console:complaint.kecamatan')}</dt>
            <dd>{v.kecamatanName ?? '—'}</dd>
            <dt>{t('console:complaint.bidang')}</dt>
            <dd>{v.bidang ?? '—'}</dd>
            <dt>{t('console:complaint.assignee')}</dt>
            <dd>{v.assigneeId === null ? t('console:complaint.unassigned') : staffName(v.assigneeId)}</dd>
            <dt>{t('console:complaint.created')}</dt>
            <dd>{formatTime(v.createdAt, locale)}</dd>
            <dt>{t('console:complaint.sla')}</dt>
            <dd>
              <SlaCell t={t} sla={v.sla} />
            </dd>
            <dt>{t('console:complaint.channel')}</dt>
            <dd>{v.channel ? t(`console:channel.${v.channel}`) : '—'}</dd>
            <dt>{t('console:complaint.reporter')}</dt>
            <dd>
              {v.reporter.hidden
                ? t('console:complaint.anonymous')
                : [v.reporter.memberName ?? v.reporter.displayName ?? t('console:complaint.unknownReporter'), v.reporter.verified ? ` (${t('console:complaint.verified')})` : ''].join('')}
            </dd>
          </dl>
          <h2>{t('console:complaint.summary')}</h2>
          <p class="text" data-testid="summary">
            {v.summary}
          </p>
        </section>

        {works ? (
          <section class="card actions" aria-label={t('console:complaint.actions')}>
            {v.status === 'received' ? button('verify', t('console:actions.verify'), true) : null}
            {mayAssignMe ? button('assign', t('console:actions.assignMe')) : null}
            {v.status === 'verified' || v.status === 'reopened' ? button('start', t('console:actions.start')) : null}
            {v.status === 'answered' ? button('close', t('console:actions.close')) : null}
          </section>
        ) : null}

        {works && REPLYABLE.includes(v.status) ? (
          <section class="card">
            <h2>{t('console:complaint.reply')}</h2>
            {!v.replyWindowOpen ? (
              <p class="warn" role="note">
                {t('console:complaint.windowClosed')}
              </p>
            ) : null}
            <form method="post" action={`/console/complaints/${v.id}/reply`}>
              <Csrf session={session} />
              <label for="reply-text">{t('console:complaint.replyLabel')}</label>
              <textarea id="reply-text" name="text" maxlength={4000} required>
                {opts.draft ?? ''}
              </textarea>
              <button class="primary" type="submit">
                {t('console:actions.reply')}
              </button>
            </form>
          </section>
        ) : null}

        <section class="card">
          <h2>{t('console:complaint.history')}</h2>
          <ol class="events" data-testid="events">
            {v.events.map((e) => (
              <li class={e.kind}>
                <div class="meta">
                  {t(`console:events.${e.kind}`)} · {formatTime(e.createdAt, locale)}
                  {e.kind !== 'message_in' ? ` · ${staffName(e.staffId)}` : ''}
                </div>
                {e.kind === 'status_change' ? (
                  <div>
                    {e.fromStatus ? t(`console:status.${e.fromStatus}`) : '—'} → {e.toStatus ? t(`console:status.${e.toStatus}`) : '—'}
                    {e.body === 'auto_close' ? ` (${t('console:events.autoClose')})` : ''}
                  </div>
                ) : e.kind === 'assignment' ? (
                  <div>{t('console:events.assignedTo', { name: staffName(e.body && /^\d+$/.test(e.body) ? Number(e.body) : null) })}</div>
                ) : (
                  <div class="text">{e.body ?? ''}</div>
                )}
              </li>
            ))}
          </ol>
        </section>

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

  app.get('/console/complaints/:id', guard, async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(c);
    const done = DONE.find((d) => d === c.req.query('done'));
    return show(c, id, done ? { done } : {});
  });

  // Post, then redirect to the page (so a reload does not post again); a refusal is shown on the page at once,
  // with what was typed kept in the form.
  const action = (name: Done, run: (c: ConsoleContext, id: number) => Promise<{ result: Result; draft?: string; note?: string }>) =>
    app.post(`/console/complaints/:id/${name}`, guard, csrf, async (c) => {
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(c);
      let outcome: { result: Result; draft?: string; note?: string };
      try {
        outcome = await run(c, id);
      } catch (err) {
        if (err instanceof Forbidden) return notFound(c);
        throw err;
      }
      const { result } = outcome;
      if (result.ok) return c.redirect(`/console/complaints/${id}?done=${name}`, 303);
      if (result.reason === 'not_found') return notFound(c);
      const error = REFUSALS.includes(result.reason) ? result.reason : 'invalid_input';
      return show(c, id, { error, ...(outcome.draft !== undefined ? { draft: outcome.draft } : {}), ...(outcome.note !== undefined ? { note: outcome.note } : {}) });
    });

  const actor = (c: ConsoleContext) => c.get('session').actor;
  action('reply', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 10_000);
    return { result: await replyToResident(db, actor(c), id, { text }), draft: text };
  });
  action('note', async (c, id) => {
    const text = (await formField(c, 'text')).slice(0, 20_000);
    return { result: await addNote(db, actor(c), id, { text }), note: text };
  });
  action('verify', async (c, id) => ({ result: await verifyComplaint(db, actor(c), id) }));
  action('assign', async (c, id) => {
    const a = actor(c);
    if (a.kind !== 'staff') return { result: { ok: false, reason: 'forbidden' } };
    return { result: await assignComplaint(db, a, id, a.id) };
  });
  action('start', async (c, id) => ({ result: await startWork(db, actor(c), id) }));
  action('close', async (c, id) => ({ result: await closeComplaint(db, actor(c), id) }));

  return app;
}
