import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import type { Channel } from '../db/schema/index.ts';

// A token bucket per channel, kept in Postgres so that every process draws from the same one. The bucket
// refills at 95% of the limit and holds at most 5% of a second's worth, so that no sliding one-second window
// can ever see more than the limit: 0.95·rate·1 s + 0.05·rate = rate.
const REFILL_SHARE = 0.95;
const BURST_SHARE = 0.05;

export interface Budget {
  /** Whole messages that may be claimed now. */
  granted: number;
  /** When nothing is granted: how long until one message's worth has refilled. */
  waitMs: number;
}

/**
 * Takes up to `want` tokens for `channel`. Must run inside the claim's transaction: the row lock holds other
 * processes back until this one has decided how many rows it takes, and `settle` gives back what went unused.
 */
export async function takeBudget(db: Db, channel: Channel, perSecond: number, want: number): Promise<Budget & { settle(used: number): Promise<void> }> {
  const rate = perSecond * REFILL_SHARE;
  const cap = Math.max(1, perSecond * BURST_SHARE);
  await db.execute(sql`insert into channel_budgets (channel, tokens, refilled_at) values (${channel}, ${cap}, now()) on conflict do nothing`);
  const [row] = rowsOf<{ tokens: number; elapsed: number }>(
    await db.execute(
      sql`select tokens, extract(epoch from (clock_timestamp() - refilled_at))::float8 as elapsed from channel_budgets where channel = ${channel} for update`,
    ),
  );
  const available = Math.min(cap, Number(row!.tokens) + Math.max(0, Number(row!.elapsed)) * rate);
  const granted = Math.max(0, Math.min(want, Math.floor(available)));
  return {
    granted,
    waitMs: granted > 0 ? 0 : Math.ceil(((1 - available) / rate) * 1000),
    async settle(used: number) {
      await db.execute(sql`update channel_budgets set tokens = ${available - used}, refilled_at = clock_timestamp() where channel = ${channel}`);
    },
  };
}
