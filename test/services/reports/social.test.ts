import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, complaintEvents, complaints, fieldTasks, fieldVisits, referrals, staffUsers } from '../../../src/db/schema/index.ts';
import { csvOf } from '../../../src/domain/csv.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { socialSheet } from '../../../src/services/reports/social-csv.ts';
import { parseMonth, socialFigures } from '../../../src/services/reports/social.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { kelurahanIn, twoKecamatan } from '../staff/fixtures.ts';

// The social-service figures (issue 19 part 6) on a small hand-made set in WIB: PPKS reports in February and
// March 2027, referrals to two agencies, field tasks of two workers, and the same kinds of rows in Nongsa that
// a Sagulung supervisor must not count.

let database: TestDatabase;
let sagulung: number;
let nongsa: number;
const db = () => database.db;
const NOW = wib('2027-03-10T12:00:00'); // today is 10 March 2027
const opts = { month: '2027-03', now: NOW, timeZone: 'Asia/Jakarta' };
let ani: number;
let budi: number;

let n = 0;
async function ppks(row: {
  kecamatanId: number | null;
  createdAt: Date;
  status?: (typeof complaints.$inferInsert)['status'];
  urgent?: boolean;
  closeReason?: 'duplicate' | 'spam';
  verifiedAt?: Date;
  category?: (typeof complaints.$inferInsert)['category'];
}): Promise<number> {
  const [c] = await db()
    .insert(complaints)
    .values({
      trackingId: `PPKS-SOC-${++n}`,
      category: row.category ?? 'ppks',
      status: row.status ?? 'received',
      urgent: row.urgent ?? false,
      closeReason: row.closeReason ?? null,
      closedAt: row.status === 'closed' ? row.createdAt : null,
      kecamatanId: row.kecamatanId,
      summary: 'Nenek Rahasia di kolong jembatan',
      createdAt: row.createdAt,
    })
    .returning({ id: complaints.id });
  if (row.verifiedAt) await db().insert(complaintEvents).values({ complaintId: c!.id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: row.verifiedAt });
  return c!.id;
}

