// Residents' answers to distribution invitations: "I'll come", "another time or place", "I can't come",
// "my wife will come for me". A seat is held by an open invitation that has a slot, and `event_slots.booked`
// counts those seats; every change of seat happens under row locks so a slot is never oversold.

import { and, asc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, invitations, programs, proxies, reminderFires, sites } from '../../db/schema/index.ts';
import { INVITATION_STATUSES, PROXY_REASONS } from '../../domain/vocabulary.ts';
import { isValidNik } from '../../domain/nik.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { audit, type AuditActor } from '../audit.ts';
import { recordAttachments, type MediaMeta } from '../complaints/attachments.ts';

type InvitationStatus = (typeof INVITATION_STATUSES)[number];
export type ProxyReason = (typeof PROXY_REASONS)[number];

/** Statuses in which the household still holds a seat and may answer. */
export const OPEN_INVITATION_STATUSES = ['invited', 'confirmed', 'reschedule_requested'] as const satisfies readonly InvitationStatus[];

/** What to bring; the invitation code is shown at the site instead of a paper letter. */
export const INVITATION_DOCUMENTS = ['KTP', 'KK', 'code'] as const;

export interface UpcomingInvitation {
  invitationId: number;
  /** As a resident reads it ("K7MQ-4XRT", domain/invitation-code.ts); the QR takes it in either form. */
  code: string;
  status: InvitationStatus;
  round: number;
  eventTitle: string;
  /** The title for English-reading residents; null: the title serves both languages. */
  eventTitleEn: string | null;
  programCode: string;
  slotId: number;
  startsAt: Date;
  endsAt: Date;
  siteName: string;
  siteAddress: string;
  latitude: number | null;
  longitude: number | null;
  documents: (typeof INVITATION_DOCUMENTS)[number][];
}

/** Open invitations of a household whose slot has not yet ended, soonest first. */
export async function upcomingInvitations(db: Db, householdId: number, now: Date): Promise<UpcomingInvitation[]> {
  const rows = await db
    .select({
      invitationId: invitations.id,
      code: invitations.code,
      status: invitations.status,
      round: invitations.round,
      eventTitle: distributionEvents.title,
      eventTitleEn: distributionEvents.titleEn,
      programCode: programs.code,
      slotId: eventSlots.id,
      startsAt: eventSlots.startsAt,
      endsAt: eventSlots.endsAt,
      siteName: sites.name,
      siteAddress: sites.address,
      latitude: sites.latitude,
      longitude: sites.longitude,
    })
    .from(invitations)
    .innerJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
    .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(
      and(
        eq(invitations.householdId, householdId),
        inArray(invitations.status, [...OPEN_INVITATION_STATUSES]),
        gt(eventSlots.endsAt, now),
        ne(distributionEvents.status, 'cancelled'),
      ),
    )
    .orderBy(asc(eventSlots.startsAt), asc(invitations.id));
  return rows.map((r) => ({
    ...r,
    code: formatInvitationCode(r.code),
    latitude: toCoordinate(r.latitude),
    longitude: toCoordinate(r.longitude),
    documents: [...INVITATION_DOCUMENTS],
  }));
}

function toCoordinate(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** "Not yours" and "no such invitation" are the same answer, so a guessed id reveals nothing. */
export type NotAnswerable = { ok: false; reason: 'not_found' } | { ok: false; reason: 'not_open' };

export type ConfirmResult = { ok: true; alreadyConfirmed: boolean } | NotAnswerable;

export async function confirmInvitation(
  db: Db,
  input: { invitationId: number; householdId: number; now: Date },
): Promise<ConfirmResult> {
  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, input.invitationId, input.householdId);
    if (!inv) return { ok: false, reason: 'not_found' };
    if (inv.status === 'confirmed') return { ok: true, alreadyConfirmed: true };
    if (inv.status !== 'invited' && inv.status !== 'reschedule_requested') return { ok: false, reason: 'not_open' };
    if (!(await slotStillAhead(tx, inv.slotId, input.now))) return { ok: false, reason: 'not_open' };
    await tx
      .update(invitations)
      .set({ status: 'confirmed', respondedAt: input.now, updatedAt: input.now })
      .where(eq(invitations.id, inv.id));
    return { ok: true, alreadyConfirmed: false };
  });
}

export interface AvailableSlot {
  slotId: number;
  siteId: number;
  siteName: string;
  siteAddress: string;
  latitude: number | null;
  longitude: number | null;
  startsAt: Date;
  endsAt: Date;
  seatsLeft: number;
}

/**
 * Other slots of the invitation's event that still have room and have not started, soonest first.
 * Slots are not personal data, so no household check is needed to list them.
 */
