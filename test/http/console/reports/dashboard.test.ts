import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { complaintEvents, complaints, satisfaction, sites, staffUsers } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';

// The dashboard page through the real app over HTTP: who may open it, and that it draws the numbers.

describe('console dashboard', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    const { sagulung, nongsa } = await twoKecamatan(db);
    await createStaffUser(db, 'system', { email: 'spv.sagulung@pintu.test', name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'viewer@pintu.test', name: 'Pemantau', role: 'viewer', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'field@pintu.test', name: 'Petugas Lapangan', role: 'field_officer', password: PASSWORD });
    const hour = 3_600_000;
    const now = Date.now();
    const rows = [
      { kecamatanId: sagulung, category: 'not_received' as const, status: 'answered' as const, answeredAt: new Date(now - 2 * hour) },
      { kecamatanId: sagulung, category: 'not_received' as const, status: 'received' as const },
      { kecamatanId: sagulung, category: 'usulan' as const, status: 'received' as const },
      { kecamatanId: nongsa, category: 'service' as const, status: 'closed' as const, closedAt: new Date(now - hour), csat: 5 },
    ];
    let i = 0;
    for (const r of rows) {
      const [c] = await db
        .insert(complaints)
        .values({ trackingId: `ADU-WEB-${++i}`, summary: 'Nama Warga Rahasia', createdAt: new Date(now - 6 * hour), ...r })
        .returning({ id: complaints.id });
      // A rating lives in the one satisfaction store (issue 20); the complaint keeps a copy for its page.
      if (r.csat) await db.insert(satisfaction).values({ service: 'complaint', complaintId: c!.id, kecamatanId: r.kecamatanId, score: r.csat, askedAt: r.closedAt, answeredAt: r.closedAt });
      if (r.answeredAt) await db.insert(complaintEvents).values({ complaintId: c!.id, kind: 'message_out', body: 'Jawaban', createdAt: new Date(now - 3 * hour) });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('draws the figures of a supervisor’s kecamatan as inline SVG with tables, in Bahasa Indonesia', async () => {
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const res = await b.fetch('/console/dashboard?days=7');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('Dasbor pengaduan');
    expect(page).toContain('href="/console/dashboard"');
    // Linked charts are labelled groups: links inside role="img" would be hidden from screen readers.
    expect(page).toMatch(/<svg[^>]*role="group"[^>]*aria-labelledby="chart-per-day-title"/);
    expect(page).toContain('<title id="chart-per-day-title">');
    expect(page).toContain('<title id="chart-kecamatan-title">');
    expect(page).toContain('Pengaduan masuk: 3');
    expect(page).toMatch(/<td data-status="received"><a href="\/console\/complaints\?queue=all&amp;status=received&amp;from=\d{4}-\d\d-\d\d&amp;to=\d{4}-\d\d-\d\d">2<\/a><\/td>/);
    expect(page).toMatch(/<td data-status="answered"><a href="[^"]+">1<\/a><\/td>/);
    expect(page).toMatch(/<td data-status="closed">0<\/td>/);
    expect(page).toContain('3 jam (dari 1 pengaduan yang sudah dijawab)'); // first message 3 h after filing
    expect(page).toContain('Target Kota Batam: dari 91 menjadi 93,5');
    expect(page).toContain('Sagulung');
    expect(page).not.toContain('Nongsa'); // another kecamatan's complaints are not counted or named
    expect(page).not.toContain('Rahasia');
    expect(page).not.toMatch(/<script(?! src="\/console\/assets\/)/); // only the console's own files
    expect(page).toMatch(/<option value="7" selected/);
  });

  it('opens for a city-wide viewer, in English on request, with every kecamatan', async () => {
    const { b } = await signedIn(base, 'viewer@pintu.test');
    const res = await b.fetch('/console/dashboard?days=90&lang=en');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Complaints dashboard');
    expect(page).toContain('Complaints filed: 4');
    expect(page).toContain('Nongsa');
    expect(page).toContain('100 (grade A) from 1 ratings');
    expect(page).toMatch(/<option value="90" selected/);
  });

  it('falls back to 30 days on a strange period', async () => {
    const { b } = await signedIn(base, 'viewer@pintu.test');
    const page = await (await b.fetch("/console/dashboard?days=1000'")).text();
    expect(page).toMatch(/<option value="30" selected/);
  });

  it('refuses a field officer and sends strangers to the login page', async () => {
    const { b } = await signedIn(base, 'field@pintu.test');
    const res = await b.fetch('/console/dashboard');
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).not.toContain('<svg');
    expect(page).not.toContain('Sagulung');
    const stranger = await new Browser(base).fetch('/console/dashboard');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/console/login');
    expect((await b.fetch('/console/dashboard/export.csv?chart=status')).status).toBe(403);
  });

  it('draws the trends with links to the filtered inbox and a CSV per chart, in scope', async () => {
    const db = database.db;
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const [spv] = await db.select().from(staffUsers).where(eq(staffUsers.email, 'spv.sagulung@pintu.test'));
    // Ten days ago (outside the 7-day period, inside the trends): verified and answered at once, closed and
    // rated 4; and one in progress held by the supervisor.
    const day = 86_400_000;
    const ago = Date.now() - 10 * day;
    const [done] = await db
      .insert(complaints)
      .values({ trackingId: 'ADU-WEB-90', summary: 'Rahasia', category: 'service', status: 'closed', kecamatanId: spv!.kecamatanId, createdAt: new Date(ago), answeredAt: new Date(ago + 3_600_000), closedAt: new Date(ago + day), csat: 4 })
      .returning({ id: complaints.id });
    await db.insert(complaintEvents).values({ complaintId: done!.id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: new Date(ago + 600_000) });
    await db.insert(satisfaction).values({ service: 'complaint', complaintId: done!.id, kecamatanId: spv!.kecamatanId, score: 4, askedAt: new Date(ago + day), answeredAt: new Date(ago + day) });
    await db.insert(complaints).values({ trackingId: 'ADU-WEB-91', summary: 'Rahasia', category: 'service', status: 'in_progress', kecamatanId: spv!.kecamatanId, createdAt: new Date(ago), assigneeId: spv!.id });

    const page = await (await b.fetch('/console/dashboard?days=7')).text();
    for (const id of ['chart-status', 'chart-sla', 'chart-ikm', 'chart-workload']) expect(page).toContain(`<title id="${id}-title">`);
    for (const chart of ['per_day', 'kecamatan', 'status', 'sla', 'ikm', 'workload']) expect(page).toContain(`href="/console/dashboard/export.csv?chart=${chart}&amp;days=7"`);
    // Every bar and point of a chart is a link to the inbox with the chart's filter.
    expect(page).toMatch(/<a href="\/console\/complaints\?queue=all&amp;status=received&amp;from=\d{4}-\d\d-\d\d&amp;to=\d{4}-\d\d-\d\d" aria-label="[^"]+" data-chart-link="chart-status">/);
    expect(page).toMatch(/<a href="\/console\/complaints\?queue=all&amp;sla=late&amp;from=\d{4}-\d\d-\d\d&amp;to=\d{4}-\d\d-\d\d"/);
    expect(page).toMatch(/<a href="\/console\/complaints\?queue=all&amp;status=closed&amp;from=\d{4}-\d\d-01&amp;to=/);
    expect(page).toMatch(/<a href="\/console\/complaints\?queue=all&amp;kecamatan=\d+&amp;from=/);
    expect(page).toMatch(/<a href="\/console\/complaints\?queue=all&amp;category=not_received&amp;from=/);
    expect(page).toMatch(new RegExp(`<a href="/console/complaints\\?queue=all&amp;officer=${spv!.id}" aria-label="Supervisor Sagulung: 1" data-chart-link="chart-workload">`));
    expect(page).toContain('Pengaduan terbuka yang belum ditugaskan: 3');
    expect(page).not.toContain('Nongsa');

    const res = await b.fetch('/console/dashboard/export.csv?chart=status&days=7');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="dasbor-status-7hari-\d{4}-\d\d-\d\d\.csv"/);
    const csv = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('dari,sampai,received,verified,in_progress,answered,closed,reopened,jumlah');
    expect(csv).toHaveLength(8); // seven days
    expect(csv.slice(1).reduce((a, l) => a + Number(l.split(',').at(-1)), 0)).toBe(3); // Sagulung's three only
    const kec = await (await b.fetch('/console/dashboard/export.csv?chart=kecamatan&days=7')).text();
    expect(kec).toContain('Sagulung');
    expect(kec).not.toContain('Nongsa');
    const bad = await b.fetch('/console/dashboard/export.csv?chart=../../etc');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('per_day, kecamatan, status, sla, ikm, workload');
  });

  it('shows the IKM per service, bidang, site and month against the target, with a CSV each, in scope', async () => {
    const db = database.db;
    const { b } = await signedIn(base, 'spv.sagulung@pintu.test');
    const [spv] = await db.select().from(staffUsers).where(eq(staffUsers.email, 'spv.sagulung@pintu.test'));
    const kec = spv!.kecamatanId!;
    const [site] = await db.insert(sites).values({ kecamatanId: kec, name: 'Kantor Camat Sagulung', address: 'Jl. Uji 1' }).returning({ id: sites.id });
    const at = new Date(Date.now() - 3_600_000);
    await db.insert(satisfaction).values([
      { service: 'collection', siteId: site!.id, bidang: 'Linjamsos', kecamatanId: kec, score: 5, askedAt: at, answeredAt: at },
      { service: 'collection', siteId: site!.id, bidang: 'Linjamsos', kecamatanId: kec, score: 4, askedAt: at, answeredAt: at },
      { service: 'aid_check', kecamatanId: kec, score: 3, askedAt: at, answeredAt: at },
      { service: 'aid_check', kecamatanId: null, score: 1, askedAt: at, answeredAt: at }, // no kecamatan: city-wide readers only
    ]);

    const page = await (await b.fetch('/console/dashboard?days=7')).text();
    expect(page).toContain('IKM per layanan / bidang / lokasi / bulan');
    expect(page).toContain('Target: 93,5.');
    for (const by of ['service', 'bidang', 'site', 'month']) {
      expect(page).toContain(`<title id="chart-ikm-${by}-title">`);
      expect(page).toContain(`href="/console/dashboard/export.csv?chart=ikm_${by}&amp;days=7"`);
    }
    expect(page).toContain('Pengambilan bantuan: IKM 90 (mutu A, 2 penilaian), di bawah target (−3,5)');
    expect(page).toContain('Cek bansos: IKM 60 (mutu D, 1 penilaian), di bawah target (−33,5)');
    expect(page).toContain('Kantor Camat Sagulung: IKM 90');

    const csv = (await (await b.fetch('/console/dashboard/export.csv?chart=ikm_service&days=7')).text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('layanan,ikm,mutu,target,selisih,jumlah_penilaian,nilai_1,nilai_2,nilai_3,nilai_4,nilai_5');
    expect(csv.slice(1)).toEqual(['aid_check,60,D,93.5,-33.5,1,0,0,1,0,0', 'collection,90,A,93.5,-3.5,2,0,0,0,1,1']);
    const bySite = await (await b.fetch('/console/dashboard/export.csv?chart=ikm_site&days=7')).text();
    expect(bySite).toContain(`${site!.id},Kantor Camat Sagulung,90,A,93.5,-3.5,2`);
  });
});
