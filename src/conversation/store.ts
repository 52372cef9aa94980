import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import { maskIdNumbers } from '../domain/mask.ts';
import { contacts, messages, sessions } from '../db/schema/index.ts';
import { type Channel } from '../domain/vocabulary.ts';
import type { Inbound } from './types.ts';
import type { Option, Reply } from '../messages/types.ts';

export type ContactRow = typeof contacts.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

/**
 * Finds or creates the contact and takes its row lock for the rest of the transaction: two messages from one
 * chat queue here, one behind the other, on every process that shares the database. One statement: an upsert
 * that always updates locks the row, as SELECT … FOR UPDATE would, without two more round trips per message.
 */
export async function lockContact(db: Db, channel: Channel, chatId: string, now: Date, displayName?: string): Promise<ContactRow> {
  const [row] = await db
    .insert(contacts)
    .values({ channel, externalId: chatId, displayName: displayName?.slice(0, 200) ?? null, lastInboundAt: now })
    .onConflictDoUpdate({
      target: [contacts.channel, contacts.externalId],
      // A resident who writes again is reachable again (they unblocked the bot, or the number is back).
      set: { lastInboundAt: now, unreachableAt: null, unreachableReason: null },
    })
    .returning();
  return row!;
}

/** What a turn starts from, read in one statement once the chat's row is locked (openTurn). */
export interface Opened {
  /** The inbound message as recorded; null when the provider already delivered this id. */
  messageId: number | null;
  /** The chat's session, locked; undefined for a chat that has none. */
  session: Pick<SessionRow, 'flow' | 'step' | 'data' | 'expiresAt'> | undefined;
  /** The household of the member the chat was verified as, if any. */
  householdId: number | null;
}

/**
 * Records the inbound message, and reads and locks the session and the verified member's household: one
 * statement, run after lockContact so that its snapshot sees everything the chat's previous message committed
 * (a statement's CTEs share one snapshot, and lockContact is where this turn waited for that one). The insert
 * does nothing for a provider's repeat (messages_provider_uq): the caller then does nothing more, so a
 * redelivered update has one effect.
 */
export async function openTurn(db: Db, contact: Pick<ContactRow, 'id' | 'memberId'>, inbound: Inbound, text: string): Promise<Opened> {
  // Stored for the conversation history staff read; a NIK typed in it is kept masked.
  const body = text ? maskIdNumbers(text) : null;
  const payload = inbound.choice || inbound.media || inbound.location ? JSON.stringify({ choice: inbound.choice, media: inbound.media, location: inbound.location }) : null;
  const [row] = rowsOf<{ message_id: number | string | null; flow: string | null; step: string | null; data: unknown; expires_at: Date | string | null; household_id: number | string | null }>(
    await db.execute(sql`
      with m as (
        insert into messages (contact_id, channel, direction, kind, body, payload, provider_message_id)
        values (${contact.id}, ${inbound.channel}, 'in', ${inbound.kind}, ${body}, ${payload}::jsonb, ${inbound.providerMessageId ?? null})
        on conflict do nothing
        returning id
      ), s as (
        select flow, step, data, expires_at from sessions where contact_id = ${contact.id} for update
      )
      select (select id from m) as message_id, s.flow, s.step, s.data, s.expires_at,
        (select household_id from members where id = ${contact.memberId}::bigint) as household_id
      from (select 1) as one left join s on true`),
  );
  return {
    messageId: row!.message_id === null ? null : Number(row!.message_id),
    session:
      row!.flow === null
        ? undefined
        : {
            flow: row!.flow,
            step: row!.step!,
            data: (typeof row!.data === 'string' ? JSON.parse(row!.data) : row!.data) as Record<string, unknown>,
            expiresAt: new Date(row!.expires_at!),
          },
    householdId: row!.household_id === null ? null : Number(row!.household_id),
  };
}

/**
 * Ends a turn in one statement, after its replies are queued:
 * - the session;
 * - when the message answered a private step (types.ts Step.private), its text reduced to its shape: every
 *   letter and digit becomes a dot, so staff see that a date or a number was typed, not which;
 * - the turn's replies join the case of the message they answer: when a step filed that message into a
 *   complaint (its filing dialogue, an answer joined to it), the bot's answer, the tracking number above all,
 *   joins the complaint too (messages.complaint_id). A no-op for the untagged turn.
 * The replies were queued by the statement before, so this one's snapshot sees them.
 */
export async function closeTurn(
  db: Db,
  turn: { contactId: number; messageId: number; state: { flow: string; step: string; data: Record<string, unknown> }; expiresAt: Date; redact: boolean },
): Promise<void> {
  const { contactId, messageId, state } = turn;
  const redact = turn.redact ? sql`, r as (update messages set body = regexp_replace(body, '[[:alnum:]]', '•', 'g') where id = ${messageId} returning 1)` : sql``;
  await db.execute(sql`
    with s as (
      insert into sessions (contact_id, flow, step, data, expires_at)
      values (${contactId}, ${state.flow}, ${state.step}, ${JSON.stringify(state.data)}::jsonb, ${turn.expiresAt.toISOString()}::timestamptz)
      on conflict (contact_id) do update
        set flow = excluded.flow, step = excluded.step, data = excluded.data, expires_at = excluded.expires_at, updated_at = now()
      returning 1
    ), j as (
      update messages m set complaint_id = i.complaint_id
      from messages i
      where i.id = ${messageId} and i.complaint_id is not null
        and m.contact_id = ${contactId} and m.id > i.id and m.direction = 'out' and m.complaint_id is null
      returning 1
    )${redact}
    select 1`);
}

export async function recordReplies(db: Db, contactId: number, channel: Channel, replies: Reply[]): Promise<void> {
  if (replies.length === 0) return;
  await db.insert(messages).values(
    replies.map((r) => ({
      contactId,
      channel,
      direction: 'out' as const,
      kind: 'text' as const,
      body: r.text,
      payload: r.options ? { options: r.options } : null,
    })),
  );
}

/** The options of the last message we sent to this chat (from a turn or from the outbox), if it had any. */
export async function lastSentOptions(db: Db, contactId: number): Promise<Option[] | undefined> {
  const [last] = await db
    .select({ payload: messages.payload })
    .from(messages)
    .where(and(eq(messages.contactId, contactId), eq(messages.direction, 'out')))
    .orderBy(desc(messages.createdAt), desc(messages.id)) // messages_contact_idx
    .limit(1);
  const options = (last?.payload as { options?: Option[] } | null | undefined)?.options;
  return Array.isArray(options) && options.length > 0 ? options : undefined;
}

export async function updateContact(db: Db, contactId: number, values: Partial<Pick<ContactRow, 'language' | 'consentAt' | 'handoverAt' | 'handoverMessageId' | 'phone'>>) {
  await db.update(contacts).set(values).where(eq(contacts.id, contactId));
}
