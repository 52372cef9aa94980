import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq, inArray, notInArray } from 'drizzle-orm';
import { distributionEvents, eventSlots, households, invitations, programs, proxies, reminderFires, sites } from '../../../src/db/schema/index.ts';
import {
  availableSlots,
  changeSlot,
  confirmInvitation,
  declineInvitation,
  nameProxy,
  PROXY_REPLACED_NOTE,
  upcomingInvitations,
} from '../../../src/services/distribution/invitations.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { hours, memberOf, resident, SEED_NOW, seededDatabase } from '../seeded.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const now = SEED_NOW;
const db = () => database.db;

async function slot(id: number) {
  const [s] = await db().select().from(eventSlots).where(eq(eventSlots.id, id));
  return s!;
}
async function invitation(id: number) {
  const [i] = await db().select().from(invitations).where(eq(invitations.id, id));
  return i!;
}

let codeCounter = 0;
/** Seats booked by fiat when a test slot is made (not by an invitation); the accounting test adds them back. */
const givenSeats = new Map<number, number>();
const usedHouseholds = new Set<number>();

/**
 * An event of our own, so tests never fight over the demo event's seats: slots with the given capacity and
 * booked seats, and `invite` households invited into the first slot.
 */
async function makeEvent(slotsSpec: { capacity: number; booked?: number; startsInHours?: number }[]) {
  const [program] = await db().select({ id: programs.id }).from(programs).where(eq(programs.code, 'SEMBAKO'));
  const [site] = await db().select({ id: sites.id }).from(sites).limit(1);
  const [event] = await db()
    .insert(distributionEvents)
    .values({ programId: program!.id, tranche: '2026 Tahap IV', title: 'Uji', eventDate: '2026-12-10', status: 'open' })
    .returning({ id: distributionEvents.id });
  const slotRows = await db()
    .insert(eventSlots)
    .values(
      slotsSpec.map((s, i) => {
        const startsAt = new Date(now.getTime() + hours(s.startsInHours ?? 48 + i * 2));
        return { eventId: event!.id, siteId: site!.id, startsAt, endsAt: new Date(startsAt.getTime() + hours(2)), capacity: s.capacity, booked: s.booked ?? 0 };
      }),
    )
    .returning({ id: eventSlots.id });
  slotRows.forEach((r, i) => givenSeats.set(r.id, slotsSpec[i]!.booked ?? 0));
  return { eventId: event!.id, slotIds: slotRows.map((r) => r.id) };
}

/** Invites fresh synthetic households into `slotId`, booking their seats as the seed does. */
async function invite(eventId: number, slotId: number, count: number) {
  const demoKks = ['Siti', 'Ahmad', 'Budi', 'Dewi'].map((n) => resident(n as 'Siti').noKk);
  const free = await db()
    .select({ id: households.id })
    .from(households)
    .where(and(notInArray(households.noKk, demoKks), usedHouseholds.size ? notInArray(households.id, [...usedHouseholds]) : undefined))
    .orderBy(desc(households.id))
    .limit(count);
  if (free.length < count) throw new Error('not enough households for the test');
  free.forEach((h) => usedHouseholds.add(h.id));
  const rows = await db()
    .insert(invitations)
    .values(free.map((h) => ({ eventId, householdId: h.id, slotId, code: `T${String(++codeCounter).padStart(5, '0')}`, round: 1, status: 'invited' as const })))
    .returning({ id: invitations.id, householdId: invitations.householdId });
  const s = await slot(slotId);
  await db().update(eventSlots).set({ booked: s.booked + count }).where(eq(eventSlots.id, slotId));
  return rows;
}

