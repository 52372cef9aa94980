// "Saya jadi bisa hadir": a household that declined may take the invitation back while its distribution is
// still ahead. A decline is not final for the resident, only for the reminders: until the event closes
// (done, cancelled, closed, or every slot over) the declined invitation stays on the resident's list and one
// answer restores it — the seat it gave up if that slot still has room, else the soonest slot with room at the
// same site, else any — with the answer it had before (confirmed stays confirmed), reminders planned again at
// a new version, and the change audited like the decline was.
//
// Kept apart from invitations.ts because planning reminders (reminders.ts) reads that file's statuses: one
// import direction, no circle.

import { and, asc, desc, eq, gt, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog, distributionEvents, eventSlots, invitations, programs, sites } from '../../db/schema/index.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { audit } from '../audit.ts';
import { DEFAULT_TIME_ZONE } from './common.ts';
import { DECLINE_AUDIT_ACTION, lockInvitation, residentOrSystem, type NotAnswerable } from './invitations.ts';
import { replanReminders } from './reminders.ts';

/** Events in these statuses are over for the resident: nothing declined in them can come back. */
const CLOSED_EVENT_STATUSES = ['done', 'cancelled'] as const;

export const RESTORE_AUDIT_ACTION = 'invitation.restore';

export interface DeclinedInvitation {
  invitationId: number;
  /** As a resident reads it ("K7MQ-4XRT"). */
  code: string;
  round: number;
  eventTitle: string;
  /** The title for English-reading residents; null: the title serves both languages. */
  eventTitleEn: string | null;
  programCode: string;
  /** The start of the event's first slot still ahead: the day the resident could still come. */
  startsAt: Date;
  declineReason: string | null;
}

/**
 * Declined invitations of a household that can still be taken back: the event not closed or cancelled, a slot
 * of it not yet over, and no later round sent in its place. Soonest first.
 */
export async function declinedInvitations(db: Db, householdId: number, now: Date): Promise<DeclinedInvitation[]> {
  const nextStart = sql<Date>`(select min(${eventSlots.startsAt}) from ${eventSlots} where ${eventSlots.eventId} = ${invitations.eventId} and ${eventSlots.endsAt} > ${now.toISOString()}::timestamptz)`;
  const rows = await db
    .select({
      invitationId: invitations.id,
      code: invitations.code,
      round: invitations.round,
      eventTitle: distributionEvents.title,
      eventTitleEn: distributionEvents.titleEn,
      programCode: programs.code,
      startsAt: nextStart.mapWith((v: string | Date) => (v instanceof Date ? v : new Date(v))),
      declineReason: invitations.declineReason,
    })
    .from(invitations)
    .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .where(
      and(
        eq(invitations.householdId, householdId),
        eq(invitations.status, 'declined'),
        notInArray(distributionEvents.status, [...CLOSED_EVENT_STATUSES]),
        isNull(distributionEvents.closedAt),
        sql`exists (select 1 from ${eventSlots} where ${eventSlots.eventId} = ${invitations.eventId} and ${eventSlots.endsAt} > ${now.toISOString()}::timestamptz)`,
        sql`not exists (select 1 from ${invitations} later where later.previous_invitation_id = ${invitations.id})`,
      ),
    )
    .orderBy(asc(nextStart), asc(invitations.id));
  return rows.map((r) => ({ ...r, code: formatInvitationCode(r.code) }));
}

export type RestoreResult =
  | { ok: true; status: 'invited' | 'confirmed'; slotId: number; sameSlot: boolean; remindersPlanned: number }
  | NotAnswerable
  /** Every slot still ahead is full. */
  | { ok: false; reason: 'full' };

/**
 * Takes a decline back. Refused ('not_open') when the invitation is not declined, its event is closed or
 * cancelled, a later round replaced it, or no slot of the event lies ahead; 'full' when slots lie ahead but
 * none has a seat. Locks the invitation, then the event's slots in id order (as changeSlot does).
 */
