import type { TFunction } from 'i18next';
import type { ProxyAttachmentView } from '../../../../services/distribution/proxy-attachments.ts';
import { NS } from './page.tsx';

// The photo of a surat kuasa in the pending kuasa list (the route that streams it is proxy-attachments.tsx).

const KNOWN_REASONS = ['too_large', 'type_not_allowed', 'no_source'] as const;

/**
 * "Foto surat kuasa: lihat" (a link to the audited route, never an <img>: showing the list must not read
 * and audit every photo), "sedang diambil", or why it could not be fetched. Nothing when none was sent.
 */
export function ProxyPhoto({ t, files }: { t: TFunction; files: readonly ProxyAttachmentView[] }) {
  if (files.length === 0) return null;
  return (
    <div class="meta" data-testid="proxy-photo">
      {files.map((a) => (
        <div data-attachment={String(a.id)} data-status={a.status}>
          {`${t(`${NS}:proxies.photo.label`)}: `}
          {a.status === 'stored' ? (
            <a href={`/console/distribution/proxies/${a.proxyId}/attachments/${a.id}`} target="_blank" rel="noopener">
              {t(`${NS}:proxies.photo.open`)}
            </a>
          ) : a.status === 'pending' ? (
            t(`${NS}:proxies.photo.pending`)
          ) : (
            t(`${NS}:proxies.photo.failed`, { reason: failReasonText(t, a.failReason) })
          )}
        </div>
      ))}
    </div>
  );
}

function failReasonText(t: TFunction, raw: string | null): string {
  const reason = raw ?? '';
  const code = KNOWN_REASONS.find((r) => reason === r || reason.startsWith(`${r}:`));
  return code ? t(`console:attachments.reasons.${code}`) : t('console:attachments.reasons.other', { reason: reason || '—' });
}
