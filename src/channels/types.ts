import type { Channel } from '../db/schema/index.ts';
import type { Option } from '../conversation/types.ts';

/**
 * What is stored in `outbox.payload` and handed to a channel to send. Channels render it their way:
 * inline keyboards (Telegram), numbered lists (WhatsApp Web), interactive buttons or lists (Cloud API).
 */
export interface OutboundMessage {
  text: string;
  options?: Option[];
  /** An image to send with the text as caption, e.g. an invitation's QR code (PNG, base64). */
  image?: { pngBase64: string; fileName?: string };
  /**
   * An invitation code whose QR image the dispatcher draws into `image` just before sending. Stored instead
   * of the PNG, so a city-wide round of 100,000 invitations queues in seconds and the outbox stays small.
   */
  qrCode?: string;
  /** A document, e.g. a receipt PDF. */
  document?: { base64: string; mimeType: string; fileName: string };
  /**
   * For WhatsApp Cloud outside the 24-hour window, where only approved templates may be sent: which kind of
   * template (names are settings) and its body parameters. Absent on ordinary replies.
   */
  template?: { kind: 'notice' | 'invitation' | 'reminder'; params: string[] };
}

/** Who a message goes to, as the dispatcher knows it from `contacts`. */
export interface Recipient {
  contactId: number;
  chatId: string;
  language: string | null;
  /** The resident's last message; the WhatsApp Cloud 24-hour window counts from it. */
  lastInboundAt: Date | null;
}

export type SendResult =
  /** Accepted by the provider. */
  | { status: 'sent'; providerMessageId?: string }
  /** Not now: rate limited (429 / 130429), server error or network. `retryAfterMs` when the provider says. */
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  /** Never: bot blocked, number not on WhatsApp, invalid number, outside the 24-hour window without a template. */
  | { status: 'failed'; reason: string; unreachable: boolean };

export interface ChannelLimits {
  /** Messages per second for the whole channel, shared by every process on the database. */
  perSecond: number;
  /** Least time between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Extra random wait per message, [min, max] ms (whatsapp-web.js: look less like a bot). */
  jitterMs?: [number, number];
}

/** One channel's way out. The outbox dispatcher owns when; the sender owns how. */
export interface ChannelSender {
  readonly channel: Channel;
  readonly limits: ChannelLimits;
  send(to: Recipient, message: OutboundMessage): Promise<SendResult>;
  /**
   * False while this process cannot send at all (WhatsApp Web waiting for its QR, or another process holds
   * the session): the dispatcher then leaves the channel's rows for whoever can.
   */
  ready?(): boolean;
}

/** What /health and the console show of a channel (WhatsApp Web: qr, authenticated, ready, ...). */
export type ChannelStatus = Record<string, unknown>;