export async function restoreInvitation(
  db: Db,
  input: { invitationId: number; householdId: number; now: Date; contactId?: number; timeZone?: string },
): Promise<RestoreResult> {
  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, input.invitationId, input.householdId);
    if (!inv) return { ok: false, reason: 'not_found' };
    if (inv.status !== 'declined') return { ok: false, reason: 'not_open' };
    const [event] = await tx
      .select({ id: distributionEvents.id, status: distributionEvents.status, closedAt: distributionEvents.closedAt, eventDate: distributionEvents.eventDate })
      .from(distributionEvents)
      .where(eq(distributionEvents.id, inv.eventId));
    if (!event || event.closedAt !== null || (CLOSED_EVENT_STATUSES as readonly string[]).includes(event.status)) return { ok: false, reason: 'not_open' };
    const [replaced] = await tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.previousInvitationId, inv.id)).limit(1);
    if (replaced) return { ok: false, reason: 'not_open' };

    const slots = await tx
      .select({ id: eventSlots.id, siteId: eventSlots.siteId, startsAt: eventSlots.startsAt, endsAt: eventSlots.endsAt, capacity: eventSlots.capacity, booked: eventSlots.booked })
      .from(eventSlots)
      .where(and(eq(eventSlots.eventId, inv.eventId), gt(eventSlots.endsAt, input.now)))
      .orderBy(asc(eventSlots.id))
      .for('update');
    if (slots.length === 0) return { ok: false, reason: 'not_open' };
    const active = new Set(
      (await tx.select({ id: sites.id }).from(sites).where(eq(sites.active, true))).map((s) => s.id),
    );

    const before = await seatGivenUp(tx, inv.id);
    const held = slots.find((s) => s.id === before.slotId);
    const free = (s: (typeof slots)[number]) => s.booked < s.capacity && active.has(s.siteId);
    // The seat given up, even if its slot has begun (an answer to an invitation whose hours are running is
    // still an answer); any other only if it has not begun, as changeSlot allows.
    let seat = held && free(held) ? held : undefined;
    if (!seat) {
      const others = slots
        .filter((s) => s.startsAt > input.now && free(s))
        .sort((a, b) => Number(b.siteId === held?.siteId) - Number(a.siteId === held?.siteId) || a.startsAt.getTime() - b.startsAt.getTime() || a.id - b.id);
      seat = others[0];
    }
    if (!seat) return { ok: false, reason: 'full' };

    const status = before.fromStatus === 'confirmed' ? 'confirmed' : 'invited';
    await tx
      .update(eventSlots)
      .set({ booked: sql`${eventSlots.booked} + 1` })
      .where(eq(eventSlots.id, seat.id));
    await tx
      .update(invitations)
      .set({ status, slotId: seat.id, declineReason: null, respondedAt: input.now, updatedAt: input.now })
      .where(eq(invitations.id, inv.id));
    // The reminders skipped by the decline stay skipped; new ones, at a new version, for what is still ahead.
    const remindersPlanned = await replanReminders(
      tx,
      { eventId: inv.eventId, eventDate: event.eventDate, invitationIds: [inv.id] },
      { now: input.now, timeZone: input.timeZone ?? DEFAULT_TIME_ZONE },
    );
    await audit(tx, residentOrSystem(input.contactId), {
      action: RESTORE_AUDIT_ACTION,
      entity: 'invitation',
      entityId: inv.id,
      details: { eventId: inv.eventId, slotId: seat.id, toStatus: status, sameSlot: seat.id === before.slotId },
      at: input.now,
    });
    return { ok: true, status, slotId: seat.id, sameSlot: seat.id === before.slotId, remindersPlanned };
  });
}

/** The slot and answer the latest decline gave up, from its audit entry (nothing known: no slot, invited). */
async function seatGivenUp(tx: Db, invitationId: number): Promise<{ slotId: number | null; fromStatus: string | null }> {
  const [row] = await tx
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'invitation'), eq(auditLog.entityId, String(invitationId)), eq(auditLog.action, DECLINE_AUDIT_ACTION)))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(1);
  const d = row?.details ?? {};
  return {
    slotId: typeof d.slotId === 'number' ? d.slotId : null,
    fromStatus: typeof d.fromStatus === 'string' ? d.fromStatus : null,
  };
}
