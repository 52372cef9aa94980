import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { auditLog, complaints, eventSiteAreas, eventSlots, invitations, kelurahan, members, outbox, sites } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { allocationPreview, moveKelurahan, siteTooFarCounts } from '../../../src/services/distribution/allocation.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { declineInvitation } from '../../../src/services/distribution/invitations.ts';
import { BATAM } from '../../../src/services/seed/batam.ts';
import { writeReference, type ReferenceIds } from '../../../src/services/seed/reference.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { at, makeEvent, makeHousehold, NOW, staff, TZ } from './fixtures.ts';

// Allocation on the demo city's own reference data: Batam's kelurahan points and its two Batam Kota sites
// (Kantor Camat Batam Kota in Teluk Tering, Kantor Lurah Belian). The issue measured all 79 households of
// Batam Kota going to slot 1 of the kantor camat; here each kelurahan goes to its nearest site and each
// site's slots fill evenly.

let database: TestDatabase;
let refs: ReferenceIds;
let admin: Actor;
let programId: number;
let camat: number; // Kantor Camat Batam Kota (Teluk Tering)
let belian: number; // Kantor Lurah Belian
let sekupangSite: number;
let tebingTinggi: number; // a site of Batam Kota made for the inactive-site case
const kel = (name: string) => {
  const k = BATAM.kecamatan.flatMap((x) => x.kelurahan).find((x) => x.name === name)!;
  return refs.kelurahanIds.get(k.code)!;
};
const db = () => database.db;
const opts = () => ({ now: NOW, timeZone: TZ });

beforeAll(async () => {
  database = await createTestDatabase();
  refs = await database.db.transaction((tx) => writeReference(tx, BATAM));
  admin = await staff(database.db, 'admin');
  programId = refs.programIds.get(BATAM.upcomingEvent.programCode)!;
  const batamKota = refs.siteIds.get('21.71.10')!;
  camat = batamKota[0]!;
  belian = batamKota[1]!;
  sekupangSite = refs.siteIds.get('21.71.03')![0]!;
  const [extra] = await database.db
    .insert(sites)
    .values({ kecamatanId: refs.kecamatanIds.get('21.71.10')!, name: 'Aula Tutup Batam Kota', address: 'Jl. Uji Tutup 1', latitude: '1.131000', longitude: '104.055000' })
    .returning({ id: sites.id });
  tebingTinggi = extra!.id;
}, 60_000);
afterAll(async () => {
  await database?.dispose();
});

const contactOf = new Map<number, number>();
async function households(name: string, n: number, chats = false) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const made = await makeHousehold(db(), { kelurahanId: kel(name), enroll: { programId }, chats: chats ? [{ language: 'id' }] : [] });
    if (made.contactIds[0] !== undefined) contactOf.set(made.householdId, made.contactIds[0]);
    out.push(made.householdId);
  }
  return out;
}

async function slotsOf(ids: number[], eventId: number) {
  const rows = await db().select({ householdId: invitations.householdId, slotId: invitations.slotId }).from(invitations).where(eq(invitations.eventId, eventId));
  const by = new Map(rows.map((r) => [r.householdId, r.slotId]));
  return ids.map((id) => by.get(id) ?? null);
}

describe('demo reference data', () => {
  it('gives every kelurahan of Batam a point on Batam', async () => {
    const rows = await db().select({ latitude: kelurahan.latitude, longitude: kelurahan.longitude }).from(kelurahan);
    expect(rows).toHaveLength(64);
    for (const r of rows) {
      expect(Number(r.latitude)).toBeGreaterThan(0.5);
      expect(Number(r.latitude)).toBeLessThan(1.25);
      expect(Number(r.longitude)).toBeGreaterThan(103.8);
      expect(Number(r.longitude)).toBeLessThan(104.4);
    }
  });
});

