import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, enrollments, households, programs } from '../../../src/db/schema/index.ts';
import { aidSummary } from '../../../src/services/aid/summary.ts';
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

describe('aidSummary', () => {
  async function summaryOf(name: 'Siti' | 'Ahmad' | 'Budi' | 'Dewi') {
    const m = await memberOf(database.db, resident(name).nik);
    return aidSummary(database.db, m.id, opts);
  }

  it('Siti: PKH and SEMBAKO, invited to the Sembako distribution', async () => {
    const s = await summaryOf('Siti');
    expect(s.member).toEqual({ name: 'Siti Aminah', age: 41 });
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
    expect(s.nextInvitation!.code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/); // as a resident reads it
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
        nameEn: 'Batam City Aid for the Elderly',
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
    expect(s.mayBeEligible.find((p) => p.code === 'PKH')).toEqual({ code: 'PKH', name: 'Program Keluarga Harapan', nameEn: 'Family Hope Program (PKH)', amount: 750_000, benefitPeriod: 'quarter' });
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

  it("never holds a NIK or KK, nor any name but the member's own", async () => {
    for (const name of ['Siti', 'Ahmad', 'Budi', 'Dewi'] as const) {
      const summary = await summaryOf(name);
      const text = JSON.stringify(summary);
      const r = resident(name);
      expect(text).not.toContain(r.nik);
      expect(text).not.toContain(r.noKk);
      // The summary is read only for the member the chat proved to be: their own name, and no one else's.
      expect(summary.member.name).toBe(r.name);
      for (const other of (['Siti', 'Ahmad', 'Budi', 'Dewi'] as const).filter((o) => o !== name)) expect(text).not.toContain(resident(other).name);
    }
  });

  it('throws for an unknown member', async () => {
    await expect(aidSummary(database.db, 99_999_999, opts)).rejects.toThrow(/not found/);
  });
});
