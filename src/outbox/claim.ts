import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import type { Channel } from '../domain/vocabulary.ts';
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
 * message never overtakes its first. Replies come before bulk. SKIP LOCKED lets several processes claim
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
): Promise<ClaimedRow[]> {
  if (limit <= 0 || chatIds?.length === 0) return [];
  const onlyChats = chatIds
    ? sql`and o.contact_id in (select c.id from contacts c where c.channel = ${channel} and c.external_id in (${sql.join(chatIds.map((id) => sql`${id}`), sql`, `)}))`
    : sql``;
  const ids = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      select o.id from outbox o
      where o.channel = ${channel} and o.status = 'pending' and o.not_before <= now() ${onlyChats}
        and not exists (
          select 1 from outbox p
          where p.contact_id = o.contact_id and p.id < o.id and p.status in ('pending', 'sending'))
        and not exists (
          select 1 from outbox s
          where s.contact_id = o.contact_id and s.status = 'sent'
            and s.sent_at > now() - make_interval(secs => ${perChatIntervalMs / 1000}))
      order by o.priority, o.id
      limit ${limit}
      for update of o skip locked`),
  ).map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const rows = rowsOf<{
    id: number | string;
    attempts: number;
    payload: OutboundMessage | string;
    contact_id: number | string;
    external_id: string;
    language: string | null;
    last_inbound_at: Date | string | null;
    unreachable_at: Date | string | null;
  }>(
    await db.execute(sql`
      update outbox o set status = 'sending', attempts = o.attempts + 1,
        claimed_until = now() + make_interval(secs => ${claimTtlMs / 1000})
      from contacts c
      where o.id in (${idList}) and c.id = o.contact_id
      returning o.id, o.attempts, o.payload, o.contact_id, c.external_id, c.language, c.last_inbound_at, c.unreachable_at`),
  );
  return rows
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
