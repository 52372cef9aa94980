// Sending invitations: seats first (each household at the nearest site with room, spread over its slots,
// under a lock on the event's slots: allocation.ts), then one invitation row per household with a fresh code, reminders planned, and the
// invitation queued to every linked chat of the household in its own language, with the QR image.
//
// Capacity: when the event has fewer free seats than households, the first households in the given order
// are invited up to capacity and the rest are reported back as 'no_capacity' (not refused as a whole), so
// staff can add a slot and invite the rest without redoing the selection.
//
// Everything is set-based, each list one array parameter: the invitations and their reminders are one
// statement (invitation-rows.ts), the messages one per 2,000 rows (outbox/enqueue.ts), so a city-wide
// round of 100,000 households fits in one transaction of seconds (bench/fanout.ts).

import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { distributionEvents, programs } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { fanOut } from '../outreach/fan-out.ts';
import { countPaths, onlyHouseholds, reachHouseholds, type PathCounts } from '../outreach/recipients.ts';
import { templateFor } from '../outreach/template-choice.ts';
import { allocateSeats } from './allocation.ts';
import { canManage, eventInScope, refuse, translatorOf, zoneOf, type DistributionOptions, type EventRow, type Outcome } from './common.ts';
import { bookSeats, insertInvitations } from './invitation-rows.ts';
import { nextSendable, reminderTimes } from './reminder-times.ts';
import { textsFor, type InvitationFacts } from '../../messages/notices/distribution.ts';

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
  /** Invited households reached by no message: the call-down list (householdsWithoutChat). */
  withoutChat: number;
  /** How many invited households each path reaches, and why the paper ones are on paper. */
  reach: PathCounts;
  /** When the last first message to a registry phone may go (Meta's daily limit of new conversations). */
  lastOpeningAt: Date | null;
}

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

  // Unknown households, and households outside the actor's kecamatan, refuse the whole request. Whether each
  // is invited to this event already is read in the same statement (the event is locked: no other round of
  // it can invite them before this one ends).
  const known = new Set<number>();
  const invitedAlready = new Set<number>();
  const rows = rowsOf<{ id: string | number; kecamatan_id: number; invited: boolean }>(
    await tx.execute(sql`
      select h.id, k.kecamatan_id, exists (select 1 from invitations i where i.event_id = ${event.id} and i.household_id = h.id) as invited
      from households h join kelurahan k on k.id = h.kelurahan_id
      where h.id = any(${`{${ids.join(',')}}`}::bigint[])`),
  );
  for (const r of rows) {
    if (actor.kecamatanId !== null && r.kecamatan_id !== actor.kecamatanId) continue;
    known.add(Number(r.id));
    if (r.invited) invitedAlready.add(Number(r.id));
  }
  if (known.size !== ids.length) return refuse('not_found', 'household');

  // Who each household's invitation would go to, read before anything is written: writing first to registry
  // phones on the WhatsApp Cloud API needs an approved template, refused as a whole when it is not.
  // Seats: the nearest site with room, spread over its slots (allocation.ts), with the event's slots locked
  // so two rounds sent at once cannot both take the last seat. Both read at once: the database answers one
  // while the other's rows are worked through here.
  const [reach, seats] = await Promise.all([
    reachHouseholds(tx, ids, opts.outreach),
    allocateSeats(tx, event, items.filter((i) => !invitedAlready.has(i.householdId)), opts.now),
  ]);
  const template = await templateFor(tx, opts.outreach, 'invitation', event.invitationTemplate, reach);
  if (!template.ok) return refuse(template.reason, template.name);
  // Its reminders will go the same way: a reminder template that cannot go is refused now, not on H-1.
  const reminder = await templateFor(tx, opts.outreach, 'reminder', event.reminderTemplate, reach);
  if (!reminder.ok) return refuse(reminder.reason, reminder.name);

  const slots = seats.slots;
  const seatOf = new Map(seats.planned.map((p) => [p.householdId, p.slotId]));

  const notInvited: NotInvited[] = [];
  const planned: { householdId: number; previousInvitationId: number | null; slotId: number }[] = [];
  for (const item of items) {
    if (invitedAlready.has(item.householdId)) {
      notInvited.push({ householdId: item.householdId, reason: 'already_invited' });
      continue;
    }
    const slotId = seatOf.get(item.householdId);
    if (slotId === undefined) {
      notInvited.push({ householdId: item.householdId, reason: 'no_capacity' });
      continue;
    }
    planned.push({ ...item, slotId });
  }

  // Insert with fresh codes (a code that collides with an existing one is tried again with a new one), with
  // their reminders planned; households still missing were invited by another request in the meantime.
  const reminders = reminderTimes(event.eventDate, zoneOf(opts), opts.now);
  const { created, missing } = await insertInvitations(tx, planned, { eventId: event.id, round, now: opts.now, reminders });
  for (const p of missing) notInvited.push({ householdId: p.householdId, reason: 'already_invited' });
  await bookSeats(tx, created);
  if (event.status === 'planned' && created.length > 0) {
    await tx.update(distributionEvents).set({ status: 'open', updatedAt: opts.now }).where(eq(distributionEvents.id, event.id));
  }
  const invitationIds = created.map((c) => c.id);

  // Messages: facts assembled from what is already in hand, not read back per invitation. The QR image is not
  // drawn here: the payload carries the code and the dispatcher draws it when sending.
  const [program] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, event.programId));
  const slotById = new Map(slots.map((x) => [x.id, x]));
  const i18n = await translatorOf(opts);
  const texts = textsFor(i18n, zoneOf(opts), opts.defaultLocale ?? 'id');
  const invited = onlyHouseholds(reach, created.map((c) => c.householdId));
  const messages = created.map((c) => ({ householdId: c.householdId, invitationId: c.id, code: c.code, slotId: c.slotId }));
  const sent = await fanOut(
    tx,
    messages,
    invited,
    (language, c) => {
      const slot = slotById.get(c.slotId)!;
      const facts: InvitationFacts = {
        invitationId: c.invitationId,
        code: c.code,
        round,
        eventTitle: event.title,
        eventTitleEn: event.titleEn,
        programName: program!.name,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        siteName: slot.siteName,
        siteAddress: slot.siteAddress,
        latitude: slot.latitude,
        longitude: slot.longitude,
      };
      return texts(language).invitation(facts);
    },
    { env: opts.outreach, i18n, defaultLocale: opts.defaultLocale ?? 'id', now: opts.now, sendFrom: nextSendable(opts.now, zoneOf(opts)), ...(template.template ? { template: template.template } : {}) },
  );
  const paths = countPaths(invited);
  const queuedChats = sent.queued;
  const withoutChat = paths.paper;

  await audit(tx, actor, {
    action: 'distribution.invite',
    entity: 'distribution_event',
    entityId: event.id,
    details: { round, invitedCount: created.length, notInvitedCount: notInvited.length, chatCount: queuedChats, withoutChatCount: withoutChat, reach: paths },
    at: opts.now,
  });
  return { ok: true, invitationIds, invited: created.length, notInvited, queuedChats, withoutChat, reach: paths, lastOpeningAt: sent.lastOpeningAt };
}
