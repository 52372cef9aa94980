import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ChannelSender, SendResult } from '../../src/outbox/sender.ts';
import type { OutboundMessage } from '../../src/messages/types.ts';
import type { Database } from '../../src/db/client.ts';
import { contacts, outbox } from '../../src/db/schema/index.ts';

/**
 * Test-only stand-in for the outbox dispatcher: sends every pending row of the sender's channel, in id
 * order, and records the outcome. No rates, no claims. A chat whose row must be retried keeps its later
 * rows pending, as the dispatcher would. Returns the results in the order sent.
 */
export async function drainOutbox(database: Database, sender: ChannelSender): Promise<SendResult[]> {
  const db = database.db;
  const rows = await db
    .select({ id: outbox.id, payload: outbox.payload, contactId: contacts.id, chatId: contacts.externalId, language: contacts.language, lastInboundAt: contacts.lastInboundAt })
    .from(outbox)
    .innerJoin(contacts, eq(contacts.id, outbox.contactId))
    .where(and(eq(outbox.channel, sender.channel), inArray(outbox.status, ['pending'])))
    .orderBy(asc(outbox.id));
  const held = new Set<number>();
  const results: SendResult[] = [];
  for (const row of rows) {
    if (held.has(row.contactId)) continue;
    const to = { contactId: row.contactId, chatId: row.chatId, language: row.language, lastInboundAt: row.lastInboundAt };
    const result = await sender.send(to, row.payload as unknown as OutboundMessage);
    results.push(result);
    if (result.status === 'sent') {
      await db.update(outbox).set({ status: 'sent', sentAt: new Date(), providerMessageId: result.providerMessageId ?? null }).where(eq(outbox.id, row.id));
    } else if (result.status === 'failed') {
      await db.update(outbox).set({ status: 'failed', lastError: result.reason }).where(eq(outbox.id, row.id));
    } else {
      held.add(row.contactId);
      await db.update(outbox).set({ lastError: result.reason }).where(eq(outbox.id, row.id));
    }
  }
  return results;
}
