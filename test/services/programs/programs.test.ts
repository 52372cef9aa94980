import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, enrollments, households, kecamatan, members, programs, recipientListItems, recipientLists } from '../../../src/db/schema/index.ts';
import { evaluateEligibility, type EligibilityRules } from '../../../src/domain/eligibility.ts';
import { checkProgramInput, latestBirthDateForAge, type ProgramInput } from '../../../src/domain/program-input.ts';
import { ageOn } from '../../../src/domain/dates.ts';
import { createI18n } from '../../../src/i18n.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { countImpact, ruleImpact, type ProposedRules } from '../../../src/services/programs/impact.ts';
import { lockList, newVersion, openDraft, readList } from '../../../src/services/programs/lists.ts';
import { getProgram, inputOf, listPrograms } from '../../../src/services/programs/read.ts';
import { createProgram, updateProgram } from '../../../src/services/programs/save.ts';
import { exportList } from '../../../src/services/programs/sk.ts';
import type { Db } from '../../../src/db/client.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { pdfPages, pdfText } from '../../helpers/pdf.ts';
import { cellTexts, openXlsx } from '../../helpers/spreadsheet.ts';
import { SEED_NOW, seededDatabase, TODAY, TZ } from '../seeded.ts';
import { staffActor } from '../staff/fixtures.ts';

// Programs as data on the seeded city: the pure check of a program's fields, the bidang rule (a supervisor
// manages only their own bidang's programs; one without a bidang manages none), audited saves that write
// nothing when refused, the impact preview held to the pure eligibility function household by household, and
// the recipient list as a decision: locked once, superseded by its next version, exported for the SK.

const VALID: ProgramInput = {
  code: 'UJI', name: 'Bantuan Uji', nameEn: null, agency: 'Dinsos', bidang: 'Linjamsos', funder: 'APBD', benefitType: 'cash', benefitAmount: 100_000,
  benefitPeriod: 'month', unit: 'household', maxDesil: 4, minAge: null, requiresDisability: false, excludedWith: [], maxAmount: null,
  activeFrom: null, activeUntil: null, targetPerYear: 100, requirements: null, requirementsEn: null, schedule: null, scheduleEn: null,
};

describe('checkProgramInput', () => {
  const codes = ['PKH', 'UJI'];
  it.each([
    [{ maxDesil: 0 }, 'maxDesil', 'out_of_range'],
    [{ maxDesil: 11 }, 'maxDesil', 'out_of_range'],
    [{ minAge: -1 }, 'minAge', 'out_of_range'],
    [{ minAge: 121 }, 'minAge', 'out_of_range'],
    [{ activeFrom: '2026-12-01', activeUntil: '2026-11-01' }, 'activeFrom', 'after_until'],
    [{ activeUntil: '2026-02-30' }, 'activeUntil', 'invalid'],
    [{ excludedWith: ['NOPE'] }, 'excludedWith', 'unknown_program'],
    [{ excludedWith: ['UJI'] }, 'excludedWith', 'self'],
    [{ benefitAmount: -5 }, 'benefitAmount', 'out_of_range'],
    [{ targetPerYear: -1 }, 'targetPerYear', 'out_of_range'],
    [{ name: ' ' }, 'name', 'missing'],
    [{ code: 'bad code' }, 'code', 'invalid'],
    [{ benefitType: 'gold' }, 'benefitType', 'invalid'],
  ] as const)('%o → %s %s', (change, field, problem) => {
    expect(checkProgramInput({ ...VALID, ...change } as ProgramInput, codes)).toEqual([{ field, problem }]);
  });
  it('names every problem at once, and none for a good program', () => {
    expect(checkProgramInput(VALID, codes)).toEqual([]);
    expect(checkProgramInput({ ...VALID, maxDesil: 12, minAge: 200, targetPerYear: -3 }, codes).map((p) => p.field)).toEqual(['maxDesil', 'minAge', 'targetPerYear']);
  });
  it('finds the latest birth date of an age as ageOn counts it, 29 February included', () => {
    for (const [today, age] of [['2026-11-24', 60], ['2028-02-29', 1], ['2028-02-29', 4], ['2027-03-01', 1]] as const) {
      const cutoff = latestBirthDateForAge(today, age);
      expect(ageOn(cutoff, today)).toBeGreaterThanOrEqual(age);
      const nextDay = new Date(`${cutoff}T00:00:00Z`);
      nextDay.setUTCDate(nextDay.getUTCDate() + 1);
      expect(ageOn(nextDay.toISOString().slice(0, 10), today)).toBeLessThan(age);
    }
  });
});

