import type { TFunction } from 'i18next';
import type { ComplaintListRow } from '../../../../services/complaints/list.ts';
import { formatDuration } from '../../shell/layout.tsx';
import { SlaCell } from './sla.tsx';

// The inbox's rows, made to triage without opening each: what the resident wrote, from where, who holds it,
// how old it is, the deadline, and whether the resident is waiting for an answer. The check boxes belong to
// the bulk form (form="bulk") and keep their state when the list refreshes itself (hx-preserve).

const SNIPPET = 140;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat;
}

export function InboxTable({ t, rows, areaName, now, bulk }: { t: TFunction; rows: ComplaintListRow[]; areaName: Map<number, string>; now: Date; bulk: boolean }) {
  return (
    <table data-testid="inbox">
      <thead>
        <tr>
          {bulk ? (
            <th class="select">
              <span class="visually-hidden">{t('console:inbox.bulk.pick')}</span>
            </th>
          ) : null}
          <th>{t('console:complaint.trackingId')}</th>
          <th>{t('console:complaint.status')}</th>
          <th>{t('console:complaint.channel')}</th>
          <th>{t('console:complaint.assignee')}</th>
          <th>{t('console:inbox.age')}</th>
          <th>{t('console:complaint.sla')}</th>
          <th>{t('console:complaint.kecamatan')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-id={String(r.id)}>
            {bulk ? (
              <td class="select">
                <input type="checkbox" form="bulk" name="id" value={String(r.id)} id={`pick-${r.id}`} hx-preserve="true" aria-label={t('console:inbox.bulk.pickOne', { trackingId: r.trackingId })} />
              </td>
            ) : null}
            <td>
              <a href={`/console/complaints/${r.id}`}>{r.trackingId}</a> · {t(`console:category.${r.category}`)}
              {r.urgent ? (
                <>
                  {' '}
                  <span class="mark urgent">{t('console:inbox.urgentMark')}</span>
                </>
              ) : null}
              <div class="snippet">{r.anonymous ? t('console:inbox.anonymousSnippet') : snippet(r.summary)}</div>
            </td>
            <td>
              {t(`console:status.${r.status}`)}
              {r.closeReason ? ` (${t(`console:closeReason.${r.closeReason}`)})` : ''}
              {r.residentReplied && r.status !== 'closed' ? (
                <div>
                  <span class="mark replied">{t('console:inbox.residentReplied')}</span>
                </div>
              ) : null}
            </td>
            <td>{r.channel ? t(`console:channel.${r.channel}`) : '—'}</td>
            <td>{r.assigneeName ?? t('console:complaint.unassigned')}</td>
            <td>{formatDuration(t, now.getTime() - r.createdAt.getTime())}</td>
            <td>
              <SlaCell t={t} sla={r.sla} urgent={r.urgent} />
            </td>
            <td>{r.kecamatanId === null ? '—' : (areaName.get(r.kecamatanId) ?? '—')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
