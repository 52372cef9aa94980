import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { distributionEvents, invitations, kecamatan, proxies } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { checkIn } from '../../../src/services/distribution/checkin.ts';
import { decideProxy } from '../../../src/services/distribution/proxies.ts';
import { eventProgress, progressVersion } from '../../../src/services/distribution/progress.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, staff, TZ, type ChatSpec, type DistributionWorld } from './fixtures.ts';

type Status = 'invited' | 'confirmed' | 'declined' | 'reschedule_requested' | 'collected' | 'no_show' | 'cancelled';

let w: DistributionWorld;
let eventId: number;
let slotA: number;
let slotB: number;
let pendingProxyId: number;
let openCode: string;

async function add(kelurahanId: number, status: Status, chats: ChatSpec[] = [], proxy?: 'approved' | 'pending' | 'rejected') {
  const hh = await makeHousehold(w.db, { kelurahanId, chats });
  const slot = kelurahanId === w.area.kelB1 ? slotB : slotA;
  const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: status === 'declined' ? null : slot, status });
  if (proxy) {
    const [p] = await w.db
      .insert(proxies)
      .values({ invitationId: inv.invitationId, name: 'Rahmat Hidayat', nik: '2171010101900003', relation: 'spouse', reason: 'sick', status: proxy })
      .returning({ id: proxies.id });
    if (proxy === 'pending') pendingProxyId = p!.id;
  }
  return inv;
}

beforeAll(async () => {
  w = await distributionWorld();
  const ev = await makeEvent(w.db, {
    programId: w.householdProgramId,
    slots: [
      { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 100 },
      { siteId: w.siteB, start: '08:00', end: '10:00', capacity: 100 },
    ],
  });
  eventId = ev.eventId;
  [slotA, slotB] = ev.slotIds as [number, number];
  const id = { language: 'id' as const };
  // Sungai Binti (kecamatan A): 6 invitations, one cancelled.
  await add(w.area.kelA1, 'invited', [id, id]); // two chats, still one reachable household
  await add(w.area.kelA1, 'invited', [{ unreachable: true }]); // its only chat is blocked
  await add(w.area.kelA1, 'confirmed', [id], 'approved');
  openCode = (await add(w.area.kelA1, 'confirmed', [], 'pending')).code;
  await add(w.area.kelA1, 'collected', [id], 'rejected');
  await add(w.area.kelA1, 'cancelled', [id], 'approved');
  // Tembesi (kecamatan A): 3.
  await add(w.area.kelA2, 'no_show', [id]);
  await add(w.area.kelA2, 'declined');
  await add(w.area.kelA2, 'reschedule_requested', [id]);
  // Batu Besar (kecamatan B): 2.
  await add(w.area.kelB1, 'collected', [id], 'approved');
  await add(w.area.kelB1, 'no_show');
  // Another event's invitation in the same kelurahan counts nowhere here.
  const other = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '13:00', end: '15:00', capacity: 5 }] });
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [id] });
  await makeInvitation(w.db, { eventId: other.eventId, householdId: hh.householdId, slotId: other.slotIds[0]!, status: 'collected' });
});
afterAll(async () => {
  await w?.dispose();
});

describe('eventProgress', () => {
  it('counts per kelurahan and in total for the whole city', async () => {
    const p = await eventProgress(w.db, w.admin, eventId);
    expect(p).not.toBeNull();
    expect(p!.kelurahan.map(({ kecamatanId: _k, kelurahanId: _l, kecamatan: _c, ...rest }) => rest)).toEqual([
      { kelurahan: 'Batu Besar', invited: 2, reachable: 1, confirmed: 0, proxies: 1, collected: 1, noShow: 1, declined: 0 },
      { kelurahan: 'Sungai Binti', invited: 5, reachable: 3, confirmed: 2, proxies: 1, collected: 1, noShow: 0, declined: 0 },
      { kelurahan: 'Tembesi', invited: 3, reachable: 2, confirmed: 0, proxies: 0, collected: 0, noShow: 1, declined: 1 },
    ]);
    expect(p!.totals).toEqual({ invited: 10, reachable: 6, confirmed: 2, proxies: 2, collected: 2, noShow: 2, declined: 1 });
    expect(p).toMatchObject({ eventId, eventDate: '2026-12-10', status: 'open' });
  });

  it('shows a kecamatan-scoped reader only their kelurahan', async () => {
    const p = await eventProgress(w.db, await staff(w.db, 'field_officer', w.area.kecA), eventId);
    expect(p!.kelurahan.map((k) => k.kelurahan)).toEqual(['Sungai Binti', 'Tembesi']);
    expect(p!.totals).toEqual({ invited: 8, reachable: 5, confirmed: 2, proxies: 1, collected: 1, noShow: 1, declined: 1 });
    const b = await eventProgress(w.db, await staff(w.db, 'viewer', w.area.kecB), eventId);
    expect(b!.kelurahan.map((k) => k.kelurahan)).toEqual(['Batu Besar']);
  });

  it('is null for a kecamatan-scoped reader when no site of the event lies in their kecamatan', async () => {
    const [elsewhere] = await w.db
      .insert(kecamatan)
      .values({ cityId: w.area.cityId, code: `99.${Date.now()}`, name: 'Kecamatan Lain' })
      .returning({ id: kecamatan.id });
    expect(await eventProgress(w.db, await staff(w.db, 'viewer', elsewhere!.id), eventId)).toBeNull();
  });

  it('is refused without distribution.read, and null for an unknown event', async () => {
    await expect(eventProgress(w.db, await staff(w.db, 'operator'), eventId)).rejects.toBeInstanceOf(Forbidden);
    expect(await eventProgress(w.db, w.admin, 999_999)).toBeNull();
  });
});

describe('progressVersion', () => {
  it('stays put while nothing changes, and moves on a check-in and a kuasa decision', async () => {
    // The check-in below runs at the rows' own clock reading (the database's), and check-in opens only on
    // the event's day: the day is moved into the past first, before the first version is read.
    await w.db.update(distributionEvents).set({ eventDate: '2026-01-05' }).where(eq(distributionEvents.id, eventId));
    const v1 = await progressVersion(w.db, eventId);
    expect(await progressVersion(w.db, eventId)).toBe(v1);
    expect(Number.isSafeInteger(v1)).toBe(true);

    const officer = await staff(w.db, 'field_officer', w.area.kecA);
    // The same clock reading as the rows' own: the version must move on the status, not only on the time.
    const [row] = await w.db.select({ updatedAt: invitations.updatedAt }).from(invitations).where(eq(invitations.code, openCode));
    await decideProxy(w.db, w.admin, pendingProxyId, { approve: true }, { now: row!.updatedAt, timeZone: TZ });
    const v2 = await progressVersion(w.db, eventId);
    expect(v2).not.toBe(v1);
    expect((await eventProgress(w.db, w.admin, eventId))!.totals.proxies).toBe(3);

    expect((await checkIn(w.db, officer, { code: openCode }, { now: row!.updatedAt, timeZone: TZ })).ok).toBe(true);
    const v3 = await progressVersion(w.db, eventId);
    expect(v3).not.toBe(v2);
    expect((await eventProgress(w.db, w.admin, eventId))!.totals).toMatchObject({ collected: 3, confirmed: 1 });
    expect(await progressVersion(w.db, 999_999)).toBe(0);
  });
});
