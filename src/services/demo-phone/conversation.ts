import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, messages } from '../../db/schema/index.ts';
import { phoneChatId } from '../../domain/phone.ts';
import type { Option } from '../../messages/types.ts';
import type { DemoPhoneEntry } from './phones.ts';

// What a demo phone's screen shows: the conversation history the office keeps for the number on the
// demo_phone channel. Every row the outbox takes for it is written to `messages` in the same statement
// (outbox/enqueue.ts), so a code shows here the moment it is queued, before the dispatcher has "sent" it.

const CHANNEL = 'demo_phone';
const SHOWN = 100;

export interface DemoPhoneMessage {
  id: number;
  direction: 'in' | 'out';
  text: string | null;
  /** The options the office offered with it; a phone shows them as a numbered list. */
  options: Option[];
  at: Date;
}

export interface DemoPhoneActivity {
  normal: string;
  count: number;
  lastAt: Date | null;
}

/** The phone's last messages, oldest first. */
export async function demoPhoneConversation(db: Db, phone: DemoPhoneEntry): Promise<DemoPhoneMessage[]> {
  const rows = await db
    .select({ id: messages.id, direction: messages.direction, body: messages.body, payload: messages.payload, at: messages.createdAt })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .where(and(eq(contacts.channel, CHANNEL), eq(contacts.externalId, phoneChatId(CHANNEL, phone.normal))))
    .orderBy(desc(messages.id))
    .limit(SHOWN);
  return rows.reverse().map((r) => ({ id: r.id, direction: r.direction, text: r.body, options: optionsOf(r.payload), at: r.at }));
}

/** How many messages each demo phone has, and when the last came or went. */
export async function demoPhoneActivity(db: Db, phones: readonly DemoPhoneEntry[]): Promise<DemoPhoneActivity[]> {
  if (phones.length === 0) return [];
  const rows = await db
    .select({ chatId: contacts.externalId, count: sql<number>`count(${messages.id})::int`, lastAt: sql<string | null>`max(${messages.createdAt})` })
    .from(contacts)
    .innerJoin(messages, eq(messages.contactId, contacts.id))
    .where(and(eq(contacts.channel, CHANNEL), inArray(contacts.externalId, phones.map((p) => phoneChatId(CHANNEL, p.normal)))))
    .groupBy(contacts.externalId);
  return phones.map((p) => {
    const row = rows.find((r) => r.chatId === phoneChatId(CHANNEL, p.normal));
    return { normal: p.normal, count: Number(row?.count ?? 0), lastAt: row?.lastAt ? new Date(row.lastAt) : null };
  });
}

/**
 * A cheap "has anything changed" for the live pages: the newest message id of these phones. The pages'
 * streams poll it and fetch the fresh list only when it moves.
 */
export async function demoPhoneVersion(db: Db, phones: readonly DemoPhoneEntry[]): Promise<string> {
  if (phones.length === 0) return '0';
  const [row] = await db
    .select({ last: sql<string | null>`max(${messages.id})::text` })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .where(and(eq(contacts.channel, CHANNEL), inArray(contacts.externalId, phones.map((p) => phoneChatId(CHANNEL, p.normal)))));
  return row?.last ?? '0';
}

function optionsOf(payload: Record<string, unknown> | null): Option[] {
  const options = payload?.options;
  if (!Array.isArray(options)) return [];
  return options.filter((o): o is Option => typeof o === 'object' && o !== null && typeof o.id === 'string' && typeof o.label === 'string');
}
