import type { HandoverSummary } from '../../../../services/handover.ts';
import { formatTime, Shell } from '../../shell/layout.tsx';
import type { PageContext } from './page.tsx';

// The queue: every chat where a resident waits for an officer, oldest wait first as the service orders it.

export function HandoverList({ page, rows, closed }: { page: PageContext; rows: HandoverSummary[]; closed: boolean }) {
  const { t, locale, timeZone } = page;
  return (
    <Shell t={t} locale={locale} title={t('console:handover.title')} session={page.session} here="/console/handovers">
      <h1>{t('console:handover.title')}</h1>
      {closed ? (
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
                <td>{formatTime(r.waitingSince, locale, timeZone)}</td>
                <td>{r.lastMessageAt ? formatTime(r.lastMessageAt, locale, timeZone) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}
