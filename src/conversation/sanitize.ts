import { CONTROL } from '../domain/text.ts';
import type { Inbound } from './types.ts';

// Channels check their payloads field by field; this is what the engine does to every inbound whatever got through.

/** A short field copied from a provider (an id, a pressed button, a file name): well-formed, no control characters, bounded. */
function sanitizeField(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.toWellFormed().replace(CONTROL, '').slice(0, max);
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * The last guard before PostgreSQL, whatever a channel let through: text and jsonb columns refuse NUL and
 * lone surrogates, and one odd button id must not fail the whole message (a 500, and the provider retrying
 * it for days). Channels still refuse malformed payloads themselves, with a reason; this only keeps what
 * they pass on storable.
 */
export function sanitizeInbound(inbound: Inbound): Inbound {
  const media = inbound.media
    ? {
        mimeType: sanitizeField(inbound.media.mimeType, 200) || 'application/octet-stream',
        ...(sanitizeField(inbound.media.fileName, 255) ? { fileName: sanitizeField(inbound.media.fileName, 255) } : {}),
        ...(finite(inbound.media.size) ? { size: inbound.media.size } : {}),
        ...(sanitizeField(inbound.media.ref, 500) ? { ref: sanitizeField(inbound.media.ref, 500) } : {}),
      }
    : undefined;
  const location = inbound.location && finite(inbound.location.latitude) && finite(inbound.location.longitude) ? inbound.location : undefined;
  return {
    ...inbound,
    chatId: sanitizeField(inbound.chatId, 256) ?? '',
    text: typeof inbound.text === 'string' ? inbound.text : undefined,
    choice: sanitizeField(inbound.choice, 200),
    providerMessageId: sanitizeField(inbound.providerMessageId, 300),
    displayName: sanitizeField(inbound.displayName, 200),
    languageHint: sanitizeField(inbound.languageHint, 100),
    media,
    location,
  };
}
