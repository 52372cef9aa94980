import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog, enrollments, households, members, programs } from '../../../src/db/schema/index.ts';
import { aidSummary, verifyIdentity } from '../../../src/services/aid/summary.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { memberOf, newContact, resident, SEED_NOW, seededDatabase, TODAY } from '../seeded.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const opts = { today: TODAY, now: SEED_NOW };

/** Households of the generated registry, never the demo families other tests read. */
function syntheticHouseholds(n: number) {
  return database.db.select({ id: households.id }).from(households).orderBy(desc(households.id)).limit(n);
}

describe('verifyIdentity', () => {
  it.each(['Siti', 'Ahmad', 'Budi', 'Dewi'] as const)('matches %s with NIK and birth date', async (name) => {
    const r = resident(name);
    const m = await memberOf(database.db, r.nik);
    expect(await verifyIdentity(database.db, { nik: r.nik, birthDate: r.birthDate })).toEqual({
      outcome: 'match',
      memberId: m.id,
      householdId: m.householdId,
      deceased: false,
    });
  });

  it('tolerates spaces and dots in the NIK', async () => {
    const r = resident('Siti');
    const spaced = `${r.nik.slice(0, 4)} ${r.nik.slice(4, 8)}.${r.nik.slice(8, 12)}-${r.nik.slice(12)}`;
    expect((await verifyIdentity(database.db, { nik: spaced, birthDate: r.birthDate })).outcome).toBe('match');
  });

  it.each([
    ['15 digits', '217110520385000'],
    ['17 digits', '21711052038500011'],
    ['letters', '21711052038500O1'],
    ['impossible birth part', '2171109913850001'],
    ['serial 0000', '2171105203850000'],
    ['empty', ''],
  ])('invalid_nik: %s', async (_label, nik) => {
    expect(await verifyIdentity(database.db, { nik, birthDate: '1985-03-12' })).toEqual({ outcome: 'invalid_nik' });
  });

  it('mismatch when the birth date disagrees with the NIK itself', async () => {
    expect(await verifyIdentity(database.db, { nik: resident('Siti').nik, birthDate: '1985-03-13' })).toEqual({ outcome: 'mismatch' });
  });

  it('mismatch when the NIK agrees but the registry holds another date (different century)', async () => {
    // 12-03-1885 agrees with the NIK's DDMMYY; the registry says 1985. Same answer as any other mismatch.
    expect(await verifyIdentity(database.db, { nik: resident('Siti').nik, birthDate: '1885-03-12' })).toEqual({ outcome: 'mismatch' });
  });

  it("accepts either sex's reading of the day (women add 40)", async () => {
    // Siti's NIK carries 52 = 12 + 40: a man's birth date of the 52nd does not exist, so only the 12th fits.
    expect((await verifyIdentity(database.db, { nik: resident('Siti').nik, birthDate: '1985-03-12' })).outcome).toBe('match');
    expect((await verifyIdentity(database.db, { nik: resident('Ahmad').nik, birthDate: '1952-01-05' })).outcome).toBe('match');
  });

  it('not_found for a well-formed NIK that agrees with the date but is not registered', async () => {
    expect(await verifyIdentity(database.db, { nik: '2171105203859999', birthDate: '1985-03-12' })).toEqual({ outcome: 'not_found' });
  });

  it('finds a deceased member and says so', async () => {
    const [hh] = await syntheticHouseholds(1);
    await database.db.insert(members).values({
      householdId: hh!.id,
      nik: '2171100101400001',
      name: 'Almarhum Test',
      birthDate: '1940-01-01',
      sex: 'L',
      relationship: 'lainnya',
      deceased: true,
    });
    expect(await verifyIdentity(database.db, { nik: '2171100101400001', birthDate: '1940-01-01' })).toMatchObject({
      outcome: 'match',
      deceased: true,
    });
  });

  it('picks the living, most recently updated record when a NIK is in two households', async () => {
    const nik = '2171100202600001';
    const hhs = await syntheticHouseholds(3);
    const base = { nik, name: 'Dua Kali', birthDate: '1960-02-02', sex: 'L' as const, relationship: 'lainnya' as const };
    await database.db.insert(members).values([
      { ...base, householdId: hhs[0]!.id, updatedAt: new Date('2026-01-01T00:00:00Z') },
      { ...base, householdId: hhs[1]!.id, updatedAt: new Date('2026-06-01T00:00:00Z') },
      { ...base, householdId: hhs[2]!.id, updatedAt: new Date('2026-09-01T00:00:00Z'), deceased: true },
    ]);
    expect(await verifyIdentity(database.db, { nik, birthDate: base.birthDate })).toMatchObject({
      outcome: 'match',
      householdId: hhs[1]!.id,
      deceased: false,
    });
  });

  it('never returns personal data outside a match', async () => {
    for (const input of [
      { nik: resident('Siti').nik, birthDate: '1985-03-13' },
      { nik: '2171105203859999', birthDate: '1985-03-12' },
      { nik: '123', birthDate: '1985-03-12' },
    ]) {
      expect(Object.keys(await verifyIdentity(database.db, input))).toEqual(['outcome']);
    }
  });
});