export async function availableSlots(db: Db, invitationId: number, now: Date = new Date()): Promise<AvailableSlot[]> {
  const [inv] = await db
    .select({ eventId: invitations.eventId, slotId: invitations.slotId })
    .from(invitations)
    .where(eq(invitations.id, invitationId));
  if (!inv) return [];
  const rows = await db
    .select({
      slotId: eventSlots.id,
      siteId: sites.id,
      siteName: sites.name,
      siteAddress: sites.address,
      latitude: sites.latitude,
      longitude: sites.longitude,
      startsAt: eventSlots.startsAt,
      endsAt: eventSlots.endsAt,
      capacity: eventSlots.capacity,
      booked: eventSlots.booked,
    })
    .from(eventSlots)
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(
      and(
        eq(eventSlots.eventId, inv.eventId),
        inv.slotId === null ? undefined : ne(eventSlots.id, inv.slotId),
        sql`${eventSlots.booked} < ${eventSlots.capacity}`,
        gt(eventSlots.startsAt, now),
        eq(sites.active, true),
      ),
    )
    .orderBy(asc(eventSlots.startsAt), asc(sites.name), asc(eventSlots.id));
  return rows.map(({ capacity, booked, ...r }) => ({
    ...r,
    latitude: toCoordinate(r.latitude),
    longitude: toCoordinate(r.longitude),
    seatsLeft: capacity - booked,
  }));
}

export type ChangeSlotResult =
  | { ok: true; slotId: number; unchanged: boolean }
  | NotAnswerable
  | { ok: false; reason: 'full' }
  | { ok: false; reason: 'no_such_slot' };

/**
 * Moves the household's seat to another slot of the same event and confirms the invitation.
 * Locks: the invitation first (two answers from the same household queue up), then both slot rows in id
 * order, so two moves in opposite directions between the same slots cannot deadlock.
 */
export async function changeSlot(
  db: Db,
  input: { invitationId: number; householdId: number; slotId: number; now: Date },
): Promise<ChangeSlotResult> {
  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, input.invitationId, input.householdId);
    if (!inv) return { ok: false, reason: 'not_found' };
    if (!isOpen(inv.status)) return { ok: false, reason: 'not_open' };
    if (inv.slotId === input.slotId) {
      if (!(await slotStillAhead(tx, inv.slotId, input.now))) return { ok: false, reason: 'not_open' };
      await tx
        .update(invitations)
        .set({ status: 'confirmed', respondedAt: input.now, updatedAt: input.now })
        .where(eq(invitations.id, inv.id));
      return { ok: true, slotId: input.slotId, unchanged: true };
    }

    const ids = inv.slotId === null ? [input.slotId] : [inv.slotId, input.slotId].sort((a, b) => a - b);
    const locked = await tx
      .select({ id: eventSlots.id, eventId: eventSlots.eventId, startsAt: eventSlots.startsAt, capacity: eventSlots.capacity, booked: eventSlots.booked })
      .from(eventSlots)
      .where(inArray(eventSlots.id, ids))
      .orderBy(asc(eventSlots.id))
      .for('update');
    const target = locked.find((s) => s.id === input.slotId);
    if (!target || target.eventId !== inv.eventId || target.startsAt <= input.now) return { ok: false, reason: 'no_such_slot' };
    if (target.booked >= target.capacity) return { ok: false, reason: 'full' };

    if (inv.slotId !== null) {
      await tx
        .update(eventSlots)
        .set({ booked: sql`greatest(${eventSlots.booked} - 1, 0)` })
        .where(eq(eventSlots.id, inv.slotId));
    }
    await tx
      .update(eventSlots)
      .set({ booked: sql`${eventSlots.booked} + 1` })
      .where(eq(eventSlots.id, target.id));
    await tx
      .update(invitations)
      .set({ slotId: target.id, status: 'confirmed', respondedAt: input.now, updatedAt: input.now })
      .where(eq(invitations.id, inv.id));
    await skipPendingReminders(tx, inv.id);
    return { ok: true, slotId: target.id, unchanged: false };
  });
}

export type DeclineResult = { ok: true; alreadyDeclined: boolean } | NotAnswerable;

/**
 * The household will not come: the seat goes back to the slot (slotId is cleared, so `booked` stays the
 * count of invitations holding a seat) and the pending reminders stop.
 */
export async function declineInvitation(
  db: Db,
  /** `contactId`: the chat that answered, for the audit log (absent: the system, e.g. an import). */
  input: { invitationId: number; householdId: number; reason: string; now: Date; contactId?: number },
): Promise<DeclineResult> {
  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, input.invitationId, input.householdId);
    if (!inv) return { ok: false, reason: 'not_found' };
    if (inv.status === 'declined') return { ok: true, alreadyDeclined: true };
    if (!isOpen(inv.status)) return { ok: false, reason: 'not_open' };
    if (inv.slotId !== null) {
      await tx
        .select({ id: eventSlots.id })
        .from(eventSlots)
        .where(eq(eventSlots.id, inv.slotId))
        .for('update');
      await tx
        .update(eventSlots)
        .set({ booked: sql`greatest(${eventSlots.booked} - 1, 0)` })
        .where(eq(eventSlots.id, inv.slotId));
    }
    await tx
      .update(invitations)
      .set({
        status: 'declined',
        declineReason: input.reason.trim().slice(0, 500) || null,
        slotId: null,
        respondedAt: input.now,
        updatedAt: input.now,
      })
      .where(eq(invitations.id, inv.id));
    await skipPendingReminders(tx, inv.id);
    // The seat and the answer it replaced, kept where a change of status is kept: "Saya jadi bisa hadir"
    // (restore.ts) gives the household back that seat and that answer while the event is still open.
    await audit(tx, residentOrSystem(input.contactId), {
      action: DECLINE_AUDIT_ACTION,
      entity: 'invitation',
      entityId: inv.id,
      details: { eventId: inv.eventId, slotId: inv.slotId, fromStatus: inv.status },
      at: input.now,
    });
    return { ok: true, alreadyDeclined: false };
  });
}

