// enqueue() for thousands of chats at once: the same outbox and messages rows (see src/outbox/enqueue.ts),
// written set-based, a chunk of rows per statement, inside the caller's transaction. A city-wide invitation
// round is 100,000 chats; one insert per chat would take minutes.

import { sql } from 'drizzle-orm';
import type { OutboundMessage } from '../../messages/types.ts';
import type { Db } from '../../db/client.ts';
import { PRIORITY, type Channel } from '../../domain/vocabulary.ts';

export interface QueuedMessage {
  contactId: number;
  channel: Channel;
  message: OutboundMessage;
  /** Quiet hours: not sent before this instant. */
  notBefore?: Date;
}

const CHUNK = 2000;

/**
 * Rows keep their order, so one chat's messages go out in the order given. `sendFrom` is the earliest
 * sending time of rows without their own notBefore (bulk messages wait out the night). `broadcastId` tags
 * the rows of a broadcast, for its delivery statistics. Returns the count.
 */
export async function enqueueMany(
  db: Db,
  rows: readonly QueuedMessage[],
  priority: keyof typeof PRIORITY,
  now: Date,
  sendFrom: Date = now,
  broadcastId: number | null = null,
): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    // One JSON document per chunk: the same statement works on postgres.js and PGlite, with one parameter.
    const doc = JSON.stringify(
      part.map((r, n) => ({
        n,
        contact_id: r.contactId,
        channel: r.channel,
        payload: r.message,
        not_before: (r.notBefore ?? sendFrom).toISOString(),
      })),
    );
    await db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${doc}::jsonb)
          as x(n bigint, contact_id bigint, channel text, payload jsonb, not_before timestamptz)
      ), o as (
        insert into outbox (contact_id, channel, payload, priority, not_before, created_at, broadcast_id)
        select contact_id, channel, payload, ${PRIORITY[priority]}, not_before, ${now.toISOString()}::timestamptz, ${broadcastId}::int from x order by n
      )
      insert into messages (contact_id, channel, direction, kind, body, payload, created_at)
      select contact_id, channel, 'out', 'text', payload->>'text',
        case when payload ? 'options' then jsonb_build_object('options', payload->'options') end, ${now.toISOString()}::timestamptz
      from x order by n`);
  }
  return rows.length;
}
