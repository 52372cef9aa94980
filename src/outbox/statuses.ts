import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, outbox } from '../db/schema/index.ts';
import type { Channel } from '../domain/vocabulary.ts';

// What a provider reports of a message after it accepted it (WhatsApp Cloud's status webhooks). The channel
// reads its own payload and error codes into these reports; the outbox alone writes them to its rows.

export type DeliveryReport =
  | { providerMessageId: string; status: 'delivered' | 'read'; at?: Date }
  /** Anything else the provider says (sent, played…): counted, nothing stored. */
  | { providerMessageId: string; status: 'noted' }
  /**
   * Failed after all. `unreachable`: the number cannot receive at all (not on WhatsApp, invalid), so the
   * resident is marked unreachable until they write again (conversation/store.ts clears it).
   */
  | { providerMessageId: string; status: 'failed'; reason: string; unreachable: boolean; recipientId?: string; at?: Date };

export interface DeliverySummary {
  failed: number;
  unreachable: number;
  /** delivered, read, sent, played: delivered and read are stored on the outbox row (broadcast statistics). */
  noted: number;
  /** Reports for messages we have no outbox row for (another part of a split message, or not ours). */
  unmatched: number;
}

/** Records delivery reports in the order given. Run it inside one transaction. */
export async function recordDeliveryReports(db: Db, channel: Channel, reports: DeliveryReport[], now = new Date()): Promise<DeliverySummary> {
  const summary: DeliverySummary = { failed: 0, unreachable: 0, noted: 0, unmatched: 0 };
  for (const r of reports) {
    if (r.status !== 'failed') {
      summary.noted++;
      // Read implies delivered (Meta may report read alone). The first report wins; a late repeat changes nothing.
      if (r.status === 'delivered' || r.status === 'read') {
        const at = (r.at ?? now).toISOString();
        await db
          .update(outbox)
          .set({
            deliveredAt: sql`coalesce(${outbox.deliveredAt}, ${at}::timestamptz)`,
            ...(r.status === 'read' ? { readAt: sql`coalesce(${outbox.readAt}, ${at}::timestamptz)` } : {}),
          })
          .where(and(eq(outbox.channel, channel), eq(outbox.providerMessageId, r.providerMessageId)));
      }
      continue;
    }
    const rows = await db
      .update(outbox)
      .set({ status: 'failed', lastError: r.reason.slice(0, 500) })
      .where(and(eq(outbox.channel, channel), eq(outbox.providerMessageId, r.providerMessageId), eq(outbox.status, 'sent')))
      .returning({ contactId: outbox.contactId, sentAt: outbox.sentAt });
    if (rows.length === 0) summary.unmatched++;
    else summary.failed++;
    if (!r.unreachable) continue;
    const failedAt = r.at ?? now;
    // A resident who wrote after our message went out can be reached: a late report must not undo that.
    // Meta's timestamps are whole seconds, hence the second's grace when there is no row to compare with.
    const since = rows[0]?.sentAt ?? new Date(failedAt.getTime() + 999);
    const stillSilent = or(isNull(contacts.lastInboundAt), lte(contacts.lastInboundAt, since));
    const who = rows[0]
      ? eq(contacts.id, rows[0].contactId)
      : r.recipientId
        ? and(eq(contacts.channel, channel), eq(contacts.externalId, r.recipientId))
        : undefined;
    if (!who) continue;
    const marked = await db
      .update(contacts)
      .set({ unreachableAt: sql`coalesce(${contacts.unreachableAt}, ${failedAt.toISOString()}::timestamptz)`, unreachableReason: r.reason.slice(0, 200) })
      .where(and(who, stillSilent))
      .returning({ id: contacts.id });
    summary.unreachable += marked.length;
  }
  return summary;
}