async function worker(name: string): Promise<number> {
  const [w] = await db()
    .insert(staffUsers)
    .values({ email: `${name.toLowerCase().replace(/\W/g, '')}-${++n}@pintu.test`, name, passwordHash: 'not-a-hash', role: 'field_officer' })
    .returning({ id: staffUsers.id });
  return w!.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ sagulung, nongsa } = await twoKecamatan(db()));
  const { Tembesi } = await kelurahanIn(db(), sagulung, ['Tembesi']);
  const { Batu } = await kelurahanIn(db(), nongsa, ['Batu']);

  // PPKS in February, Sagulung: urgent and closed with an answer (reached, served); still received; in
  // progress (reached); closed as a duplicate (left out).
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-02-03T09:00:00'), urgent: true, status: 'closed' });
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-02-10T09:00:00') });
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-02-28T23:30:00'), status: 'in_progress' });
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-02-12T09:00:00'), status: 'closed', closeReason: 'duplicate' });
  // March, Sagulung: 06:00 WIB on 1 March is still February in UTC; verified (an event) though back to
  // received now; urgent, verified and served by a referral marked done; closed as spam (left out); a
  // complaint that is not PPKS (left out).
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-03-01T06:00:00'), verifiedAt: wib('2027-03-01T08:00:00') });
  const referred = await ppks({ kecamatanId: sagulung, createdAt: wib('2027-03-05T09:00:00'), urgent: true, status: 'verified' });
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-03-06T09:00:00'), status: 'closed', closeReason: 'spam' });
  await ppks({ kecamatanId: sagulung, createdAt: wib('2027-03-06T10:00:00'), category: 'service', status: 'closed' });
  // Nongsa, March: closed with an answer; only city-wide staff count it.
  await ppks({ kecamatanId: nongsa, createdAt: wib('2027-03-02T09:00:00'), status: 'closed' });

  const [panti, puskesmas] = await db()
    .insert(agencies)
    .values([
      { name: 'Panti Werdha Kasih', kind: 'lks' },
      { name: 'Puskesmas Sagulung', kind: 'health' },
    ])
    .returning({ id: agencies.id });
  const ref = (r: { agencyId: number; kecamatanId: number | null; status: 'sent' | 'accepted' | 'done' | 'refused'; dueOn: string; createdAt?: Date; sourceId?: number }) => ({
    sourceKind: 'complaint' as const,
    sourceId: r.sourceId ?? 999_999,
    agencyId: r.agencyId,
    kecamatanId: r.kecamatanId,
    status: r.status,
    dueOn: r.dueOn,
    createdAt: r.createdAt ?? wib('2027-03-03T09:00:00'),
  });
  await db()
    .insert(referrals)
    .values([
      ref({ agencyId: panti!.id, kecamatanId: sagulung, status: 'done', dueOn: '2027-03-08', sourceId: referred }),
      ref({ agencyId: panti!.id, kecamatanId: sagulung, status: 'sent', dueOn: '2027-03-09' }), // overdue
      ref({ agencyId: panti!.id, kecamatanId: sagulung, status: 'accepted', dueOn: '2027-03-20' }),
      ref({ agencyId: puskesmas!.id, kecamatanId: sagulung, status: 'refused', dueOn: '2027-03-01' }), // refused: not overdue
      ref({ agencyId: puskesmas!.id, kecamatanId: sagulung, status: 'sent', dueOn: '2027-03-10' }), // due today: not overdue yet
      ref({ agencyId: puskesmas!.id, kecamatanId: nongsa, status: 'accepted', dueOn: '2027-03-02' }), // overdue, Nongsa
      ref({ agencyId: puskesmas!.id, kecamatanId: null, status: 'sent', dueOn: '2027-03-30' }), // city-wide case
      ref({ agencyId: panti!.id, kecamatanId: sagulung, status: 'sent', dueOn: '2027-02-25', createdAt: wib('2027-02-20T09:00:00') }), // February
    ]);

  ani = await worker('Ani Lestari');
  budi = await worker('Budi Santoso');
  const citra = await worker('Citra Dewi');
  let source = 0;
  const task = async (t: { assigneeId: number | null; kec: 'sagulung' | 'nongsa'; status: 'open' | 'visited' | 'done' | 'cancelled'; dueOn: string; updatedAt?: Date }) => {
    const [row] = await db()
      .insert(fieldTasks)
      .values({
        kind: 'finding',
        sourceId: ++source,
        kecamatanId: t.kec === 'sagulung' ? sagulung : nongsa,
        kelurahanId: t.kec === 'sagulung' ? Tembesi! : Batu!,
        assigneeId: t.assigneeId,
        status: t.status,
        dueOn: t.dueOn,
        updatedAt: t.updatedAt ?? wib('2027-03-02T09:00:00'),
      })
      .returning({ id: fieldTasks.id });
    return row!.id;
  };
  const visit = (taskId: number, staffId: number, visitedAt: Date) =>
    db().insert(fieldVisits).values({ taskId, staffId, clientKey: `soc-${taskId}-${staffId}-${visitedAt.getTime()}`, outcome: 'found', visitedAt });
  const t1 = await task({ assigneeId: ani, kec: 'sagulung', status: 'done', dueOn: '2027-03-06', updatedAt: wib('2027-03-05T10:00:00') });
  const t2 = await task({ assigneeId: ani, kec: 'sagulung', status: 'done', dueOn: '2027-02-26', updatedAt: wib('2027-02-25T10:00:00') }); // February
  await task({ assigneeId: ani, kec: 'sagulung', status: 'open', dueOn: '2027-03-05' }); // overdue
  // Done at 03:00 WIB on 1 March: still 28 February in UTC, March in the office.
  const t4 = await task({ assigneeId: budi, kec: 'sagulung', status: 'done', dueOn: '2027-03-04', updatedAt: wib('2027-03-01T03:00:00') });
  await task({ assigneeId: budi, kec: 'sagulung', status: 'open', dueOn: '2027-03-12' }); // not due yet
  const t6 = await task({ assigneeId: budi, kec: 'sagulung', status: 'visited', dueOn: '2027-03-01' }); // visited: waits for review, not overdue
  await task({ assigneeId: null, kec: 'sagulung', status: 'open', dueOn: '2027-03-09' }); // unassigned, overdue
  const t8 = await task({ assigneeId: budi, kec: 'nongsa', status: 'open', dueOn: '2027-03-01' }); // overdue, Nongsa
  await task({ assigneeId: null, kec: 'nongsa', status: 'open', dueOn: '2027-02-01' }); // unassigned, overdue, Nongsa
  await task({ assigneeId: citra, kec: 'sagulung', status: 'done', dueOn: '2027-02-10', updatedAt: wib('2027-02-09T10:00:00') }); // February only
  await task({ assigneeId: citra, kec: 'sagulung', status: 'cancelled', dueOn: '2027-03-01' }); // cancelled: not overdue
  await visit(t1, ani, wib('2027-03-04T10:00:00'));
  await visit(t2, ani, wib('2027-02-24T10:00:00')); // February
  await visit(t4, budi, wib('2027-03-01T02:00:00'));
  await visit(t6, budi, wib('2027-03-08T10:00:00'));
  await visit(t8, budi, wib('2027-03-09T10:00:00')); // Nongsa
}, 60_000);
afterAll(async () => {
  await database?.dispose();
});

