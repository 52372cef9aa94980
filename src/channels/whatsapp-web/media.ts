import { MAX_ATTACHMENT_BYTES, REFUSED } from '../media.ts';
import type { FetchResult, MediaFetcher } from '../../services/complaints/media-fetcher.ts';

/** The part of whatsapp-web.js's Client and Message this needs (`getMessageById`, `downloadMedia`). */
export interface MediaClientLike {
  getMessageById?(messageId: string): Promise<{ hasMedia?: boolean; downloadMedia(): Promise<{ mimetype: string; data: string; filename?: string | null } | undefined | null> } | null | undefined>;
}

/**
 * A resident's media back from WhatsApp Web by the message's serialized id. Only the process holding the
 * session (session-lock.ts) has a client, so `ready()` is false elsewhere and the job leaves the row to
 * that process. The phone keeps media while the chat keeps the message; once WhatsApp has dropped it,
 * downloadMedia answers nothing, which is final.
 */
export function createWhatsappWebMediaFetcher(readyClient: () => MediaClientLike | undefined): MediaFetcher {
  return {
    channel: 'whatsapp_web',
    ready: () => readyClient()?.getMessageById !== undefined,
    async fetch(ref: string): Promise<FetchResult> {
      const client = readyClient();
      if (!client?.getMessageById) return { ok: false, reason: 'whatsapp web: not connected', permanent: false };
      try {
        const message = await client.getMessageById(ref);
        if (!message) return { ok: false, reason: 'whatsapp web: message no longer on the phone', permanent: true };
        const media = await message.downloadMedia();
        if (!media?.data) return { ok: false, reason: 'whatsapp web: media no longer available', permanent: true };
        // base64 is 4 characters per 3 bytes: refuse before decoding something far too large.
        if ((media.data.length * 3) / 4 > MAX_ATTACHMENT_BYTES + 4) return { ok: false, reason: `${REFUSED.tooLarge}: about ${Math.round((media.data.length * 3) / 4)} bytes`, permanent: true };
        return { ok: true, bytes: Buffer.from(media.data, 'base64'), mimeType: media.mimetype, ...(media.filename ? { fileName: media.filename } : {}) };
      } catch {
        return { ok: false, reason: 'whatsapp web: download failed', permanent: false };
      }
    },
  };
}
