import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, complaints, fieldTasks, fieldVisits, referrals } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { wib } from '../../../services/complaints/lifecycle.fixtures.ts';
import { kelurahanIn, twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';

// The social-service indicators page (issue 19 part 6) through the real app over HTTP: who may open it, that
// it draws the numbers of the chosen month in the reader's scope, the CSV of each chart, and bad months.

const NOW = wib('2027-03-10T12:00:00');
const csvLines = async (res: Response) => (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');

describe('console social-service indicators', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    const db = database.db;
    const { sagulung, nongsa } = await twoKecamatan(db);
    const { Tembesi } = await kelurahanIn(db, sagulung, ['Tembesi']);
    await createStaffUser(db, 'system', { email: 'spv.sagulung@pintu.test', name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'viewer@pintu.test', name: 'Pemantau', role: 'viewer', password: PASSWORD });
    const { id: worker } = await createStaffUser(db, 'system', { email: 'tksk@pintu.test', name: 'Ani Lestari', role: 'field_officer', password: PASSWORD });

    // March in Sagulung: an urgent report closed with an answer, one still received, one spam; February: one
    // verified. Nongsa: one report, which a Sagulung supervisor must not count.
    const rows = [
      { kecamatanId: sagulung, createdAt: wib('2027-03-02T09:00:00'), urgent: true, status: 'closed' as const, closedAt: wib('2027-03-03T09:00:00') },
      { kecamatanId: sagulung, createdAt: wib('2027-03-04T09:00:00'), status: 'received' as const },
      { kecamatanId: sagulung, createdAt: wib('2027-03-04T10:00:00'), status: 'closed' as const, closeReason: 'spam' as const },
      { kecamatanId: sagulung, createdAt: wib('2027-02-14T09:00:00'), status: 'verified' as const },
      { kecamatanId: nongsa, createdAt: wib('2027-03-05T09:00:00'), status: 'received' as const },
    ];
    let i = 0;
    for (const r of rows) await db.insert(complaints).values({ trackingId: `PPKS-WEB-${++i}`, category: 'ppks', summary: 'Nama Warga Rahasia', ...r });

    const [panti, dinkes] = await db
      .insert(agencies)
      .values([
        { name: 'Panti Werdha Kasih', kind: 'lks' },
        { name: 'Rumah Singgah Nongsa', kind: 'lks' },
      ])
      .returning({ id: agencies.id });
    // Cases that are no PPKS report of these (a report referred and done would count as served).
    await db.insert(referrals).values([
      { sourceKind: 'complaint', sourceId: 9001, agencyId: panti!.id, kecamatanId: sagulung, status: 'accepted', dueOn: '2027-03-08', createdAt: wib('2027-03-03T09:00:00') },
      { sourceKind: 'complaint', sourceId: 9002, agencyId: panti!.id, kecamatanId: sagulung, status: 'done', dueOn: '2027-03-20', createdAt: wib('2027-03-05T09:00:00') },
      { sourceKind: 'complaint', sourceId: 9003, agencyId: dinkes!.id, kecamatanId: nongsa, status: 'sent', dueOn: '2027-03-20', createdAt: wib('2027-03-05T09:00:00') },
    ]);

    const [done, late] = await db
      .insert(fieldTasks)
      .values([
        { kind: 'finding', sourceId: 1, kecamatanId: sagulung, kelurahanId: Tembesi!, assigneeId: worker, status: 'done', dueOn: '2027-03-09', updatedAt: wib('2027-03-06T09:00:00') },
        { kind: 'finding', sourceId: 2, kecamatanId: sagulung, kelurahanId: Tembesi!, assigneeId: worker, status: 'open', dueOn: '2027-03-01' },
        { kind: 'finding', sourceId: 3, kecamatanId: sagulung, kelurahanId: Tembesi!, assigneeId: null, status: 'open', dueOn: '2027-03-02' },
      ])
      .returning({ id: fieldTasks.id });
    await db.insert(fieldVisits).values([
      { taskId: done!.id, staffId: worker, clientKey: 'web-social-1', outcome: 'found', visitedAt: wib('2027-03-05T09:00:00') },
      { taskId: late!.id, staffId: worker, clientKey: 'web-social-2', outcome: 'not_found', visitedAt: wib('2027-03-06T09:00:00') },
    ]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('draws a supervisor’s figures of this month in their kecamatan, with charts, captioned tables and CSV links', async () => {
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const res = await b.fetch('/console/reports/social');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>Indikator layanan sosial</h1>');
    expect(page).toMatch(/<input id="s-month" name="month" type="month" value="2027-03" max="2027-03"/);
    for (const id of ['chart-ppks', 'chart-referrals', 'chart-field']) expect(page).toContain(`<title id="${id}-title">`);
    // The definitions, one plain line each.
    expect(page).toContain('Laporan ganda dan spam tidak dihitung di ketiga angka.');
    expect(page).toContain('Lewat tenggat: rujukan yang masih dikirim atau diterima, dengan tenggat sebelum hari ini.');
    // PPKS: February (verified) and March (two reports, one urgent, one reached and served); spam and Nongsa left out.
    expect(page).toContain('<caption>Laporan PPKS per bulan pelaporan, Apr 2026 s.d. Mar 2027</caption>');
    expect(page).toMatch(/<th scope="row">Feb 2027<\/th><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td>/);
    expect(page).toMatch(/<th scope="row">Mar 2027<\/th><td>2<\/td><td>1<\/td><td>1<\/td><td>1<\/td>/);
    // Referrals: Panti's accepted one is overdue (due 8 March), the done one is not; Nongsa's agency is not shown.
    expect(page).toMatch(/<th scope="row">Panti Werdha Kasih<\/th><td>Lembaga Kesejahteraan Sosial \(LKS\)<\/td><td>0<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/);
    // Field: Ani did one task and two visits, one task overdue; one overdue task nobody holds.
    expect(page).toMatch(/<th scope="row">Ani Lestari<\/th><td>1<\/td><td>2<\/td><td>1<\/td>/);
    expect(page).toMatch(/<th scope="row">Belum ditugaskan<\/th><td>–<\/td><td>–<\/td><td>1<\/td>/);
    for (const chart of ['ppks', 'referrals', 'field']) expect(page).toContain(`href="/console/reports/social/${chart}.csv?month=2027-03"`);
    expect(page).not.toContain('Nongsa');
    expect(page).not.toContain('Rahasia');
    expect(page).not.toMatch(/<script(?! src="\/console\/assets\/)/);

    // The dashboard leads here.
    expect(await (await b.fetch('/console/dashboard')).text()).toContain('<a href="/console/reports/social">');
  });

  it('shows an earlier month, in English on request', async () => {
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const page = await (await b.fetch('/console/reports/social?month=2027-02&lang=en')).text();
    expect(page).toContain('<h1>Social service indicators</h1>');
    expect(page).toMatch(/value="2027-02"/);
    expect(page).toContain('No referral was made this month yet.');
    expect(page).toMatch(/<th scope="row">Feb 2027<\/th><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td>/);
    // Overdue counts as of today whichever month is shown.
    expect(page).toMatch(/<th scope="row">Ani Lestari<\/th><td>0<\/td><td>0<\/td><td>1<\/td>/);
  });

  it('gives each chart as CSV with stable column codes, in scope', async () => {
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const ppks = await b.fetch('/console/reports/social/ppks.csv?month=2027-03');
    expect(ppks.status).toBe(200);
    expect(ppks.headers.get('content-type')).toContain('text/csv');
    expect(ppks.headers.get('content-disposition')).toBe('attachment; filename="sosial-ppks-2027-03.csv"');
    const lines = await csvLines(ppks);
    expect(lines[0]).toBe('bulan,dilaporkan,dilaporkan_darurat,dijangkau,dilayani');
    expect(lines).toHaveLength(13);
    expect(lines.slice(-2)).toEqual(['2027-02,1,0,1,0', '2027-03,2,1,1,1']);
    expect(await csvLines(await b.fetch('/console/reports/social/referrals.csv?month=2027-03'))).toEqual([
      'bulan,lembaga,jenis,dikirim,diterima,selesai,ditolak,jumlah,lewat_tenggat',
      '2027-03,Panti Werdha Kasih,lks,0,1,1,0,2,1',
    ]);
    expect(await csvLines(await b.fetch('/console/reports/social/field.csv'))).toEqual([
      'bulan,petugas,tugas_selesai,kunjungan,tugas_lewat_tenggat',
      '2027-03,Ani Lestari,1,2,1',
      '2027-03,Belum ditugaskan,,,1',
    ]);
    expect((await b.fetch('/console/reports/social/other.csv')).status).toBe(404);
  });

  it('answers a bad month with a clear 400, on the page and the CSV', async () => {
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    for (const bad of ['2027-13', 'maret', "2027-03'--", '1999-12']) {
      const res = await b.fetch(`/console/reports/social?month=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain('Bulan tidak dikenali. Mohon tulis bulan dengan format TTTT-BB, misalnya 2027-03.');
      expect(page).toContain('<a href="/console/reports/social">');
    }
    const future = await b.fetch('/console/reports/social?month=2027-04');
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('Bulan itu belum berjalan.');
    const csv = await b.fetch('/console/reports/social/field.csv?month=2027-4&lang=en');
    expect(csv.status).toBe(400);
    expect(await csv.text()).toBe('Month not recognised. Please write the month as YYYY-MM, for example 2027-03.');
  });

  it('refuses a viewer without reports.read, and sends strangers to the login page', async () => {
    const { b } = await signedIn(base, 'viewer@pintu.test');
    const res = await b.fetch('/console/reports/social');
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('Mohon maaf, peran Anda tidak dapat membuka indikator layanan sosial.');
    expect(page).not.toContain('<svg');
    expect(page).not.toContain('Panti');
    expect((await b.fetch('/console/reports/social/ppks.csv?month=2027-03')).status).toBe(403);
    // The viewer's dashboard does not lead to a page they cannot open.
    expect(await (await b.fetch('/console/dashboard')).text()).not.toContain('/console/reports/social');
    const stranger = await new Browser(base).fetch('/console/reports/social');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/console/login');
  });
});
