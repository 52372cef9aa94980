import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, inArray } from 'drizzle-orm';
import { auditLog, distributionEvents, eventSlots, invitations, outbox, reminderFires } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { cancelEvent, changeEvent, createEvent, getEvent } from '../../../src/services/distribution/events.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { createSite } from '../../../src/services/distribution/sites.ts';
import { at, distributionWorld, EVENT_DATE, makeHousehold, makeProgram, NOW, staff, TZ, type DistributionWorld } from './fixtures.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { programChoices } from '../../../src/services/distribution/console-options.ts';
import { listEvents } from '../../../src/services/distribution/event-list.ts';

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

const opts = () => ({ now: NOW, timeZone: TZ });
const eventCount = async () => (await w.db.select({ n: count() }).from(distributionEvents))[0]!.n;

function newEvent(over: Record<string, unknown> = {}) {
  return {
    programId: w.householdProgramId,
    tranche: '2026 Tahap IV',
    title: 'Penyaluran Sembako Tahap IV',
    date: EVENT_DATE,
    slots: [
      { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 },
      { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 50 },
    ],
    ...over,
  } as Parameters<typeof createEvent>[2];
}

describe('sites', () => {
  it('are created in scope, and refused outside it or with bad coordinates', async () => {
    const r = await createSite(w.db, w.admin, { kecamatanId: w.area.kecA, kelurahanId: w.area.kelA2, name: 'SD Negeri 1', address: 'Jl. Sekolah 1', latitude: 1.1, longitude: 104.2 }, opts());
    expect(r.ok).toBe(true);
    const scoped = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await createSite(w.db, scoped, { kecamatanId: w.area.kecA, name: 'Balai RW', address: 'Jl. Balai 2' }, opts())).toEqual({ ok: false, reason: 'not_found', detail: 'kecamatan' });
    expect((await createSite(w.db, w.admin, { kecamatanId: w.area.kecA, kelurahanId: w.area.kelB1, name: 'Balai RW', address: 'Jl. Balai 2' }, opts())).ok).toBe(false);
    expect((await createSite(w.db, w.admin, { kecamatanId: w.area.kecA, name: 'Balai RW', address: 'Jl. Balai 2', latitude: 95, longitude: 1 }, opts())).ok).toBe(false);
  });
});

