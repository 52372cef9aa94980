import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, households, kecamatan, kelurahan, members } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { memberForLink } from '../../../src/services/residents/link-member.ts';
import { openHousehold, viewHousehold } from '../../../src/services/residents/open.ts';
import { nameMatches, readQuery, searchResidents, SEARCHES_PER_HOUR } from '../../../src/services/residents/search.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';
import { hours, memberOf, minutes, resident, SEED_NOW, seededDatabase, TZ } from '../seeded.ts';

// Issue 18, the resident lookup: search by NIK, KK or name within the officer's kecamatan, masked; a
// household opened only with a reason, audited; searches limited per officer.

let database: TestDatabase;
let siti: Awaited<ReturnType<typeof memberOf>>;
let sitiKec: number;
let otherKec: number;
beforeAll(async () => {
  database = await seededDatabase(50);
  siti = await memberOf(database.db, resident('Siti').nik);
  const [h] = await database.db.select({ kec: kelurahan.kecamatanId }).from(households).innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId)).where(eq(households.id, siti.householdId));
  sitiKec = h!.kec;
  const [o] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(ne(kecamatan.id, sitiKec)).limit(1);
  otherKec = o!.id;
});
afterAll(async () => {
  await database?.dispose();
});

const at = (ms: number) => new Date(SEED_NOW.getTime() + ms);
const auditOf = async (staffId: number) => database.db.select().from(auditLog).where(eq(auditLog.staffId, staffId));
const opts = (ms: number) => ({ now: at(ms), timeZone: TZ });

describe('readQuery and nameMatches', () => {
  it('reads sixteen digits (in groups too) as a number, three letters or more as a name, and refuses the rest', () => {
    expect(readQuery('2171 1052 0385 0001')).toEqual({ by: 'number', number: '2171105203850001' });
    expect(readQuery('217110520385')).toBeUndefined();
    expect(readQuery('Si')).toBeUndefined();
    expect(readQuery('  SITI  aminah ')).toEqual({ by: 'name', words: ['siti', 'aminah'] });
  });

  it('matches word starts and typos, not other names', () => {
    expect(nameMatches('Siti Aminah', ['ami'])).toEqual({ match: true, exact: true });
    expect(nameMatches('Siti Aminah', ['siti', 'aminh'])).toEqual({ match: true, exact: false });
    expect(nameMatches('Siti Aminah', ['siti', 'rohani']).match).toBe(false);
  });
});

