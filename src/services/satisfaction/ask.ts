// Asking a resident to rate a service (issue 20: IKM for every service). One short question after an aid
// check, a collection at a site, a chat with an officer and a closed complaint — and at most one a week per
// chat, whichever service it was: a resident served three times in a week is asked once, not three times.

import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints, contacts, households, kelurahan, members, satisfaction } from '../../db/schema/index.ts';
import type { Bidang, SatisfactionService } from '../../domain/vocabulary.ts';
import { csatQuestion } from '../../messages/notices/csat.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { bidangOf } from '../../domain/bidang.ts';
import { linkedChats } from '../distribution/chats.ts';

/** A chat asked anything in this many days is not asked again. */
export const RATING_INTERVAL_DAYS = 7;

/**
 * How long after an aid check or a collection the question follows: not in the same breath as the answer
 * or the receipt, and after the resident has read them. The outbox holds the row until then (not_before);
 * such a row waiting for its time does not hold up the chat's replies (outbox/claim.ts), so a resident who
 * goes on chatting is answered at once, and the question arrives when due.
 */
export const RATING_DELAY_MINUTES = 10;

export interface AskInput {
  contactId: number;
  service: SatisfactionService;
  bidang?: Bidang | null;
  kecamatanId?: number | null;
  /** The kecamatan is the household's of this member, read in the statement that writes the row. */
  kecamatanOfMember?: number;
  siteId?: number | null;
  programId?: number | null;
  /** A complaint's question names its tracking id. */
  complaintId?: number | null;
  /** The service's own record when no column above names it (a live chat: the handover's first message). */
  ref?: string | null;
  now: Date;
  /** Sent this long after `now` (the aid check's and the collection's pause); at once when absent. */
  delayMinutes?: number;
  /** 'bulk' for asks a job makes in a batch (complaints closed by themselves); a reply otherwise. */
  priority?: 'reply' | 'bulk';
}

export type AskOutcome =
  | { asked: true; satisfactionId: number }
  /**
   * Why not: asked anything within RATING_INTERVAL_DAYS; the chat wrote BERHENTI; no message reaches it;
   * an officer has the chat now (the question's buttons would land in that conversation, not here).
   */
  | { asked: false; reason: 'asked_this_week' | 'stopped' | 'unreachable' | 'in_handover' | 'no_contact' };

/**
 * Writes the asked row and queues the question through the outbox, in the caller's transaction, or says
 * why not. The chat's row is locked first, so two services finishing at once for one chat ask once.
 */
export async function askRating(tx: Db, input: AskInput): Promise<AskOutcome> {
  const weekAgo = new Date(input.now.getTime() - RATING_INTERVAL_DAYS * 86_400_000);
  // Once a week per resident: a verified resident's other chats (WhatsApp and Telegram both linked) count too.
  // Read with the chat's lock, in one statement (satisfaction_contact_idx).
  const askedThisWeek = sql<boolean>`exists (
    select 1 from satisfaction s
    where s.asked_at > ${weekAgo.toISOString()}::timestamptz
      and s.contact_id in (select c2.id from contacts c2 where c2.id = contacts.id or c2.member_id = contacts.member_id))`;
  // (Spelled out: drizzle leaves a one-table query's columns unqualified, and inside the subquery they would be c2's.)
  const [contact] = await tx
    .select({ ...getTableColumns(contacts), askedThisWeek })
    .from(contacts)
    .where(eq(contacts.id, input.contactId))
    .for('update');
  if (!contact) return { asked: false, reason: 'no_contact' };
  if (contact.stoppedAt) return { asked: false, reason: 'stopped' };
  if (contact.unreachableAt) return { asked: false, reason: 'unreachable' };
  if (contact.handoverAt) return { asked: false, reason: 'in_handover' };
  if (contact.askedThisWeek) return { asked: false, reason: 'asked_this_week' };

  const [row] = await tx
    .insert(satisfaction)
    .values({
      contactId: contact.id,
      service: input.service,
      bidang: input.bidang ?? null,
      kecamatanId: input.kecamatanOfMember === undefined ? (input.kecamatanId ?? null) : kecamatanOfMember(input.kecamatanOfMember),
      siteId: input.siteId ?? null,
      programId: input.programId ?? null,
      complaintId: input.complaintId ?? null,
      ref: input.ref ?? null,
      askedAt: input.now,
    })
    .returning({ id: satisfaction.id });
  const trackingId = input.complaintId ? (await tx.select({ t: complaints.trackingId }).from(complaints).where(eq(complaints.id, input.complaintId)))[0]?.t : undefined;
  const sendAt = input.delayMinutes ? new Date(input.now.getTime() + input.delayMinutes * 60_000) : input.now;
  const question = csatQuestion(contact, { satisfactionId: row!.id, service: input.service, ...(trackingId ? { trackingId } : {}) }, sendAt);
  await enqueue(tx, {
    contactId: contact.id,
    channel: contact.channel,
    messages: [question],
    priority: input.priority ?? 'reply',
    now: input.now,
    ...(input.delayMinutes ? { notBefore: sendAt } : {}),
    ...(input.complaintId ? { complaintId: input.complaintId } : {}),
  });
  return { asked: true, satisfactionId: row!.id };
}

/**
 * After the aid summary a verified chat read: the question comes RATING_DELAY_MINUTES later, in the
 * household's kecamatan. Shown again ("details", "show again") it is not asked twice: the weekly rule.
 */
export async function askAfterAidCheck(tx: Db, input: { contactId: number; memberId: number; now: Date }): Promise<AskOutcome> {
  return askRating(tx, { contactId: input.contactId, service: 'aid_check', kecamatanOfMember: input.memberId, now: input.now, delayMinutes: RATING_DELAY_MINUTES });
}

/** The kecamatan of a member's household, as a value inside another statement. */
function kecamatanOfMember(memberId: number) {
  return sql<number | null>`(select k.kecamatan_id from ${members} m join ${households} h on h.id = m.household_id join ${kelurahan} k on k.id = h.kelurahan_id where m.id = ${memberId})`;
}

/**
 * After a collection at a site: one of the household's chats is asked, RATING_DELAY_MINUTES after the receipt
 * (askRating's weekly rule and opt-outs decide which, if any), with the site, the program and its bidang.
 */
export async function askAfterCollection(
  tx: Db,
  input: { householdId: number; invitationId: number; site: { id: number; kecamatanId: number }; programId: number; programBidang: string | null; now: Date },
): Promise<void> {
  for (const chat of await linkedChats(tx, [input.householdId])) {
    const asked = await askRating(tx, {
      contactId: chat.contactId,
      service: 'collection',
      bidang: bidangOf(input.programBidang),
      kecamatanId: input.site.kecamatanId,
      siteId: input.site.id,
      programId: input.programId,
      ref: String(input.invitationId),
      now: input.now,
      delayMinutes: RATING_DELAY_MINUTES,
    });
    if (asked.asked) return;
  }
}

/** The kecamatan of the household a chat is linked to, for a rating whose service names no area itself. */
export async function kecamatanOfContact(tx: Db, contactId: number): Promise<number | null> {
  const [row] = await tx
    .select({ kecamatanId: kelurahan.kecamatanId })
    .from(contacts)
    .innerJoin(members, eq(members.id, contacts.memberId))
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(eq(contacts.id, contactId));
  return row?.kecamatanId ?? null;
}
