import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import { closeHandover, getHandover, handoverVersion, listHandovers, replyInHandover, type HandoverRefusal, type HandoverView } from '../../../services/handover.ts';
import type { AppDeps } from '../../context.ts';
import { emptyNotFound, errorAnswers } from '../../errors.ts';
import { Csrf, formatTime, Shell } from '../shell/layout.tsx';
import { liveStream } from '../shell/live.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';

// Live handover: the chats where a resident asked for an officer, one conversation with a reply form and a
// button that hands the resident back to the bot. All through services/handover.ts, which checks the role
// and audits the read; forms post and redirect. The conversation updates itself while the page is open.

const DONE = ['reply', 'close'] as const;
type Done = (typeof DONE)[number];

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

export function handoverRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));

  const message = (c: ConsoleContext, kind: 'notFound' | 'forbidden', status: 403 | 404) => {
    const t = tOf(c);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t(`console:handover.${kind}.title`)} session={c.get('session')} here="/console/handovers">
        <h1>{t(`console:handover.${kind}.title`)}</h1>
        <p>{t(`console:handover.${kind}.text`)}</p>
        <p>
          <a href="/console/handovers">{t('console:handover.back')}</a>
        </p>
      </Shell>,
      status,
    );
  };
  const notFound = (c: ConsoleContext) => message(c, 'notFound', 404);
  const forbidden = (c: ConsoleContext) => message(c, 'forbidden', 403);

  // The services' Forbidden, wherever a handover page meets it (errors.ts).
  app.use('/console/handovers/*', errorAnswers({ forbidden }));

  app.get('/console/handovers', guard, async (c) => {
    const t = tOf(c);
    const locale = c.get('locale');
    const rows = await listHandovers(db, c.get('session').actor);
    return c.html(
      <Shell t={t} locale={locale} title={t('console:handover.title')} session={c.get('session')} here="/console/handovers">
        <h1>{t('console:handover.title')}</h1>
        {c.req.query('done') === 'close' ? (
          <p class="notice" role="status">
            {t('console:handover.done.close')}
          </p>
        ) : null}
        {rows.length === 0 ? (
          <p data-testid="empty">{t('console:handover.empty')}</p>
        ) : (
          <table data-testid="handovers">
            <thead>
              <tr>
                <th>{t('console:handover.resident')}</th>
                <th>{t('console:handover.channel')}</th>
                <th>{t('console:handover.waiting')}</th>
                <th>{t('console:handover.lastMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/console/handovers/${r.contactId}`}>{r.maskedName ? `${r.maskedName} · ${r.maskedId}` : r.maskedId}</a>
                  </td>
                  <td>{t(`console:channel.${r.channel}`)}</td>
                  <td>{formatTime(r.waitingSince, locale, deps.timeZone)}</td>
                  <td>{r.lastMessageAt ? formatTime(r.lastMessageAt, locale, deps.timeZone) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Shell>,
    );
  });

  const show = async (c: ConsoleContext, id: number, opts: { error?: HandoverRefusal; draft?: string; done?: Done } = {}) => {
    const t = tOf(c);
    const locale = c.get('locale');
    const session = c.get('session');
    const v = await getHandover(db, session.actor, id, { limit: 100, now: deps.clock() });
    if (!v) return notFound(c);
    const who = v.maskedName ? `${v.maskedName} (${v.maskedId})` : v.maskedId;
    return c.html(
      <Shell t={t} locale={locale} title={t('console:handover.heading', { who })} session={session} here={`/console/handovers/${v.contactId}`} live>
        <p>
          <a href="/console/handovers">← {t('console:handover.back')}</a>
        </p>
        <h1>{t('console:handover.heading', { who })}</h1>
        <p>
          {t(`console:channel.${v.channel}`)} · {t('console:handover.waiting')}: {formatTime(v.waitingSince, locale, deps.timeZone)}
        </p>
        {opts.error ? (
          <p class="error" role="alert">
            {t(`console:handover.refusals.${opts.error}`)}
          </p>
        ) : null}
        {opts.done ? (
          <p class="notice" role="status">
            {t(`console:handover.done.${opts.done}`)}
          </p>
        ) : null}
        {/* The stream only signals; the messages come from the scope-checked /live route. */}
        <div hx-ext="sse" sse-connect={`/console/handovers/${v.contactId}/events`}>
          <HandoverMessages t={t} locale={locale} timeZone={deps.timeZone} view={v} />
        </div>
        <section class="card">
          <h2>{t('console:handover.reply')}</h2>
          {v.blocked ? (
            <p class="warn" role="note">
              {t(`console:handover.refusals.${v.blocked}`)}
            </p>
          ) : null}
          <form method="post" action={`/console/handovers/${v.contactId}/reply`}>
            <Csrf session={session} />
            <label for="reply-text">{t('console:handover.replyLabel')}</label>
            <textarea id="reply-text" name="text" maxlength={4000} required>
              {opts.draft ?? ''}
            </textarea>
            <button class="primary" type="submit">
              {t('console:handover.send')}
            </button>
          </form>
        </section>
        <section class="card actions">
          <form method="post" action={`/console/handovers/${v.contactId}/close`}>
            <Csrf session={session} />
            <button class="secondary" type="submit">
              {t('console:handover.close')}
            </button>
          </form>
          <p class="meta">{t('console:handover.closeHint')}</p>
        </section>
      </Shell>,
      opts.error ? 422 : 200,
    );
  };

  // The fragment a handover page swaps in when its stream says a message came or went.
  app.get('/console/handovers/:contactId/live', guard, errorAnswers(emptyNotFound), async (c) => {
    const id = parseId(c.req.param('contactId'));
    const view = id === null ? null : await getHandover(db, c.get('session').actor, id, { limit: 100, now: deps.clock() });
    if (!view) return c.text('', 404);
    return c.html(<HandoverMessages t={deps.i18n.getFixedT(c.get('locale'))} locale={c.get('locale')} timeZone={deps.timeZone} view={view} />);
  });

  app.get('/console/handovers/:contactId/events', guard, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return c.text('', 404);
    const actor = c.get('session').actor;
    return liveStream(c, () => handoverVersion(db, actor, id));
  });

  app.get('/console/handovers/:contactId', guard, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const done = DONE.find((d) => d === c.req.query('done'));
    return show(c, id, done ? { done } : {});
  });

  app.post('/console/handovers/:contactId/reply', guard, csrf, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const text = (await formField(c, 'text')).slice(0, 10_000);
    const result = await replyInHandover(db, c.get('session').actor, id, { text, now: deps.clock() });
    if (result.ok) return c.redirect(`/console/handovers/${id}?done=reply`, 303);
    if (result.reason === 'not_in_handover') return notFound(c);
    return show(c, id, { error: result.reason, draft: text });
  });

  app.post('/console/handovers/:contactId/close', guard, csrf, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const result = await closeHandover(db, c.get('session').actor, id, { i18n: deps.i18n, now: deps.clock() });
    if (!result.ok) return notFound(c);
    // The conversation is no longer in the queue; back to the queue with the confirmation.
    return c.redirect('/console/handovers?done=close', 303);
  });

  return app;
}

function HandoverMessages({ t, locale, timeZone, view: v }: { t: TFunction; locale: Locale; timeZone: string; view: HandoverView }) {
  return (
    <section class="card" id="live" hx-get={`/console/handovers/${v.contactId}/live`} hx-trigger="sse:changed" hx-swap="outerHTML">
      <h2>{t('console:handover.conversation')}</h2>
      <ol class="events" data-testid="messages">
        {v.messages.map((m) => (
          <li class={m.direction === 'in' ? 'message_in' : 'message_out'}>
            <div class="meta">
              {m.direction === 'in' ? t('console:handover.in') : m.staffId !== null ? t('console:handover.out') : t('console:handover.bot')} · {formatTime(m.createdAt, locale, timeZone)}
            </div>
            <div class="text">{m.body ?? `[${m.kind}]`}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
