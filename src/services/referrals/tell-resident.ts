// The reporter of a referred complaint is told, in their language, when it goes to an agency and at each
// change after that. The same path as a proposal's outcome (services/registry/proposals.ts): straight through
// the outbox in the referral's own transaction, with the notice template for a WhatsApp Cloud chat whose 24-hour
// window has closed, on the complaint's page as a 'message_out' line. Not through the complaint's reply (which
// would mark it answered and start its closing clock): a referral is news about the case, not the answer.
//
// An anonymous reporter is told too (they are the reporter; anonymity hides them from staff and the agency,
// not from their own case). A chat that cannot be reached gets nothing queued, and the referral changes anyway.

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencies, complaintEvents, complaints } from '../../db/schema/index.ts';
import { referralText, type ReferralNoticeStatus } from '../../messages/notices/referral.ts';
import { asNotice } from '../../messages/window.ts';
import { pickLocale } from '../../i18n.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import type { Actor } from '../actor.ts';
import { contactOf, staffIdOf } from '../complaints/shared.ts';
import type { ReferralOptions } from './shared.ts';

/** True when a message was queued; false when the complaint has no chat or it cannot be reached. */
export async function tellReporter(
  tx: Db,
  actor: Actor,
  p: { complaintId: number; agencyId: number; status: ReferralNoticeStatus; note: string },
  opts: ReferralOptions,
): Promise<boolean> {
  const [c] = await tx.select({ id: complaints.id, trackingId: complaints.trackingId, contactId: complaints.contactId }).from(complaints).where(eq(complaints.id, p.complaintId));
  if (!c) return false;
  const contact = await contactOf(tx, c.contactId);
  if (!contact || contact.unreachableAt) return false;
  const [agency] = await tx.select({ name: agencies.name, kind: agencies.kind }).from(agencies).where(eq(agencies.id, p.agencyId));
  if (!agency) return false;
  const t = opts.i18n.getFixedT(pickLocale(contact.language, opts.defaultLocale));
  const text = referralText(t, { trackingId: c.trackingId, agency: agency.name, kind: agency.kind, status: p.status, note: p.note });
  const message = asNotice({ text }, contact, opts.now, [c.trackingId]);
  const staffId = staffIdOf(actor);
  await enqueue(tx, { contactId: contact.id, channel: contact.channel, messages: [message], priority: 'reply', complaintId: c.id, now: opts.now, ...(staffId !== null ? { staffId } : {}) });
  await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'message_out', staffId, body: text, createdAt: opts.now });
  return true;
}
