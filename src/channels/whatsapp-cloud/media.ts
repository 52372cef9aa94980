import { download, isPermanentStatus, MAX_ATTACHMENT_BYTES, REFUSED } from '../media.ts';
import type { FetchResult, MediaFetcher } from '../../services/complaints/media-fetcher.ts';
import type { WhatsappCloudConfig } from './sender.ts';
import { graphHeaders } from './user-agent.ts';

const TIMEOUT_MS = 20_000;

/**
 * A resident's media back from the Cloud API by its media id: `GET /{media-id}` answers a short-lived URL
 * (and the type and size), then `GET url` with the same bearer token gives the bytes. Meta keeps inbound
 * media for about 30 days; an expired or unknown id answers 4xx, which is final.
 */
export function createWhatsappCloudMediaFetcher(config: Pick<WhatsappCloudConfig, 'accessToken' | 'apiRoot'>): MediaFetcher {
  const auth = graphHeaders(config.accessToken);
  return {
    channel: 'whatsapp_cloud',
    async fetch(ref: string): Promise<FetchResult> {
      if (!/^[A-Za-z0-9_.-]{1,200}$/.test(ref)) return { ok: false, reason: 'whatsapp: not a media id', permanent: true };
      let res: Response;
      try {
        res = await fetch(`${config.apiRoot}/${ref}`, { headers: auth, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch {
        return { ok: false, reason: 'whatsapp: network error', permanent: false };
      }
      const json = (await res.json().catch(() => undefined)) as { url?: unknown; file_size?: unknown; mime_type?: unknown; error?: { code?: unknown } } | undefined;
      if (!res.ok) {
        const code = typeof json?.error?.code === 'number' ? ` code ${json.error.code}` : '';
        return { ok: false, reason: `whatsapp: HTTP ${res.status}${code}`, permanent: isPermanentStatus(res.status) };
      }
      const size = Number(json?.file_size);
      if (Number.isFinite(size) && size > MAX_ATTACHMENT_BYTES) return { ok: false, reason: `${REFUSED.tooLarge}: ${size} bytes`, permanent: true };
      if (typeof json?.url !== 'string' || !/^https?:\/\//.test(json.url)) return { ok: false, reason: 'whatsapp: media answer without url', permanent: false };
      const got = await download(json.url, { headers: auth });
      if (got.ok && typeof json.mime_type === 'string') return { ...got, mimeType: json.mime_type };
      return got;
    },
  };
}