describe('createEvent', () => {
  it('creates a planned event with slots at local times on its date, audited', async () => {
    const r = await createEvent(w.db, w.admin, newEvent(), opts());
    if (!r.ok) throw new Error(r.reason);
    const ev = await getEvent(w.db, w.admin, r.eventId);
    expect(ev?.status).toBe('planned');
    expect(ev?.eventDate).toBe(EVENT_DATE);
    expect(ev?.slots.map((s) => s.startsAt.toISOString())).toEqual([at(EVENT_DATE, '08:00').toISOString(), at(EVENT_DATE, '10:00').toISOString()]);
    expect(at(EVENT_DATE, '08:00').toISOString()).toBe('2026-12-10T01:00:00.000Z');
    const logged = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'distribution.event.create'), eq(auditLog.entityId, String(r.eventId))));
    expect(logged).toHaveLength(1);
  });

  it('keeps an English title for English-reading residents, and none when it is left blank', async () => {
    const withEn = await createEvent(w.db, w.admin, newEvent({ titleEn: '  Food aid distribution, stage IV ' }), opts());
    const blank = await createEvent(w.db, w.admin, newEvent({ titleEn: '   ' }), opts());
    if (!withEn.ok || !blank.ok) throw new Error('not created');
    const rows = await w.db.select({ id: distributionEvents.id, titleEn: distributionEvents.titleEn }).from(distributionEvents).where(inArray(distributionEvents.id, [withEn.eventId, blank.eventId]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.titleEn]))).toEqual({ [withEn.eventId]: 'Food aid distribution, stage IV', [blank.eventId]: null });
  });

  it.each([
    ['a date in the past', { date: '2026-11-23' }, 'date_in_past'],
    ['a slot already begun today', { date: '2026-11-24', slots: [{ siteId: 0, start: '08:00', end: '10:00', capacity: 5 }] }, 'date_in_past'],
    ['a slot on another day', { slots: [{ siteId: 0, start: '2026-12-11T01:00:00Z', end: '2026-12-11T03:00:00Z', capacity: 5 }] }, 'slot_outside_date'],
    ['a capacity below one', { slots: [{ siteId: 0, start: '08:00', end: '10:00', capacity: 0 }] }, 'invalid_capacity'],
    ['an end before the start', { slots: [{ siteId: 0, start: '10:00', end: '08:00', capacity: 5 }] }, 'invalid_time_range'],
    ['an unknown program', { programId: 999_999 }, 'unknown_program'],
    ['an unknown site', { slots: [{ siteId: 999_999, start: '08:00', end: '10:00', capacity: 5 }] }, 'unknown_site'],
    ['no slots', { slots: [] }, 'invalid_input'],
    ['an impossible date', { date: '2026-02-30' }, 'invalid_input'],
    ['an English title of two letters', { titleEn: 'Hi' }, 'invalid_input'],
  ])('refuses %s and writes nothing', async (_, over, reason) => {
    const before = await eventCount();
    const input = newEvent(over as Record<string, unknown>);
    input.slots = input.slots.map((s) => ({ ...s, siteId: s.siteId === 0 ? w.siteA : s.siteId }));
    const r = await createEvent(w.db, w.admin, input, opts());
    expect(r).toMatchObject({ ok: false, reason });
    expect(await eventCount()).toBe(before);
  });

  it('refuses a site outside the actor’s kecamatan, and a role without the permission', async () => {
    const scoped = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await createEvent(w.db, scoped, newEvent(), opts())).toMatchObject({ ok: false, reason: 'unknown_site' });
    const inScope = await createEvent(w.db, scoped, newEvent({ slots: [{ siteId: w.siteB, start: '08:00', end: '10:00', capacity: 5 }] }), opts());
    expect(inScope.ok).toBe(true);
    const viewer = await staff(w.db, 'viewer');
    await expect(createEvent(w.db, viewer, newEvent(), opts())).rejects.toBeInstanceOf(Forbidden);
  });

  // Issue 15: every list in scope. An officer of one bidang works only with the programs that bidang answers for.
  it("keeps a bidang-scoped officer to their bidang's programs: choices, creation, the event and the list", async () => {
    const rehsos: Actor = { ...(await staff(w.db, 'supervisor')), bidang: 'Rehsos' };
    const linjamsos: Actor = { ...rehsos, bidang: 'Linjamsos' };
    const rehsosProgram = await makeProgram(w.db, { code: 'ATENSI', bidang: 'Rehsos' });
    expect((await programChoices(w.db, rehsos)).map((p) => p.id)).toEqual([rehsosProgram]);
    expect((await programChoices(w.db, linjamsos)).map((p) => p.id)).toContain(w.householdProgramId);
    expect(await createEvent(w.db, rehsos, newEvent(), opts())).toMatchObject({ ok: false, reason: 'unknown_program' });
    const theirs = await createEvent(w.db, rehsos, newEvent({ programId: rehsosProgram, title: 'Penyaluran ATENSI' }), opts());
    if (!theirs.ok) throw new Error(theirs.reason);
    const other = await createEvent(w.db, w.admin, newEvent(), opts());
    if (!other.ok) throw new Error(other.reason);
    expect(await getEvent(w.db, rehsos, other.eventId)).toBeUndefined();
    expect(await getEvent(w.db, rehsos, theirs.eventId)).toBeDefined();
    expect(await getEvent(w.db, linjamsos, theirs.eventId)).toBeUndefined();
    const listed = (await listEvents(w.db, rehsos)).map((e) => e.id);
    expect(listed).toContain(theirs.eventId);
    expect(listed).not.toContain(other.eventId);
  });
});

async function invitedEvent(chatsPer: ('id' | 'en')[][]) {
  const r = await createEvent(w.db, w.admin, newEvent(), opts());
  if (!r.ok) throw new Error(r.reason);
  const hhs = [];
  for (const langs of chatsPer) {
    hhs.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: langs.map((language) => ({ language })) }));
  }
  const inv = await inviteHouseholds(w.db, w.admin, { eventId: r.eventId, householdIds: hhs.map((h) => h.householdId) }, opts());
  if (!inv.ok) throw new Error(inv.reason);
  return { eventId: r.eventId, slotIds: r.slotIds, hhs, invitationIds: inv.invitationIds };
}

async function outboxOf(contactIds: number[]) {
  return w.db.select().from(outbox).where(inArray(outbox.contactId, contactIds)).orderBy(outbox.id);
}

