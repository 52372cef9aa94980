import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, holidays, monthlyReports } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { monthlyFigures } from '../../../src/services/reports/monthly/figures.ts';
import { generateDueMonthlyReport, generateMonthlyReport, keptReport, monthlyFile, renderMonthly } from '../../../src/services/reports/monthly/generate.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { pdfPages, pdfText } from '../../helpers/pdf.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { monthlyWorld, NOW, type MonthlyWorld } from './monthly.fixtures.ts';

// The monthly report (issue 20 part 6) on the small city of monthly.fixtures.ts: every expected number is
// counted by hand from the rows written there.

let database: TestDatabase;
const db = () => database.db;
let w: MonthlyWorld;
let admin: Actor;
let sagulungSupervisor: Actor;
let t: TFunction;
const opts = () => ({ now: NOW, timeZone: 'Asia/Jakarta', locale: 'id', t });

beforeAll(async () => {
  database = await createTestDatabase();
  w = await monthlyWorld(db());
  admin = await staff(db(), 'admin');
  sagulungSupervisor = await staff(db(), 'supervisor', { kecamatanId: w.sagulung });
  t = (await createI18n('id')).getFixedT('id');
});
afterAll(async () => {
  await database.dispose();
});

const zeroReach = { whatsapp: 0, telegram: 0, webchat: 0 };

