import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints, satisfaction } from '../../../src/db/schema/index.ts';
import { dashboard, startOfDay } from '../../../src/services/reports/dashboard.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { twoKecamatan } from '../staff/fixtures.ts';

// The dashboard's figures on a small hand-made set of complaints with known times, in WIB.

let database: TestDatabase;
let sagulung: number;
let nongsa: number;
const db = () => database.db;
const NOW = wib('2027-03-10T12:00:00'); // Wednesday; the 7-day period is Thu 4 – Wed 10 March

let n = 0;
async function complaint(row: {
  kecamatanId: number | null;
  category: (typeof complaints.$inferInsert)['category'];
  status: (typeof complaints.$inferInsert)['status'];
  createdAt: Date;
  verifiedAt?: Date;
  firstOutAt?: Date;
  answeredAt?: Date;
  closedAt?: Date;
  csat?: number;
}) {
  const [c] = await db()
    .insert(complaints)
    .values({
      trackingId: `ADU-DASH-${++n}`,
      category: row.category,
      status: row.status,
      kecamatanId: row.kecamatanId,
      summary: 'Rahasia warga: jangan tampil di dasbor',
      createdAt: row.createdAt,
      answeredAt: row.answeredAt ?? null,
      closedAt: row.closedAt ?? null,
      csat: row.csat ?? null,
    })
    .returning({ id: complaints.id });
  const id = c!.id;
  // The rating, as closing and answering leave it: in the one satisfaction store, dated when it was given.
  if (row.csat !== undefined) await db().insert(satisfaction).values({ service: 'complaint', complaintId: id, kecamatanId: row.kecamatanId, score: row.csat, askedAt: row.closedAt!, answeredAt: row.closedAt! });
  if (row.verifiedAt) await db().insert(complaintEvents).values({ complaintId: id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: row.verifiedAt });
  if (row.firstOutAt) await db().insert(complaintEvents).values({ complaintId: id, kind: 'message_out', body: 'Jawaban', createdAt: row.firstOutAt });
  return id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ sagulung, nongsa } = await twoKecamatan(db()));
  // A: first answer 3 h after filing (the message beats answeredAt), rated 5.
  await complaint({ kecamatanId: sagulung, category: 'not_received', status: 'closed', createdAt: wib('2027-03-04T09:00:00'), verifiedAt: wib('2027-03-04T10:00:00'), firstOutAt: wib('2027-03-04T12:00:00'), answeredAt: wib('2027-03-04T13:00:00'), closedAt: wib('2027-03-05T09:00:00'), csat: 5 });
  // B: 06:00 WIB on 5 March is still 4 March in UTC; answered after 5 h, known only from answeredAt.
  await complaint({ kecamatanId: sagulung, category: 'usulan', status: 'answered', createdAt: wib('2027-03-05T06:00:00'), verifiedAt: wib('2027-03-05T08:00:00'), answeredAt: wib('2027-03-05T11:00:00') });
  // C: not verified, not due yet (due Thu 12 March).
  await complaint({ kecamatanId: sagulung, category: 'not_received', status: 'received', createdAt: wib('2027-03-09T10:00:00') });
  // D: before the 7-day period.
  await complaint({ kecamatanId: sagulung, category: 'wrong_data', status: 'received', createdAt: wib('2027-03-03T10:00:00') });
  // F: verified late (due Tue 10 March 10:00), answered 121.5 h after filing, rated 3.
  await complaint({ kecamatanId: sagulung, category: 'sanggahan', status: 'closed', createdAt: wib('2027-03-05T10:00:00'), verifiedAt: wib('2027-03-10T11:00:00'), firstOutAt: wib('2027-03-10T11:30:00'), answeredAt: wib('2027-03-10T11:30:00'), closedAt: wib('2027-03-10T11:45:00'), csat: 3 });
  // E: Nongsa, answered after 10 h, rated 1.
  await complaint({ kecamatanId: nongsa, category: 'service', status: 'closed', createdAt: wib('2027-03-06T10:00:00'), verifiedAt: wib('2027-03-06T11:00:00'), firstOutAt: wib('2027-03-06T20:00:00'), closedAt: wib('2027-03-08T09:00:00'), csat: 1 });
  // G: no kecamatan yet: only city-wide staff see it, and it is in no kecamatan's bar.
  await complaint({ kecamatanId: null, category: 'other', status: 'received', createdAt: wib('2027-03-10T08:00:00') });
}, 60_000);
afterAll(async () => {
  await database?.dispose();
});

