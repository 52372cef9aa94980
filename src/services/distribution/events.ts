// Distribution events: a program's tranche handed out on one day, in slots at sites with a capacity each.
// Moving an event re-plans every reminder and tells every invited household; cancelling it closes every
// open invitation and tells them too. A refused input changes nothing: everything is checked before the
// first write, and each action is one transaction.

import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, invitations, programs, sites } from '../../db/schema/index.ts';
import { isRealDate, todayIn, zonedParts } from '../../domain/dates.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { OPEN_INVITATION_STATUSES } from './invitations.ts';
import { canManage, canRead, eventInScope, kecamatanInScope, programInScope, refuse, zoneOf, type DistributionOptions, type Outcome, type Refused } from './common.ts';
import { invitationFacts } from './facts.ts';
import { notifyHouseholds } from './notify.ts';
import { localInstant } from './reminder-times.ts';
import { replanReminders, skipPending } from './reminders.ts';

export interface SlotInput {
  siteId: number;
  /** 'HH:MM' local time on the event's date, or an instant (Date or ISO string) that must fall on it. */
  start: string | Date;
  end: string | Date;
  capacity: number;
}

export interface NewEvent {
  programId: number;
  tranche: string;
  title: string;
  /** The title for English-reading residents; absent or blank: the title serves both languages. */
  titleEn?: string | null;
  /** YYYY-MM-DD, a day in the office's zone. */
  date: string;
  slots: SlotInput[];
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function instantOf(value: string | Date, day: string, timeZone: string): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  if (HHMM.test(value)) return localInstant(day, value, timeZone);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function validDay(day: unknown): day is string {
  if (typeof day !== 'string') return false;
  const m = ISO_DAY.exec(day);
  return !!m && isRealDate(+m[1]!, +m[2]!, +m[3]!);
}

interface CheckedSlot {
  siteId: number;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

/** The checks a slot must pass, in the order a staff member would fix them. */
function checkSlot(s: { start: string | Date; end: string | Date; capacity?: number }, day: string, timeZone: string, now: Date): Refused | { startsAt: Date; endsAt: Date } {
  if (s.capacity !== undefined && (!Number.isSafeInteger(s.capacity) || s.capacity < 1 || s.capacity > 100_000)) return refuse('invalid_capacity');
  const startsAt = instantOf(s.start, day, timeZone);
  const endsAt = instantOf(s.end, day, timeZone);
  if (!startsAt || !endsAt) return refuse('invalid_input', 'slot_time');
  if (todayIn(timeZone, startsAt) !== day || todayIn(timeZone, endsAt) !== day) return refuse('slot_outside_date');
  if (endsAt.getTime() <= startsAt.getTime()) return refuse('invalid_time_range');
  if (startsAt.getTime() <= now.getTime()) return refuse('date_in_past');
  return { startsAt, endsAt };
}

async function checkSites(db: Db, actor: Actor, siteIds: number[]): Promise<Refused | null> {
  const ids = [...new Set(siteIds)];
  if (ids.some((id) => !Number.isSafeInteger(id))) return refuse('unknown_site');
  const rows = await db.select({ id: sites.id, kecamatanId: sites.kecamatanId, active: sites.active }).from(sites).where(inArray(sites.id, ids));
  // A site of another kecamatan is as unknown to a scoped actor as a site that does not exist.
  if (rows.length !== ids.length || rows.some((r) => !r.active || !kecamatanInScope(actor, r.kecamatanId))) return refuse('unknown_site');
  return null;
}

export async function createEvent(db: Db, actor: Actor, input: NewEvent, opts: DistributionOptions): Promise<Outcome<{ eventId: number; slotIds: number[] }>> {
  canManage(actor);
  const timeZone = zoneOf(opts);
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const tranche = typeof input.tranche === 'string' ? input.tranche.trim() : '';
  if (title.length < 3 || title.length > 200 || tranche.length < 1 || tranche.length > 100) return refuse('invalid_input', 'title_or_tranche');
  const titleEn = typeof input.titleEn === 'string' ? input.titleEn.trim() : '';
  if (titleEn.length > 200 || (titleEn.length > 0 && titleEn.length < 3)) return refuse('invalid_input', 'title_or_tranche');
  if (!validDay(input.date)) return refuse('invalid_input', 'date');
  if (input.date < todayIn(timeZone, opts.now)) return refuse('date_in_past');
  if (!Array.isArray(input.slots) || input.slots.length === 0 || input.slots.length > 500) return refuse('invalid_input', 'slots');
  const checked: CheckedSlot[] = [];
  for (const s of input.slots) {
    if (typeof s.capacity !== 'number') return refuse('invalid_capacity');
    const c = checkSlot(s, input.date, timeZone, opts.now);
    if ('ok' in c) return c;
    checked.push({ siteId: s.siteId, capacity: s.capacity, ...c });
  }

  return db.transaction(async (tx) => {
    if (!Number.isSafeInteger(input.programId)) return refuse('unknown_program');
    const [program] = await tx.select({ id: programs.id, bidang: programs.bidang }).from(programs).where(eq(programs.id, input.programId));
    // Another bidang's program is as unknown to a bidang-scoped officer as one that does not exist.
    if (!program || !programInScope(actor, program.bidang)) return refuse('unknown_program');
    const bad = await checkSites(tx, actor, checked.map((s) => s.siteId));
    if (bad) return bad;
    const [event] = await tx
      .insert(distributionEvents)
      .values({
        programId: program.id,
        tranche,
        title,
        titleEn: titleEn === '' ? null : titleEn,
        eventDate: input.date,
        status: 'planned',
        createdBy: actor.kind === 'staff' ? actor.id : null,
        createdAt: opts.now,
        updatedAt: opts.now,
      })
      .returning({ id: distributionEvents.id });
    const slotRows = await tx
      .insert(eventSlots)
      .values(checked.map((s) => ({ eventId: event!.id, siteId: s.siteId, startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })))
      .returning({ id: eventSlots.id });
    await audit(tx, actor, {
      action: 'distribution.event.create',
      entity: 'distribution_event',
      entityId: event!.id,
      details: { programId: program.id, date: input.date, slotCount: slotRows.length },
      at: opts.now,
    });
    return { ok: true, eventId: event!.id, slotIds: slotRows.map((r) => r.id) };
  });
}

export interface EventChange {
  eventId: number;
  /** A new day; slots keep their local times unless `slots` says otherwise. */
  date?: string;
  slots?: { slotId: number; start: string | Date; end: string | Date }[];
}

function localTime(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/**
 * New date and/or slot times. The event becomes 'moved', every open invitation's reminderVersion is bumped
 * and its reminders planned again for the new day, and every invited household is told the new time.
 */
export async function changeEvent(
  db: Db,
  actor: Actor,
  input: EventChange,
  opts: DistributionOptions,
): Promise<Outcome<{ notifiedHouseholds: number; notifiedChats: number; remindersPlanned: number }>> {
  canManage(actor);
  const timeZone = zoneOf(opts);
  if (input.date !== undefined && !validDay(input.date)) return refuse('invalid_input', 'date');
  if (input.date === undefined && (!input.slots || input.slots.length === 0)) return refuse('invalid_input', 'nothing_to_change');

  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, input.eventId, true);
    if (!event) return refuse('not_found');
    if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
    const day = input.date ?? event.eventDate;
    if (day < todayIn(timeZone, opts.now)) return refuse('date_in_past');

    const slots = await tx.select().from(eventSlots).where(eq(eventSlots.eventId, event.id)).orderBy(asc(eventSlots.id)).for('update');
    const given = new Map((input.slots ?? []).map((s) => [s.slotId, s]));
    if ([...given.keys()].some((id) => !slots.some((s) => s.id === id))) return refuse('invalid_input', 'slot');
    const updates: { id: number; startsAt: Date; endsAt: Date }[] = [];
    for (const s of slots) {
      const g = given.get(s.id);
      const wanted = g ?? { start: localTime(s.startsAt, timeZone), end: localTime(s.endsAt, timeZone) };
      const c = checkSlot(wanted, day, timeZone, opts.now);
      if ('ok' in c) {
        // A slot left as it was may already have started today; only what is being changed must lie ahead.
        if (c.reason !== 'date_in_past' || g || day !== event.eventDate) return c;
        continue;
      }
      if (c.startsAt.getTime() !== s.startsAt.getTime() || c.endsAt.getTime() !== s.endsAt.getTime()) updates.push({ id: s.id, ...c });
    }
    if (updates.length === 0 && day === event.eventDate) return refuse('invalid_input', 'nothing_to_change');

    for (const u of updates) await tx.update(eventSlots).set({ startsAt: u.startsAt, endsAt: u.endsAt }).where(eq(eventSlots.id, u.id));
    await tx.update(distributionEvents).set({ eventDate: day, status: 'moved', updatedAt: opts.now }).where(eq(distributionEvents.id, event.id));
    const remindersPlanned = await replanReminders(tx, { eventId: event.id, eventDate: day }, opts);

    const open = await invitationFacts(tx, and(eq(invitations.eventId, event.id), inArray(invitations.status, [...OPEN_INVITATION_STATUSES])));
    const sent = await notifyHouseholds(tx, open, (t, f) => t.moved(f), opts);
    await audit(tx, actor, {
      action: 'distribution.event.change',
      entity: 'distribution_event',
      entityId: event.id,
      details: { fromDate: event.eventDate, toDate: day, slotsChanged: updates.length, invitationCount: open.length },
      at: opts.now,
    });
    return { ok: true, notifiedHouseholds: sent.households, notifiedChats: sent.chats, remindersPlanned };
  });
}