describe('programs on the seeded city', () => {
  let database: TestDatabase;
  let db: Db;
  let admin: Awaited<ReturnType<typeof staffActor>>;
  let linjamsos: Awaited<ReturnType<typeof staffActor>>;
  let linjamsosKec: Awaited<ReturnType<typeof staffActor>>;
  let rehsos: Awaited<ReturnType<typeof staffActor>>;
  let noBidang: Awaited<ReturnType<typeof staffActor>>;
  let pkh: typeof programs.$inferSelect;
  const opts = { now: SEED_NOW, timeZone: TZ };

  beforeAll(async () => {
    database = await seededDatabase(300);
    db = database.db;
    admin = await staffActor(db, { role: 'admin' });
    linjamsos = await staffActor(db, { role: 'supervisor', bidang: 'Linjamsos' });
    rehsos = await staffActor(db, { role: 'supervisor', bidang: 'Rehsos' });
    noBidang = await staffActor(db, { role: 'supervisor' });
    const [anyKecamatan] = await db.select({ id: kecamatan.id }).from(kecamatan).orderBy(asc(kecamatan.id)).limit(1);
    linjamsosKec = await staffActor(db, { role: 'supervisor', bidang: 'Linjamsos', kecamatanId: anyKecamatan!.id });
    pkh = (await db.select().from(programs).where(eq(programs.code, 'PKH')))[0]!;
  }, 180_000);
  afterAll(async () => {
    await database?.dispose();
  });

  const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action));

  it('shows a supervisor only their bidang\'s programs, and one without a bidang none', async () => {
    expect((await listPrograms(db, linjamsos)).map((p) => p.code).sort()).toEqual(['BKK', 'PBI-JK', 'PKH', 'SEMBAKO']);
    expect((await listPrograms(db, rehsos)).map((p) => p.code)).toEqual(['LANSIA']);
    expect(await listPrograms(db, noBidang)).toEqual([]);
    const all = await listPrograms(db, admin);
    expect(all).toHaveLength(5);
    const seeded = all.find((p) => p.code === 'PKH')!;
    expect(seeded.targetPerYear).toBe(48000);
    expect(seeded.enrolled).toBeGreaterThan(0);
    expect(await getProgram(db, rehsos, pkh.id)).toBeNull();
  });

  it('refuses a supervisor of another bidang, and saves nothing on bad input', async () => {
    await expect(updateProgram(db, rehsos, pkh.id, inputOf(pkh), { now: SEED_NOW })).rejects.toBeInstanceOf(Forbidden);
    const made = await createProgram(db, rehsos, { ...VALID, code: 'REH-X' }, { now: SEED_NOW });
    expect(made).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'bidang', problem: 'not_yours' }] });
    const bad = await updateProgram(db, linjamsos, pkh.id, { ...inputOf(pkh), maxDesil: 11, activeFrom: '2027-01-01', activeUntil: '2026-01-01', excludedWith: ['PKH'] }, { now: SEED_NOW });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason === 'invalid' ? bad.problems.map((p) => `${p.field}:${p.problem}`) : []).toEqual(['maxDesil:out_of_range', 'activeFrom:after_until', 'excludedWith:self']);
    expect((await getProgram(db, admin, pkh.id))!.rules).toEqual(pkh.rules);
    expect(await audits('program.update')).toHaveLength(0);
    expect((await db.select().from(programs).where(eq(programs.code, 'REH-X'))).length).toBe(0);
  });

  it('creates and changes a program, audited with the fields it changed', async () => {
    const made = await createProgram(db, linjamsos, VALID, { now: SEED_NOW });
    expect(made.ok).toBe(true);
    const id = made.ok ? made.id : 0;
    expect(await createProgram(db, admin, VALID, { now: SEED_NOW })).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'code', problem: 'taken' }] });
    const changed = await updateProgram(db, linjamsos, id, { ...VALID, code: 'RENAMED', minAge: 60, requirements: 'Bawa KTP', targetPerYear: 200 }, { now: SEED_NOW });
    expect(changed).toEqual({ ok: true, id, changed: ['minAge', 'targetPerYear', 'requirements'] });
    const row = (await getProgram(db, admin, id))!;
    expect(row.code).toBe('UJI'); // the code never changes
    expect(row.rules).toEqual({ maxDesil: 4, minAge: 60 });
    const [created] = await audits('program.create');
    expect(created!.details).toMatchObject({ code: 'UJI', bidang: 'Linjamsos' });
    const [updated] = await audits('program.update');
    expect(updated!.details).toEqual({ code: 'UJI', changed: ['minAge', 'targetPerYear', 'requirements'] });
    expect(updated!.staffId).toBe(linjamsos.id);
  });

  /** The same counts from the pure function, family by family. */
  async function pureImpact(programId: number | null, code: string, current: ProposedRules | null, proposed: ProposedRules) {
    const hs = await db.select({ id: households.id, desil: households.desil }).from(households);
    const ms = await db.select({ id: members.id, householdId: members.householdId, birthDate: members.birthDate, disability: members.disability, deceased: members.deceased }).from(members);
    const es = await db.select({ programId: enrollments.programId, householdId: enrollments.householdId, memberId: enrollments.memberId, status: enrollments.status, code: programs.code }).from(enrollments).innerJoin(programs, eq(programs.id, enrollments.programId));
    const householdOfMember = new Map(ms.map((m) => [m.id, m.householdId]));
    const membersOf = new Map<number, typeof ms>();
    for (const m of ms) membersOf.set(m.householdId, [...(membersOf.get(m.householdId) ?? []), m]);
    const receiving = new Map<number, Set<string>>();
    const enrolled = new Set<number>();
    for (const e of es) {
      const h = e.householdId ?? householdOfMember.get(e.memberId!)!;
      if (['verified', 'active'].includes(e.status) && e.code !== code) receiving.set(h, (receiving.get(h) ?? new Set()).add(e.code));
      if (e.programId === programId && ['proposed', 'verified', 'active'].includes(e.status)) enrolled.add(h);
    }
    const eligible = (h: (typeof hs)[number], p: ProposedRules | null) =>
      p !== null && evaluateEligibility({ desil: h.desil, members: membersOf.get(h.id) ?? [], receiving: [...(receiving.get(h.id) ?? [])], programs: [{ code, unit: 'household', ...p }], today: TODAY })[0]!.eligible;
    let lost = 0;
    let gained = 0;
    for (const h of hs) {
      const a = eligible(h, current);
      const b = eligible(h, proposed);
      if (enrolled.has(h.id) && a && !b) lost++;
      if (!enrolled.has(h.id) && !a && b) gained++;
    }
    return { enrolledNowIneligible: lost, newlyEligible: gained };
  }

  it('counts the impact of a rule change exactly as the pure eligibility function judges each family', async () => {
    const rows = await db.select().from(programs).where(inArray(programs.code, ['PKH', 'LANSIA', 'BKK', 'PBI-JK']));
    const proposals: EligibilityRules[] = [{ maxDesil: 2 }, { maxDesil: 6 }, { maxDesil: 4, minAge: 70 }, { maxDesil: 5, requiresDisability: true }, { maxDesil: 4, excludedWith: ['SEMBAKO', 'LANSIA'] }, {}, { minAge: 18, excludedWith: ['PKH'] }];
    let moved = 0;
    for (const p of rows) {
      const current = { rules: p.rules, activeFrom: p.activeFrom, activeUntil: p.activeUntil };
      for (const rules of proposals) {
        const proposed = { rules, activeFrom: null, activeUntil: null };
        const sqlCounts = await countImpact(db, p.id, p.code, current, proposed, TODAY);
        expect(sqlCounts, `${p.code} ${JSON.stringify(rules)}`).toEqual(await pureImpact(p.id, p.code, current, proposed));
        moved += sqlCounts.enrolledNowIneligible + sqlCounts.newlyEligible;
      }
    }
    expect(moved).toBeGreaterThan(0); // the proposals really move families, so equal counts are not two zeros
    // A program that ended yesterday makes every enrolled family ineligible; a new one has nobody enrolled.
    const ended = await countImpact(db, pkh.id, 'PKH', { rules: pkh.rules, activeFrom: null, activeUntil: null }, { rules: pkh.rules, activeFrom: null, activeUntil: '2026-11-23' }, TODAY);
    expect(ended).toEqual(await pureImpact(pkh.id, 'PKH', { rules: pkh.rules, activeFrom: null, activeUntil: null }, { rules: pkh.rules, activeFrom: null, activeUntil: '2026-11-23' }));
    expect(ended.enrolledNowIneligible).toBeGreaterThan(0);
    const fresh = await countImpact(db, null, 'BARU', null, { rules: { maxDesil: 3 }, activeFrom: null, activeUntil: null }, TODAY);
    expect(fresh).toEqual(await pureImpact(null, 'BARU', null, { rules: { maxDesil: 3 }, activeFrom: null, activeUntil: null }));
    expect(fresh.newlyEligible).toBeGreaterThan(0);
    // Through the service: the bidang rule holds there too.
    expect(await ruleImpact(db, rehsos, pkh.id, { rules: { maxDesil: 2 }, activeFrom: null, activeUntil: null }, opts)).toBeNull();
    expect(await ruleImpact(db, linjamsos, pkh.id, { rules: { maxDesil: 2 }, activeFrom: null, activeUntil: null }, opts)).toEqual(await pureImpact(pkh.id, 'PKH', { rules: pkh.rules, activeFrom: null, activeUntil: null }, { rules: { maxDesil: 2 }, activeFrom: null, activeUntil: null }));
  });

  describe('the recipient list', () => {
    let period: string;
    let listed: number;
    let listId: number;

    beforeAll(async () => {
      const [busiest] = rowsOf<{ period: string; n: number }>(
        await db.execute(sql`select period, count(*)::int as n from enrollments where program_id = ${pkh.id} and status in ('proposed', 'verified', 'active') group by period order by n desc limit 1`),
      );
      period = busiest!.period;
      listed = Number(busiest!.n);
    });

    it('opens one draft per period, read live and audited', async () => {
      expect(await openDraft(db, linjamsos, pkh.id, 'bad period!', { now: SEED_NOW })).toEqual({ ok: false, reason: 'invalid_period' });
      expect(await openDraft(db, rehsos, pkh.id, period, { now: SEED_NOW })).toEqual({ ok: false, reason: 'not_found' });
      const a = await openDraft(db, linjamsos, pkh.id, period, { now: SEED_NOW });
      const b = await openDraft(db, admin, pkh.id, period, { now: SEED_NOW });
      expect(a.ok && b.ok && a.listId === b.listId).toBe(true);
      listId = a.ok ? a.listId : 0;
      const view = (await readList(db, linjamsos, listId, { now: SEED_NOW }))!;
      expect(view.list.status).toBe('draft');
      expect(view.count).toBe(listed);
      expect(view.mayLock).toBe(true);
      expect(view.rows[0]!.kkMasked).toMatch(/^\d{6}\*{6}\d{4}$/);
      expect((await audits('recipients.read')).length).toBeGreaterThan(0);
      expect(await readList(db, rehsos, listId, { now: SEED_NOW })).toBeNull();
    });

    it('is locked only city-wide by the head of the bidang, with the decree, and never changes after', async () => {
      expect(await lockList(db, linjamsosKec, listId, { decreeNumber: 'SK-1', note: '' }, { now: SEED_NOW })).toEqual({ ok: false, reason: 'citywide_only' });
      await expect(lockList(db, rehsos, listId, { decreeNumber: 'SK-1', note: '' }, { now: SEED_NOW })).resolves.toEqual({ ok: false, reason: 'not_found' });
      expect(await lockList(db, linjamsos, listId, { decreeNumber: '  ', note: '' }, { now: SEED_NOW })).toEqual({ ok: false, reason: 'decree_missing' });
      const locked = await lockList(db, linjamsos, listId, { decreeNumber: '460/SK/Dinsos/2026', note: 'Tahap 4' }, { now: SEED_NOW });
      expect(locked.ok && locked.count).toBe(listed);
      const [row] = await db.select().from(recipientLists).where(eq(recipientLists.id, listId));
      expect(row).toMatchObject({ status: 'locked', recipientCount: listed, decreeNumber: '460/SK/Dinsos/2026', lockedBy: linjamsos.id });
      expect(Number(row!.totalAmount)).toBeGreaterThan(0);
      expect(await db.select().from(recipientListItems).where(eq(recipientListItems.listId, listId))).toHaveLength(listed);
      const [lockAudit] = await audits('recipients.lock');
      expect(lockAudit!.details).toMatchObject({ recipientCount: listed, decree: '460/SK/Dinsos/2026' });

      // An enrollment ends after the lock: the locked list still names it, and cannot be locked again.
      const [one] = await db.select({ id: enrollments.id }).from(enrollments).where(and(eq(enrollments.programId, pkh.id), eq(enrollments.period, period))).limit(1);
      await db.update(enrollments).set({ status: 'ended' }).where(eq(enrollments.id, one!.id));
      expect((await readList(db, linjamsos, listId, { now: SEED_NOW }))!.count).toBe(listed);
      expect(await lockList(db, linjamsos, listId, { decreeNumber: 'SK-2', note: '' }, { now: SEED_NOW })).toEqual({ ok: false, reason: 'not_draft' });
      expect(await openDraft(db, linjamsos, pkh.id, period, { now: SEED_NOW })).toEqual({ ok: false, reason: 'locked' });
    });

    it('changes only through a new version, which supersedes the old one when locked', async () => {
      const v2 = await newVersion(db, linjamsos, listId, { now: SEED_NOW });
      expect(v2.ok).toBe(true);
      const v2Id = v2.ok ? v2.listId : 0;
      expect(await newVersion(db, linjamsos, listId, { now: SEED_NOW })).toEqual({ ok: false, reason: 'draft_exists' });
      const draft = (await readList(db, admin, v2Id, { now: SEED_NOW }))!;
      expect(draft.list.version).toBe(2);
      expect(draft.count).toBe(listed - 1); // the ended enrollment is off the new version
      expect((await lockList(db, admin, v2Id, { decreeNumber: '461/SK/Dinsos/2026', note: '' }, { now: SEED_NOW })).ok).toBe(true);
      const statuses = await db.select({ id: recipientLists.id, status: recipientLists.status }).from(recipientLists).where(inArray(recipientLists.id, [listId, v2Id]));
      expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [listId]: 'superseded', [v2Id]: 'locked' });
      expect(await newVersion(db, linjamsos, listId, { now: SEED_NOW })).toEqual({ ok: false, reason: 'not_latest' });
    });

    it('exports the SK as a PDF and an XLSX with masked numbers, audited', async () => {
      const t = (await createI18n('id')).getFixedT('id');
      const [v2] = await db.select().from(recipientLists).where(and(eq(recipientLists.programId, pkh.id), eq(recipientLists.status, 'locked')));
      const pdf = (await exportList(db, linjamsos, v2!.id, 'pdf', { ...opts, t, locale: 'id' }))!;
      expect(pdf.contentType).toBe('application/pdf');
      const text = pdfText(pdf.body);
      expect(text).toContain(`Daftar Penerima PKH Periode ${period}`);
      expect(text).toContain('461/SK/Dinsos/2026');
      expect(text).toContain('Nama kepala keluarga / anggota');
      expect(text).toContain(`Jumlah penerima: ${listed - 1}.`);
      expect(text).toContain('Disetujui dan dikunci oleh Petugas Uji');
      expect(text).toMatch(/\d{6}\*{6}\d{4}/);
      expect(text).not.toMatch(/\d{16}/); // no NIK or KK in full
      const pages = pdfPages(pdf.body);
      expect(pages.length).toBeGreaterThan(0);
      expect(pages.every((p) => p.inked > 0.001)).toBe(true);

      const xlsx = (await exportList(db, linjamsos, v2!.id, 'xlsx', { ...opts, t, locale: 'id' }))!;
      const cells = cellTexts(await openXlsx(xlsx.body));
      expect(cells[0]).toEqual(['No', 'Nama kepala keluarga / anggota', 'NIK', 'No. KK', 'Kelurahan', 'Kecamatan', 'Jumlah']);
      expect(cells).toHaveLength(listed - 1 + 2); // header, rows, total
      expect(cells.flat().some((c) => /^\d{16}$/.test(c))).toBe(false);
      const exported = await audits('recipients.export');
      expect(exported.map((a) => (a.details as { format: string }).format).sort()).toEqual(['pdf', 'xlsx']);
    });
  });
});