describe('aidSummary', () => {
  async function summaryOf(name: 'Siti' | 'Ahmad' | 'Budi' | 'Dewi') {
    const m = await memberOf(database.db, resident(name).nik);
    return aidSummary(database.db, m.id, opts);
  }

  it('Siti: PKH and SEMBAKO, invited to the Sembako distribution', async () => {
    const s = await summaryOf('Siti');
    expect(s.member).toEqual({ maskedName: 'S*** A****', age: 41 });
    expect(s.household).toEqual({ desil: 1, kecamatan: 'Batam Kota', kelurahan: 'Belian', memberCount: 5 });
    expect(s.receiving.map((r) => [r.code, r.status])).toEqual([
      ['PKH', 'active'],
      ['SEMBAKO', 'active'],
    ]);
    expect(s.receiving.find((r) => r.code === 'PKH')).toMatchObject({ amount: 750_000, benefitPeriod: 'quarter', benefitType: 'cash', unit: 'household', period: '2026-Q4' });
    expect(s.receiving.find((r) => r.code === 'SEMBAKO')).toMatchObject({ amount: 200_000, benefitPeriod: 'month', period: '2026-11' });
    expect(s.receiving.every((r) => r.memberMaskedName === undefined)).toBe(true);
    expect(s.nextInvitation).toMatchObject({
      programCode: 'SEMBAKO',
      status: 'invited',
      documents: ['KTP', 'KK', 'code'],
    });
    expect(s.nextInvitation!.startsAt.getTime()).toBeGreaterThan(SEED_NOW.getTime());
    expect(s.nextInvitation!.code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(typeof s.nextInvitation!.latitude).toBe('number');
    // BKK is excluded with PKH; Siti's family may still get PBI-JK (person-level health cover).
    expect(s.mayBeEligible.map((p) => p.code)).not.toContain('BKK');
    expect(s.aboveLine).toBe(false);
    expect(s.notRanked).toBe(false);
  });

  it('Ahmad: LANSIA as a person program, with his masked name', async () => {
    const s = await summaryOf('Ahmad');
    expect(s.member.age).toBe(74);
    expect(s.receiving).toEqual([
      {
        code: 'LANSIA',
        name: 'Bansos Lansia Kota Batam',
        status: 'active',
        period: '2026-11',
        amount: 300_000,
        benefitPeriod: 'month',
        benefitType: 'cash',
        unit: 'person',
        memberMaskedName: 'A**** Y****',
      },
    ]);
    expect(s.nextInvitation).toBeNull();
    expect(s.mayBeEligible.map((p) => p.code)).not.toContain('LANSIA');
  });

  it('Budi: desil 5, nothing received, above the desil 1–4 line of every demo program', async () => {
    const s = await summaryOf('Budi');
    expect(s.household.desil).toBe(5);
    expect(s.receiving).toEqual([]);
    expect(s.nextInvitation).toBeNull();
    expect(s.aboveLine).toBe(true);
    expect(s.mayBeEligible).toEqual([]);
  });

  it('Budi at desil 6 is above the line of every program and offered nothing', async () => {
    const budi = await memberOf(database.db, resident('Budi').nik);
    await database.db.update(households).set({ desil: 6 }).where(eq(households.id, budi.householdId));
    try {
      const s = await aidSummary(database.db, budi.id, opts);
      expect(s.aboveLine).toBe(true);
      expect(s.notRanked).toBe(false);
      expect(s.mayBeEligible).toEqual([]);
    } finally {
      await database.db.update(households).set({ desil: 5 }).where(eq(households.id, budi.householdId));
    }
  });

  it('audits the read when the chat is given', async () => {
    const dewi = await memberOf(database.db, resident('Dewi').nik);
    const contactId = await newContact(database.db);
    await aidSummary(database.db, dewi.id, { ...opts, contactId });
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.contactId, contactId));
    expect(rows).toEqual([expect.objectContaining({ actorKind: 'resident', action: 'aid.summary', entity: 'member', entityId: String(dewi.id) })]);
  });

  it('Dewi: registered at desil 3, receives nothing, may be eligible', async () => {
    const s = await summaryOf('Dewi');
    expect(s.receiving).toEqual([]);
    expect(s.mayBeEligible.map((p) => p.code)).toEqual(expect.arrayContaining(['PKH', 'SEMBAKO', 'BKK']));
    expect(s.mayBeEligible.find((p) => p.code === 'PKH')).toEqual({ code: 'PKH', name: 'Program Keluarga Harapan', amount: 750_000, benefitPeriod: 'quarter' });
    expect(s.aboveLine).toBe(false);
  });

  it('shows a suspended program with its status, hides proposed and ended ones, and does not offer it again', async () => {
    const dewi = await memberOf(database.db, resident('Dewi').nik);
    const ids = new Map((await database.db.select({ id: programs.id, code: programs.code }).from(programs)).map((p) => [p.code, p.id]));
    await database.db.insert(enrollments).values([
      { programId: ids.get('PKH')!, householdId: dewi.householdId, period: '2026-Q4', status: 'suspended', source: 'test' },
      { programId: ids.get('SEMBAKO')!, householdId: dewi.householdId, period: '2026-11', status: 'proposed', source: 'test' },
      { programId: ids.get('BKK')!, householdId: dewi.householdId, period: '2025', status: 'ended', source: 'test' },
      { programId: ids.get('PBI-JK')!, memberId: dewi.id, period: '2026-11', status: 'verified', amount: 42_000, source: 'test' },
    ]);
    const s = await summaryOf('Dewi');
    expect(s.receiving.map((r) => [r.code, r.status, r.amount])).toEqual([
      ['PBI-JK', 'verified', 42_000],
      ['PKH', 'suspended', 750_000],
    ]);
    expect(s.receiving.find((r) => r.code === 'PBI-JK')!.memberMaskedName).toBe('D*** L****');
    const offered = s.mayBeEligible.map((p) => p.code);
    expect(offered).not.toContain('PKH');
    expect(offered).not.toContain('PBI-JK');
    // A suspended PKH does not exclude BKK; SEMBAKO is only proposed, so it is still offered.
    expect(offered).toEqual(expect.arrayContaining(['SEMBAKO', 'BKK']));
  });

  it('one line per program and person: the latest period wins', async () => {
    const ahmad = await memberOf(database.db, resident('Ahmad').nik);
    const [lansia] = await database.db.select({ id: programs.id }).from(programs).where(eq(programs.code, 'LANSIA'));
    await database.db.insert(enrollments).values({ programId: lansia!.id, memberId: ahmad.id, period: '2026-10', status: 'active', source: 'test' });
    const s = await aidSummary(database.db, ahmad.id, opts);
    expect(s.receiving.filter((r) => r.code === 'LANSIA').map((r) => r.period)).toEqual(['2026-11']);
  });

  it('an unranked household is marked notRanked and offered nothing that needs a desil', async () => {
    const budi = await memberOf(database.db, resident('Budi').nik);
    await database.db.update(households).set({ desil: null }).where(eq(households.id, budi.householdId));
    try {
      const s = await aidSummary(database.db, budi.id, opts);
      expect(s.notRanked).toBe(true);
      expect(s.aboveLine).toBe(false);
      expect(s.mayBeEligible).toEqual([]);
    } finally {
      await database.db.update(households).set({ desil: 5 }).where(eq(households.id, budi.householdId));
    }
  });

  it('never holds a NIK, KK or full name', async () => {
    for (const name of ['Siti', 'Ahmad', 'Budi', 'Dewi'] as const) {
      const text = JSON.stringify(await summaryOf(name));
      const r = resident(name);
      expect(text).not.toContain(r.nik);
      expect(text).not.toContain(r.noKk);
      expect(text).not.toContain(r.name);
    }
  });

  it('throws for an unknown member', async () => {
    await expect(aidSummary(database.db, 99_999_999, opts)).rejects.toThrow(/not found/);
  });
});