describe('the month asked for', () => {
  it('defaults to this month and refuses what is not a past or current month', () => {
    expect(parseMonth(undefined, '2027-03-10')).toEqual({ ok: true, month: '2027-03' });
    expect(parseMonth(' ', '2027-03-10')).toEqual({ ok: true, month: '2027-03' });
    expect(parseMonth('2026-12', '2027-03-10')).toEqual({ ok: true, month: '2026-12' });
    expect(parseMonth('2027-03', '2027-03-10')).toEqual({ ok: true, month: '2027-03' });
    for (const bad of ['2027-13', '2027-3', '2027-00', 'maret', '1999-12', '2027-03-01', "2027-03'"]) expect(parseMonth(bad, '2027-03-10')).toEqual({ ok: false, problem: 'format' });
    expect(parseMonth('2027-04', '2027-03-10')).toEqual({ ok: false, problem: 'future' });
  });
});

describe('social-service figures', () => {
  it('counts a Sagulung supervisor’s PPKS reported, reached and served per month of filing, without duplicates and spam', async () => {
    const spv = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const f = await socialFigures(db(), spv, opts);
    expect(f).toMatchObject({ month: '2027-03', from: '2027-03-01', to: '2027-03-31', today: '2027-03-10' });
    expect(f.ppks.map((m) => m.month)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(f.ppks.slice(0, 10).every((m) => m.reported === 0 && m.reached === 0 && m.served === 0)).toBe(true);
    expect(f.ppks[10]).toEqual({ month: '2027-02', reported: 3, reportedUrgent: 1, reached: 2, served: 1 });
    expect(f.ppks[11]).toEqual({ month: '2027-03', reported: 2, reportedUrgent: 1, reached: 2, served: 1 });
    expect(JSON.stringify(f)).not.toContain('Rahasia');
  });

  it('counts referrals per agency by status, with the overdue ones, created in the month and the kecamatan', async () => {
    const spv = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const f = await socialFigures(db(), spv, opts);
    expect(f.referrals).toEqual([
      { agencyId: expect.any(Number), name: 'Panti Werdha Kasih', kind: 'lks', counts: { sent: 1, accepted: 1, done: 1, refused: 0 }, total: 3, overdue: 1 },
      { agencyId: expect.any(Number), name: 'Puskesmas Sagulung', kind: 'health', counts: { sent: 1, accepted: 0, done: 0, refused: 1 }, total: 2, overdue: 0 },
    ]);
    const feb = await socialFigures(db(), spv, { ...opts, month: '2027-02' });
    expect(feb.referrals).toEqual([{ agencyId: expect.any(Number), name: 'Panti Werdha Kasih', kind: 'lks', counts: { sent: 1, accepted: 0, done: 0, refused: 0 }, total: 1, overdue: 1 }]);
  });

  it('counts each worker’s tasks done and visits in the month and their tasks overdue today, and the unassigned ones', async () => {
    const spv = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const f = await socialFigures(db(), spv, opts);
    expect(f.field).toEqual({
      workers: [
        { staffId: ani, name: 'Ani Lestari', tasksDone: 1, visits: 1, overdue: 1 },
        { staffId: budi, name: 'Budi Santoso', tasksDone: 1, visits: 2, overdue: 0 },
      ],
      unassignedOverdue: 1,
    });
    // February: Ani's and Citra's done tasks and Ani's visit; overdue is always as of today.
    const feb = await socialFigures(db(), spv, { ...opts, month: '2027-02' });
    expect(feb.field.workers.map((w) => [w.name, w.tasksDone, w.visits, w.overdue])).toEqual([
      ['Ani Lestari', 1, 1, 1],
      ['Citra Dewi', 1, 0, 0],
    ]);
    expect(feb.field.unassignedOverdue).toBe(1);
  });

  it('counts the whole city for city-wide staff', async () => {
    const admin = await staff(db(), 'admin');
    const f = await socialFigures(db(), admin, opts);
    expect(f.ppks[11]).toEqual({ month: '2027-03', reported: 3, reportedUrgent: 1, reached: 3, served: 2 });
    expect(f.ppks[10]).toEqual({ month: '2027-02', reported: 3, reportedUrgent: 1, reached: 2, served: 1 });
    expect(f.referrals.map((a) => [a.name, a.counts.sent, a.counts.accepted, a.counts.done, a.counts.refused, a.total, a.overdue])).toEqual([
      ['Puskesmas Sagulung', 2, 1, 0, 1, 4, 1],
      ['Panti Werdha Kasih', 1, 1, 1, 0, 3, 1],
    ]);
    expect(f.field).toEqual({
      workers: [
        { staffId: ani, name: 'Ani Lestari', tasksDone: 1, visits: 1, overdue: 1 },
        { staffId: budi, name: 'Budi Santoso', tasksDone: 1, visits: 3, overdue: 1 },
      ],
      unassignedOverdue: 2,
    });
  });

  it('shows a Nongsa supervisor none of Sagulung', async () => {
    const spv = await staff(db(), 'supervisor', { kecamatanId: nongsa });
    const f = await socialFigures(db(), spv, opts);
    expect(f.ppks[11]).toEqual({ month: '2027-03', reported: 1, reportedUrgent: 0, reached: 1, served: 1 });
    expect(f.ppks[10]!.reported).toBe(0);
    expect(f.referrals.map((a) => [a.name, a.total, a.overdue])).toEqual([['Puskesmas Sagulung', 1, 1]]);
    expect(f.field).toEqual({ workers: [{ staffId: budi, name: 'Budi Santoso', tasksDone: 0, visits: 1, overdue: 1 }], unassignedOverdue: 1 });
  });

  it('refuses staff without reports.read', async () => {
    for (const role of ['viewer', 'operator', 'field_officer'] as const) {
      const actor: Actor = await staff(db(), role);
      await expect(socialFigures(db(), actor, opts)).rejects.toMatchObject({ name: 'Forbidden', permission: 'reports.read' });
    }
  });

  it('gives each chart’s figures as a sheet with stable Indonesian column codes', async () => {
    const spv = await staff(db(), 'supervisor', { kecamatanId: sagulung });
    const f = await socialFigures(db(), spv, opts);
    const ppksSheet = socialSheet('ppks', f, 'Belum ditugaskan');
    expect(ppksSheet.header).toEqual(['bulan', 'dilaporkan', 'dilaporkan_darurat', 'dijangkau', 'dilayani']);
    expect(ppksSheet.rows).toHaveLength(12);
    expect(ppksSheet.rows.at(-1)).toEqual(['2027-03', 2, 1, 2, 1]);
    expect(socialSheet('referrals', f, 'x').rows).toEqual([
      ['2027-03', 'Panti Werdha Kasih', 'lks', 1, 1, 1, 0, 3, 1],
      ['2027-03', 'Puskesmas Sagulung', 'health', 1, 0, 0, 1, 2, 0],
    ]);
    const field = socialSheet('field', f, 'Belum ditugaskan');
    expect(field.header).toEqual(['bulan', 'petugas', 'tugas_selesai', 'kunjungan', 'tugas_lewat_tenggat']);
    expect(csvOf(field)).toBe('\uFEFFbulan,petugas,tugas_selesai,kunjungan,tugas_lewat_tenggat\r\n2027-03,Ani Lestari,1,1,1\r\n2027-03,Budi Santoso,1,2,0\r\n2027-03,Belum ditugaskan,,,1\r\n');
  });
});
