// Data not needed is purged on a schedule (DESIGN.md "Privacy and security", UU 27/2022): the job in
// app/jobs.ts runs this every hour in every process. Each table goes in batches of its own short statements,
// oldest first, so a large table is never locked for long and a busy chat is not kept waiting; rows another
// process is deleting are skipped (SKIP LOCKED), so several processes purging at once neither wait on nor
// repeat each other. What goes:
// - sessions expired more than a day ago: a conversation left halfway. A chat that writes again is not new
//   (the engine sends it to the menu, not the welcome);
// - message history older than MESSAGE_RETENTION_MONTHS, with the outbox's finished copies of it
//   (outbox/retention.ts: never the history line of a message still waiting to be sent);
// - identity codes expired more than a day ago, which-chat-checked-whom rows older than two days (the limit
//   counts today only), and lookup counters whose window ended more than a day ago.
// The day of grace leaves what just expired for a person looking into a problem "from this morning".

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { deleteFinishedBefore, unsentHistory } from '../../outbox/retention.ts';
import { audit } from '../audit.ts';
import { HOUR_MS } from '../identity/limits.ts';

const DAY_MS = 24 * HOUR_MS;
/** Rows per statement: a few milliseconds of locks each, and the purge of a year of a city in minutes. */
export const PURGE_BATCH = 5000;

export interface PurgeOptions {
  now: Date;
  /** MESSAGE_RETENTION_MONTHS. */
  retentionMonths: number;
  /** The office's zone: which-chat-checked-whom rows are by its calendar day. */
  timeZone: string;
  batch?: number;
}

export interface Purged {
  sessions: number;
  messages: number;
  outbox: number;
  identityCodes: number;
  memberChecks: number;
  lookupLimits: number;
}

export async function purgeExpired(db: Db, opts: PurgeOptions): Promise<Purged> {
  const batch = opts.batch ?? PURGE_BATCH;
  const at = (ms: number) => sql`${new Date(opts.now.getTime() - ms).toISOString()}::timestamptz`;
  const historyBefore = retentionCutoff(opts.now, opts.retentionMonths);
  const purged: Purged = {
    sessions: await inBatches(batch, (n) => deleteBatch(db, 'sessions', 'id', sql`expires_at < ${at(DAY_MS)}`, n)),
    messages: await inBatches(batch, (n) => deleteHistoryBatch(db, historyBefore, n)),
    outbox: await inBatches(batch, (n) => deleteFinishedBefore(db, historyBefore, n)),
    identityCodes: await inBatches(batch, (n) => deleteBatch(db, 'identity_codes', 'id', sql`expires_at < ${at(DAY_MS)}`, n)),
    memberChecks: await inBatches(batch, (n) =>
      deleteBatch(db, 'identity_member_checks', 'member_id, day, contact_id', sql`day < ${addDays(todayIn(opts.timeZone, opts.now), -2)}::date`, n),
    ),
    // A window lasts an hour at most (services/identity/limits.ts); it ended a day ago when it began 25 hours ago.
    lookupLimits: await inBatches(batch, (n) => deleteBatch(db, 'identity_lookup_limits', 'key', sql`window_start < ${at(DAY_MS + HOUR_MS)}`, n)),
  };
  // One line per run that removed anything: several processes run this every hour, and a line saying "nothing"
  // from each would bury the log staff read. Counts only.
  if (Object.values(purged).some((n) => n > 0)) {
    await audit(db, { kind: 'system' }, { action: 'rights.purge', entity: 'retention', details: { ...purged, retentionMonths: opts.retentionMonths }, at: opts.now });
  }
  return purged;
}

/** The instant before which history goes: the same day and time, `months` calendar months earlier (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  // 31 March less one month is the last day of February, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

async function inBatches(size: number, run: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run(size);
    total += n;
    if (n < size) return total;
  }
}

/** One statement: up to `limit` rows matching `where`, picked by `key` (its columns) and locked without waiting, deleted. */
async function deleteBatch(db: Db, table: string, key: string, where: SQL, limit: number): Promise<number> {
  const t = sql.raw(table);
  const k = sql.raw(key);
  return countOf(
    await db.execute(sql`
      with d as (delete from ${t} where (${k}) in (select ${k} from ${t} where ${where} limit ${limit} for update skip locked) returning 1)
      select count(*) as n from d`),
  );
}

/**
 * History older than the cutoff, oldest first. A complaint's photo keeps its complaint (only its pointer to the
 * chat message goes), in the same transaction as the delete, which its foreign key needs.
 */
async function deleteHistoryBatch(db: Db, before: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        select m.id from messages m
        where m.created_at < ${before.toISOString()}::timestamptz and not ${unsentHistory('m')}
        order by m.created_at limit ${limit} for update of m skip locked`), // messages_created_idx
    ).map((r) => Number(r.id));
    if (ids.length === 0) return 0;
    const list = sql`${`{${ids.join(',')}}`}::bigint[]`;
    await tx.execute(sql`update attachments set message_id = null where message_id = any(${list})`);
    return countOf(await tx.execute(sql`with d as (delete from messages where id = any(${list}) returning 1) select count(*) as n from d`));
  });
}

function countOf(result: unknown): number {
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
