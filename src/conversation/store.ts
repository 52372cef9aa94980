import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { maskIdNumbers } from '../domain/mask.ts';
import { contacts, members, messages, sessions } from '../db/schema/index.ts';
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

/** The household of the member this chat was verified as, if any. */
export async function householdOf(db: Db, memberId: number | null): Promise<number | null> {
  if (memberId === null) return null;
  const [m] = await db.select({ householdId: members.householdId }).from(members).where(eq(members.id, memberId));
  return m?.householdId ?? null;
}

/** The session row of a contact, locked; undefined for a chat that never had one. */
export async function loadSession(db: Db, contactId: number): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.contactId, contactId)).for('update');
  return row;
}

export async function saveSession(
  db: Db,
  contactId: number,
  state: { flow: string; step: string; data: Record<string, unknown> },
  expiresAt: Date,
): Promise<void> {
  await db
    .insert(sessions)
    .values({ contactId, ...state, expiresAt })
    .onConflictDoUpdate({ target: sessions.contactId, set: { ...state, expiresAt, updatedAt: sql`now()` } });
}

/**
 * Records an inbound message and returns its id; null when the provider already delivered this id: the caller
 * then does nothing more, so a redelivered update has one effect.
 */
export async function recordInbound(db: Db, contactId: number, inbound: Inbound, text: string): Promise<number | null> {
  const rows = await db
    .insert(messages)
    .values({
      contactId,
      channel: inbound.channel,
      direction: 'in',
      kind: inbound.kind,
      // Stored for the conversation history staff read; a NIK typed in it is kept masked.
      body: text ? maskIdNumbers(text) : null,
      payload: inbound.choice || inbound.media || inbound.location ? { choice: inbound.choice, media: inbound.media, location: inbound.location } : null,
      providerMessageId: inbound.providerMessageId ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  return rows[0]?.id ?? null;
}

/**
 * Keeps only the shape of an answer to a private step (types.ts Step.private): every letter and digit
 * becomes a dot, so staff see that a date or a number was typed, not which.
 */
export async function redactInbound(db: Db, messageId: number): Promise<void> {
  await db
    .update(messages)
    .set({ body: sql`regexp_replace(${messages.body}, '[[:alnum:]]', '•', 'g')` })
    .where(eq(messages.id, messageId));
}

/**
 * The turn's replies belong to the case of the message they answer: when a step filed that message into a
 * complaint (its filing dialogue, an answer joined to it), the bot's answer, the tracking number above all,
 * joins the complaint too (messages.complaint_id). One statement, a no-op for the untagged turn.
 */
export async function repliesJoinCase(db: Db, contactId: number, messageId: number): Promise<void> {
  await db.execute(sql`
    update messages m set complaint_id = i.complaint_id
    from messages i
    where i.id = ${messageId} and i.complaint_id is not null
      and m.contact_id = ${contactId} and m.id > i.id and m.direction = 'out' and m.complaint_id is null`);
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
