import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import { CITY_LOOKUP_KEYS } from '../db/schema/index.ts';

// The questions /metrics asks the database at every scrape. Each is one grouped count over an indexed
// column, cheap enough to answer every 15 seconds even with a city-wide round of invitations queued.

/** Outbox rows waiting (`pending`) or in a sender's hands (`sending`), by channel. */
export async function outboxDepth(database: Database): Promise<{ channel: string; status: string; n: number }[]> {
  const rows = rowsOf<{ channel: string; status: string; n: number | string }>(
    await database.db.execute(sql`select channel, status, count(*) as n from outbox where status in ('pending', 'sending') group by channel, status`),
  );
  return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
}

/**
 * Per channel, how long the longest-waiting due message has waited: counted from when it was queued or
 * became due, whichever is later, so a reminder held for quiet hours or a row backing off after a failed
 * try does not look stuck. Rows not yet due are left out.
 */
export async function outboxOldestAge(database: Database, now: Date): Promise<{ channel: string; seconds: number }[]> {
  const at = now.toISOString();
  const rows = rowsOf<{ channel: string; seconds: number | string }>(
    await database.db.execute(sql`
      select channel, extract(epoch from (${at}::timestamptz - min(greatest(created_at, not_before))))::float8 as seconds
      from outbox
      where status = 'pending' and not_before <= ${at}::timestamptz
      group by channel`),
  );
  return rows.map((r) => ({ channel: r.channel, seconds: Math.max(0, Number(r.seconds)) }));
}

/** Complaints by status. */
export async function complaintCounts(database: Database): Promise<{ status: string; n: number }[]> {
  const rows = rowsOf<{ status: string; n: number | string }>(await database.db.execute(sql`select status, count(*) as n from complaints group by status`));
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/**
 * Identity checks city-wide: how many the current minute has counted (services/identity/limits.ts keeps the
 * window), and how many minutes of the last day went over IDENTITY_ALERT_PER_MINUTE (each such minute writes
 * one `identity.volume` audit row). A sudden rise is someone harvesting the registry.
 */
export async function identityVolume(database: Database, now: Date): Promise<{ lastMinute: number; alertsLastDay: number }> {
  const at = now.toISOString();
  const [row] = rowsOf<{ last_minute: number | string | null; alerts: number | string }>(
    await database.db.execute(sql`
      select
        (select sum(count) from identity_lookup_limits where key = any(${CITY_LOOKUP_KEYS}::text[]) and window_start > ${at}::timestamptz - interval '1 minute') as last_minute,
        (select count(*) from audit_log where created_at > ${at}::timestamptz - interval '1 day' and action = 'identity.volume') as alerts`),
  );
  return { lastMinute: Number(row?.last_minute ?? 0), alertsLastDay: Number(row?.alerts ?? 0) };
}