describe('changeEvent', () => {
  it('moves the date: status moved, versions bumped, old reminders skipped, new ones planned, every chat told', async () => {
    const e = await invitedEvent([['id', 'en'], ['id'], []]);
    const later = new Date(NOW.getTime() + 3_600_000);
    const r = await changeEvent(w.db, w.admin, { eventId: e.eventId, date: '2026-12-15' }, { now: later, timeZone: TZ });
    expect(r).toMatchObject({ ok: true, notifiedHouseholds: 2, notifiedChats: 3 });
    const [ev] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, e.eventId));
    expect(ev).toMatchObject({ status: 'moved', eventDate: '2026-12-15' });
    const slots = await w.db.select().from(eventSlots).where(eq(eventSlots.eventId, e.eventId)).orderBy(eventSlots.id);
    expect(slots[0]!.startsAt.toISOString()).toBe(at('2026-12-15', '08:00').toISOString());
    const invs = await w.db.select().from(invitations).where(eq(invitations.eventId, e.eventId));
    expect(invs.every((i) => i.reminderVersion === 2)).toBe(true);
    const fires = await w.db.select().from(reminderFires).where(inArray(reminderFires.invitationId, e.invitationIds));
    expect(fires.filter((f) => f.version === 1).every((f) => f.status === 'skipped')).toBe(true);
    const fresh = fires.filter((f) => f.version === 2);
    expect(fresh).toHaveLength(9);
    expect(fresh.every((f) => f.status === 'pending')).toBe(true);
    expect(fresh.find((f) => f.offset === 'H-1')!.dueAt.toISOString()).toBe(at('2026-12-14', '09:00').toISOString());
    const sent = await outboxOf(e.hhs[0]!.contactIds);
    const moved = sent.filter((m) => String((m.payload as { text: string }).text).includes('15'));
    expect(moved.map((m) => (m.payload as { text: string }).text.split('\n')[0])).toEqual(['PERUBAHAN JADWAL', 'CHANGE OF SCHEDULE']);
    expect((moved[0]!.payload as { text: string }).text).toContain('Selasa, 15 Desember 2026 pukul 08.00 WIB');
  });

  it('changes one slot’s times; refuses a slot outside the date, a past date, unknown events and other kecamatan', async () => {
    const e = await invitedEvent([['id']]);
    const r = await changeEvent(w.db, w.admin, { eventId: e.eventId, slots: [{ slotId: e.slotIds[0]!, start: '07:30', end: '09:30' }] }, opts());
    expect(r.ok).toBe(true);
    const [s] = await w.db.select().from(eventSlots).where(eq(eventSlots.id, e.slotIds[0]!));
    expect(s!.startsAt.toISOString()).toBe(at(EVENT_DATE, '07:30').toISOString());

    const [before] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, e.eventId));
    expect(await changeEvent(w.db, w.admin, { eventId: e.eventId, date: '2026-11-20' }, opts())).toMatchObject({ ok: false, reason: 'date_in_past' });
    expect(
      await changeEvent(w.db, w.admin, { eventId: e.eventId, slots: [{ slotId: e.slotIds[0]!, start: '2026-12-11T01:00:00Z', end: '2026-12-11T02:00:00Z' }] }, opts()),
    ).toMatchObject({ ok: false, reason: 'slot_outside_date' });
    expect(await changeEvent(w.db, w.admin, { eventId: 999_999, date: '2026-12-20' }, opts())).toMatchObject({ ok: false, reason: 'not_found' });
    const other = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await changeEvent(w.db, other, { eventId: e.eventId, date: '2026-12-20' }, opts())).toMatchObject({ ok: false, reason: 'not_found' });
    const [after] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, e.eventId));
    expect(after).toEqual(before);
  });
});

describe('cancelEvent', () => {
  it('cancels open invitations, skips reminders, frees seats and tells every invited household', async () => {
    const e = await invitedEvent([['id'], ['en']]);
    const r = await cancelEvent(w.db, w.admin, { eventId: e.eventId, reason: 'Stok beras belum tiba' }, opts());
    expect(r).toMatchObject({ ok: true, cancelledInvitations: 2, notifiedHouseholds: 2, notifiedChats: 2 });
    const invs = await w.db.select().from(invitations).where(eq(invitations.eventId, e.eventId));
    expect(invs.every((i) => i.status === 'cancelled')).toBe(true);
    const fires = await w.db.select().from(reminderFires).where(inArray(reminderFires.invitationId, e.invitationIds));
    expect(fires.length).toBeGreaterThan(0);
    expect(fires.every((f) => f.status === 'skipped')).toBe(true);
    const slots = await w.db.select().from(eventSlots).where(eq(eventSlots.eventId, e.eventId));
    expect(slots.every((s) => s.booked === 0)).toBe(true);
    const last = (await outboxOf(e.hhs[1]!.contactIds)).at(-1)!;
    expect((last.payload as { text: string }).text).toMatch(/^CANCELLED\n.*Thursday, 10 December 2026.*Stok beras belum tiba/s);
    expect(await cancelEvent(w.db, w.admin, { eventId: e.eventId, reason: 'lagi' }, opts())).toMatchObject({ ok: false, reason: 'invalid_status' });
    expect(await cancelEvent(w.db, w.admin, { eventId: e.eventId, reason: '' }, opts())).toMatchObject({ ok: false, reason: 'invalid_input' });
  });
});
