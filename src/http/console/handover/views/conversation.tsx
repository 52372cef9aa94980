import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { HandoverRefusal, HandoverView } from '../../../../services/handover.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { can } from '../../../../services/access.ts';
import { Thread } from '../../inbox/views/thread.tsx';
import { Csrf, PostButton, formatTime, Shell } from '../../shell/layout.tsx';
import type { PageContext } from './page.tsx';

// One live chat, laid out like the complaint page: the conversation first with the reply box under it, and
// beside it who the resident is (masked), their language, and who is answering. An officer takes the chat
// before answering (a reply takes it too); everyone else sees who has it and cannot write over them.

export const DONE = ['reply', 'close', 'claim', 'release'] as const;
export type Done = (typeof DONE)[number];

export interface ShowOptions {
  error?: HandoverRefusal;
  draft?: string;
  done?: Done;
}

export function HandoverPage({ page, view: v, opts, staffName }: { page: PageContext; view: HandoverView; opts: ShowOptions; staffName: (id: number | null) => string }) {
  const { t, locale, timeZone, session } = page;
  const who = v.maskedName ? `${v.maskedName} (${v.maskedId})` : v.maskedId;
  return (
    <Shell t={t} locale={locale} title={t('console:handover.heading', { who })} session={session} here={`/console/handovers/${v.contactId}`} stream={`/console/handovers/${v.contactId}/events`}>
      <p>
        <a href="/console/handovers">← {t('console:handover.back')}</a>
      </p>
      <h1>{t('console:handover.heading', { who })}</h1>
      {opts.error ? (
        <p class="error" role="alert">
          {t(`console:handover.refusals.${opts.error}`, { name: v.claimedBy?.name ?? '' })}
        </p>
      ) : null}
      {opts.done ? (
        <p class="notice" role="status">
          {t(`console:handover.done.${opts.done}`)}
        </p>
      ) : null}
      <div class="conversation-view">
        <div class="main-col">
          <HandoverMessages t={t} locale={locale} timeZone={timeZone} view={v} staffName={staffName} />
          <HandoverReply page={page} view={v} draft={opts.draft} />
        </div>
        <HandoverSide page={page} view={v} />
      </div>
    </Shell>
  );
}

/** The reply box, or who has the chat when it is not this officer's to answer. Its text survives refreshes. */
export function HandoverReply({ page, view: v, draft }: { page: PageContext; view: HandoverView; draft?: string | undefined }) {
  const { t, session } = page;
  const other = claimedByOther(session, v);
  return (
          <section class="reply-box" id="handover-reply" aria-label={t('console:handover.reply')}>
            {v.blocked ? (
              <p class="warn" role="note">
                {t(`console:handover.refusals.${v.blocked}`)}
              </p>
            ) : null}
            {other ? (
              <p class="warn" role="note" data-testid="claimed-by-other">
                {t('console:handover.claimedByOther', { name: v.claimedBy!.name })}
              </p>
            ) : (
              <form method="post" action={`/console/handovers/${v.contactId}/reply`}>
                <Csrf session={session} />
                <label for="reply-text">{t('console:handover.replyLabel')}</label>
                <textarea id="reply-text" name="text" maxlength={4000} required data-send hx-preserve="true">
                  {draft ?? ''}
                </textarea>
                <p class="meta">{t('console:handover.replyHelp', { language: t(`console:app.switchTo.${v.language === 'en' ? 'en' : 'id'}`) })}</p>
                <button class="primary" type="submit">
                  {t('console:handover.send')}
                </button>
              </form>
            )}
          </section>
  );
}

function claimedByOther(session: Session, v: HandoverView): boolean {
  const me = session.actor.kind === 'staff' ? session.actor.id : null;
  return v.claimedBy !== null && v.claimedBy.id !== me;
}

export function HandoverSide({ page, view: v }: { page: PageContext; view: HandoverView }) {
  const { t, locale, timeZone, session } = page;
  const me = session.actor.kind === 'staff' ? session.actor.id : null;
  const other = claimedByOther(session, v);
  return (
    <aside class="side" id="handover-side" aria-label={t('console:complaint.facts')}>
      <section class="card">
        <dl class="facts">
          <dt>{t('console:handover.channel')}</dt>
          <dd>{t(`console:channel.${v.channel}`)}</dd>
          <dt>{t('console:complaint.language')}</dt>
          <dd data-testid="language">{t(`console:app.switchTo.${v.language === 'en' ? 'en' : 'id'}`)}</dd>
          <dt>{t('console:handover.waiting')}</dt>
          <dd>{formatTime(v.waitingSince, locale, timeZone)}</dd>
          <dt>{t('console:handover.answering')}</dt>
          <dd data-testid="claimed-by">{v.claimedBy ? v.claimedBy.name : t('console:handover.nobody')}</dd>
          <dt>{t('console:handover.identity')}</dt>
          <dd>{v.householdId !== null ? t('console:handover.verified') : t('console:handover.unverified')}</dd>
        </dl>
        {/* What the bot would tell the resident (programs, invitations) is on the family's page: one audited opening. */}
        {v.householdId !== null && can(session.actor, 'residents.read') ? (
          <p>
            <a href={`/console/residents/households/${v.householdId}`}>{t('console:handover.openFamily')}</a>
          </p>
        ) : null}
      </section>
      <section class="card actions">
        {v.claimedBy === null || other ? (
          <PostButton session={session} action={`/console/handovers/${v.contactId}/claim`} label={other ? t('console:handover.takeOver') : t('console:handover.claim')} />
        ) : null}
        {v.claimedBy !== null && v.claimedBy.id === me ? <PostButton session={session} action={`/console/handovers/${v.contactId}/release`} label={t('console:handover.release')} /> : null}
        <PostButton session={session} action={`/console/handovers/${v.contactId}/close`} label={t('console:handover.close')} />
        <p class="meta">{t('console:handover.closeHint')}</p>
      </section>
    </aside>
  );
}

export function HandoverMessages({ t, locale, timeZone, view: v, staffName }: { t: TFunction; locale: Locale; timeZone: string; view: HandoverView; staffName: (id: number | null) => string }) {
  return (
    <section class="card" id="live" hx-get={`/console/handovers/${v.contactId}/live`} hx-trigger="sse:changed" hx-select="#live" hx-select-oob="#handover-side,#handover-reply" hx-swap="outerHTML">
      <h2>{t('console:handover.conversation')}</h2>
      {v.claimedBy ? (
        <p class="mark claimed" data-testid="answering">
          {t('console:handover.isAnswering', { name: v.claimedBy.name })}
        </p>
      ) : null}
      <div class="thread" data-testid="messages">
        <Thread t={t} locale={locale} timeZone={timeZone} messages={v.messages} staffName={staffName} />
      </div>
    </section>
  );
}

/** What the page's stream swaps in: the messages, the reply box and the side, drawn as on the page. */
export function HandoverLive({ page, view, staffName }: { page: PageContext; view: HandoverView; staffName: (id: number | null) => string }) {
  return (
    <>
      <HandoverMessages t={page.t} locale={page.locale} timeZone={page.timeZone} view={view} staffName={staffName} />
      <HandoverReply page={page} view={view} />
      <HandoverSide page={page} view={view} />
    </>
  );
}