describe('dashboard figures', () => {
  it('starts days at midnight in the office time zone', () => {
    expect(startOfDay('2027-03-04', 'Asia/Jakarta').toISOString()).toBe('2027-03-03T17:00:00.000Z');
    expect(startOfDay('2027-03-04', 'UTC').toISOString()).toBe('2027-03-04T00:00:00.000Z');
  });

  it('counts a Sagulung supervisor’s complaints per WIB day and category, by status, SLA, first answer, IKM and kecamatan', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const d = await dashboard(db(), supervisor, { days: 7, now: NOW });
    expect(d.fromDay).toBe('2027-03-04');
    expect(d.toDay).toBe('2027-03-10');
    expect(d.perDay.map((p) => p.day)).toEqual(['2027-03-04', '2027-03-05', '2027-03-06', '2027-03-07', '2027-03-08', '2027-03-09', '2027-03-10']);
    expect(d.perDay.map((p) => p.total)).toEqual([1, 2, 0, 0, 0, 1, 0]);
    expect(d.perDay[0]!.counts).toMatchObject({ not_received: 1, usulan: 0 });
    expect(d.perDay[1]!.counts).toMatchObject({ usulan: 1, sanggahan: 1, not_received: 0 });
    expect(d.total).toBe(4);
    expect(d.byStatus).toEqual({ received: 1, verified: 0, in_progress: 0, answered: 1, closed: 2, reopened: 0 });
    expect(d.sla).toEqual({ verifyDue: 3, verifiedOnTime: 2, verifyRate: 0.6667, answerDue: 3, answeredOnTime: 3, answerRate: 1 });
    expect(d.firstAnswer).toEqual({ medianHours: 5, count: 3 });
    expect(d.ikm).toEqual({ ikm: 80, mutu: 'B', count: 2, distribution: [0, 0, 1, 0, 1] });
    expect(d.busiestKecamatan).toEqual([{ id: sagulung, name: 'Sagulung', count: 4 }]);
    expect(JSON.stringify(d)).not.toContain('Rahasia');
  });

  it('gives a Sagulung operator the same Sagulung-only figures (their whole scope, not only their queue)', async () => {
    const supervisor = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const operator = await staff(db(), 'operator', { kecamatanId: sagulung });
    const a = await dashboard(db(), operator, { days: 7, now: NOW });
    const b = await dashboard(db(), supervisor, { days: 7, now: NOW });
    expect(a).toEqual(b);
    expect(a.busiestKecamatan.map((k) => k.name)).not.toContain('Nongsa');
  });

  it('counts the whole city for city-wide staff, and a longer period reaches further back', async () => {
    const viewer = await staff(db(), 'viewer');
    const d = await dashboard(db(), viewer, { days: 7, now: NOW });
    expect(d.total).toBe(6);
    expect(d.perDay.map((p) => p.total)).toEqual([1, 2, 1, 0, 0, 1, 1]);
    expect(d.busiestKecamatan).toEqual([
      { id: sagulung, name: 'Sagulung', count: 4 },
      { id: nongsa, name: 'Nongsa', count: 1 },
    ]);
    expect(d.firstAnswer).toEqual({ medianHours: 7.5, count: 4 });
    expect(d.ikm).toMatchObject({ ikm: 60, mutu: 'D', count: 3 });

    const month = await dashboard(db(), await staff(db(), 'supervisor', { kecamatanId: sagulung }), { days: 30, now: NOW });
    expect(month.perDay).toHaveLength(30);
    expect(month.total).toBe(5);
    expect(month.byStatus.received).toBe(2);
  });

  it('gives nothing to a role without the dashboard', async () => {
    const d = await dashboard(db(), await staff(db(), 'field_officer'), { days: 90, now: NOW });
    expect(d.total).toBe(0);
    expect(d.busiestKecamatan).toEqual([]);
    expect(d.firstAnswer).toEqual({ medianHours: null, count: 0 });
    expect(d.ikm.count).toBe(0);
    expect(d.sla.verifyDue).toBe(0);
  });
});