describe('searchResidents', () => {
  it('finds a resident by NIK in the officer kecamatan, masked, and audits the count without the NIK', async () => {
    const officer = await staffActor(database.db, { role: 'operator', kecamatanId: sitiKec });
    const r = await searchResidents(database.db, officer, { query: siti.nik, now: at(0) });
    if (!r.ok) throw new Error(r.reason);
    expect(r.hits).toEqual([
      { memberId: siti.id, householdId: siti.householdId, maskedName: 'S*** A****', maskedNik: '217110******0001', maskedKk: '217110******0005', kelurahan: 'Belian', relationship: 'istri', deceased: false },
    ]);
    const rows = await auditOf(officer.id);
    expect(rows).toMatchObject([{ action: 'resident.search', entity: 'resident', details: { by: 'number', resultCount: 1, householdCount: 1, householdIds: [siti.householdId] } }]);
    expect(JSON.stringify(rows)).not.toContain(siti.nik);
  });

  it('finds the whole family by KK number, the head first', async () => {
    const officer = await staffActor(database.db, { role: 'supervisor', kecamatanId: sitiKec });
    const r = await searchResidents(database.db, officer, { query: resident('Siti').noKk, now: at(0) });
    if (!r.ok) throw new Error(r.reason);
    expect(r.hits.length).toBe(5);
    expect(r.hits[0]!.relationship).toBe('kepala');
    expect(new Set(r.hits.map((h) => h.householdId))).toEqual(new Set([siti.householdId]));
    expect(r.hits.map((h) => h.memberId)).toContain(siti.id);
  });

  it('finds by name prefix and with a typo; too short a name changes nothing', async () => {
    const officer = await staffActor(database.db, { role: 'operator', kecamatanId: sitiKec });
    for (const query of ['siti amin', 'Siti Aminh', 'amina']) {
      const r = await searchResidents(database.db, officer, { query, now: at(0) });
      if (!r.ok) throw new Error(r.reason);
      expect({ query, found: r.hits.some((h) => h.memberId === siti.id) }).toEqual({ query, found: true });
      expect(r.by).toBe('name');
    }
    expect(await searchResidents(database.db, officer, { query: 'Si', now: at(0) })).toEqual({ ok: false, reason: 'invalid_query' });
    expect((await auditOf(officer.id)).map((a) => a.action)).toEqual(['resident.search', 'resident.search', 'resident.search']);
    expect(JSON.stringify(await auditOf(officer.id)).toLowerCase()).not.toContain('amin');
  });

  it('does not find a family of another kecamatan; city-wide staff do', async () => {
    const elsewhere = await staffActor(database.db, { role: 'supervisor', kecamatanId: otherKec });
    const r = await searchResidents(database.db, elsewhere, { query: siti.nik, now: at(0) });
    expect(r).toEqual({ ok: true, by: 'number', hits: [], more: false });
    const city = await staffActor(database.db, { role: 'supervisor' });
    const all = await searchResidents(database.db, city, { query: siti.nik, now: at(0) });
    expect(all.ok && all.hits.map((h) => h.memberId)).toEqual([siti.id]);
  });

  it('limits searches per officer per hour, audits the refusal, and lets other officers search', async () => {
    const officer = await staffActor(database.db, { role: 'operator', kecamatanId: sitiKec });
    for (let i = 0; i < SEARCHES_PER_HOUR; i++) expect((await searchResidents(database.db, officer, { query: siti.nik, now: at(minutes(i % 50)) })).ok).toBe(true);
    const refused = await searchResidents(database.db, officer, { query: siti.nik, now: at(minutes(50)) });
    expect(refused).toEqual({ ok: false, reason: 'rate_limited', until: at(hours(1)) });
    expect((await auditOf(officer.id)).filter((a) => a.action === 'resident.search_limited')).toHaveLength(1);
    const colleague = await staffActor(database.db, { role: 'operator', kecamatanId: sitiKec });
    expect((await searchResidents(database.db, colleague, { query: siti.nik, now: at(minutes(50)) })).ok).toBe(true);
    // The next hour starts afresh.
    expect((await searchResidents(database.db, officer, { query: siti.nik, now: at(hours(1) + minutes(1)) })).ok).toBe(true);
  });

  it('is not for viewers or field officers', async () => {
    for (const role of ['viewer', 'field_officer'] as const) {
      const actor = await staffActor(database.db, { role });
      await expect(searchResidents(database.db, actor, { query: siti.nik, now: at(0) })).rejects.toBeInstanceOf(Forbidden);
      await expect(viewHousehold(database.db, actor, siti.householdId, opts(0))).rejects.toBeInstanceOf(Forbidden);
    }
  });
});