/** Cancels the event: open invitations are cancelled, their seats and reminders released, households told. */
export async function cancelEvent(
  db: Db,
  actor: Actor,
  input: { eventId: number; reason: string },
  opts: DistributionOptions,
): Promise<Outcome<{ cancelledInvitations: number; notifiedHouseholds: number; notifiedChats: number }>> {
  canManage(actor);
  const reason = typeof input.reason === 'string' ? input.reason.trim().replace(/\s+/g, ' ') : '';
  if (reason.length < 3 || reason.length > 300) return refuse('invalid_input', 'reason');
  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, input.eventId, true);
    if (!event) return refuse('not_found');
    if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
    const open = await invitationFacts(tx, and(eq(invitations.eventId, event.id), inArray(invitations.status, [...OPEN_INVITATION_STATUSES])));
    await tx
      .update(invitations)
      .set({ status: 'cancelled', updatedAt: opts.now })
      .where(and(eq(invitations.eventId, event.id), inArray(invitations.status, [...OPEN_INVITATION_STATUSES])));
    await skipPending(tx, { eventId: event.id });
    await tx.update(eventSlots).set({ booked: 0 }).where(eq(eventSlots.eventId, event.id));
    await tx.update(distributionEvents).set({ status: 'cancelled', updatedAt: opts.now }).where(eq(distributionEvents.id, event.id));
    const sent = await notifyHouseholds(tx, open, (t, f) => t.cancelled({ eventTitle: f.eventTitle, eventTitleEn: f.eventTitleEn, code: f.code, day: f.startsAt, reason }), opts);
    await audit(tx, actor, {
      action: 'distribution.event.cancel',
      entity: 'distribution_event',
      entityId: event.id,
      details: { invitationCount: open.length },
      at: opts.now,
    });
    return { ok: true, cancelledInvitations: open.length, notifiedHouseholds: sent.households, notifiedChats: sent.chats };
  });
}

export async function getEvent(db: Db, actor: Actor, eventId: number) {
  canRead(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return undefined;
  const slots = await db.select().from(eventSlots).where(eq(eventSlots.eventId, eventId)).orderBy(asc(eventSlots.startsAt), asc(eventSlots.id));
  return { ...event, slots };
}
