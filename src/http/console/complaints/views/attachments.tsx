import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Channel } from '../../../../domain/vocabulary.ts';
import { MAX_FETCH_ATTEMPTS, type AttachmentView } from '../../../../services/complaints/attachments.ts';

// "Lampiran" on the complaint page: every file the resident sent, with its type, size and whether it is
// stored, still being fetched, or failed (and why). A stored file is a link to the audited download route,
// never an <img>: this list is re-rendered on every live update, and each render would read (and audit)
// every photo again.

const KNOWN_REASONS = ['too_large', 'type_not_allowed', 'no_source'] as const;

export function Attachments({ t, locale, complaintId, channel, attachments }: { t: TFunction; locale: Locale; complaintId: number; channel: Channel | null; attachments: AttachmentView[] }) {
  return (
    <section class="card" data-testid="attachments">
      <h2>{t('console:attachments.heading')}</h2>
      {attachments.length === 0 ? (
        <p>{t('console:attachments.none')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>{t('console:attachments.name')}</th>
                <th>{t('console:attachments.type')}</th>
                <th>{t('console:attachments.size')}</th>
                <th>{t('console:attachments.state')}</th>
              </tr>
            </thead>
            <tbody>
              {attachments.map((a, i) => {
                const name = a.fileName ?? t('console:attachments.unnamed', { number: i + 1 });
                return (
                  <tr data-attachment={String(a.id)} data-status={a.status}>
                    <td>
                      {a.status === 'stored' ? (
                        <a href={`/console/complaints/${complaintId}/attachments/${a.id}`} target="_blank" rel="noopener">
                          {name}
                        </a>
                      ) : (
                        name
                      )}
                    </td>
                    <td>{a.mimeType}</td>
                    <td>{a.size === null ? t('console:attachments.sizeUnknown') : formatSize(a.size, locale)}</td>
                    <td>{statusText(t, a, channel)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="meta">{t('console:attachments.evidenceNote')}</p>
        </>
      )}
    </section>
  );
}

function statusText(t: TFunction, a: AttachmentView, channel: Channel | null): string {
  if (a.status === 'stored') return t('console:attachments.status.stored');
  if (a.status === 'pending') {
    return t('console:attachments.status.pending', {
      channel: channel ? t(`console:channel.${channel}`) : '—',
      attempts: Math.min(a.attempts + 1, MAX_FETCH_ATTEMPTS),
      max: MAX_FETCH_ATTEMPTS,
    });
  }
  const raw = a.failReason ?? '';
  const code = KNOWN_REASONS.find((r) => raw === r || raw.startsWith(`${r}:`));
  const reason = code ? t(`console:attachments.reasons.${code}`) : t('console:attachments.reasons.other', { reason: raw || '—' });
  return t('console:attachments.status.failed', { reason });
}

function formatSize(bytes: number, locale: Locale): string {
  const nf = (digits: number) => new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits });
  if (bytes < 1024) return `${nf(0).format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${nf(0).format(bytes / 1024)} KB`;
  return `${nf(1).format(bytes / (1024 * 1024))} MB`;
}
