import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { can } from '../../../../services/access.ts';
import type { ComplaintView, ConversationMessage } from '../../../../services/complaints/queries.ts';
import { Attachments } from './attachments.tsx';
import type { AttachmentView } from '../../../../services/complaints/attachments.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime } from '../../shell/layout.tsx';
import { SlaCell } from './inbox.tsx';

// The part of the complaint page that changes while an officer has it open: the facts (status, assignee,
// deadline), the action buttons that depend on the status, the complaint's history and the resident's chat.
// It is rendered both inside the page and alone (the fragment the page fetches when its SSE stream says
// something changed). The reply and note forms stay outside it, so a live update never wipes what is typed.

export const LIVE_ACTIONS = ['verify', 'assign', 'start', 'close'] as const;

export interface LiveProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  view: ComplaintView;
  conversation: { hidden: true } | { hidden: false; messages: ConversationMessage[]; more: boolean };
  staffName: (id: number | null) => string;
  /** The complaint's files (photos, documents) and how far fetching them got. */
  attachments?: AttachmentView[];
}

export function ComplaintLive({ t, locale, timeZone, session, view: v, conversation, staffName, attachments }: LiveProps) {
  const actor = session.actor;
  const works = can(actor, 'complaints.work');
  const me = actor.kind === 'staff' ? actor.id : null;
  const mayAssignMe = works && v.status !== 'closed' && v.assigneeId !== me && (can(actor, 'complaints.assign') || v.assigneeId === null);
  const time = (d: Date) => formatTime(d, locale, timeZone);
  const button = (action: (typeof LIVE_ACTIONS)[number], label: string, primary = false) => (
    <form method="post" action={`/console/complaints/${v.id}/${action}`}>
      <Csrf session={session} />
      <button class={primary ? 'primary' : 'secondary'} type="submit">
        {label}
      </button>
    </form>
  );

  return (
    <div id="live" hx-get={`/console/complaints/${v.id}/live`} hx-trigger="sse:changed" hx-swap="outerHTML">
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
          <dd>{time(v.createdAt)}</dd>
          <dt>{t('console:complaint.sla')}</dt>
          <dd>
            <SlaCell t={t} sla={v.sla} />
          </dd>
          <dt>{t('console:complaint.channel')}</dt>
          <dd>{v.channel ? t(`console:channel.${v.channel}`) : '—'}</dd>
          <dt>{t('console:complaint.language')}</dt>
          <dd>{t(`console:app.switchTo.${v.language === 'en' ? 'en' : v.language === 'id' ? 'id' : locale}`)}</dd>
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

      <Attachments t={t} locale={locale} complaintId={v.id} channel={v.channel} attachments={attachments ?? []} />

      <section class="card">
        <h2>{t('console:complaint.history')}</h2>
        <ol class="events" data-testid="events">
          {v.events.map((e) => (
            <li class={e.kind}>
              <div class="meta">
                {t(`console:events.${e.kind}`)} · {time(e.createdAt)}
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

      <section class="card">
        <h2>{t('console:complaint.conversation', { channel: v.channel ? t(`console:channel.${v.channel}`) : '—' })}</h2>
        {conversation.hidden ? null : <p class="meta">{t('console:complaint.conversationScope')}</p>}
        {conversation.hidden ? (
          <p>{t('console:complaint.conversationHidden')}</p>
        ) : conversation.messages.length === 0 ? (
          <p>{t('console:complaint.conversationEmpty')}</p>
        ) : (
          <>
            {conversation.more ? <p class="meta">{t('console:complaint.conversationMore', { count: conversation.messages.length })}</p> : null}
            <ol class="events" data-testid="conversation">
              {conversation.messages.map((m) => (
                <li class={m.direction === 'in' ? 'message_in' : 'message_out'}>
                  <div class="meta">
                    {m.direction === 'in'
                      ? t('console:complaint.fromResident')
                      : m.staffId !== null
                        ? `${t('console:complaint.fromOfficer')} · ${staffName(m.staffId)}`
                        : t('console:complaint.fromBot')}{' '}
                    · {time(m.createdAt)}
                  </div>
                  <div class="text">{m.body ?? ''}</div>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
