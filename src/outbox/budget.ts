import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import type { Channel } from '../domain/vocabulary.ts';

// A token bucket per channel, kept in Postgres so that every process draws from the same one. The bucket
// refills at 95.5% of the limit and holds at most 1.5% of a second's worth, so no sliding one-second window
// of claims can hold more than 97% of the limit: 0.955·rate·1 s + 0.015·rate. The last 3% is room for what the
// network does between our claim and the provider's clock (a batch delayed a few milliseconds lands next to
// the following one); the issue asks for at least 95% sustained and never above the limit at the provider.
const REFILL_SHARE = 0.955;
const BURST_SHARE = 0.015;

export interface Budget {
  /** Whole messages that may be claimed now. */
  granted: number;
  /** When nothing is granted: how long until one message's worth has refilled. */
  waitMs: number;
}

/**
 * Takes up to `want` tokens for `channel`. Must run inside the claim's transaction: the row lock holds other
 * processes back until this one has decided how many rows it takes, and `settle` gives back what went unused.
 *
 * Nothing is granted until `min(want, half the bucket)` tokens are there, so a busy channel is claimed in
 * batches of a useful size rather than a row or two every few milliseconds (each claim is a transaction).
 */
export async function takeBudget(db: Db, channel: Channel, perSecond: number, want: number): Promise<Budget & { settle(used: number): Promise<void> }> {
  const rate = perSecond * REFILL_SHARE;
  // At a low limit (the Cloud API's 80/s) 1.5% is barely one message: a claim a few milliseconds late then
  // finds the bucket full and the refill spilling, and the sustained rate falls under 95%. Two messages of
  // room (at most 2.5% of the limit) keep the worst window at 0.955·80 + 2 = 78.4 of 80.
  const cap = Math.max(1, perSecond * BURST_SHARE, Math.min(2, perSecond * 0.025));
  const enough = Math.max(1, Math.min(want, Math.floor(cap / 2)));
  await db.execute(sql`insert into channel_budgets (channel, tokens, refilled_at) values (${channel}, ${cap}, now()) on conflict do nothing`);
  // The refill is counted up to `at`, the moment read here, and `settle` stores that same moment: time spent
  // between this read and the settle (the claim itself) is credited on the next take, not lost.
  const [row] = rowsOf<{ tokens: number; elapsed: number; at: string }>(
    await db.execute(
      sql`select tokens, extract(epoch from (clock_timestamp() - refilled_at))::float8 as elapsed, clock_timestamp()::text as at
          from channel_budgets where channel = ${channel} for update`,
    ),
  );
  const available = Math.min(cap, Number(row!.tokens) + Math.max(0, Number(row!.elapsed)) * rate);
  const granted = available >= enough ? Math.max(0, Math.min(want, Math.floor(available))) : 0;
  return {
    granted,
    waitMs: granted > 0 ? 0 : Math.max(1, Math.ceil(((enough - available) / rate) * 1000)),
    async settle(used: number) {
      await db.execute(sql`update channel_budgets set tokens = ${available - used}, refilled_at = ${row!.at}::timestamptz where channel = ${channel}`);
    },
  };
}
