import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';

// Meta lets a business open only so many new conversations in 24 hours (WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS).
// A fan-out bigger than what is left today is spread over the days it needs when it is queued: day k's rows
// wait until `sendFrom + k × 24 h`, the same clock time, so they also fall in the waking hours and each day's
// openings age out of Meta's rolling window before the next day's start. The dispatcher still holds the limit
// at the last moment (outbox/claim.ts); this spreading is what lets the console say when the last family is
// reached, and keeps the rows of later days out of the claim's way.

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpeningPlan {
  /** For each new opening, in order: when it may go. */
  notBefore: Date[];
  /** When the last of them may go; null when there are none. */
  lastAt: Date | null;
  /** How many days they span (1 = all today). */
  days: number;
}

export async function planOpenings(db: Db, count: number, perDay: number, sendFrom: Date): Promise<OpeningPlan> {
  if (count === 0) return { notBefore: [], lastAt: null, days: 0 };
  const from = sendFrom.toISOString();
  // Openings already sent in the 24 hours before sendFrom, or being sent, count on day 0; pending ones on the
  // day they are due (those due before sendFrom on day 0 too).
  const rows = rowsOf<{ k: number | string; n: number | string }>(
    await db.execute(sql`
      select greatest(0, floor(extract(epoch from (not_before - ${from}::timestamptz)) / 86400))::int as k, count(*) as n
      from outbox where channel = 'whatsapp_cloud' and opens_conversation and status = 'pending'
      group by 1
      union all
      select 0, count(*) from outbox
      where channel = 'whatsapp_cloud' and opens_conversation
        and (status = 'sending' or sent_at > ${from}::timestamptz - interval '24 hours')`),
  );
  const used = new Map<number, number>();
  for (const r of rows) used.set(Number(r.k), (used.get(Number(r.k)) ?? 0) + Number(r.n));
  const notBefore: Date[] = [];
  let day = 0;
  let room = perDay - (used.get(0) ?? 0);
  for (let i = 0; i < count; i++) {
    while (room <= 0) {
      day++;
      room = perDay - (used.get(day) ?? 0);
    }
    notBefore.push(new Date(sendFrom.getTime() + day * DAY_MS));
    room--;
  }
  return { notBefore, lastAt: notBefore[notBefore.length - 1]!, days: day + 1 };
}
