import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, outbox } from '../../db/schema/index.ts';
import type { StatusUpdate, WhatsappError } from './inbound.ts';
import { OUTSIDE_WINDOW } from './sender.ts';

// Delivery failures Meta reports after it accepted a message: the number is not on WhatsApp (or cannot
// receive), the recipient is invalid. The resident is marked unreachable until they write again.
const UNREACHABLE = new Set([131026, 131030, 131021]);
const REENGAGEMENT = 131047;

export interface StatusSummary {
  failed: number;
  unreachable: number;
  /** delivered, read, sent, played: delivered and read are stored on the outbox row (broadcast statistics). */
  noted: number;
  /** Updates for messages we have no outbox row for (another part of a split message, or not ours). */
  unmatched: number;
}

/**
 * Records what Meta reports of messages we sent. A `failed` update turns the outbox row from sent to failed
 * with a reason staff can read, and marks the contact unreachable for permanent codes; a later message from
 * the resident clears that again (conversation/store.ts). Run it inside one transaction.
 */
export async function recordStatuses(db: Db, updates: StatusUpdate[], now = new Date()): Promise<StatusSummary> {
  const summary: StatusSummary = { failed: 0, unreachable: 0, noted: 0, unmatched: 0 };
  for (const u of updates) {
    if (u.status !== 'failed') {
      summary.noted++;
      // Read implies delivered (Meta may report read alone). The first report wins; a late repeat changes nothing.
      if (u.status === 'delivered' || u.status === 'read') {
        const at = (u.at ?? now).toISOString();
        await db
          .update(outbox)
          .set({
            deliveredAt: sql`coalesce(${outbox.deliveredAt}, ${at}::timestamptz)`,
            ...(u.status === 'read' ? { readAt: sql`coalesce(${outbox.readAt}, ${at}::timestamptz)` } : {}),
          })
          .where(and(eq(outbox.channel, 'whatsapp_cloud'), eq(outbox.providerMessageId, u.providerMessageId)));
      }
      continue;
    }
    const error = u.errors[0];
    const reason = failureReason(error);
    const rows = await db
      .update(outbox)
      .set({ status: 'failed', lastError: reason.slice(0, 500) })
      .where(and(eq(outbox.channel, 'whatsapp_cloud'), eq(outbox.providerMessageId, u.providerMessageId), eq(outbox.status, 'sent')))
      .returning({ contactId: outbox.contactId, sentAt: outbox.sentAt });
    if (rows.length === 0) summary.unmatched++;
    else summary.failed++;
    if (!error || !UNREACHABLE.has(error.code)) continue;
    const failedAt = u.at ?? now;
    // A resident who wrote after our message went out can be reached: a late report must not undo that.
    // Meta's timestamps are whole seconds, hence the second's grace when there is no row to compare with.
    const since = rows[0]?.sentAt ?? new Date(failedAt.getTime() + 999);
    const stillSilent = or(isNull(contacts.lastInboundAt), lte(contacts.lastInboundAt, since));
    const who = rows[0]
      ? eq(contacts.id, rows[0].contactId)
      : u.recipientId
        ? and(eq(contacts.channel, 'whatsapp_cloud'), eq(contacts.externalId, u.recipientId))
        : undefined;
    if (!who) continue;
    const marked = await db
      .update(contacts)
      .set({ unreachableAt: sql`coalesce(${contacts.unreachableAt}, ${failedAt.toISOString()}::timestamptz)`, unreachableReason: reason.slice(0, 200) })
      .where(and(who, stillSilent))
      .returning({ id: contacts.id });
    summary.unreachable += marked.length;
  }
  return summary;
}

function failureReason(error: WhatsappError | undefined): string {
  if (!error) return 'delivery_failed (no reason given by WhatsApp)';
  if (error.code === REENGAGEMENT) return OUTSIDE_WINDOW;
  const what = `code ${error.code}${error.title ? `: ${error.title.slice(0, 160)}` : ''}`;
  return UNREACHABLE.has(error.code) ? `recipient_unreachable (${what})` : `delivery_failed (${what})`;
}
