import type { TFunction } from 'i18next';
import { Hono } from 'hono';
import { Forbidden } from '../../../services/access.ts';
import { readProxyAttachment, type ProxyAttachmentView } from '../../../services/distribution/proxy-attachments.ts';
import type { AppDeps } from '../../context.ts';
import { requireStaff, type ConsoleEnv } from '../session.ts';
import { notFound, NS, parseId } from './shared.tsx';
import { fileResponse } from '../file-response.ts';

// The photo of a surat kuasa in the console: its line in the pending kuasa list, and the route that streams
// it from the database for the officer deciding the kuasa. The service checks the role and the household's
// area and audits the read; anything the officer may not see, or that is not stored, is a plain 404. The
// headers are the complaint attachment route's: the file's checked type, no sniffing, nothing it could load
// or run, never cached.

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

export function proxyAttachmentRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;

  app.get('/console/distribution/proxies/:proxyId/attachments/:attachmentId', requireStaff(deps), async (c) => {
    const proxyId = parseId(c.req.param('proxyId'));
    const attachmentId = parseId(c.req.param('attachmentId'));
    let file = null;
    try {
      file = proxyId === null || attachmentId === null ? null : await readProxyAttachment(db, c.get('session').actor, proxyId, attachmentId, { now: deps.clock() });
    } catch (err) {
      if (!(err instanceof Forbidden)) throw err;
    }
    if (!file) return notFound(deps, c);
    return fileResponse(c, file, 'surat-kuasa');
  });

  return app;
}
