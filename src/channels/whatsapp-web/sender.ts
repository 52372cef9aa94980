import type { Locale } from '../../domain/vocabulary.ts';
import { scrubDigits } from '../../log.ts';
import type { ChannelSender, Recipient, SendResult } from '../../outbox/sender.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import type { ClientLike, SentMessageLike } from './client.ts';
import { createNumberCheck, type NumberCheck } from './number-check.ts';
import { renderWhatsappWeb, whatsappWebTexts, type MediaSpec, type WhatsappWebPart } from './render.ts';

/** What the sender needs of the adapter's session: the client, only while it can send. */
export interface WhatsappWebSession {
  /** The client when WhatsApp Web is `ready`; undefined while starting, pairing, reconnecting or on standby. */
  readyClient(): ClientLike | undefined;
  createMedia(spec: MediaSpec): unknown;
}

export interface WhatsappWebSenderConfig {
  minIntervalMs: number;
  maxIntervalMs: number;
  defaultLocale?: Locale;
}

export interface WhatsappWebSenderOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Remembers numbers found on WhatsApp for the process's lifetime; one per sender by default. */
  numberCheck?: NumberCheck;
}

/** After a crash: did an interrupted message reach the chat? Matches the dispatcher's Reconciler. */
export type ReconcileVerdict = 'delivered' | 'not_delivered' | 'unknown';

export interface WhatsappWebSender extends ChannelSender {
  /** True while the session can send. The dispatcher should not claim this channel's rows while it is false. */
  ready(): boolean;
  reconcile(to: Recipient, message: OutboundMessage, attemptedAt: Date): Promise<ReconcileVerdict>;
}

export const NOT_READY = 'whatsapp_web_not_ready';
/** The reason of a first message to a number without WhatsApp; the code before any detail groups failures for staff. */
export const NOT_ON_WHATSAPP = 'not_on_whatsapp';
export const NUMBER_CHECK_FAILED = 'whatsapp_web: could not check the number';

// whatsapp-web.js names a bad or unknown number in these ways (the error comes from WhatsApp Web's own code,
// run in the page): an id that is not a WhatsApp id at all, and a number that has no WhatsApp account.
const INVALID_ID = [/invalid wid/i, /wid error/i];
// A message split in parts: once the first part is out, trouble with a later one is waited out here rather
// than handed back, because a retry of the row would send the first part again.
const CONTINUATION_TRIES = 3;
// How far back from the claim to look for our message in the chat (clock differences between us and WhatsApp).
const RECONCILE_SLACK_MS = 60_000;
const RECONCILE_LOOKBACK = 50;

/**
 * The way out through WhatsApp Web. Slow on purpose: WhatsApp bans numbers that behave like bots (many
 * messages at a steady, machine-like pace), so the dispatcher sends one message at a time, waits a random
 * WHATSAPP_WEB_MIN_INTERVAL_MS…MAX_INTERVAL_MS after each, and never writes to a chat twice within the
 * minimum interval. Bulk sends (invitations to thousands) belong on the WhatsApp Cloud API.
 */