describe('upcomingInvitations', () => {
  it("lists Siti's invitation with site, time and documents", async () => {
    const siti = await memberOf(db(), resident('Siti').nik);
    const list = await upcomingInvitations(db(), siti.householdId, now);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ programCode: 'SEMBAKO', status: 'invited', round: 1, documents: ['KTP', 'KK', 'code'] });
    expect(list[0]!.siteName).toBeTruthy();
    expect(list[0]!.startsAt < list[0]!.endsAt).toBe(true);
  });

  it('leaves out ended slots, closed statuses and cancelled events', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 5, startsInHours: -5 }]);
    const [a] = await invite(eventId, slotIds[0]!, 1);
    const [b] = await invite(eventId, slotIds[1]!, 1);
    expect((await upcomingInvitations(db(), a!.householdId, now)).map((i) => i.invitationId)).toEqual([a!.id]);
    expect(await upcomingInvitations(db(), b!.householdId, now)).toEqual([]);
    await db().update(distributionEvents).set({ status: 'cancelled' }).where(eq(distributionEvents.id, eventId));
    expect(await upcomingInvitations(db(), a!.householdId, now)).toEqual([]);
  });

  it('is empty for households without invitations', async () => {
    const dewi = await memberOf(db(), resident('Dewi').nik);
    expect(await upcomingInvitations(db(), dewi.householdId, now)).toEqual([]);
  });
});

describe('confirmInvitation', () => {
  it('confirms once, then is idempotent', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    expect(await confirmInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId, now })).toEqual({ ok: true, alreadyConfirmed: false });
    expect(await invitation(inv!.id)).toMatchObject({ status: 'confirmed', respondedAt: now });
    expect(await confirmInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId, now })).toEqual({ ok: true, alreadyConfirmed: true });
    expect((await slot(slotIds[0]!)).booked).toBe(1);
  });

  it("refuses another household's invitation as if it did not exist", async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    expect(await confirmInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId + 1, now })).toEqual({ ok: false, reason: 'not_found' });
    expect(await confirmInvitation(db(), { invitationId: 99_999_999, householdId: inv!.householdId, now })).toEqual({ ok: false, reason: 'not_found' });
    expect((await invitation(inv!.id)).status).toBe('invited');
  });

  it('refuses a declined invitation and one whose slot is over', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 5, startsInHours: -5 }]);
    const [a] = await invite(eventId, slotIds[0]!, 1);
    const [b] = await invite(eventId, slotIds[1]!, 1);
    await declineInvitation(db(), { invitationId: a!.id, householdId: a!.householdId, reason: 'sakit', now });
    expect(await confirmInvitation(db(), { invitationId: a!.id, householdId: a!.householdId, now })).toEqual({ ok: false, reason: 'not_open' });
    expect(await confirmInvitation(db(), { invitationId: b!.id, householdId: b!.householdId, now })).toEqual({ ok: false, reason: 'not_open' });
  });
});