describe('opening a household', () => {
  it('asks for a reason, audits the opening with it, then shows the family for 30 minutes', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'operator', kecamatanId: sitiKec });
    expect(await viewHousehold(db, officer, siti.householdId, opts(0))).toEqual({
      kind: 'needs_reason',
      household: { id: siti.householdId, maskedKk: '217110******0005', kelurahan: 'Belian', kecamatan: 'Batam Kota' },
    });
    // Bad reasons change nothing.
    expect(await openHousehold(db, officer, siti.householdId, { reason: 'curious', note: '', now: at(0) })).toEqual({ ok: false, reason: 'invalid_reason' });
    expect(await openHousehold(db, officer, siti.householdId, { reason: 'other', note: '  ', now: at(0) })).toEqual({ ok: false, reason: 'note_required' });
    expect(await auditOf(officer.id)).toEqual([]);

    expect(await openHousehold(db, officer, siti.householdId, { reason: 'walk_in', note: 'membawa KTP', now: at(0) })).toEqual({ ok: true });
    expect(await auditOf(officer.id)).toMatchObject([{ action: 'resident.household_open', entity: 'household', entityId: String(siti.householdId), details: { reason: 'walk_in', reasonNote: 'membawa KTP' } }]);

    const view = await viewHousehold(db, officer, siti.householdId, opts(minutes(10)));
    if (view.kind !== 'page') throw new Error(view.kind);
    const p = view.page;
    expect(p.household).toMatchObject({ maskedKk: '217110******0005', kelurahan: 'Belian', rt: '003', rw: '007', desil: 1 });
    expect(p.members.map((m) => m.name)).toContain('Siti Aminah');
    expect(p.members[0]!.relationship).toBe('kepala');
    expect(p.members.find((m) => m.id === siti.id)).toMatchObject({ maskedNik: '217110******0001', age: 41, relationship: 'istri', deceased: false });
    expect(p.enrollments.map((e) => e.programCode).sort()).toEqual(['PKH', 'SEMBAKO']);
    expect(p.enrollments.every((e) => e.status === 'active')).toBe(true);
    expect(p.invitations.length).toBeGreaterThan(0);
    expect(p.invitations[0]!.maskedCode).toMatch(/^\*+[A-Z0-9]{2}$/);
    // Nothing of the page holds a NIK, a KK number or a birth date in full.
    const text = JSON.stringify(p);
    for (const secret of [siti.nik, resident('Siti').noKk, siti.birthDate]) expect(text).not.toContain(secret);
    // A reload is no new opening: still one audit row.
    expect(await auditOf(officer.id)).toHaveLength(1);

    // Half an hour later the reason is asked again.
    expect((await viewHousehold(db, officer, siti.householdId, opts(minutes(31)))).kind).toBe('needs_reason');
  });

  it('lists the family complaints in scope, never an anonymous one', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'supervisor', kecamatanId: sitiKec });
    const file = (trackingId: string, anonymous: boolean) => ({ trackingId, category: 'not_received' as const, memberId: siti.id, kecamatanId: sitiKec, anonymous, summary: 'Belum menerima' });
    await db.insert(complaints).values([file('ADU-TEST-RES-1', false), file('ADU-TEST-RES-2', true)]);
    await openHousehold(db, officer, siti.householdId, { reason: 'complaint_follow_up', note: '', now: at(0) });
    const view = await viewHousehold(db, officer, siti.householdId, opts(minutes(1)));
    if (view.kind !== 'page') throw new Error(view.kind);
    expect(view.page.complaints.map((c) => c.trackingId)).toEqual(['ADU-TEST-RES-1']);
  });

  it('treats a household of another kecamatan as missing: no page, no opening, no audit row', async () => {
    const db = database.db;
    const elsewhere = await staffActor(db, { role: 'supervisor', kecamatanId: otherKec });
    expect(await viewHousehold(db, elsewhere, siti.householdId, opts(0))).toEqual({ kind: 'not_found' });
    expect(await viewHousehold(db, elsewhere, 999_999_999, opts(0))).toEqual({ kind: 'not_found' });
    expect(await openHousehold(db, elsewhere, siti.householdId, { reason: 'walk_in', note: '', now: at(0) })).toEqual({ ok: false, reason: 'not_found' });
    expect(await memberForLink(db, elsewhere, siti.id, at(0))).toBeUndefined();
    expect(await auditOf(elsewhere.id)).toEqual([]);
  });

  it('hands the in-person link the member only after an opening, and never a deceased one', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'operator', kecamatanId: sitiKec });
    expect(await memberForLink(db, officer, siti.id, at(0))).toBeUndefined();
    await openHousehold(db, officer, siti.householdId, { reason: 'walk_in', note: '', now: at(0) });
    expect(await memberForLink(db, officer, siti.id, at(minutes(5)))).toEqual({ memberId: siti.id, nik: siti.nik, maskedName: 'S*** A****', maskedNik: '217110******0001' });
    const [child] = await db.select().from(members).where(and(eq(members.householdId, siti.householdId), eq(members.relationship, 'anak'))).limit(1);
    await db.update(members).set({ deceased: true }).where(eq(members.id, child!.id));
    try {
      expect(await memberForLink(db, officer, child!.id, at(minutes(5)))).toBeUndefined();
    } finally {
      await db.update(members).set({ deceased: false }).where(eq(members.id, child!.id));
    }
    expect(await memberForLink(db, officer, siti.id, at(minutes(31)))).toBeUndefined();
  });
});
