import type { Inbound, InboundKind } from '../../conversation/types.ts';

/**
 * The part of whatsapp-web.js's `Message` that Pintu reads. The real class has it all (see index.d.ts of
 * whatsapp-web.js); `_data` is the raw WhatsApp Web model, where the media's type, name and size live.
 */
export interface WwebjsMessageLike {
  id: { _serialized: string };
  /** The chat: '6281234567890@c.us' for a person (or '…@lid' where WhatsApp hides the number), '…@g.us' for a group. */
  from: string;
  fromMe: boolean;
  /** A status update (status@broadcast). */
  isStatus?: boolean;
  /** In a group: who wrote. */
  author?: string;
  /** 'chat', 'image', 'ptt', 'audio', 'video', 'document', 'sticker', 'location', 'vcard', … */
  type: string;
  /** The text, or a media message's caption. */
  body: string;
  hasMedia: boolean;
  /** Unix seconds. */
  timestamp?: number;
  location?: { latitude: string | number; longitude: string | number };
  _data?: { mimetype?: string; filename?: string; size?: number; notifyName?: string };
}

/** Why a message is left alone; see `whyIgnored`. */
export type IgnoreReason = 'malformed' | 'from_me' | 'status' | 'group' | 'broadcast' | 'newsletter' | 'unknown_chat' | 'system';

// One-to-one chats: a phone-number id, or a LID (WhatsApp's privacy id that stands in for the number in newer
// chats; replies to it reach the same person).
const PERSONAL_CHAT = /^[0-9]+(?::[0-9]+)?@(c\.us|lid)$/;

// Message types WhatsApp creates itself, not something a resident wrote: security-code changes, deleted
// messages, calls, reactions, "waiting for this message". Answering them would only puzzle the resident.
const SYSTEM_TYPES = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'protocol',
  'revoked',
  'ciphertext',
  'call_log',
  'broadcast_notification',
  'reaction',
  'debug',
  'group_notification',
]);

/**
 * Which messages Pintu must not answer, and why:
 * - from_me: what this account sent, including an officer typing on the office phone; answering would loop
 *   and talk over the officer;
 * - status: replies to and views of status updates are not conversations;
 * - group: a group is not one resident. The bot would answer everyone there, and after identity checks could
 *   show one family's data to the whole group (UU 27/2022). Residents are asked to write one-to-one;
 * - broadcast / newsletter: broadcast lists and WhatsApp channels are one-way;
 * - system: see SYSTEM_TYPES;
 * - malformed: no id, chat or type we can read. whatsapp-web.js builds messages from WhatsApp Web's page,
 *   whose models change without notice; one odd object must be passed over, never thrown from the event
 *   handler (that would be an uncaught exception in the process).
 */
export function whyIgnored(msg: WwebjsMessageLike): IgnoreReason | undefined {
  if (!readable(msg)) return 'malformed';
  if (msg.fromMe) return 'from_me';
  if (msg.isStatus || msg.from === 'status@broadcast') return 'status';
  if (msg.from.endsWith('@g.us')) return 'group';
  if (msg.from.endsWith('@broadcast')) return 'broadcast';
  if (msg.from.endsWith('@newsletter')) return 'newsletter';
  if (!PERSONAL_CHAT.test(msg.from)) return 'unknown_chat';
  if (SYSTEM_TYPES.has(msg.type)) return 'system';
  return undefined;
}

function readable(msg: unknown): msg is WwebjsMessageLike {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  const id = m.id as Record<string, unknown> | null | undefined;
  return typeof id === 'object' && id !== null && typeof id._serialized === 'string' && id._serialized !== '' && typeof m.from === 'string' && typeof m.type === 'string';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A whatsapp-web.js message as the engine's Inbound, or undefined when Pintu does not answer it (whyIgnored). */
export function toInbound(msg: WwebjsMessageLike): Inbound | undefined {
  if (whyIgnored(msg)) return undefined;
  const base = {
    channel: 'whatsapp_web' as const,
    chatId: msg.from,
    // Serialized ids are unique per message ("false_6281…@c.us_3EB0…"): a message handled twice (a retry after
    // a database error, a catch-up after a restart) is answered once.
    providerMessageId: msg.id._serialized,
    ...(str(msg._data?.notifyName) ? { displayName: msg._data!.notifyName } : {}),
  };
  const text = typeof msg.body === 'string' ? msg.body : '';
  const kind = kindOf(msg.type);
  switch (kind) {
    case 'text':
      return { ...base, kind, text };
    case 'location': {
      const latitude = Number(msg.location?.latitude);
      const longitude = Number(msg.location?.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return { ...base, kind: 'other' };
      return { ...base, kind, location: { latitude, longitude } };
    }
    case 'photo':
    case 'document':
    case 'voice':
    case 'other': {
      // The caption (photo, document, video) is what the resident wrote; a voice note has none.
      const media = msg.hasMedia ? mediaOf(msg, kind) : undefined;
      return { ...base, kind, ...(text && kind !== 'voice' ? { text } : {}), ...(media ? { media } : {}) };
    }
    default:
      // contact, sticker: nothing to read but the kind.
      return { ...base, kind };
  }
}

function kindOf(type: string): InboundKind {
  switch (type) {
    case 'chat':
      return 'text';
    case 'ptt':
    case 'audio':
      return 'voice';
    case 'image':
      return 'photo';
    case 'document':
      return 'document';
    case 'location':
      return 'location';
    case 'vcard':
    case 'multi_vcard':
      return 'contact';
    case 'sticker':
      return 'sticker';
    default:
      return 'other'; // video, poll, album, list/button responses of old clients, and whatever WhatsApp adds next
  }
}

const FALLBACK_MIME: Partial<Record<InboundKind, string>> = { photo: 'image/jpeg', voice: 'audio/ogg', document: 'application/octet-stream' };

function mediaOf(msg: WwebjsMessageLike, kind: InboundKind): Inbound['media'] | undefined {
  const mimeType = str(msg._data?.mimetype) ?? FALLBACK_MIME[kind];
  if (!mimeType) return undefined;
  return {
    mimeType,
    ...(str(msg._data?.filename) ? { fileName: msg._data!.filename } : {}),
    ...(typeof msg._data?.size === 'number' && Number.isFinite(msg._data.size) ? { size: msg._data.size } : {}),
    // Enough to fetch the file later while the session lives: client.getMessageById(ref).downloadMedia().
    ref: msg.id._serialized,
  };
}
