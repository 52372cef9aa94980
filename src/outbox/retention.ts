import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';

// What of the outbox may go when a chat's history goes (a resident's "hapus riwayat", the retention purge).
// A finished row (sent, failed, skipped) holds the text that was said, a second copy of the history, so it goes
// with it. Two kinds stay:
// - unsent rows (pending, sending): they are not history yet. Deleting one would silently drop a reply or an
//   invitation the resident is owed, and a `sending` row is in a sender's hands. Their history line stays too
//   (unsentHistory below), so staff see the message once it is sent;
// - rows of a broadcast: its delivery statistics count them (services/broadcasts/stats.ts), and their text is the
//   broadcast's own, the same for every recipient and kept with the broadcast, nothing of this resident.

const FINISHED = sql`status in ('sent', 'failed', 'skipped') and broadcast_id is null`;

/**
 * True for a `messages` row (alias `m`) that is the history line of a row still waiting in the outbox: enqueue
 * writes both in one statement with the same chat and creation time (outbox/enqueue.ts).
 */
export function unsentHistory(m: string): SQL {
  const a = sql.raw(m);
  return sql`(${a}.direction = 'out' and exists (
    select 1 from outbox o where o.contact_id = ${a}.contact_id and o.created_at = ${a}.created_at and o.status in ('pending', 'sending')))`;
}

/** Deletes a chat's finished rows (not a broadcast's); returns how many. */
export async function deleteFinishedOf(db: Db, contactId: number): Promise<number> {
  return countOf(await db.execute(sql`with d as (delete from outbox where contact_id = ${contactId} and ${FINISHED} returning 1) select count(*) as n from d`));
}

/**
 * Deletes up to `limit` finished rows (not a broadcast's) last due before `before`; returns how many. By
 * not_before rather than created_at: it is never earlier than created_at, so nothing younger goes, and
 * outbox_due_idx (status, priority, not_before) finds the rows without reading the whole table every hour.
 */
export async function deleteFinishedBefore(db: Db, before: Date, limit: number): Promise<number> {
  return countOf(
    await db.execute(sql`
      with d as (
        delete from outbox where id in (
          select id from outbox where ${FINISHED} and not_before < ${before.toISOString()}::timestamptz and created_at < ${before.toISOString()}::timestamptz
          limit ${limit} for update skip locked)
        returning 1)
      select count(*) as n from d`),
  );
}

function countOf(result: unknown): number {
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
