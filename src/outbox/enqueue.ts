import { sql } from 'drizzle-orm';
import { arrayLiteral } from '../db/arrays.ts';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import { PRIORITY, type Channel } from '../domain/vocabulary.ts';
import type { OutboundMessage } from '../messages/types.ts';

// The one way into the outbox, for a single reply and for a city-wide round alike. Call it inside the
// transaction of the change that causes the messages, so the change and its messages commit together or
// not at all. Each outbox row gets its line in the conversation history (`messages`) in the same statement:
// the history shows what was said, whether or not the channel has delivered it yet.
//
// A chat that wrote BERHENTI (contacts.stopped_at) gets replies only: bulk rows for it are left out here, in
// the same statement, and the dispatcher skips those queued before it stopped (claim.ts). Callers that report
// how many they queued count the ids this returns, not the rows they passed.

export interface QueuedMessage {
  contactId: number;
  channel: Channel;
  message: OutboundMessage;
  /** Quiet hours: not sent before this instant. */
  notBefore?: Date;
  /** The invitation the message is about: its delivery shows on the invitation list. */
  invitationId?: number;
  /** The office writes first on WhatsApp Cloud: counted against Meta's daily limit of new conversations. */
  opensConversation?: boolean;
}

export interface EnqueueOptions {
  /** Replies to a resident go before bulk (invitations, reminders, broadcasts). */
  priority: keyof typeof PRIORITY;
  /** The rows' creation time; the database's clock when absent. */
  now?: Date;
  /** Earliest sending time of rows without their own notBefore (bulk messages wait out the night). */
  sendFrom?: Date;
  /** Tags the rows of a broadcast, for its delivery statistics. */
  broadcastId?: number | null;
  /** The officer who wrote it, shown in the conversation history. */
  staffId?: number;
  /** The complaint the messages are about (an officer's answer, a notice): its page shows them, no other page does. */
  complaintId?: number;
}

// A city-wide invitation round is 100,000 chats: rows go in a chunk per statement, set-based, each chunk as a
// few parameters: the payloads as one JSON array, every other column as one array literal, zipped back in SQL
// (ROWS FROM). The same text serves one reply and 2,000 invitations, so it is prepared once (db/prepare.ts).
// An earlier form, one JSON document of records, made PostgreSQL parse every payload inside a record and build
// a record per row: 100,000 invitation messages took 8.4 s of server CPU that way against 4.5 s this way.

// A chunk's rows are sorted by their place in the list (the order a chat's messages go in): 2,000 payloads
// of about 1 kB sort in memory within PostgreSQL's default work_mem of 4 MB, larger chunks spill to disk.
const CHUNK = 2000;


/**
 * Queues messages to many chats. Rows keep their order, so one chat's messages go out in the order given and
 * the dispatcher never lets a chat's later row overtake an earlier one. Returns the outbox ids of the rows
 * queued, in that order: without the bulk rows of chats that stopped messages.
 */
export async function enqueueMany(db: Db, rows: readonly QueuedMessage[], opts: EnqueueOptions): Promise<number[]> {
  const ids: number[] = [];
  const createdAt = opts.now ? sql`${opts.now.toISOString()}::timestamptz` : sql`now()`;
  const onlyWanted = opts.priority === 'reply' ? sql`` : sql`where not exists (select 1 from contacts c where c.id = x.contact_id and c.stopped_at is not null)`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const payloads = `[${part.map((r) => JSON.stringify(r.message)).join(',')}]`;
    const inserted = rowsOf<{ id: number | string }>(
      await db.execute(sql`
        with x as (
          select * from rows from (
            jsonb_array_elements(${payloads}::jsonb),
            unnest(${arrayLiteral(part.map((r) => r.contactId))}::bigint[]),
            unnest(${arrayLiteral(part.map((r) => r.channel))}::text[]),
            unnest(${arrayLiteral(part.map((r) => (r.notBefore ?? opts.sendFrom)?.toISOString() ?? null))}::timestamptz[]),
            unnest(${arrayLiteral(part.map((r) => r.invitationId ?? null))}::bigint[]),
            unnest(${arrayLiteral(part.map((r) => r.opensConversation === true))}::boolean[])
          ) with ordinality as x(payload, contact_id, channel, not_before, invitation_id, opens, n)
          ${onlyWanted}
        ), o as (
          insert into outbox (contact_id, channel, payload, priority, not_before, created_at, broadcast_id, invitation_id, opens_conversation)
          select contact_id, channel, payload, ${PRIORITY[opts.priority]}, coalesce(not_before, ${createdAt}), ${createdAt}, ${opts.broadcastId ?? null}::int,
            invitation_id, opens
          from x order by n
          returning id
        ), m as (
          insert into messages (contact_id, channel, direction, kind, body, payload, staff_id, complaint_id, created_at)
          select contact_id, channel, 'out', 'text', payload->>'text',
            case when payload ? 'options' then jsonb_build_object('options', payload->'options') end, ${opts.staffId ?? null}::int,
            ${opts.complaintId ?? null}::bigint, ${createdAt}
          from x order by n
        )
        select id from o order by id`),
    );
    for (const r of inserted) ids.push(Number(r.id));
  }
  return ids;
}

export interface EnqueueInput extends Omit<EnqueueOptions, 'sendFrom' | 'broadcastId'> {
  contactId: number;
  channel: Channel;
  messages: OutboundMessage[];
  notBefore?: Date;
}

/** Queues messages to one chat: the replies of a conversation, an officer's answer, a notice. */
export function enqueue(db: Db, input: EnqueueInput): Promise<number[]> {
  const { contactId, channel, notBefore } = input;
  return enqueueMany(
    db,
    input.messages.map((message) => ({ contactId, channel, message, ...(notBefore ? { notBefore } : {}) })),
    input,
  );
}
