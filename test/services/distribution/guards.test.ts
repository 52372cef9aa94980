import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, distributionEvents, invitations, outbox } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { cancelPreview, closePreview, nextRoundPreview } from '../../../src/services/distribution/guards.ts';
import { cancelEvent } from '../../../src/services/distribution/events.ts';
import { closeEvent, nextRound } from '../../../src/services/distribution/rounds.ts';
import { at, distributionWorld, makeEvent, makeHousehold, makeInvitation, makeProgram, staff, TZ, type DistributionWorld } from './fixtures.ts';

// The counts an irreversible event action is confirmed with (issue 18, "Guards"): the same numbers the
// action then acts on, the action's own refusals and scope, and nothing written while counting.

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

const DAY = '2026-12-10';
const slots = () => [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 100 }];

/** An event of DAY with invitations in the given statuses; households with a chat unless `noChat`. */
async function eventWith(statuses: { status: 'invited' | 'confirmed' | 'collected' | 'declined' | 'no_show' | 'cancelled'; noChat?: boolean }[], programId = w.householdProgramId) {
  const ev = await makeEvent(w.db, { programId, slots: slots(), date: DAY });
  for (const s of statuses) {
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: s.noChat ? [] : [{ language: 'id' }] });
    await makeInvitation(w.db, { eventId: ev.eventId, householdId: hh.householdId, slotId: s.status === 'declined' ? null : ev.slotIds[0]!, status: s.status });
  }
  return ev;
}

async function writes() {
  const [o, a, i] = await Promise.all([w.db.select().from(outbox), w.db.select().from(auditLog), w.db.select().from(invitations)]);
  return { outbox: o.length, audit: a.length, invitations: i.map((r) => `${r.id}:${r.status}`).sort() };
}

describe('closePreview', () => {
  it('counts invited, collected and not yet collected, as closeEvent then acts, writing nothing', async () => {
    const ev = await eventWith([{ status: 'collected' }, { status: 'confirmed' }, { status: 'invited' }, { status: 'declined' }, { status: 'cancelled' }]);
    const opts = { now: at(DAY, '17:00'), timeZone: TZ };
    const before = await writes();
    const p = await closePreview(w.db, w.admin, ev.eventId, opts);
    expect(p).toEqual({ ok: true, preview: { invited: 4, collected: 1, notCollected: 2 } });
    expect(await writes()).toEqual(before);
    expect(await closeEvent(w.db, w.admin, ev.eventId, opts)).toEqual({ ok: true, noShows: 2 });
  });

  it('refuses what closeEvent refuses: before the day, a closed event, another area, a role without it', async () => {
    const ev = await eventWith([{ status: 'confirmed' }]);
    expect(await closePreview(w.db, w.admin, ev.eventId, { now: at('2026-12-09', '16:00'), timeZone: TZ })).toEqual({ ok: false, reason: 'invalid_status', detail: 'before_event_date' });
    const supervisorB = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await closePreview(w.db, supervisorB, ev.eventId, { now: at(DAY, '17:00'), timeZone: TZ })).toEqual({ ok: false, reason: 'not_found' });
    await expect(closePreview(w.db, await staff(w.db, 'field_officer', w.area.kecA), ev.eventId, { now: at(DAY, '17:00'), timeZone: TZ })).rejects.toThrow(Forbidden);
    await w.db.update(distributionEvents).set({ status: 'done' }).where(eq(distributionEvents.id, ev.eventId));
    expect(await closePreview(w.db, w.admin, ev.eventId, { now: at(DAY, '17:00'), timeZone: TZ })).toMatchObject({ ok: false, reason: 'invalid_status' });
  });
});

describe('cancelPreview', () => {
  it('counts the open invitations and the households told, as cancelEvent then does', async () => {
    const ev = await eventWith([{ status: 'confirmed' }, { status: 'invited' }, { status: 'invited', noChat: true }, { status: 'collected' }, { status: 'declined' }]);
    const before = await writes();
    const p = await cancelPreview(w.db, w.admin, ev.eventId, {});
    expect(p).toEqual({ ok: true, preview: { invitations: 3, told: 2, notReached: 1 } });
    expect(await writes()).toEqual(before);
    const r = await cancelEvent(w.db, w.admin, { eventId: ev.eventId, reason: 'Gudang banjir' }, { now: at('2026-12-05', '10:00'), timeZone: TZ });
    expect(r).toMatchObject({ ok: true, cancelledInvitations: 3, notifiedHouseholds: 2 });
    expect(await cancelPreview(w.db, w.admin, ev.eventId, {})).toMatchObject({ ok: false, reason: 'invalid_status' });
  });

  it('answers an event of another area as missing', async () => {
    const ev = await eventWith([{ status: 'confirmed' }]);
    expect(await cancelPreview(w.db, await staff(w.db, 'supervisor', w.area.kecB), ev.eventId, {})).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('nextRoundPreview', () => {
  it('counts the no-shows it would invite and those at the last round, with nextRound’s own refusals', async () => {
    const programId = await makeProgram(w.db);
    const from = await eventWith([{ status: 'no_show' }, { status: 'no_show' }, { status: 'collected' }], programId);
    // One of the two no-shows is at the last round already.
    const [first, second] = await w.db.select().from(invitations).where(eq(invitations.eventId, from.eventId)).orderBy(invitations.id);
    expect(first!.status).toBe('no_show');
    await w.db.update(invitations).set({ round: 3 }).where(eq(invitations.id, second!.id));
    const to = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-17', title: 'Susulan' });
    expect(await nextRoundPreview(w.db, w.admin, { fromEventId: from.eventId, toEventId: to.eventId })).toMatchObject({ ok: false, reason: 'invalid_status', detail: 'from_not_closed' });
    await w.db.update(distributionEvents).set({ status: 'done' }).where(eq(distributionEvents.id, from.eventId));
    const before = await writes();
    const p = await nextRoundPreview(w.db, w.admin, { fromEventId: from.eventId, toEventId: to.eventId });
    expect(p).toEqual({ ok: true, preview: { targetTitle: 'Susulan', targetDate: '2026-12-17', invite: 1, atMaxRound: 1 } });
    expect(await writes()).toEqual(before);
    expect(await nextRound(w.db, w.admin, { fromEventId: from.eventId, toEventId: to.eventId }, { now: at('2026-12-11', '09:00'), timeZone: TZ })).toMatchObject({ ok: true, invited: 1, atMaxRound: 1 });
    expect(await nextRoundPreview(w.db, w.admin, { fromEventId: from.eventId, toEventId: from.eventId })).toMatchObject({ ok: false, reason: 'invalid_input', detail: 'same_event' });
  });
});
