import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints, satisfaction } from '../../../src/db/schema/index.ts';
import { csvOf } from '../../../src/domain/csv.ts';
import { chartSheet } from '../../../src/services/reports/chart-csv.ts';
import { dashboard } from '../../../src/services/reports/dashboard.ts';
import { IKM_MONTHS, mondayOf, SLA_WEEKS, trends } from '../../../src/services/reports/trends.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { twoKecamatan } from '../staff/fixtures.ts';

// Issue 18's dashboard trends on a hand-made set of complaints with known times (WIB): status over time,
// SLA compliance per week, IKM per month (20 × the mean 1–5 rating), open complaints per officer, all within
// the reader's scope, and each chart's figures as a sheet.

let database: TestDatabase;
let sagulung: number;
let nongsa: number;
const db = () => database.db;
const NOW = wib('2027-03-10T12:00:00'); // Wednesday
let n = 0;

async function complaint(row: {
  kecamatanId: number;
  status: (typeof complaints.$inferInsert)['status'];
  createdAt: Date;
  verifiedAt?: Date;
  answeredAt?: Date;
  closedAt?: Date;
  csat?: number;
  assigneeId?: number;
}) {
  const [c] = await db()
    .insert(complaints)
    .values({
      trackingId: `ADU-TREND-${++n}`,
      category: 'not_received',
      status: row.status,
      kecamatanId: row.kecamatanId,
      summary: 'Rahasia warga',
      createdAt: row.createdAt,
      answeredAt: row.answeredAt ?? null,
      closedAt: row.closedAt ?? null,
      csat: row.csat ?? null,
      assigneeId: row.assigneeId ?? null,
    })
    .returning({ id: complaints.id });
  // The rating, as closing and answering leave it: in the one satisfaction store, dated when it was given.
  if (row.csat !== undefined) await db().insert(satisfaction).values({ service: 'complaint', complaintId: c!.id, kecamatanId: row.kecamatanId, score: row.csat, askedAt: row.closedAt!, answeredAt: row.closedAt! });
  if (row.verifiedAt) await db().insert(complaintEvents).values({ complaintId: c!.id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: row.verifiedAt });
}

let sagulungOfficer: number;
let nongsaOfficer: number;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ sagulung, nongsa } = await twoKecamatan(db()));
  sagulungOfficer = (await staff(db(), 'operator', { kecamatanId: sagulung })).id;
  nongsaOfficer = (await staff(db(), 'operator', { kecamatanId: nongsa })).id;
  // Week of Mon 1 March: verified and answered the same day (on time), closed and rated 5.
  await complaint({ kecamatanId: sagulung, status: 'closed', createdAt: wib('2027-03-04T09:00:00'), verifiedAt: wib('2027-03-04T10:00:00'), answeredAt: wib('2027-03-04T13:00:00'), closedAt: wib('2027-03-05T09:00:00'), csat: 5, assigneeId: sagulungOfficer });
  // Week of Mon 22 February: verified at once, answered on 10 March — far past 5 working days: late.
  await complaint({ kecamatanId: sagulung, status: 'answered', createdAt: wib('2027-02-22T09:00:00'), verifiedAt: wib('2027-02-22T10:00:00'), answeredAt: wib('2027-03-10T09:00:00'), assigneeId: sagulungOfficer });
  // Closed in February, rated 3 (IKM 60).
  await complaint({ kecamatanId: sagulung, status: 'closed', createdAt: wib('2027-02-01T09:00:00'), closedAt: wib('2027-02-10T09:00:00'), csat: 3, assigneeId: sagulungOfficer });
  // Open and held: two in Sagulung by one officer, one in Nongsa by another; one nobody holds.
  await complaint({ kecamatanId: sagulung, status: 'in_progress', createdAt: wib('2027-03-09T10:00:00'), assigneeId: sagulungOfficer });
  await complaint({ kecamatanId: sagulung, status: 'received', createdAt: wib('2027-03-10T08:00:00') });
  await complaint({ kecamatanId: nongsa, status: 'in_progress', createdAt: wib('2027-03-09T11:00:00'), assigneeId: nongsaOfficer });
  // Nongsa, closed in March and rated 1: only the city-wide IKM counts it.
  await complaint({ kecamatanId: nongsa, status: 'closed', createdAt: wib('2027-03-02T09:00:00'), closedAt: wib('2027-03-06T09:00:00'), csat: 1, assigneeId: nongsaOfficer });
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

