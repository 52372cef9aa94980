// Sending invitations: seats first (slots filled in time order up to their capacity, under a lock on the
// event's slots), then one invitation row per household with a fresh code, reminders planned, and the
// invitation queued to every linked chat of the household in its own language, with the QR image.
//
// Capacity: when the event has fewer free seats than households, the first households in the given order
// are invited up to capacity and the rest are reported back as 'no_capacity' (not refused as a whole), so
// staff can add a slot and invite the rest without redoing the selection.
//
// Everything is set-based (one statement per few thousand rows), so a city-wide round of 100,000 households
// fits in one transaction of seconds.

import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { distributionEvents, eventSlots, households, invitations, kelurahan, programs, sites } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { byHousehold, linkedChats } from './chats.ts';
import { enqueueMany, type QueuedMessage } from '../../outbox/enqueue.ts';
import { freshCodes } from './codes.ts';
import { canManage, eventInScope, refuse, translatorOf, zoneOf, type DistributionOptions, type EventRow, type Outcome } from './common.ts';
import { nextSendable } from './reminder-times.ts';
import { textsFor, type InvitationFacts } from '../../messages/notices/distribution.ts';
import { planNewReminders } from './reminders.ts';

export interface InviteInput {
  eventId: number;
  householdIds: number[];
  /** 2 or 3 for a follow-up summons; default 1. */
  round?: 1 | 2 | 3;
  /** Parallel to householdIds: the invitation each one follows up (next rounds). */
  previousInvitationIds?: number[];
}

export interface NotInvited {
  householdId: number;
  reason: 'no_capacity' | 'already_invited';
}

export interface InviteResult {
  invitationIds: number[];
  invited: number;
  notInvited: NotInvited[];
  /** Chats the invitation was queued to (a household may have several). */
  queuedChats: number;
  /** Invited households with no linked chat: they need a paper invitation (householdsWithoutChat). */
  withoutChat: number;
}

const CHUNK = 5000;
const MESSAGE_CHUNK = 2000;

export async function inviteHouseholds(db: Db, actor: Actor, input: InviteInput, opts: DistributionOptions): Promise<Outcome<InviteResult>> {
  canManage(actor);
  const round = input.round ?? 1;
  if (![1, 2, 3].includes(round)) return refuse('invalid_input', 'round');
  if (!Array.isArray(input.householdIds) || input.householdIds.length === 0) return refuse('invalid_input', 'households');
  if (input.householdIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) return refuse('invalid_input', 'households');
  const prev = input.previousInvitationIds;
  if (prev !== undefined && (prev.length !== input.householdIds.length || prev.some((id) => !Number.isSafeInteger(id)))) {
    return refuse('invalid_input', 'previous_invitations');
  }
  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, input.eventId, true);
    if (!event) return refuse('not_found');
    const items = input.householdIds.map((householdId, i) => ({ householdId, previousInvitationId: prev?.[i] ?? null }));
    return inviteWithin(tx, actor, event, items, round, opts);
  });
}