export function createWhatsappWebSender(session: WhatsappWebSession, config: WhatsappWebSenderConfig, opts: WhatsappWebSenderOptions = {}): WhatsappWebSender {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const gapBetweenParts = Math.min(1000, config.minIntervalMs);
  const numbers = opts.numberCheck ?? createNumberCheck();

  return {
    channel: 'whatsapp_web',
    limits: {
      // Under one a second for the whole channel; in practice the jitter below sets the pace (one per 2–4 s).
      perSecond: 0.9,
      perChatIntervalMs: config.minIntervalMs,
      jitterMs: [config.minIntervalMs, config.maxIntervalMs],
    },
    ready: () => session.readyClient() !== undefined,

    async send(to, message) {
      const client = session.readyClient();
      if (!client) return { status: 'retry', reason: NOT_READY };
      // The office writes first (an invitation to a phone from the registry): the number may have no WhatsApp
      // at all. Ask before sending, so that nothing goes out and staff see why (the outbox marks the contact
      // unreachable, and the family goes to the call-down list). A chat that wrote to us exists: not asked.
      if (to.lastInboundAt === null) {
        const verdict = await numbers.check(client, to.chatId);
        if (verdict === 'error') return { status: 'retry', reason: NUMBER_CHECK_FAILED };
        if (verdict === 'not_on_whatsapp') return { status: 'failed', reason: NOT_ON_WHATSAPP, unreachable: true };
      }

      const parts = renderWhatsappWeb(message, whatsappWebTexts(to.language, config.defaultLocale));
      let lastId: string | undefined;
      for (const [i, part] of parts.entries()) {
        if (i > 0) await sleep(gapBetweenParts);
        for (let attempt = 1; ; attempt++) {
          const current = session.readyClient();
          let result: SendResult;
          if (!current) {
            result = { status: 'retry', reason: NOT_READY };
          } else {
            try {
              const sent = await sendPart(current, session, to.chatId, part);
              if (sent) {
                lastId = sent.id._serialized;
                break;
              }
              // whatsapp-web.js returns nothing when WhatsApp Web could not open the chat.
              result = await classify(current, to.chatId, undefined, numbers);
            } catch (err) {
              result = await classify(current, to.chatId, err, numbers);
            }
          }
          if (i === 0 || result.status === 'failed') return result;
          if (attempt >= CONTINUATION_TRIES) {
            // Handing the row back means its first parts go again: a repeated paragraph is better than a lost one.
            return { ...result, reason: `${result.reason} (after ${i} of ${parts.length} parts; earlier parts will repeat)` };
          }
          await sleep(1000 * attempt);
        }
      }
      // The row keeps the serialized id of the last part (the one that carries the words): the dispatcher stores
      // it, and the delivery ticks WhatsApp sends for that message find the row by it (acks.ts).
      return lastId === undefined ? { status: 'sent' } : { status: 'sent', providerMessageId: lastId };
    },

    async reconcile(to, message, attemptedAt) {
      const client = session.readyClient();
      if (!client?.getChatById) return 'unknown';
      const expected = renderWhatsappWeb(message, whatsappWebTexts(to.language, config.defaultLocale))
        .map((p) => (p.kind === 'text' ? p.body : (p.caption ?? '')).trim())
        .filter(Boolean);
      // A bare image without words cannot be told apart from another one.
      if (expected.length === 0) return 'unknown';
      try {
        const chat = await client.getChatById(to.chatId);
        const recent = await chat.fetchMessages({ limit: RECONCILE_LOOKBACK, fromMe: true });
        const after = attemptedAt.getTime() - RECONCILE_SLACK_MS;
        const ours = recent.filter((m) => m.fromMe && (m.timestamp === undefined || m.timestamp * 1000 >= after));
        // Any part seen counts as delivered: sending the whole message again would repeat what the resident has.
        const found = ours.some((m) => expected.includes((m.body ?? '').trim()));
        return found ? 'delivered' : 'not_delivered';
      } catch {
        return 'unknown';
      }
    },
  };
}

async function sendPart(client: ClientLike, session: WhatsappWebSession, chatId: string, part: WhatsappWebPart): Promise<SentMessageLike | null | undefined> {
  // No link previews: WhatsApp fetches them from our side, which is slow, and they add nothing to our texts.
  if (part.kind === 'text') return client.sendMessage(chatId, part.body, { linkPreview: false });
  const media = session.createMedia(part.media);
  return client.sendMessage(chatId, media, {
    ...(part.caption ? { caption: part.caption } : {}),
    ...(part.asDocument ? { sendMediaAsDocument: true } : {}),
  });
}

/**
 * What a failed send means for the outbox row. whatsapp-web.js gives no error codes: a number without
 * WhatsApp shows up as "No LID for user", an empty result, or something else again depending on WhatsApp Web's
 * version. So after any failure we ask WhatsApp whether the number exists (isRegisteredUser): no → the resident
 * cannot be reached there (staff see it); yes or no answer → passing trouble (page reloading, network), retried.
 */
export async function classify(client: ClientLike, chatId: string, err: unknown, numbers: NumberCheck = createNumberCheck()): Promise<Extract<SendResult, { status: 'retry' | 'failed' }>> {
  const message = err instanceof Error ? err.message : err === undefined ? 'chat could not be opened' : String(err);
  // The reason is shown to staff and kept in the outbox; the number is already on the contact, not repeated here.
  const detail = scrubDigits(message).replace(/\s+/g, ' ').slice(0, 250);
  if (INVALID_ID.some((re) => re.test(message))) return { status: 'failed', reason: `recipient_unreachable (invalid WhatsApp id: ${detail})`, unreachable: true };
  if ((await numbers.askAgain(client, chatId)) === 'not_on_whatsapp') {
    return { status: 'failed', reason: `${NOT_ON_WHATSAPP} (${detail})`, unreachable: true };
  }
  return { status: 'retry', reason: `whatsapp_web: ${detail}` };
}