describe('monthlyFigures', () => {
  it('counts each program per kecamatan: enrollments against the target, distributions by round and channel, complaints', async () => {
    const f = await monthlyFigures(db(), admin, '2026-11', { now: NOW, timeZone: 'Asia/Jakarta' });
    expect(f).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30', scope: { kecamatanId: null, bidang: null } });
    expect(f.areas.map((a) => a.name)).toEqual(['Nongsa', 'Sagulung']);
    expect(f.programs.map((p) => p.code)).toEqual(['BPNT', 'PKH']); // by name
    const pkh = f.programs.find((p) => p.code === 'PKH')!;
    expect(pkh).toMatchObject({ targetPerYear: 10, events: 1 });
    const byName = (id: number | null) => pkh.areas.find((a) => a.kecamatanId === id)!;
    expect(byName(w.sagulung)).toEqual({
      kecamatanId: w.sagulung,
      enrolled: 3,
      validated: 2,
      newInMonth: 2,
      invitedByRound: [2, 1, 0],
      invited: 3,
      reached: { whatsapp: 1, telegram: 1, webchat: 0 },
      notReached: 2,
      collected: 1,
      noShowByRound: [1, 1, 0],
      complaints: 1,
    });
    expect(byName(w.nongsa)).toEqual({
      kecamatanId: w.nongsa,
      enrolled: 1,
      validated: 1,
      newInMonth: 0,
      invitedByRound: [1, 0, 0],
      invited: 1,
      reached: { whatsapp: 0, telegram: 0, webchat: 1 },
      notReached: 0,
      collected: 0,
      noShowByRound: [0, 0, 0],
      complaints: 0,
    });
    expect(pkh.total).toEqual({
      kecamatanId: null,
      enrolled: 4,
      validated: 3,
      newInMonth: 2,
      invitedByRound: [3, 1, 0],
      invited: 4,
      reached: { whatsapp: 1, telegram: 1, webchat: 1 },
      notReached: 2,
      collected: 1,
      noShowByRound: [1, 1, 0],
      complaints: 1,
    });
    const bpnt = f.programs.find((p) => p.code === 'BPNT')!;
    expect(bpnt).toMatchObject({ targetPerYear: null, events: 0, total: { enrolled: 1, validated: 1, newInMonth: 1, invited: 0, reached: zeroReach } });
    expect(bpnt.areas.find((a) => a.kecamatanId === w.nongsa)).toMatchObject({ enrolled: 1 });
  });

  it('counts the services per kecamatan: complaints and SLA, findings, visits, PPKS, IKM', async () => {
    const f = await monthlyFigures(db(), admin, '2026-11', { now: NOW, timeZone: 'Asia/Jakarta' });
    const s = (id: number) => f.services.areas.find((a) => a.kecamatanId === id)!;
    expect(s(w.sagulung)).toMatchObject({
      complaintsFiled: 2,
      complaintsClosed: 2,
      sla: { verifyDue: 2, verifiedOnTime: 2, verifyRate: 1, answerDue: 2, answeredOnTime: 2, answerRate: 1 },
      findingsOpened: 1,
      findingsResolved: 0,
      fieldVisits: 1,
      ppks: { reported: 1, reached: 1, served: 1 },
      ikm: { ikm: 90, count: 2 },
    });
    expect(s(w.nongsa)).toMatchObject({
      complaintsFiled: 1,
      complaintsClosed: 1,
      sla: { verifyDue: 1, verifiedOnTime: 1, answerDue: 1, answeredOnTime: 1 },
      findingsOpened: 1,
      findingsResolved: 2,
      fieldVisits: 0,
      ppks: { reported: 0, reached: 0, served: 0 },
      ikm: { ikm: 60, count: 1 },
    });
    // The total holds the complaint of no kecamatan too: filed, due and late.
    expect(f.services.total).toMatchObject({
      kecamatanId: null,
      complaintsFiled: 4,
      complaintsClosed: 3,
      sla: { verifyDue: 4, verifiedOnTime: 3, verifyRate: 0.75, answerDue: 3, answeredOnTime: 3 },
      findingsOpened: 2,
      findingsResolved: 2,
      fieldVisits: 1,
      ppks: { reported: 1, served: 1 },
      ikm: { ikm: 80, mutu: 'B', count: 3 },
    });
  });

  it("gives a kecamatan office its own kecamatan only, and a bidang desk its bidang's programs", async () => {
    const f = await monthlyFigures(db(), sagulungSupervisor, '2026-11', { now: NOW, timeZone: 'Asia/Jakarta' });
    expect(f.scope).toEqual({ kecamatanId: w.sagulung, kecamatan: 'Sagulung', bidang: null });
    expect(f.areas.map((a) => a.name)).toEqual(['Sagulung']);
    const pkh = f.programs.find((p) => p.code === 'PKH')!;
    expect(pkh.total).toMatchObject({ enrolled: 3, invited: 3, collected: 1 });
    // BPNT runs (no end date), so it has its page, with nothing in Sagulung.
    expect(f.programs.find((p) => p.code === 'BPNT')!.total).toMatchObject({ enrolled: 0, invited: 0 });
    expect(f.services.total).toMatchObject({ complaintsFiled: 2, findingsOpened: 1, ikm: { count: 2 } });

    const desk = await staff(db(), 'supervisor', { bidang: 'PM' });
    const pm = await monthlyFigures(db(), desk, '2026-11', { now: NOW, timeZone: 'Asia/Jakarta' });
    expect(pm.programs.map((p) => p.code)).toEqual(['BPNT']);

    await expect(monthlyFigures(db(), await staff(db(), 'operator'), '2026-11')).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('the files', () => {
  it('draws a PDF with ink on every page and the figures in Indonesian', async () => {
    const r = await renderMonthly(db(), admin, '2026-11', opts());
    if (!r.ok) throw new Error(r.reason);
    const pages = pdfPages(r.files.pdf);
    // The first page, a page per program (2), the services page.
    expect(pages).toHaveLength(4);
    for (const p of pages) expect(p.inked).toBeGreaterThan(0.005);
    const text = pdfText(r.files.pdf);
    expect(text).toContain('Laporan Bulanan November 2026');
    expect(text).toContain('Program Keluarga Harapan (PKH)');
    expect(text).toContain('Layanan Dinas per kecamatan');
    expect(text).toContain('Seluruh kota');
    // PKH's first-page line: target 10, enrolled 4 (40%), validated 75%, invited 4, collected 1, no-shows 2.
    expect(text).toMatch(/Program Keluarga Harapan\s+10\s+4\s+40%\s+75%\s+4\s+1\s+2/);
    // Sagulung's PKH row: enrolled 3, validated 2 (66,7%), new 2, invited 3, WA 1, Telegram 1, web 0, not reached 2.
    expect(text).toMatch(/Sagulung\s+3\s+2\s+66,7%\s+2\s+3\s+1\s+1\s+0\s+2\s+1\s+1\s+1\s+0\s+1/);
    // Sagulung's services row ends with IKM 90,00 from 2 ratings.
    expect(text).toMatch(/Sagulung\s+2\s+2\s+100%\s+100%\s+1\s+0\s+1\s+1\s+1\s+90,00\s+2/);
    expect(text).toContain('Jumlah');
  });

  it('writes an XLSX whose sheets read back with the same figures', async () => {
    const r = await renderMonthly(db(), admin, '2026-11', opts());
    if (!r.ok) throw new Error(r.reason);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.read(Readable.from(r.files.xlsx));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Ringkasan', 'Program per kecamatan', 'Layanan per kecamatan']);
    const rowsOf = (i: number) => {
      const out: unknown[][] = [];
      wb.worksheets[i]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const summary = rowsOf(0);
    expect(summary[0]!.slice(0, 8)).toEqual(['Bulan', 'Wilayah laporan', 'Kode', 'Program', 'Target/tahun', '% target', 'Penyaluran', 'Terdaftar']);
    const pkh = summary.find((row) => row[2] === 'PKH')!;
    expect(pkh.slice(4, 10)).toEqual([10, 0.4, 1, 4, 3, 0.75]);
    const byArea = rowsOf(1);
    const sagulungPkh = byArea.find((row) => row[1] === 'PKH' && row[3] === 'Sagulung')!;
    expect(sagulungPkh.slice(4)).toEqual([3, 2, 0.6667, 2, 3, 1, 1, 0, 2, 1, 1, 1, 0, 1]);
    const services = rowsOf(2);
    expect(services.find((row) => row[1] === 'Nongsa')!.slice(2)).toEqual([1, 1, 1, 1, 1, 2, 0, 0, 0, 60, 1]);
    expect(services.find((row) => row[1] === 'Jumlah')!.slice(2, 4)).toEqual([4, 3]);
  });

  it('refuses a month with no data, a future month and a malformed one, with a reason', async () => {
    expect(await renderMonthly(db(), admin, '2026-01', opts())).toEqual({ ok: false, reason: 'empty' });
    expect(await renderMonthly(db(), admin, '2027-01', opts())).toEqual({ ok: false, reason: 'future' });
    expect(await renderMonthly(db(), admin, '2026-13', opts())).toEqual({ ok: false, reason: 'format' });
    expect(await renderMonthly(db(), admin, '', opts())).toEqual({ ok: false, reason: 'format' });
    expect(await generateMonthlyReport(db(), admin, '2026-01', opts())).toEqual({ ok: false, reason: 'empty' });
    expect(await db().select().from(monthlyReports).where(eq(monthlyReports.month, '2026-01'))).toEqual([]);
    expect(t('monthly:errors.empty', { month: 'Januari 2026' })).toContain('Belum ada data');
  });
});

describe('keeping the report', () => {
  it('keeps the city report, replaces it when generated again, and audits both', async () => {
    const first = await generateMonthlyReport(db(), admin, '2026-11', { ...opts(), now: wib('2026-12-01T10:00:00') });
    expect(first).toMatchObject({ ok: true, month: '2026-11' });
    const again = await generateMonthlyReport(db(), admin, '2026-11', { ...opts(), now: wib('2026-12-02T10:00:00') });
    expect(again.ok).toBe(true);
    const rows = await db().select().from(monthlyReports).where(eq(monthlyReports.month, '2026-11'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generatedAt).toEqual(wib('2026-12-02T10:00:00'));
    expect(rows[0]!.generatedBy).toBe(admin.id);
    expect(pdfText(rows[0]!.pdf)).toContain('Laporan Bulanan November 2026');
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'report.monthly.generate'), eq(auditLog.entityId, '2026-11')));
    expect(audits).toHaveLength(2);
    const kept = await keptReport(db(), admin, '2026-11');
    expect(kept?.figures.programs.find((p) => p.code === 'PKH')?.total.enrolled).toBe(4);
    expect(await keptReport(db(), sagulungSupervisor, '2026-11')).toBeNull();
  });

  it("lets only city-wide staff generate; a kecamatan office downloads its own scope's file, drawn when asked", async () => {
    await expect(generateMonthlyReport(db(), sagulungSupervisor, '2026-11', opts())).rejects.toBeInstanceOf(Forbidden);
    const mine = await monthlyFile(db(), sagulungSupervisor, '2026-11', 'pdf', opts());
    if (!mine.ok) throw new Error(mine.reason);
    expect(mine.kept).toBe(false);
    const text = pdfText(mine.bytes);
    expect(text).toContain('Kecamatan Sagulung');
    expect(text).not.toContain('Nongsa');
    const city = await monthlyFile(db(), admin, '2026-11', 'xlsx', opts());
    expect(city).toMatchObject({ ok: true, kept: true });
    const downloads = await db().select().from(auditLog).where(eq(auditLog.action, 'report.monthly.download'));
    expect(downloads.map((d) => d.details)).toEqual(
      expect.arrayContaining([expect.objectContaining({ format: 'pdf', kept: false, kecamatanId: w.sagulung }), expect.objectContaining({ format: 'xlsx', kept: true })]),
    );
  });
});

describe('the job', () => {
  it('generates the past month once, on the first working day only (weekends and holidays skipped)', async () => {
    await db().delete(monthlyReports);
    const job = (now: Date) => generateDueMonthlyReport(db(), { ...opts(), now });
    // Wednesday 2 December: not the first working day.
    expect(await job(wib('2026-12-02T08:00:00'))).toEqual({ generated: null, skipped: 'not_first_working_day' });
    // Tuesday 1 December: November, once.
    expect(await job(wib('2026-12-01T06:00:00'))).toEqual({ generated: '2026-11' });
    expect(await job(wib('2026-12-01T07:00:00'))).toEqual({ generated: null, skipped: 'kept' });
    expect((await db().select().from(monthlyReports)).map((r) => [r.month, r.generatedBy])).toEqual([['2026-11', null]]);

    // 1 January 2027 is a holiday (a Friday), the 2nd and 3rd a weekend: Monday the 4th is the day.
    await db().insert(holidays).values({ day: '2027-01-01', name: 'Tahun Baru' });
    expect(await job(wib('2027-01-01T08:00:00'))).toMatchObject({ skipped: 'not_first_working_day' });
    expect(await job(wib('2027-01-02T08:00:00'))).toMatchObject({ skipped: 'not_first_working_day' });
    expect(await job(wib('2027-01-04T08:00:00'))).toEqual({ generated: '2026-12' });
    // 3 August 2026, a Monday after a weekend 1st: July has nothing, so nothing is kept.
    expect(await job(wib('2026-08-03T08:00:00'))).toEqual({ generated: null, skipped: 'empty' });
    expect((await db().select({ month: monthlyReports.month }).from(monthlyReports)).map((r) => r.month).sort()).toEqual(['2026-11', '2026-12']);
  });

  it('generates once when two processes run it at the same moment', async () => {
    await db().delete(monthlyReports);
    const now = wib('2026-12-01T06:00:00');
    const results = await Promise.all([generateDueMonthlyReport(db(), { ...opts(), now }), generateDueMonthlyReport(db(), { ...opts(), now })]);
    expect(results.filter((r) => r.generated === '2026-11')).toHaveLength(1);
    expect(await db().select({ month: monthlyReports.month }).from(monthlyReports)).toEqual([{ month: '2026-11' }]);
  });
});