/** The invitation work inside the caller's transaction, on an event already locked and scope-checked. */
export async function inviteWithin(
  tx: Db,
  actor: Actor,
  event: EventRow,
  wanted: { householdId: number; previousInvitationId: number | null }[],
  round: number,
  opts: DistributionOptions,
): Promise<Outcome<InviteResult>> {
  if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');

  // Each household once, in the order given.
  const seen = new Set<number>();
  const items = wanted.filter((w) => !seen.has(w.householdId) && seen.add(w.householdId));
  const ids = items.map((i) => i.householdId);

  // Unknown households, and households outside the actor's kecamatan, refuse the whole request.
  const known = new Set<number>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await tx
      .select({ id: households.id, kecamatanId: kelurahan.kecamatanId })
      .from(households)
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .where(inArray(households.id, ids.slice(i, i + 10_000)));
    for (const r of rows) if (actor.kecamatanId === null || r.kecamatanId === actor.kecamatanId) known.add(r.id);
  }
  if (known.size !== ids.length) return refuse('not_found', 'household');

  const invitedAlready = new Set<number>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await tx
      .select({ householdId: invitations.householdId })
      .from(invitations)
      .where(and(eq(invitations.eventId, event.id), inArray(invitations.householdId, ids.slice(i, i + 10_000))));
    for (const r of rows) invitedAlready.add(r.householdId);
  }

  // Seats, in time order, locked so two rounds sent at once cannot both take the last seat.
  const slots = await tx
    .select({
      id: eventSlots.id,
      capacity: eventSlots.capacity,
      booked: eventSlots.booked,
      startsAt: eventSlots.startsAt,
      endsAt: eventSlots.endsAt,
      siteName: sites.name,
      siteAddress: sites.address,
      latitude: sites.latitude,
      longitude: sites.longitude,
    })
    .from(eventSlots)
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(and(eq(eventSlots.eventId, event.id), gt(eventSlots.startsAt, opts.now), eq(sites.active, true)))
    .orderBy(asc(eventSlots.startsAt), asc(eventSlots.id))
    .for('update', { of: eventSlots });

  const notInvited: NotInvited[] = [];
  const planned: { householdId: number; previousInvitationId: number | null; slotId: number }[] = [];
  let s = 0;
  const free = slots.map((x) => x.capacity - x.booked);
  for (const item of items) {
    if (invitedAlready.has(item.householdId)) {
      notInvited.push({ householdId: item.householdId, reason: 'already_invited' });
      continue;
    }
    while (s < slots.length && free[s]! <= 0) s++;
    if (s >= slots.length) {
      notInvited.push({ householdId: item.householdId, reason: 'no_capacity' });
      continue;
    }
    free[s]!--;
    planned.push({ ...item, slotId: slots[s]!.id });
  }

  // Insert with fresh codes; a code that collides with an existing one is skipped by the unique index
  // and that household tried again with a new code.
  const created: { id: number; householdId: number; code: string; slotId: number }[] = [];
  let pending = planned;
  for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
    const codes = freshCodes(pending.length);
    const inserted = new Set<number>();
    for (let i = 0; i < pending.length; i += CHUNK) {
      const part = pending.slice(i, i + CHUNK).map((p, j) => ({
        household_id: p.householdId,
        slot_id: p.slotId,
        code: codes[i + j]!,
        previous_invitation_id: p.previousInvitationId,
        n: i + j,
      }));
      const result = await tx.execute(sql`
        insert into invitations (event_id, household_id, slot_id, code, round, previous_invitation_id, status, created_at, updated_at)
        select ${event.id}, household_id, slot_id, code, ${round}, previous_invitation_id, 'invited', ${opts.now.toISOString()}::timestamptz, ${opts.now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(household_id bigint, slot_id int, code text, previous_invitation_id bigint, n int)
        order by n
        on conflict do nothing
        returning id, household_id, slot_id, code`);
      for (const r of rowsOf<{ id: string | number; household_id: string | number; slot_id: number; code: string }>(result)) {
        created.push({ id: Number(r.id), householdId: Number(r.household_id), code: r.code, slotId: Number(r.slot_id) });
        inserted.add(Number(r.household_id));
      }
    }
    pending = pending.filter((p) => !inserted.has(p.householdId));
  }
  // Still missing after fresh codes: another request invited them in the meantime.
  for (const p of pending) notInvited.push({ householdId: p.householdId, reason: 'already_invited' });

  const perSlot = new Map<number, number>();
  for (const c of created) perSlot.set(c.slotId, (perSlot.get(c.slotId) ?? 0) + 1);
  for (const [slotId, n] of perSlot) {
    await tx.update(eventSlots).set({ booked: sql`${eventSlots.booked} + ${n}` }).where(eq(eventSlots.id, slotId));
  }
  if (event.status === 'planned' && created.length > 0) {
    await tx.update(distributionEvents).set({ status: 'open', updatedAt: opts.now }).where(eq(distributionEvents.id, event.id));
  }
  const invitationIds = created.map((c) => c.id);

  // Messages: facts assembled from what is already in hand, not read back per invitation. Building texts
  // costs CPU here while the inserts cost the database, so chunks are built while earlier ones are written.
  // The QR image is not drawn here: the payload carries the code and the dispatcher draws it when sending.
  const [program] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, event.programId));
  const slotById = new Map(slots.map((x) => [x.id, x]));
  const texts = textsFor(await translatorOf(opts), zoneOf(opts), opts.defaultLocale ?? 'id');
  const chats = byHousehold(await linkedChats(tx, created.map((c) => c.householdId), { bulk: true }));
  const writes: Promise<unknown>[] = [planNewReminders(tx, { eventDate: event.eventDate, invitationIds }, opts)];
  let queuedChats = 0;
  let withoutChat = 0;
  try {
    for (let i = 0; i < created.length; i += MESSAGE_CHUNK) {
      const queued: QueuedMessage[] = [];
      for (const c of created.slice(i, i + MESSAGE_CHUNK)) {
        const list = chats.get(c.householdId);
        if (!list || list.length === 0) {
          withoutChat++;
          continue;
        }
        const slot = slotById.get(c.slotId)!;
        const facts: InvitationFacts = {
          invitationId: c.id,
          code: c.code,
          round,
          eventTitle: event.title,
          programName: program!.name,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          siteName: slot.siteName,
          siteAddress: slot.siteAddress,
          latitude: slot.latitude,
          longitude: slot.longitude,
        };
        for (const chat of list) queued.push({ contactId: chat.contactId, channel: chat.channel, message: texts(chat.language).invitation(facts) });
      }
      // Counted from what the outbox took: it leaves out a chat that stopped messages since it was read above.
      writes.push(
        enqueueMany(tx, queued, { priority: 'bulk', now: opts.now, sendFrom: nextSendable(opts.now, zoneOf(opts)) }).then((ids) => {
          queuedChats += ids.length;
        }),
      );
      // Let the driver send what is queued before the next chunk takes the CPU.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    const settled = await Promise.allSettled(writes);
    const failed = settled.find((x) => x.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  await audit(tx, actor, {
    action: 'distribution.invite',
    entity: 'distribution_event',
    entityId: event.id,
    details: { round, invitedCount: created.length, notInvitedCount: notInvited.length, chatCount: queuedChats, withoutChatCount: withoutChat },
    at: opts.now,
  });
  return { ok: true, invitationIds, invited: created.length, notInvited, queuedChats, withoutChat };
}
