import type { WorkCounts } from '../../../../services/inbox/counts.ts';
import type { HandoverSummary } from '../../../../services/handover.ts';
import { WorkTabs } from '../../inbox/views/tabs.tsx';
import { formatDuration, formatTime, Shell } from '../../shell/layout.tsx';
import type { PageContext } from './page.tsx';

// The live chats tab of the inbox: every chat where a resident waits for an officer, the longest wait first
// as the service orders it, with who is answering and whether the resident wrote last. It refreshes itself.

export function HandoverList({ page, rows, counts, closed }: { page: PageContext; rows: HandoverSummary[]; counts: WorkCounts; closed: boolean }) {
  const { t, locale, timeZone } = page;
  const now = Date.now();
  return (
    <Shell t={t} locale={locale} title={t('console:handover.title')} session={page.session} here="/console/handovers" stream="/console/handovers/events">
      <h1>{t('console:handover.title')}</h1>
      {closed ? (
        <p class="notice" role="status">
          {t('console:handover.done.close')}
        </p>
      ) : null}
      <div id="handover-list" hx-get="/console/handovers" hx-trigger="sse:changed" hx-select="#handover-list" hx-swap="outerHTML">
        <WorkTabs t={t} counts={counts} current="chats" />
        {rows.length === 0 ? (
          <p data-testid="empty">{t('console:handover.empty')}</p>
        ) : (
          <table data-testid="handovers">
            <thead>
              <tr>
                <th>{t('console:handover.resident')}</th>
                <th>{t('console:handover.channel')}</th>
                <th>{t('console:complaint.language')}</th>
                <th>{t('console:handover.answering')}</th>
                <th>{t('console:handover.waiting')}</th>
                <th>{t('console:handover.lastMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-contact={String(r.contactId)}>
                  <td>
                    <a href={`/console/handovers/${r.contactId}`}>{r.maskedName ? `${r.maskedName} · ${r.maskedId}` : r.maskedId}</a>
                    {r.residentWaiting ? (
                      <div>
                        <span class="mark replied">{t('console:inbox.residentReplied')}</span>
                      </div>
                    ) : null}
                  </td>
                  <td>{t(`console:channel.${r.channel}`)}</td>
                  <td>{t(`console:app.switchTo.${r.language === 'en' ? 'en' : 'id'}`)}</td>
                  <td data-testid="answering">{r.claimedBy ? <span class="mark claimed">{t('console:handover.isAnswering', { name: r.claimedBy.name })}</span> : t('console:handover.nobody')}</td>
                  <td>
                    {formatTime(r.waitingSince, locale, timeZone)} ({formatDuration(t, now - r.waitingSince.getTime())})
                  </td>
                  <td>{r.lastMessageAt ? formatTime(r.lastMessageAt, locale, timeZone) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Shell>
  );
}