export type NameProxyResult = { ok: true; proxyId: number; replaced: number } | NotAnswerable | { ok: false; reason: 'invalid_nik' | 'invalid_name' };

/** Written on proxies a newer kuasa replaces; the office's words, since staff read it in the console. */
export const PROXY_REPLACED_NOTE = 'diganti oleh kuasa baru';

/**
 * Names a kuasa (someone collecting on the household's behalf), pending staff approval.
 * Only one kuasa may stand for an invitation: a new one replaces every earlier pending or approved one,
 * which are marked rejected with a note rather than deleted, so the console keeps the history of who was
 * named and the site never sees two people entitled to the same package.
 * A photo of the surat kuasa sent in the chat is recorded with the kuasa, in the same transaction, for the
 * attachments job to fetch through the chat's channel (`contactId`: the chat it came through).
 */
export async function nameProxy(
  db: Db,
  input: {
    invitationId: number;
    householdId: number;
    name: string;
    nik: string;
    relation: string;
    reason: ProxyReason;
    reasonNote?: string | null;
    now: Date;
  } & ({ photos?: undefined; contactId?: number } | { photos: readonly MediaMeta[]; contactId: number }),
): Promise<NameProxyResult> {
  const nik = input.nik.replace(/[\s.-]/g, '');
  if (!isValidNik(nik)) return { ok: false, reason: 'invalid_nik' };
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2) return { ok: false, reason: 'invalid_name' };

  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, input.invitationId, input.householdId);
    if (!inv) return { ok: false, reason: 'not_found' };
    if (!isOpen(inv.status)) return { ok: false, reason: 'not_open' };
    const replaced = await tx
      .update(proxies)
      .set({ status: 'rejected', decidedAt: input.now, decisionNote: PROXY_REPLACED_NOTE })
      .where(and(eq(proxies.invitationId, inv.id), inArray(proxies.status, ['pending', 'approved'])))
      .returning({ id: proxies.id });
    const [row] = await tx
      .insert(proxies)
      .values({
        invitationId: inv.id,
        name,
        nik,
        relation: input.relation.trim(),
        reason: input.reason,
        reasonNote: input.reasonNote?.trim() || null,
        status: 'pending',
        createdAt: input.now,
      })
      .returning({ id: proxies.id });
    if (input.photos && input.photos.length > 0) await recordAttachments(tx, { proxyId: row!.id }, input.contactId, input.photos, input.now);
    return { ok: true, proxyId: row!.id, replaced: replaced.length };
  });
}

/** The audit action of a resident's decline; its details hold the seat given up (restore.ts reads it). */
export const DECLINE_AUDIT_ACTION = 'invitation.decline';

export function residentOrSystem(contactId: number | undefined): AuditActor {
  return contactId === undefined ? { kind: 'system' } : { kind: 'resident', contactId };
}

function isOpen(status: InvitationStatus): boolean {
  return (OPEN_INVITATION_STATUSES as readonly InvitationStatus[]).includes(status);
}

/** The invitation row, locked for the rest of the transaction, or undefined when it is not this household's. */
export async function lockInvitation(tx: Db, invitationId: number, householdId: number) {
  const [inv] = await tx
    .select({ id: invitations.id, eventId: invitations.eventId, slotId: invitations.slotId, status: invitations.status })
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.householdId, householdId)))
    .for('update');
  return inv;
}

/** False when the invitation's slot has already ended or its event was cancelled. */
async function slotStillAhead(tx: Db, slotId: number | null, now: Date): Promise<boolean> {
  if (slotId === null) return true;
  const [slot] = await tx
    .select({ endsAt: eventSlots.endsAt, eventStatus: distributionEvents.status })
    .from(eventSlots)
    .innerJoin(distributionEvents, eq(distributionEvents.id, eventSlots.eventId))
    .where(eq(eventSlots.id, slotId));
  return !!slot && slot.endsAt > now && slot.eventStatus !== 'cancelled';
}

/** Reminders carry the old time and place; they must not go out. The reminder scheduler plans new ones. */
async function skipPendingReminders(tx: Db, invitationId: number): Promise<void> {
  await tx
    .update(reminderFires)
    .set({ status: 'skipped' })
    .where(and(eq(reminderFires.invitationId, invitationId), eq(reminderFires.status, 'pending')));
}
