import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AttachmentView } from '../../../../services/complaints/attachments.ts';
import type { Refusal } from '../../../../services/complaints/lifecycle.ts';
import type { ComplaintView, ConversationMessage } from '../../../../services/complaints/queries.ts';
import type { CannedResponse } from '../../../../services/staff/canned-responses.ts';
import type { Officer } from '../../../../services/staff/officers.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Thread, type ThreadMessage } from '../../inbox/views/thread.tsx';
import { PLACEHOLDERS, ReplyArea } from './reply.tsx';
import { Side } from './side.tsx';

// The parts of the complaint page that change while an officer has it open: the message of the last action
// (#flash), the conversation (#live-thread), the case beside it (#live-side) and the reply area (#reply-area,
// whose text boxes keep what is typed). Rendered inside the page, and alone as the fragment htmx swaps in when
// the stream says something changed or an action was posted in place.

export const DONE = ['reply', 'note', 'verify', 'assign', 'start', 'close', 'take', 'reroute', 'dismiss'] as const;
export type Done = (typeof DONE)[number];

export interface LiveData {
  view: ComplaintView;
  conversation: { hidden: true } | { hidden: false; messages: ConversationMessage[]; more: boolean };
  staffName: (id: number | null) => string;
  attachments: AttachmentView[];
  officers: Officer[];
  areas: { id: number; name: string }[];
  canned: CannedResponse[];
}

export interface LiveProps extends LiveData {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  error?: Refusal | undefined;
  done?: Done | undefined;
  draft?: string | undefined;
  note?: string | undefined;
}

export function Flash({ t, error, done }: { t: TFunction; error?: Refusal | undefined; done?: Done | undefined }) {
  return (
    <div id="flash" aria-live="polite">
      {error ? (
        <p class="error" role="alert">
          {t(`console:refusals.${error}`, { vars: PLACEHOLDERS })}
        </p>
      ) : done ? (
        <p class="notice" role="status">
          {t(`console:done.${done}`)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The conversation: the complaint's own messages, or, when they are hidden (an anonymous report), what the
 * resident and the office wrote as the complaint's history keeps it.
 */
export function LiveThread({ t, locale, timeZone, view: v, conversation, staffName }: LiveProps) {
  const messages: ThreadMessage[] = conversation.hidden
    ? v.events
        .filter((e) => e.kind === 'message_in' || e.kind === 'message_out')
        .map((e) => ({ id: e.id, direction: e.kind === 'message_in' ? 'in' : 'out', kind: 'text', body: e.body, chosen: null, staffId: e.staffId, createdAt: e.createdAt }))
    : conversation.messages;
  return (
    <section id="live-thread" class="card" hx-get={`/console/complaints/${v.id}/live`} hx-trigger="sse:changed" hx-select="#live-thread" hx-select-oob="#live-side,#reply-area" hx-swap="outerHTML">
      <h2>{t('console:complaint.conversation', { channel: v.channel ? t(`console:channel.${v.channel}`) : '—' })}</h2>
      <p class="text" data-testid="summary">
        <strong>{t('console:complaint.summary')}:</strong> {v.summary}
      </p>
      {conversation.hidden ? <p class="meta">{t('console:complaint.conversationHidden')}</p> : <p class="meta">{t('console:complaint.conversationScope')}</p>}
      {!conversation.hidden && conversation.more ? <p class="meta">{t('console:complaint.conversationMore', { count: conversation.messages.length })}</p> : null}
      <div class="thread">
        {messages.length === 0 ? <p>{t('console:complaint.conversationEmpty')}</p> : <Thread t={t} locale={locale} timeZone={timeZone} messages={messages} staffName={staffName} testId={conversation.hidden ? 'case-messages' : 'conversation'} />}
      </div>
    </section>
  );
}

/** Everything that changes, as one fragment. */
export function ComplaintLive(p: LiveProps) {
  return (
    <>
      <Flash t={p.t} error={p.error} done={p.done} />
      <LiveThread {...p} />
      <Side t={p.t} locale={p.locale} timeZone={p.timeZone} session={p.session} view={p.view} staffName={p.staffName} attachments={p.attachments} officers={p.officers} areas={p.areas} />
      <ReplyArea t={p.t} locale={p.locale} timeZone={p.timeZone} session={p.session} view={p.view} canned={p.canned} {...(p.draft !== undefined ? { draft: p.draft } : {})} {...(p.note !== undefined ? { note: p.note } : {})} />
    </>
  );
}