describe('availableSlots and changeSlot', () => {
  it('lists other slots of the event with room, soonest first', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 3, booked: 3 }, { capacity: 4, booked: 1 }, { capacity: 4, startsInHours: -1 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    const slots = await availableSlots(db(), inv!.id, now);
    expect(slots.map((s) => [s.slotId, s.seatsLeft])).toEqual([[slotIds[2], 3]]);
    expect(slots[0]).toMatchObject({ siteName: expect.any(String), siteAddress: expect.any(String) });
    expect(await availableSlots(db(), 99_999_999, now)).toEqual([]);
  });

  it('moves the seat and confirms', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    await db().insert(reminderFires).values({ invitationId: inv!.id, offset: 'H-1', dueAt: new Date(now.getTime() + hours(24)), version: 1 });
    expect(await changeSlot(db(), { invitationId: inv!.id, householdId: inv!.householdId, slotId: slotIds[1]!, now })).toEqual({ ok: true, slotId: slotIds[1], unchanged: false });
    expect(await invitation(inv!.id)).toMatchObject({ slotId: slotIds[1], status: 'confirmed' });
    expect((await slot(slotIds[0]!)).booked).toBe(0);
    expect((await slot(slotIds[1]!)).booked).toBe(1);
    const fires = await db().select().from(reminderFires).where(eq(reminderFires.invitationId, inv!.id));
    expect(fires.map((f) => f.status)).toEqual(['skipped']);
  });

  it('refuses a full slot, a slot of another event, a past slot and a stranger', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 2, booked: 2 }, { capacity: 5, startsInHours: -1 }]);
    const other = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    const move = (slotId: number, householdId = inv!.householdId) => changeSlot(db(), { invitationId: inv!.id, householdId, slotId, now });
    expect(await move(slotIds[1]!)).toEqual({ ok: false, reason: 'full' });
    expect(await move(other.slotIds[0]!)).toEqual({ ok: false, reason: 'no_such_slot' });
    expect(await move(slotIds[2]!)).toEqual({ ok: false, reason: 'no_such_slot' });
    expect(await move(99_999_999)).toEqual({ ok: false, reason: 'no_such_slot' });
    expect(await move(slotIds[1]!, inv!.householdId + 1)).toEqual({ ok: false, reason: 'not_found' });
    expect((await slot(slotIds[0]!)).booked).toBe(1);
    expect((await invitation(inv!.id)).slotId).toBe(slotIds[0]);
  });

  it('choosing the slot it already has just confirms', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    expect(await changeSlot(db(), { invitationId: inv!.id, householdId: inv!.householdId, slotId: slotIds[0]!, now })).toEqual({ ok: true, slotId: slotIds[0], unchanged: true });
    expect((await slot(slotIds[0]!)).booked).toBe(1);
    expect((await invitation(inv!.id)).status).toBe('confirmed');
  });

  it('never oversells: 20 households race for the last 5 seats', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 30 }, { capacity: 10, booked: 5 }]);
    const [from, to] = slotIds as [number, number];
    const invited = await invite(eventId, from, 20);
    const results = await Promise.all(
      invited.map((inv) => changeSlot(db(), { invitationId: inv.id, householdId: inv.householdId, slotId: to, now })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'full')).toBe(true);
    const target = await slot(to);
    expect(target.booked).toBe(10);
    expect(target.booked).toBeLessThanOrEqual(target.capacity);
    expect((await slot(from)).booked).toBe(15);
    const moved = await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.slotId, to));
    expect(moved).toHaveLength(5);
  });

  it('moves in opposite directions at once without deadlock', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 20 }, { capacity: 20 }]);
    const [a, b] = slotIds as [number, number];
    const inA = await invite(eventId, a, 8);
    const inB = await invite(eventId, b, 8);
    const results = await Promise.all([
      ...inA.map((inv) => changeSlot(db(), { invitationId: inv.id, householdId: inv.householdId, slotId: b, now })),
      ...inB.map((inv) => changeSlot(db(), { invitationId: inv.id, householdId: inv.householdId, slotId: a, now })),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await slot(a)).booked).toBe(8);
    expect((await slot(b)).booked).toBe(8);
  });

  it('works inside a caller transaction (savepoint)', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }, { capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    await db()
      .transaction(async (tx) => {
        const r = await changeSlot(tx, { invitationId: inv!.id, householdId: inv!.householdId, slotId: slotIds[1]!, now });
        expect(r.ok).toBe(true);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await invitation(inv!.id)).slotId).toBe(slotIds[0]);
    expect((await slot(slotIds[1]!)).booked).toBe(0);
  });
});

describe('declineInvitation', () => {
  it('frees the seat, keeps the reason, stops reminders, and is idempotent', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 2);
    await db().insert(reminderFires).values({ invitationId: inv!.id, offset: 'H-3', dueAt: new Date(now.getTime() + hours(1)), version: 1 });
    expect(await declineInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId, reason: 'sedang melaut', now })).toEqual({ ok: true, alreadyDeclined: false });
    expect(await invitation(inv!.id)).toMatchObject({ status: 'declined', declineReason: 'sedang melaut', slotId: null, respondedAt: now });
    expect((await slot(slotIds[0]!)).booked).toBe(1);
    expect((await db().select().from(reminderFires).where(eq(reminderFires.invitationId, inv!.id)))[0]!.status).toBe('skipped');
    expect(await declineInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId, reason: 'lagi', now })).toEqual({ ok: true, alreadyDeclined: true });
    expect((await slot(slotIds[0]!)).booked).toBe(1);
  });

  it("refuses another household's invitation and a collected one", async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [a, b] = await invite(eventId, slotIds[0]!, 2);
    expect(await declineInvitation(db(), { invitationId: a!.id, householdId: b!.householdId, reason: 'x', now })).toEqual({ ok: false, reason: 'not_found' });
    await db().update(invitations).set({ status: 'collected' }).where(eq(invitations.id, b!.id));
    expect(await declineInvitation(db(), { invitationId: b!.id, householdId: b!.householdId, reason: 'x', now })).toEqual({ ok: false, reason: 'not_open' });
    expect((await slot(slotIds[0]!)).booked).toBe(2);
  });
});