describe('dashboard trends', () => {
  it('counts complaints per day by their status, within the supervisor’s kecamatan', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const tr = await trends(db(), supervisor, { days: 7, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(tr.bucket).toBe('day');
    expect(tr.statusOverTime.map((b) => b.from)).toEqual(['2027-03-04', '2027-03-05', '2027-03-06', '2027-03-07', '2027-03-08', '2027-03-09', '2027-03-10']);
    const byDay = Object.fromEntries(tr.statusOverTime.map((b) => [b.from, b]));
    expect(byDay['2027-03-04']).toMatchObject({ to: '2027-03-04', total: 1, counts: { closed: 1 } });
    expect(byDay['2027-03-09']).toMatchObject({ total: 1, counts: { in_progress: 1 } }); // Nongsa's of that day left out
    expect(byDay['2027-03-10']).toMatchObject({ total: 1, counts: { received: 1 } });
  });

  it('groups 90 days by Monday-to-Sunday weeks, clipped to the period', async () => {
    const admin = await staff(db(), 'admin');
    const tr = await trends(db(), admin, { days: 90, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(tr.bucket).toBe('week');
    const first = tr.statusOverTime[0]!;
    expect(first.from).toBe('2026-12-11'); // 90 days back from 10 March, a Friday
    expect(first.to).toBe('2026-12-13');
    expect(tr.statusOverTime.at(-1)).toMatchObject({ from: '2027-03-08', to: '2027-03-10' });
    expect(tr.statusOverTime.slice(1).every((b) => mondayOf(b.from) === b.from)).toBe(true);
    expect(tr.statusOverTime.reduce((a, b) => a + b.total, 0)).toBe(7);
  });

  it('gives the share answered on time per week, IKM per month as 20 × the mean rating', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const tr = await trends(db(), supervisor, { days: 30, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(tr.slaWeekly).toHaveLength(SLA_WEEKS);
    expect(tr.slaWeekly.at(-1)).toMatchObject({ from: '2027-03-08', to: '2027-03-14' });
    const week = (from: string) => tr.slaWeekly.find((w) => w.from === from)!;
    expect(week('2027-03-01')).toMatchObject({ answerDue: 1, answeredOnTime: 1, answerRate: 1 });
    expect(week('2027-02-22')).toMatchObject({ answerDue: 1, answeredOnTime: 0, answerRate: 0 });
    expect(week('2027-02-15')).toMatchObject({ answerDue: 0, answerRate: null });

    expect(tr.ikmMonthly.map((m) => m.month)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(tr.ikmMonthly).toHaveLength(IKM_MONTHS);
    const month = (m: string) => tr.ikmMonthly.find((x) => x.month === m)!;
    expect(month('2027-03')).toMatchObject({ from: '2027-03-01', to: '2027-03-31', ikm: { ikm: 100, count: 1 } });
    expect(month('2027-02').ikm).toMatchObject({ ikm: 60, count: 1, mutu: 'D' });
    expect(month('2027-01').ikm.ikm).toBeNull();

    // City-wide, March holds Nongsa's 1 as well: (5 + 1) / 2 × 20 = 60.
    const admin = await staff(db(), 'admin');
    const city = await trends(db(), admin, { days: 30, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(city.ikmMonthly.at(-1)!.ikm).toMatchObject({ ikm: 60, count: 2 });
  });

  it('counts each officer’s complaints not closed, in scope, and those nobody holds', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const tr = await trends(db(), supervisor, { days: 30, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(tr.workload.officers.map((o) => [o.staffId, o.open])).toEqual([[sagulungOfficer, 2]]);
    expect(tr.workload.unassigned).toBe(1);
    const admin = await staff(db(), 'admin');
    const city = await trends(db(), admin, { days: 30, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(city.workload.officers.map((o) => [o.staffId, o.open])).toEqual([
      [sagulungOfficer, 2],
      [nongsaOfficer, 1],
    ]);
  });

  it('gives nothing to a role without dashboard or report access', async () => {
    const field = await staff(db(), 'field_officer');
    const tr = await trends(db(), field, { days: 90, now: NOW, timeZone: 'Asia/Jakarta' });
    expect(tr.statusOverTime.reduce((a, b) => a + b.total, 0)).toBe(0);
    expect(tr.slaWeekly).toEqual([]);
    expect(tr.ikmMonthly).toEqual([]);
    expect(tr.workload).toEqual({ officers: [], unassigned: 0 });
  });

  it('writes each chart’s figures as a sheet, the same numbers as the chart', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const opts = { days: 7 as const, now: NOW, timeZone: 'Asia/Jakarta' };
    const [d, tr] = await Promise.all([dashboard(db(), supervisor, opts), trends(db(), supervisor, opts)]);
    const status = chartSheet('status', d, tr, 'belum ditugaskan');
    expect(status.header).toEqual(['dari', 'sampai', 'received', 'verified', 'in_progress', 'answered', 'closed', 'reopened', 'jumlah']);
    expect(status.rows[0]).toEqual(['2027-03-04', '2027-03-04', 0, 0, 0, 0, 1, 0, 1]);
    const workload = csvOf(chartSheet('workload', d, tr, 'belum ditugaskan'));
    expect(workload).toContain(`${sagulungOfficer},`);
    expect(workload).toContain(',belum ditugaskan,1');
    expect(workload).not.toContain('Rahasia');
    const ikm = chartSheet('ikm', d, tr, '-');
    expect(ikm.rows.at(-1)).toEqual(['2027-03', 100, 'A', 1, 0, 0, 0, 0, 1]);
    expect(chartSheet('kecamatan', d, tr, '-').rows).toEqual([[sagulung, 'Sagulung', 3]]);
  });
});