describe('inviteHouseholds with seats by distance', () => {
  it('sends each kelurahan to its nearest site and spreads each site over its slots', async () => {
    const ev = await makeEvent(db(), {
      programId,
      slots: [
        { siteId: camat, start: '08:00', end: '10:00', capacity: 4 },
        { siteId: camat, start: '10:00', end: '12:00', capacity: 4 },
        { siteId: belian, start: '08:00', end: '10:00', capacity: 3 },
        { siteId: belian, start: '10:00', end: '12:00', capacity: 3 },
      ],
    });
    const [c0, c1, b0, b1] = ev.slotIds;
    const teluk = await households('Teluk Tering', 4);
    const bel = await households('Belian', 3, true);
    const order = [teluk[0]!, bel[0]!, teluk[1]!, bel[1]!, teluk[2]!, bel[2]!, teluk[3]!];
    const r = await inviteHouseholds(db(), admin, { eventId: ev.eventId, householdIds: order }, opts());
    expect(r).toMatchObject({ ok: true, invited: 7, notInvited: [] });

    expect(await slotsOf(teluk, ev.eventId)).toEqual([c0, c1, c0, c1]);
    expect(await slotsOf(bel, ev.eventId)).toEqual([b0, b1, b0]);
    const booked = await db().select({ id: eventSlots.id, booked: eventSlots.booked }).from(eventSlots).where(eq(eventSlots.eventId, ev.eventId)).orderBy(eventSlots.id);
    expect(booked.map((s) => s.booked)).toEqual([2, 2, 2, 1]);

    // The invitation names the site the household was sent to.
    const [sent] = await db().select({ payload: outbox.payload }).from(outbox).where(eq(outbox.contactId, contactOf.get(bel[0]!)!));
    expect((sent!.payload as unknown as OutboundMessage).text).toContain('Tempat: Kantor Lurah Belian');
  });

  it('previews exactly what sending does, writing nothing; a moved kelurahan goes to its site while it has room, then to the next nearest', async () => {
    const ev = await makeEvent(db(), {
      programId,
      slots: [
        { siteId: camat, start: '08:00', end: '12:00', capacity: 2 },
        { siteId: belian, start: '08:00', end: '12:00', capacity: 2 },
      ],
    });
    const moved = await moveKelurahan(db(), admin, { eventId: ev.eventId, kelurahanId: kel('Teluk Tering'), siteId: belian }, opts());
    expect(moved).toEqual({ ok: true, changed: true });
    const teluk = await households('Teluk Tering', 3);
    const bel = await households('Belian', 2);
    const ids = [...teluk, ...bel];

    const p = await allocationPreview(db(), admin, ev.eventId, ids, NOW);
    if (!p.ok) throw new Error(p.reason);
    const site = (id: number) => p.sites.find((s) => s.siteId === id)!;
    expect(site(belian)).toMatchObject({ siteName: 'Kantor Lurah Belian', kecamatan: 'Batam Kota', free: 2, allocated: 2, overridden: true });
    expect(site(belian).kelurahan).toEqual([{ id: kel('Teluk Tering'), name: 'Teluk Tering', households: 2, distanceKm: expect.any(Number), movedTo: belian }]);
    expect(site(camat)).toMatchObject({ free: 2, allocated: 2, overridden: false });
    expect(site(camat).kelurahan.map((k) => [k.name, k.households, k.movedTo])).toEqual([
      ['Belian', 1, null],
      ['Teluk Tering', 1, belian],
    ]);
    // Kilometres from the kelurahan's centre: Teluk Tering–Kantor Lurah Belian and Belian–Kantor Camat are 1–3 km.
    for (const d of [site(belian).kelurahan[0]!.distanceKm!, site(camat).kelurahan[0]!.distanceKm!]) {
      expect(d).toBeGreaterThan(1);
      expect(d).toBeLessThan(3);
    }
    expect(p.withoutRoom).toEqual({ households: 1, kelurahan: [{ id: kel('Belian'), name: 'Belian', households: 1, distanceKm: null, movedTo: null }] });
    expect(p.alreadyInvited).toBe(0);
    // Nothing written by the preview.
    expect((await db().select({ n: count() }).from(invitations).where(eq(invitations.eventId, ev.eventId)))[0]!.n).toBe(0);
    expect((await db().select({ booked: eventSlots.booked }).from(eventSlots).where(eq(eventSlots.eventId, ev.eventId))).map((s) => s.booked)).toEqual([0, 0]);

    const r = await inviteHouseholds(db(), admin, { eventId: ev.eventId, householdIds: ids }, opts());
    if (!r.ok) throw new Error(r.reason);
    expect(r.notInvited).toEqual([{ householdId: bel[1], reason: 'no_capacity' }]);
    const [sc, sb] = ev.slotIds;
    expect(await slotsOf(ids, ev.eventId)).toEqual([sb, sb, sc, sc, null]);

    // Asked again, those invited are counted apart and the one left still has no room.
    const again = await allocationPreview(db(), admin, ev.eventId, ids, NOW);
    expect(again).toMatchObject({ ok: true, alreadyInvited: 4, withoutRoom: { households: 1 } });
  });

  it('preview refuses households outside the person’s area and events outside it', async () => {
    const ev = await makeEvent(db(), { programId, slots: [{ siteId: camat, start: '08:00', end: '12:00', capacity: 5 }] });
    const mine = await households('Belian', 1);
    const far = await households('Tiban Indah', 1);
    const scoped = await staff(db(), 'supervisor', refs.kecamatanIds.get('21.71.10')!);
    expect(await allocationPreview(db(), scoped, ev.eventId, [...mine, ...far], NOW)).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await allocationPreview(db(), scoped, ev.eventId, mine, NOW)).toMatchObject({ ok: true });
    const other = await staff(db(), 'supervisor', refs.kecamatanIds.get('21.71.03')!);
    expect(await allocationPreview(db(), other, ev.eventId, mine, NOW)).toMatchObject({ ok: false, reason: 'not_found' });
    const viewer = await staff(db(), 'viewer');
    await expect(allocationPreview(db(), viewer, ev.eventId, mine, NOW)).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('moveKelurahan', () => {
  it('sets, keeps and clears a move, audited; refuses sites and areas it may not use', async () => {
    const ev = await makeEvent(db(), {
      programId,
      slots: [
        { siteId: camat, start: '08:00', end: '12:00', capacity: 5 },
        { siteId: belian, start: '08:00', end: '12:00', capacity: 5 },
        { siteId: tebingTinggi, start: '08:00', end: '12:00', capacity: 5 },
      ],
    });
    const scoped = await staff(db(), 'supervisor', refs.kecamatanIds.get('21.71.10')!);
    const input = { eventId: ev.eventId, kelurahanId: kel('Sukajadi'), siteId: belian };
    const audits = async () =>
      db()
        .select({ action: auditLog.action, staffId: auditLog.staffId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.entity, 'distribution_event'), eq(auditLog.entityId, String(ev.eventId))))
        .orderBy(auditLog.id);

    expect(await moveKelurahan(db(), scoped, input, opts())).toEqual({ ok: true, changed: true });
    expect(await db().select({ siteId: eventSiteAreas.siteId, createdBy: eventSiteAreas.createdBy }).from(eventSiteAreas).where(eq(eventSiteAreas.eventId, ev.eventId))).toEqual([
      { siteId: belian, createdBy: scoped.id },
    ]);
    expect(await moveKelurahan(db(), scoped, input, opts())).toEqual({ ok: true, changed: false });
    expect(await moveKelurahan(db(), admin, { ...input, siteId: camat }, opts())).toEqual({ ok: true, changed: true });
    expect(await moveKelurahan(db(), admin, { ...input, siteId: null }, opts())).toEqual({ ok: true, changed: true });
    expect(await db().select().from(eventSiteAreas).where(eq(eventSiteAreas.eventId, ev.eventId))).toEqual([]);
    expect(await audits()).toEqual([
      { action: 'distribution.site_area.move', staffId: scoped.id, details: { kelurahanId: kel('Sukajadi'), siteId: belian, previousSiteId: null } },
      { action: 'distribution.site_area.move', staffId: admin.id, details: { kelurahanId: kel('Sukajadi'), siteId: camat, previousSiteId: belian } },
      { action: 'distribution.site_area.clear', staffId: admin.id, details: { kelurahanId: kel('Sukajadi'), siteId: null, previousSiteId: camat } },
    ]);

    // A site the event has no slot at, one that no longer runs, an unknown one.
    expect(await moveKelurahan(db(), admin, { ...input, siteId: sekupangSite }, opts())).toEqual({ ok: false, reason: 'unknown_site' });
    await db().update(sites).set({ active: false }).where(eq(sites.id, tebingTinggi));
    expect(await moveKelurahan(db(), admin, { ...input, siteId: tebingTinggi }, opts())).toEqual({ ok: false, reason: 'unknown_site' });
    expect(await moveKelurahan(db(), admin, { ...input, siteId: 987_654 }, opts())).toEqual({ ok: false, reason: 'unknown_site' });
    // A kelurahan outside the person's kecamatan, an unknown one, an event outside their area.
    expect(await moveKelurahan(db(), scoped, { ...input, kelurahanId: kel('Tiban Indah') }, opts())).toEqual({ ok: false, reason: 'not_found', detail: 'kelurahan' });
    expect(await moveKelurahan(db(), admin, { ...input, kelurahanId: 987_654 }, opts())).toEqual({ ok: false, reason: 'not_found', detail: 'kelurahan' });
    const other = await staff(db(), 'supervisor', refs.kecamatanIds.get('21.71.03')!);
    expect(await moveKelurahan(db(), other, { ...input, kelurahanId: kel('Tiban Indah') }, opts())).toEqual({ ok: false, reason: 'not_found' });
    expect(await moveKelurahan(db(), admin, { ...input, eventId: 987_654 }, opts())).toEqual({ ok: false, reason: 'not_found' });
    await expect(moveKelurahan(db(), await staff(db(), 'viewer'), input, opts())).rejects.toBeInstanceOf(Forbidden);
    // A closed event takes no more moves.
    const done = await makeEvent(db(), { programId, status: 'done', slots: [{ siteId: camat, start: '08:00', end: '12:00', capacity: 5 }] });
    expect(await moveKelurahan(db(), admin, { ...input, eventId: done.eventId, siteId: camat }, opts())).toEqual({ ok: false, reason: 'invalid_status' });
    // Refusals changed nothing and wrote no audit.
    expect(await db().select().from(eventSiteAreas).where(eq(eventSiteAreas.eventId, ev.eventId))).toEqual([]);
    expect(await audits()).toHaveLength(3);
  });
});

describe('siteTooFarCounts', () => {
  it('counts "site too far" complaints per site through the household’s invitation in this event', async () => {
    const ev = await makeEvent(db(), {
      programId,
      slots: [
        { siteId: camat, start: '08:00', end: '12:00', capacity: 10 },
        { siteId: belian, start: '08:00', end: '12:00', capacity: 10 },
      ],
    });
    const teluk = await households('Teluk Tering', 3);
    const bel = await households('Belian', 2);
    const r = await inviteHouseholds(db(), admin, { eventId: ev.eventId, householdIds: [...teluk, ...bel] }, opts());
    if (!r.ok) throw new Error(r.reason);
    const invs = await db().select({ id: invitations.id, householdId: invitations.householdId }).from(invitations).where(eq(invitations.eventId, ev.eventId));
    const invOf = (h: number) => invs.find((i) => i.householdId === h)!.id;
    // The head of each household: the first member the fixture made.
    const memberRows = await db().select({ id: members.id, householdId: members.householdId }).from(members).where(inArray(members.householdId, [...teluk, ...bel])).orderBy(asc(members.id));
    const head = (h: number) => memberRows.find((x) => x.householdId === h)!.id;

    const other = await makeEvent(db(), { programId, slots: [{ siteId: camat, start: '08:00', end: '12:00', capacity: 10 }], date: '2026-12-17' });
    const elsewhere = await inviteHouseholds(db(), admin, { eventId: other.eventId, householdIds: [teluk[2]!] }, opts());
    if (!elsewhere.ok) throw new Error(elsewhere.reason);

    let n = 0;
    const file = (over: Partial<typeof complaints.$inferInsert>) =>
      db()
        .insert(complaints)
        .values({ trackingId: `ADU-T-${++n}-${ev.eventId}`, category: 'site_too_far', summary: 'Jauh sekali', createdAt: at('2026-11-25', '10:00'), ...over });
    const later = at('2026-11-25', '10:00');
    await file({ invitationId: invOf(teluk[0]!) }); // camat, through its invitation
    await file({ invitationId: invOf(teluk[1]!), anonymous: true }); // camat, anonymous still counts
    await file({ memberId: head(bel[0]!), createdAt: later }); // belian, through the member's household
    await file({ memberId: head(bel[1]!), createdAt: new Date(NOW.getTime() - 86_400_000) }); // before the invitation: another event's site
    await file({ invitationId: elsewhere.invitationIds[0]!, memberId: head(teluk[2]!) }); // about the other event
    await file({ invitationId: invOf(bel[1]!), category: 'not_received' }); // another subject
    // Declined: the invitation no longer holds a seat, so the complaint names no site.
    const declined = await declineInvitation(db(), { invitationId: invOf(teluk[2]!), householdId: teluk[2]!, reason: 'jauh', now: later });
    expect(declined.ok).toBe(true);
    await file({ invitationId: invOf(teluk[2]!) });

    const counts = await siteTooFarCounts(db(), admin, ev.eventId);
    if (!counts.ok) throw new Error(counts.reason);
    expect(counts.sites).toEqual([
      { siteId: camat, siteName: 'Kantor Camat Batam Kota', complaints: 2 },
      { siteId: belian, siteName: 'Kantor Lurah Belian', complaints: 1 },
    ]);
    const otherCounts = await siteTooFarCounts(db(), admin, other.eventId);
    expect(otherCounts).toEqual({ ok: true, sites: [{ siteId: camat, siteName: 'Kantor Camat Batam Kota', complaints: 1 }] });
    const sekupang = await staff(db(), 'supervisor', refs.kecamatanIds.get('21.71.03')!);
    expect(await siteTooFarCounts(db(), sekupang, ev.eventId)).toMatchObject({ ok: false, reason: 'not_found' });
  });
});
