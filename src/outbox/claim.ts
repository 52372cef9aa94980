import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idArray, textArray } from '../db/arrays.ts';
import { rowsOf } from '../db/rows.ts';
import { PRIORITY, type Channel } from '../domain/vocabulary.ts';
import type { Recipient } from './sender.ts';
import type { OutboundMessage } from '../messages/types.ts';

export interface ClaimedRow {
  id: number;
  attempts: number;
  payload: OutboundMessage;
  recipient: Recipient;
  unreachable: boolean;
}

/**
 * Claims up to `limit` due rows of a channel and marks them `sending` (committed before anything is sent,
 * so a crash leaves a visible trace instead of a silent resend). Per chat, only the oldest unfinished row
 * can be claimed, and not within `perChatIntervalMs` of the chat's last sent message: a chat's second
 * message never overtakes its first — except that a reply does not wait behind a row that is only waiting for
 * its own time and was never tried (a bulk message held till morning, a rating question asked ten minutes
 * after an aid check): a resident who writes meanwhile is answered at once. A row waiting to be retried still
 * holds the chat's later rows, so a retry keeps its place. Replies come before bulk. SKIP LOCKED lets several processes claim
 * side by side without waiting on or repeating each other.
 */
export async function claimDue(
  db: Db,
  channel: Channel,
  limit: number,
  perChatIntervalMs: number,
  claimTtlMs: number,
  /** Only these chats' rows (ChannelSender.reachableChats); undefined: every chat of the channel. */
  chatIds?: readonly string[],
  /** Most rows that open a new conversation in any 24 hours (ChannelLimits.newConversationsPerDay). */
  newConversationsPerDay?: number,
): Promise<ClaimedRow[]> {
  if (limit <= 0 || chatIds?.length === 0) return [];
  // Meta's daily limit of new conversations, held at the last moment: the rows were spread over days when
  // they were queued (services/outreach/quota.ts), but retries, a late start or another fan-out can crowd a
  // day. Claims of a channel are serialized by its budget row lock (budget.ts), so this count is exact across
  // processes: what other claims took is committed before this one reads.
  let openings = Number.POSITIVE_INFINITY;
  if (newConversationsPerDay !== undefined) {
    const [used] = rowsOf<{ n: number | string }>(
      await db.execute(sql`
        select (select count(*) from outbox where channel = ${channel} and opens_conversation and sent_at > now() - interval '24 hours')
          + (select count(*) from outbox where channel = ${channel} and opens_conversation and status = 'sending') as n`),
    );
    openings = Math.max(0, newConversationsPerDay - Number(used!.n));
  }
  const noOpenings = openings === 0 ? sql`and not o.opens_conversation` : sql``;
  const onlyChats = chatIds
    ? sql`and o.contact_id in (select c.id from contacts c where c.channel = ${channel} and c.external_id = any(${textArray(chatIds)}))`
    : sql``;
  const candidates = rowsOf<{ id: number | string; opens_conversation: boolean }>(
    await db.execute(sql`
      select o.id, o.opens_conversation from outbox o
      where o.channel = ${channel} and o.status = 'pending' and o.not_before <= now() ${onlyChats} ${noOpenings}
        and not exists (
          select 1 from outbox p
          where p.contact_id = o.contact_id and p.id < o.id and p.status in ('pending', 'sending')
            and not (o.priority = ${PRIORITY.reply} and p.status = 'pending' and p.attempts = 0 and p.not_before > now()))
        and not exists (
          select 1 from outbox s
          where s.contact_id = o.contact_id and s.status = 'sent'
            and s.sent_at > now() - make_interval(secs => ${perChatIntervalMs / 1000}))
      order by o.priority, o.id
      limit ${limit}
      for update of o skip locked`),
  );
  // Rows past the day's openings stay pending (their locks end with this transaction).
  const ids: number[] = [];
  for (const r of candidates) {
    if (r.opens_conversation) {
      if (openings <= 0) continue;
      openings--;
    }
    ids.push(Number(r.id));
  }
  if (ids.length === 0) return [];
  // A bulk row of a chat that wrote BERHENTI after it was queued is settled as skipped here, at the last moment
  // before sending, rather than cancelled when the chat stops: a stop committed while a city-wide round was
  // still writing its rows (enqueue saw the chat as not stopped) is seen here too, and a row held till morning
  // by quiet hours is still sent if the chat has said MULAI by then. A skipped row is never sent, and no longer
  // holds up the chat's later rows.
  const stopped = sql`o.priority <> ${PRIORITY.reply} and c.stopped_at is not null`;
  const rows = rowsOf<{
    id: number | string;
    status: string;
    attempts: number;
    payload: OutboundMessage | string;
    contact_id: number | string;
    external_id: string;
    language: string | null;
    last_inbound_at: Date | string | null;
    unreachable_at: Date | string | null;
  }>(
    await db.execute(sql`
      update outbox o set
        status = case when ${stopped} then 'skipped' else 'sending' end,
        attempts = case when ${stopped} then o.attempts else o.attempts + 1 end,
        last_error = case when ${stopped} then 'contact_stopped' else o.last_error end,
        claimed_until = case when ${stopped} then null else now() + make_interval(secs => ${claimTtlMs / 1000}) end
      from contacts c
      where o.id = any(${idArray(ids)}) and c.id = o.contact_id
      returning o.id, o.status, o.attempts, o.payload, o.contact_id, c.external_id, c.language, c.last_inbound_at, c.unreachable_at`),
  );
  return rows
    .filter((r) => r.status === 'sending')
    .map((r) => ({
      id: Number(r.id),
      attempts: r.attempts,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as OutboundMessage,
      unreachable: r.unreachable_at !== null,
      recipient: {
        contactId: Number(r.contact_id),
        chatId: r.external_id,
        language: r.language,
        lastInboundAt: r.last_inbound_at === null ? null : new Date(r.last_inbound_at),
      },
    }))
    .sort((a, b) => a.id - b.id);
}
