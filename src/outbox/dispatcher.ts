import { eq, sql } from 'drizzle-orm';
import type { ChannelSender, Recipient, SendResult } from './sender.ts';
import type { OutboundMessage } from '../messages/types.ts';
import { withImages } from './images.ts';
import { idArray, textArray } from '../db/arrays.ts';
import type { Database } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import { contacts, outbox } from '../db/schema/index.ts';
import { type Channel } from '../domain/vocabulary.ts';
import type { Logger } from '../log.ts';
import type { OutboundMetrics } from './sender.ts';
import { backoffMs, MAX_ATTEMPTS } from './backoff.ts';
import { takeBudget } from './budget.ts';
import { claimDue, type ClaimedRow } from './claim.ts';

/** A sender that can tell, after a crash, whether an interrupted message reached the resident. */
export interface Reconciler {
  reconcile(to: Recipient, message: OutboundMessage, attemptedAt: Date): Promise<'delivered' | 'not_delivered' | 'unknown'>;
}

export interface DispatcherOptions {
  pollMs: number;
  /** Most rows one claim takes (also bounded by the channel's budget). */
  batchSize?: number;
  /** Most rows out at the provider at once, over all batches of a channel. */
  maxInFlight?: number;
  /** How long a claim lasts; longer than any send may take. After it, the row counts as interrupted. */
  claimTtlMs?: number;
  random?: () => number;
  /** Counts each settled send by channel and result. */
  metrics?: OutboundMetrics;
}

type Unsent = Exclude<SendResult, { status: 'sent' }>;

export const INTERRUPTED = 'interrupted: the process stopped while sending; delivery unknown, not sent again';

/**
 * Sends what the outbox holds, channel by channel, in every process. Each channel runs its own loop, so a
 * slow channel (WhatsApp Web) never holds up a fast one. See claim.ts for order and budget.ts for limits.
 */