describe('nameProxy', () => {
  const kuasa = { name: '  Rahmat   Hidayat ', nik: '2171100306820001', relation: 'suami', reason: 'sick' as const, reasonNote: 'dirawat di RS' };

  it('records a pending kuasa, and a new one replaces the earlier ones', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    const first = await nameProxy(db(), { invitationId: inv!.id, householdId: inv!.householdId, ...kuasa, now });
    expect(first).toMatchObject({ ok: true, replaced: 0 });
    const [p] = await db().select().from(proxies).where(eq(proxies.invitationId, inv!.id));
    expect(p).toMatchObject({ name: 'Rahmat Hidayat', nik: kuasa.nik, relation: 'suami', reason: 'sick', reasonNote: 'dirawat di RS', status: 'pending' });

    await db().update(proxies).set({ status: 'approved' }).where(eq(proxies.id, p!.id));
    const second = await nameProxy(db(), {
      invitationId: inv!.id,
      householdId: inv!.householdId,
      name: 'Nur Aisyah',
      nik: '2171 1055 0809 0001',
      relation: 'anak',
      reason: 'at_sea',
      now,
    });
    expect(second).toMatchObject({ ok: true, replaced: 1 });
    const all = await db().select().from(proxies).where(eq(proxies.invitationId, inv!.id)).orderBy(asc(proxies.id));
    expect(all.map((x) => [x.status, x.decisionNote])).toEqual([
      ['rejected', PROXY_REPLACED_NOTE],
      ['pending', null],
    ]);
    expect(all[1]!.nik).toBe('2171105508090001');
  });

  it('refuses a NIK that cannot be one, an empty name, and a stranger', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    const base = { invitationId: inv!.id, householdId: inv!.householdId, ...kuasa, now };
    expect(await nameProxy(db(), { ...base, nik: '12345' })).toEqual({ ok: false, reason: 'invalid_nik' });
    expect(await nameProxy(db(), { ...base, nik: '2171109913820001' })).toEqual({ ok: false, reason: 'invalid_nik' });
    expect(await nameProxy(db(), { ...base, name: ' ' })).toEqual({ ok: false, reason: 'invalid_name' });
    expect(await nameProxy(db(), { ...base, householdId: inv!.householdId + 1 })).toEqual({ ok: false, reason: 'not_found' });
    expect(await db().select().from(proxies).where(eq(proxies.invitationId, inv!.id))).toEqual([]);
  });

  it('refuses a declined invitation', async () => {
    const { eventId, slotIds } = await makeEvent([{ capacity: 5 }]);
    const [inv] = await invite(eventId, slotIds[0]!, 1);
    await declineInvitation(db(), { invitationId: inv!.id, householdId: inv!.householdId, reason: '', now });
    expect(await nameProxy(db(), { invitationId: inv!.id, householdId: inv!.householdId, ...kuasa, now })).toEqual({ ok: false, reason: 'not_open' });
  });
});

describe('seat accounting', () => {
  it('after everything above, booked is the seed-given seats plus the invitations holding each slot', async () => {
    const slots = await db().select({ id: eventSlots.id, booked: eventSlots.booked, capacity: eventSlots.capacity }).from(eventSlots);
    const held = await db()
      .select({ slotId: invitations.slotId })
      .from(invitations)
      .where(inArray(invitations.status, ['invited', 'confirmed', 'reschedule_requested', 'collected', 'no_show']));
    const holding = new Map<number, number>();
    for (const h of held) if (h.slotId !== null) holding.set(h.slotId, (holding.get(h.slotId) ?? 0) + 1);
    for (const s of slots) {
      expect({ slot: s.id, booked: s.booked }).toEqual({ slot: s.id, booked: (holding.get(s.id) ?? 0) + (givenSeats.get(s.id) ?? 0) });
      expect(s.booked).toBeLessThanOrEqual(s.capacity);
    }
    // Declined invitations hold no seat.
    const declined = await db().select({ slotId: invitations.slotId }).from(invitations).where(eq(invitations.status, 'declined'));
    expect(declined.length).toBeGreaterThan(0);
    expect(declined.every((d) => d.slotId === null)).toBe(true);
  });
});
