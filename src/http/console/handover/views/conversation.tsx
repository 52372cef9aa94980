import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { HandoverRefusal, HandoverView } from '../../../../services/handover.ts';
import { Csrf, PostButton, formatTime, Shell } from '../../shell/layout.tsx';
import type { PageContext } from './page.tsx';

// One handed-over conversation: the messages (which update themselves), the reply form and the button that
// hands the resident back to the bot.

export const DONE = ['reply', 'close'] as const;
export type Done = (typeof DONE)[number];

export interface ShowOptions {
  error?: HandoverRefusal;
  draft?: string;
  done?: Done;
}

export function HandoverPage({ page, view: v, opts }: { page: PageContext; view: HandoverView; opts: ShowOptions }) {
  const { t, locale, timeZone, session } = page;
  const who = v.maskedName ? `${v.maskedName} (${v.maskedId})` : v.maskedId;
  return (
    <Shell t={t} locale={locale} title={t('console:handover.heading', { who })} session={session} here={`/console/handovers/${v.contactId}`} live>
      <p>
        <a href="/console/handovers">← {t('console:handover.back')}</a>
      </p>
      <h1>{t('console:handover.heading', { who })}</h1>
      <p>
        {t(`console:channel.${v.channel}`)} · {t('console:handover.waiting')}: {formatTime(v.waitingSince, locale, timeZone)}
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
        <HandoverMessages t={t} locale={locale} timeZone={timeZone} view={v} />
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
        <PostButton session={session} action={`/console/handovers/${v.contactId}/close`} label={t('console:handover.close')} />
        <p class="meta">{t('console:handover.closeHint')}</p>
      </section>
    </Shell>
  );
}

export function HandoverMessages({ t, locale, timeZone, view: v }: { t: TFunction; locale: Locale; timeZone: string; view: HandoverView }) {
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
