import type { Database } from '../../db/client.ts';
import type { Logger } from '../../log.ts';
import { recordDeliveryReports, type DeliveryReport } from '../../outbox/statuses.ts';
import { sentProviderIds } from '../../outbox/sent-ids.ts';

/**
 * whatsapp-web.js's `MessageAck` (src/util/Constants.js), the ticks a sender sees under a message. Kept here
 * rather than imported so that loading this file does not load the library and puppeteer (see client.ts);
 * a test checks the values against the library's own.
 */
export const MESSAGE_ACK = { ERROR: -1, PENDING: 0, SERVER: 1, DEVICE: 2, READ: 3, PLAYED: 4 } as const;

/** The part of whatsapp-web.js's Message that a `message_ack` event needs. */
export interface AckedMessageLike {
  id: { _serialized: string; fromMe: boolean };
}

/** The reason of a message WhatsApp gave up on after accepting it; not unreachable (the number exists). */
export const ACK_ERROR_REASON = 'delivery_failed (WhatsApp Web reported an error for this message)';

/**
 * What one ack says of our message: two grey ticks (on the phone) → delivered, blue ticks or a played voice
 * note → read, a red mark → failed. One tick (the server has it) or a clock adds nothing to "sent".
 */
export function reportOfAck(providerMessageId: string, ack: number, at: Date): DeliveryReport {
  if (ack === MESSAGE_ACK.DEVICE) return { providerMessageId, status: 'delivered', at };
  if (ack === MESSAGE_ACK.READ || ack === MESSAGE_ACK.PLAYED) return { providerMessageId, status: 'read', at };
  if (ack === MESSAGE_ACK.ERROR) return { providerMessageId, status: 'failed', reason: ACK_ERROR_REASON, unreachable: false, at };
  return { providerMessageId, status: 'noted' };
}

export interface AckRecorderTiming {
  /**
   * Waits before asking again for an ack whose outbox row does not carry the message's id yet. The sum
   * outlasts the dispatcher's own tries to mark a row sent (half its claim, one minute by default).
   */
  ackRetryMs: readonly number[];
}

export const DEFAULT_ACK_TIMING: AckRecorderTiming = { ackRetryMs: [1_000, 4_000, 15_000, 60_000] };

// Acks waiting for their row, at most; beyond it they are counted and let go (the dispatcher or the
// database is in trouble then, and the acks are a nicety, not the message).
const MAX_WAITING = 1_000;

export interface AckRecorder {
  /** A `message_ack` event of the client: recorded on the outbox row, now or shortly. */
  take(message: AckedMessageLike, ack: number): void;
  /** Forgets the acks still waiting and lets the ones being written finish; takes no more after. */
  stop(): Promise<void>;
}

/**
 * Writes WhatsApp Web's acks to the outbox (delivered_at, read_at; an error fails the row with its reason).
 *
 * The race: an ack can arrive before the dispatcher has marked the row sent with the message's id (the ack
 * follows the send within a second; the marking waits for the send's return and a commit, and longer while
 * the database is away). An ack that finds no row is therefore asked again a few times over about a minute,
 * with the time it arrived, instead of being stored elsewhere first: the outbox row is the one place the
 * state lives, so there is nothing to reconcile, and an ack of a message that is not ours (one sent by hand
 * from the office phone, an earlier part of a split message) costs a few lookups and is then let go.
 */
export function createAckRecorder(database: Database, logger: Logger, timing: AckRecorderTiming = DEFAULT_ACK_TIMING): AckRecorder {
  const waiting = new Set<NodeJS.Timeout>();
  const writing = new Set<Promise<void>>();
  let stopped = false;

  async function apply(report: DeliveryReport): Promise<boolean> {
    return database.db.transaction(async (tx) => {
      const known = await sentProviderIds(tx, 'whatsapp_web', [report.providerMessageId]);
      if (!known.has(report.providerMessageId)) return false;
      await recordDeliveryReports(tx, 'whatsapp_web', [report]);
      return true;
    });
  }

  function attempt(report: DeliveryReport, tries: number): void {
    const done: Promise<void> = apply(report)
      .then(
        (matched) => {
          if (!matched) later(report, tries);
        },
        (err: unknown) => {
          // Never the message id: it holds the phone number (the err serializer drops query parameters).
          logger.warn({ err, status: report.status }, 'whatsapp web ack not recorded; trying again');
          later(report, tries);
        },
      )
      .finally(() => writing.delete(done));
    writing.add(done);
  }

  function later(report: DeliveryReport, tries: number): void {
    const wait = timing.ackRetryMs[tries];
    if (stopped) return;
    if (wait === undefined || waiting.size >= MAX_WAITING) {
      logger.debug({ status: report.status, tries: tries + 1 }, 'whatsapp web ack matches no sent message; let go');
      return;
    }
    const timer = setTimeout(() => {
      waiting.delete(timer);
      if (!stopped) attempt(report, tries + 1);
    }, wait);
    timer.unref();
    waiting.add(timer);
  }

  return {
    take(message, ack) {
      // Acks come for the resident's messages too (when the office phone reads them): only ours matter.
      if (stopped || !message.id.fromMe) return;
      const report = reportOfAck(message.id._serialized, ack, new Date());
      if (report.status === 'noted') return;
      attempt(report, 0);
    },
    async stop() {
      stopped = true;
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
      await Promise.allSettled([...writing]);
    },
  };
}
