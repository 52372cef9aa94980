import type { Db } from '../../db/client.ts';
import { recordDeliveryReports, type DeliveryReport, type DeliverySummary } from '../../outbox/statuses.ts';
import type { StatusUpdate, WhatsappError } from './inbound.ts';
import { OUTSIDE_WINDOW } from './sender.ts';

// Delivery failures Meta reports after it accepted a message: the number is not on WhatsApp (or cannot
// receive), the recipient is invalid. The resident is marked unreachable until they write again.
const UNREACHABLE = new Set([131026, 131030, 131021]);
const REENGAGEMENT = 131047;

/**
 * Records what Meta reports of messages we sent. A `failed` update turns the outbox row from sent to failed
 * with a reason staff can read, and marks the contact unreachable for permanent codes; a later message from
 * the resident clears that again (conversation/store.ts). Run it inside one transaction.
 */
export function recordStatuses(db: Db, updates: StatusUpdate[], now = new Date()): Promise<DeliverySummary> {
  return recordDeliveryReports(db, 'whatsapp_cloud', updates.map(reportOf), now);
}

function reportOf(u: StatusUpdate): DeliveryReport {
  if (u.status === 'delivered' || u.status === 'read') return { providerMessageId: u.providerMessageId, status: u.status, ...(u.at ? { at: u.at } : {}) };
  if (u.status !== 'failed') return { providerMessageId: u.providerMessageId, status: 'noted' };
  const error = u.errors[0];
  return {
    providerMessageId: u.providerMessageId,
    status: 'failed',
    reason: failureReason(error),
    unreachable: error !== undefined && UNREACHABLE.has(error.code),
    ...(u.recipientId ? { recipientId: u.recipientId } : {}),
    ...(u.at ? { at: u.at } : {}),
  };
}

function failureReason(error: WhatsappError | undefined): string {
  if (!error) return 'delivery_failed (no reason given by WhatsApp)';
  if (error.code === REENGAGEMENT) return OUTSIDE_WINDOW;
  const what = `code ${error.code}${error.title ? `: ${error.title.slice(0, 160)}` : ''}`;
  return UNREACHABLE.has(error.code) ? `recipient_unreachable (${what})` : `delivery_failed (${what})`;
}
