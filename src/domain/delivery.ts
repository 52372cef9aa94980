// How far a message to a resident got, in the words staff read on the invitation list and the event progress,
// and why one did not get there. Pure: the outbox rows are read elsewhere (services/distribution/delivery.ts).

/**
 * Best first. A household with several messages (two chats, a reminder) is as far as its best one got: one
 * message read is a family reached, whatever happened to the others. "pending" covers queued and sending.
 * "none": no message at all (the household is on the paper list from the start).
 */
export const DELIVERY_STATES = ['read', 'delivered', 'sent', 'pending', 'failed', 'skipped', 'none'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Which way the family is reached: a chat linked to a member, a registry phone on WhatsApp (a chat of its
 * own, not linked), or on paper when no message is still on its way or out (none at all, or all failed).
 */
export const DELIVERY_PATHS = ['chat', 'whatsapp', 'paper'] as const;
export type DeliveryPath = (typeof DELIVERY_PATHS)[number];

/**
 * A failed or skipped message in a few kinds staff can act on. The outbox keeps the provider's full reason
 * (outbox.last_error); this is what is shown, so no number or name a channel happened to repeat is shown.
 */
export const FAILURE_KINDS = [
  'not_on_whatsapp', // the number has no WhatsApp: call it, or ask for another
  'recipient_unreachable', // the number or chat cannot receive (invalid, bot blocked, marked unreachable)
  'outside_24h_window', // WhatsApp Cloud: no template could go and the 24-hour window was closed
  'template', // Meta refused the template (not approved, paused, parameters wrong)
  'contact_stopped', // the resident wrote BERHENTI before it went out
  'access_token', // the office's WhatsApp Cloud token was refused: nothing goes until it is replaced
  'interrupted', // the process stopped while sending: not sent again, delivery unknown
  'gave_up', // passing trouble that lasted through every retry
  'delivery_failed', // the provider accepted it, then reported it undelivered
  'other',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

// Meta's template errors are the 132xxx codes (132000 parameter count, 132001 no such template, 132012
// parameter format, 132015 paused, 132016 disabled…); a one-time code template without its code is ours.
const TEMPLATE = /\bcode 132\d{3}\b|template/i;

/**
 * The kind of one failed (or skipped) outbox row, from its last_error as the channels write it
 * ("not_on_whatsapp (…)", "recipient_unreachable (code 131026: …)", "outside_24h_window",
 * "partly_sent: 1 of 2 parts went out, then …", "gave up after 8 attempts: …"). Earlier tests win: a
 * part that failed on an unreachable number is unreachable, not "partly sent".
 */
export function failureKindOf(lastError: string | null, status: 'failed' | 'skipped' = 'failed'): FailureKind {
  if (status === 'skipped') return 'contact_stopped';
  const e = lastError ?? '';
  if (/contact_stopped/.test(e)) return 'contact_stopped';
  if (/not_on_whatsapp/.test(e)) return 'not_on_whatsapp';
  if (/recipient_unreachable|contact_unreachable/.test(e)) return 'recipient_unreachable';
  if (/outside_24h_window/.test(e)) return 'outside_24h_window';
  if (TEMPLATE.test(e)) return 'template';
  if (/access_token_invalid/.test(e)) return 'access_token';
  if (/^interrupted/.test(e)) return 'interrupted';
  if (/^gave up after/.test(e)) return 'gave_up';
  if (/delivery_failed|whatsapp_error/.test(e)) return 'delivery_failed';
  return 'other';
}
