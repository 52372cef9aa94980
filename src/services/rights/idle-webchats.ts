// Web chats nobody uses any more are deleted whole: the contact, its session, its history and its finished
// outbox rows (DESIGN.md "Privacy and security": data not needed is purged). Anyone can start a web chat, and
// a flood of them (167 a second were measured) would otherwise stay in the tables for ever. The job in
// app/jobs.ts runs this every hour, beside the retention purge (purge.ts), with the same habits: batches of
// short transactions, rows another transaction holds are skipped (SKIP LOCKED), one audit line with counts.
//
// Which chats go (channel 'webchat' only; every other channel's contact is a phone number or an account that
// comes back, and whose messages age out with MESSAGE_RETENTION_MONTHS):
// - idle: nothing was written in or to the chat for WEBCHAT_IDLE_DAYS (30 by default: the session cookie
//   lives 30 days after the last visit, and every visit writes the page's start, so after that nobody holds
//   the key to the chat any more);
// - never used: the chat's only inbound message is the one that created it (the page's start, or one post),
//   nothing has happened in it for a day, and it never came back. That is what a flood makes, and what a
//   resident who opened the page and typed nothing leaves. A resident who returns within the cookie's life
//   simply gets the welcome again: there was nothing to lose.
// Which stay, whatever their age, because something still needs the chat:
// - a chat linked to a member, or ever linked: contact_links is the record of who spoke for whom and how it
//   was proven, and each link took a possession or in-person proof, so no flood makes these;
// - a chat that filed a complaint, open or closed: the complaint names it (the only way an admin reveals an
//   anonymous reporter, where the satisfaction question and a reopened case go). Such a contact holds
//   nothing personal (a hash and a language); its messages still age out with the retention purge;
// - a chat an officer holds (handover), one with a code still valid, and one with a message still waiting in
//   the outbox or a broadcast's row (unsent rows are owed, broadcast rows are counted: outbox/retention.ts).
//
// A chat purged while its browser still has the cookie starts again as a new one on its next message: the
// engine creates the contact anew (an upsert that waits for this delete's lock, then inserts).

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { audit } from '../audit.ts';
import { HOUR_MS } from '../identity/limits.ts';

const DAY_MS = 24 * HOUR_MS;
/** Chats per transaction: each takes six short statements over indexed rows. */
export const WEBCHAT_PURGE_BATCH = 500;
/** A never-used chat goes after a day: long enough for a resident who opened the page to come back to it today. */
const UNUSED_AFTER_MS = DAY_MS;
/** "It never came back": its last inbound message is within this of its creation. */
const FIRST_VISIT_MS = HOUR_MS;

export interface IdleWebchatOptions {
  now: Date;
  /** WEBCHAT_IDLE_DAYS. */
  idleDays: number;
  batch?: number;
}

export interface IdleWebchatsPurged {
  /** Chats idle for WEBCHAT_IDLE_DAYS. */
  idle: number;
  /** Chats never used past their first message. */
  unused: number;
}

export async function purgeIdleWebchats(db: Db, opts: IdleWebchatOptions): Promise<IdleWebchatsPurged> {
  const batch = opts.batch ?? WEBCHAT_PURGE_BATCH;
  const at = (ms: number) => sql`${new Date(opts.now.getTime() - ms).toISOString()}::timestamptz`;
  const idleSince = at(opts.idleDays * DAY_MS);
  const unusedSince = at(UNUSED_AFTER_MS);
  const purged: IdleWebchatsPurged = {
    idle: await inBatches(batch, (n) => purgeBatch(db, { quietSince: idleSince, now: opts.now }, n)),
    unused: await inBatches(batch, (n) =>
      purgeBatch(db, { quietSince: unusedSince, now: opts.now, only: sql`${atMostOneInbound('c')} and c.last_inbound_at < c.created_at + ${`${FIRST_VISIT_MS} milliseconds`}::interval` }, n),
    ),
  };
  // Counts only, and only when something went: every process runs this hourly.
  if (purged.idle + purged.unused > 0) {
    await audit(db, { kind: 'system' }, { action: 'rights.webchat_purge', entity: 'contact', details: { ...purged, idleDays: opts.idleDays }, at: opts.now });
  }
  return purged;
}

async function inBatches(size: number, run: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run(size);
    total += n;
    if (n < size) return total;
  }
}

/**
 * One transaction: up to `limit` chats quiet since `quietSince` (and matching `only`) that nothing keeps, locked
 * without waiting, deleted with everything that points at them.
 */
async function purgeBatch(db: Db, rule: { quietSince: SQL; now: Date; only?: SQL }, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        select c.id from contacts c
        where c.channel = 'webchat'
          and c.member_id is null
          and c.handover_at is null
          and coalesce(c.last_inbound_at, c.created_at) < ${rule.quietSince}
          and c.created_at < ${rule.quietSince}
          ${rule.only ? sql`and ${rule.only}` : sql``}
          and not exists (select 1 from contact_links l where l.contact_id = c.id)
          and not exists (select 1 from complaints k where k.contact_id = c.id)
          and not exists (select 1 from identity_codes i where i.contact_id = c.id and i.expires_at > ${rule.now.toISOString()}::timestamptz)
          and not exists (select 1 from messages m where m.contact_id = c.id and m.created_at >= ${rule.quietSince})
          and not exists (
            select 1 from outbox o where o.contact_id = c.id
              and (o.status in ('pending', 'sending') or o.broadcast_id is not null or o.created_at >= ${rule.quietSince}))
        order by c.id limit ${limit}
        for update of c skip locked`),
    ).map((r) => Number(r.id));
    if (ids.length === 0) return 0;
    const list = sql`${`{${ids.join(',')}}`}::bigint[]`;
    // A locked contact takes no new rows (every insert that names it waits for its lock), so what was checked
    // above still holds. Children first, for their foreign keys.
    await tx.execute(sql`delete from identity_codes where contact_id = any(${list})`);
    await tx.execute(sql`delete from sessions where contact_id = any(${list})`);
    await tx.execute(sql`update attachments set message_id = null where message_id in (select id from messages where contact_id = any(${list}))`);
    await tx.execute(sql`delete from messages where contact_id = any(${list})`);
    await tx.execute(sql`delete from outbox where contact_id = any(${list})`);
    return countOf(await tx.execute(sql`with d as (delete from contacts where id = any(${list}) returning 1) select count(*) as n from d`));
  });
}

/** True for a contact (alias `c`) with at most one inbound message; reads two rows of messages_contact_idx at most. */
function atMostOneInbound(c: string): SQL {
  const a = sql.raw(c);
  return sql`(select count(*) from (select 1 from messages m where m.contact_id = ${a}.id and m.direction = 'in' limit 2) two) <= 1`;
}

function countOf(result: unknown): number {
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