export class Dispatcher {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly loops = new Map<Channel, Promise<void>>();
  private readonly wakers = new Set<() => void>();
  private running = false;
  /** Channels started alone (startChannel), without the rest of the dispatcher. */
  private readonly startedAlone = new Set<Channel>();
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly claimTtlMs: number;
  private readonly random: () => number;
  private reconcileTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly opts: DispatcherOptions,
  ) {
    this.batchSize = opts.batchSize ?? 100;
    this.maxInFlight = opts.maxInFlight ?? 500;
    this.claimTtlMs = opts.claimTtlMs ?? 120_000;
    this.random = opts.random ?? Math.random;
  }

  register(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
    if (this.running) this.startLoop(sender);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.reconcile().catch((err) => this.logger.warn({ err }, 'outbox reconcile failed'));
    // Often enough that an interrupted row is settled soon after its claim runs out.
    this.reconcileTimer = setInterval(() => {
      this.reconcile().catch((err) => this.logger.warn({ err }, 'outbox reconcile failed'));
    }, Math.min(60_000, Math.max(1000, this.claimTtlMs / 4)));
    this.reconcileTimer.unref();
    for (const sender of this.senders.values()) this.startLoop(sender);
  }

  /**
   * Runs one channel's loop without the others and without reconciling: a test app serves its open web chat
   * pages this way while the test drives every other channel itself. The service uses start().
   */
  startChannel(channel: Channel): void {
    this.startedAlone.add(channel);
    this.startLoop(this.senderFor(channel));
  }

  /** Finishes the sends in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.startedAlone.clear();
    clearInterval(this.reconcileTimer);
    this.wake();
    await Promise.all(this.loops.values());
    this.loops.clear();
  }

  /** Look for work now instead of at the next poll (a reply was just queued). */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** One claim-and-send round for a channel; returns how many rows it handled. Tests drive it directly. */
  async runOnce(channel: Channel): Promise<{ handled: number; waitMs: number }> {
    const sender = this.senderFor(channel);
    const { rows, waitMs } = await this.claim(sender);
    if (rows.length === 0) return { handled: 0, waitMs };
    await this.deliverAll(sender, rows);
    return { handled: rows.length, waitMs: 0 };
  }

  private senderFor(channel: Channel): ChannelSender {
    const sender = this.senders.get(channel);
    if (!sender) throw new Error(`no sender registered for ${channel}`);
    return sender;
  }

  /** Takes what the channel's budget allows now; rows come back `sending`, committed. */
  private async claim(sender: ChannelSender): Promise<{ rows: ClaimedRow[]; waitMs: number }> {
    if (sender.ready && !sender.ready()) return { rows: [], waitMs: this.opts.pollMs };
    const chatIds = sender.reachableChats?.();
    if (chatIds?.length === 0) return { rows: [], waitMs: this.opts.pollMs };
    // WhatsApp Web sends one message at a time with a human pause; the others take a batch.
    const want = sender.limits.jitterMs ? 1 : this.batchSize;
    return this.database.db.transaction(async (tx) => {
      const budget = await takeBudget(tx, sender.channel, sender.limits.perSecond, want);
      const rows = budget.granted > 0 ? await claimDue(tx, sender.channel, budget.granted, sender.limits.perChatIntervalMs, this.claimTtlMs, chatIds, sender.limits.newConversationsPerDay) : [];
      await budget.settle(rows.length);
      return { rows, waitMs: budget.waitMs };
    });
  }

  /** Sends a claimed batch, then settles it: the sent ones in one statement, the rest one by one. */
  private async deliverAll(sender: ChannelSender, rows: ClaimedRow[]): Promise<void> {
    const claimedAt = Date.now();
    const results = await Promise.all(rows.map((row) => this.send(sender, row)));
    const sent: { id: number; providerMessageId: string | null }[] = [];
    const others: [ClaimedRow, Unsent][] = [];
    for (const [i, row] of rows.entries()) {
      const result = results[i]!;
      if (result.status === 'sent') sent.push({ id: row.id, providerMessageId: result.providerMessageId ?? null });
      else others.push([row, result]);
    }
    if (sent.length) await this.persist(claimedAt, () => markSent(this.database, sent));
    await Promise.all(others.map(([row, result]) => this.persist(claimedAt, () => this.settle(row, result))));
    for (const [i, row] of rows.entries()) this.opts.metrics?.outbound(sender.channel, results[i]!, row.attempts >= MAX_ATTEMPTS);
    const jitter = sender.limits.jitterMs;
    if (jitter) await sleep(jitter[0] + this.random() * (jitter[1] - jitter[0]));
  }

  /**
   * Rows left `sending` by a process that died. Where the channel can check (WhatsApp Web looks at the chat)
   * they are settled either way; elsewhere they are failed with a reason staff can see, because sending
   * again could deliver twice. This is the one place we choose "at most once" over "at least once".
   */
  async reconcile(): Promise<number> {
    const stale = await this.database.db
      .select({ id: outbox.id, channel: outbox.channel, payload: outbox.payload, claimedUntil: outbox.claimedUntil, contactId: outbox.contactId })
      .from(outbox)
      .where(sql`${outbox.status} = 'sending' and ${outbox.claimedUntil} < now()`)
      .limit(1000);
    for (const row of stale) {
      const sender = this.senders.get(row.channel) as (ChannelSender & Partial<Reconciler>) | undefined;
      // A channel that can check but is not connected yet (WhatsApp Web before `ready`): ask it later.
      if (sender?.reconcile && sender.ready && !sender.ready()) continue;
      let verdict: 'delivered' | 'not_delivered' | 'unknown' = 'unknown';
      if (sender?.reconcile) {
        const [c] = await this.database.db.select().from(contacts).where(eq(contacts.id, row.contactId));
        const attemptedAt = new Date((row.claimedUntil?.getTime() ?? Date.now()) - this.claimTtlMs);
        verdict = await sender
          .reconcile({ contactId: row.contactId, chatId: c!.externalId, language: c!.language, lastInboundAt: c!.lastInboundAt }, row.payload as unknown as OutboundMessage, attemptedAt)
          .catch(() => 'unknown' as const);
      }
      const set =
        verdict === 'delivered'
          ? { status: 'sent' as const, sentAt: new Date(), claimedUntil: null }
          : verdict === 'not_delivered'
            ? { status: 'pending' as const, claimedUntil: null }
            : { status: 'failed' as const, lastError: INTERRUPTED, claimedUntil: null };
      // Only if still stale: another process may have settled it meanwhile.
      await this.database.db.update(outbox).set(set).where(sql`${outbox.id} = ${row.id} and ${outbox.status} = 'sending'`);
    }
    if (stale.length) this.logger.warn({ rows: stale.length }, 'settled interrupted outbox rows');
    return stale.length;
  }

  /**
   * Claims again as soon as the budget allows instead of waiting for the batch before: the budget alone paces
   * the channel, so a provider's round trip no longer caps the rate. At most `maxInFlight` rows are out at
   * once, which also bounds what a crash leaves `sending`. WhatsApp Web stays strictly one after another.
   */
  private startLoop(sender: ChannelSender) {
    if (this.loops.has(sender.channel)) return;
    const inFlight = new Set<Promise<void>>();
    let out = 0;
    const loop = (async () => {
      while (this.running || this.startedAlone.has(sender.channel)) {
        try {
          if (out >= this.maxInFlight) {
            await Promise.race(inFlight);
            continue;
          }
          const { rows, waitMs } = await this.claim(sender);
          if (rows.length === 0) {
            await this.idle(waitMs > 0 ? Math.min(waitMs, this.opts.pollMs) : this.opts.pollMs);
            continue;
          }
          const batch = this.deliverAll(sender, rows);
          if (sender.limits.jitterMs) {
            await batch;
            continue;
          }
          out += rows.length;
          const tracked: Promise<void> = batch
            .catch((err) => this.logger.warn({ err, channel: sender.channel }, 'outbox batch not settled; the rows are reconciled later'))
            .finally(() => {
              out -= rows.length;
              inFlight.delete(tracked);
            });
          inFlight.add(tracked);
        } catch (err) {
          // Database down or similar: nothing was lost (rows stay pending or are reconciled); try again later.
          this.logger.warn({ err, channel: sender.channel }, 'outbox round failed');
          await this.idle(Math.max(this.opts.pollMs, 1000));
        }
      }
      await Promise.all(inFlight);
    })();
    this.loops.set(sender.channel, loop);
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /**
   * Writes how a send ended, trying again while the database is away: this process knows the outcome, and a
   * row left `sending` would be failed as "delivery unknown" once its claim ran out. Gives up (the row is then
   * reconciled) only when stopping or when half the claim is gone, so no other process can have taken it.
   */
  private async persist(claimedAt: number, write: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!this.running || Date.now() - claimedAt > this.claimTtlMs / 2) throw err;
        await sleep(Math.min(250 * 2 ** attempt, 5000));
      }
    }
  }

  private async send(sender: ChannelSender, row: ClaimedRow): Promise<SendResult> {
    if (row.unreachable) return { status: 'failed', reason: 'contact_unreachable', unreachable: false };
    try {
      return await sender.send(row.recipient, withImages(row.payload));
    } catch (err) {
      // A sender should map its errors; one that throws is treated as passing trouble.
      return { status: 'retry', reason: err instanceof Error ? err.message.slice(0, 200) : 'send failed' };
    }
  }

  /** A send that did not go out: tried again later, or failed with its reason. (Sent rows: markSent.) */
  private async settle(row: ClaimedRow, result: Unsent): Promise<void> {
    const db = this.database.db;
    if (result.status === 'retry' && row.attempts < MAX_ATTEMPTS) {
      const delay = result.retryAfterMs ?? backoffMs(row.attempts, this.random);
      await db
        .update(outbox)
        .set({ status: 'pending', notBefore: new Date(Date.now() + delay), lastError: result.reason.slice(0, 500), claimedUntil: null })
        .where(eq(outbox.id, row.id));
      return;
    }
    const reason = result.status === 'retry' ? `gave up after ${row.attempts} attempts: ${result.reason}` : result.reason;
    await db.transaction(async (tx) => {
      await tx.update(outbox).set({ status: 'failed', lastError: reason.slice(0, 500), claimedUntil: null }).where(eq(outbox.id, row.id));
      if (result.status === 'failed' && result.unreachable) {
        await tx.update(contacts).set({ unreachableAt: new Date(), unreachableReason: reason.slice(0, 200) }).where(eq(contacts.id, row.recipient.contactId));
      }
    });
  }
}

/** Settles sent rows in one statement: a batch of 50 costs one commit, not 50. */
async function markSent(database: Database, rows: { id: number; providerMessageId: string | null }[]): Promise<void> {
  const ids = idArray(rows.map((r) => r.id));
  const providerIds = textArray(rows.map((r) => r.providerMessageId));
  await database.db.execute(sql`
    update outbox o set status = 'sent', sent_at = clock_timestamp(), provider_message_id = v.provider_message_id, claimed_until = null
    from (select unnest(${ids}) as id, unnest(${providerIds}) as provider_message_id) v
    where o.id = v.id`);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Counts of outbox rows by status for a channel, for /health and tests. */
export async function outboxCounts(database: Database, channels?: Channel[]): Promise<Record<string, number>> {
  const where = channels?.length ? sql`where channel in (${sql.join(channels.map((c) => sql`${c}`), sql`, `)})` : sql``;
  const rows = rowsOf<{ status: string; n: number | string }>(await database.db.execute(sql`select status, count(*) as n from outbox ${where} group by status`));
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
