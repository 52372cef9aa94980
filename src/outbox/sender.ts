import type { Channel } from '../domain/vocabulary.ts';
import type { OutboundMessage } from '../messages/types.ts';

// The contract between the outbox dispatcher and a channel. It lives with the outbox, which drives it; each
// channel implements it, so the arrow runs from channels down to the outbox and never back.

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
  /** Most messages that open a new conversation in any 24 hours (WhatsApp Cloud: Meta's messaging limit). */
  newConversationsPerDay?: number;
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
  /**
   * For a channel that reaches only some chats from this process (the web chat reaches the pages open here):
   * their chat ids. The dispatcher then claims only their rows, and none while the list is empty, so a row
   * waits in the outbox until its chat can take it, in whichever process that is.
   */
  reachableChats?(): readonly string[];
}

/** What the outbox dispatcher reports once a send is settled. */
export interface OutboundMetrics {
  /** `exhausted`: this was the row's last allowed attempt, so a retryable trouble settles it as failed. */
  outbound(channel: Channel, result: SendResult, exhausted: boolean): void;
}
