import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, monthlyReports } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { monthlyWorld, NOW, type MonthlyWorld } from '../../../services/reports/monthly.fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { pdfPages, pdfText } from '../../../helpers/pdf.ts';

// The monthly report page (issue 20 part 6) through the real app over HTTP: who may open it, the figures of
// the chosen month in the reader's scope, generating and replacing the kept report (CSRF, confirmation), the
// downloads (audited), and bad months.

describe('console monthly report', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let w: MonthlyWorld;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    const db = database.db;
    w = await monthlyWorld(db);
    await createStaffUser(db, 'system', { email: 'admin.kota@pintu.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'spv.sagulung@pintu.test', name: 'Supervisor Sagulung', role: 'supervisor', kecamatanId: w.sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'operator@pintu.test', name: 'Operator', role: 'operator', password: PASSWORD });
  });
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('opens on last month for city-wide staff, with charts, tables and the way to keep the report', async () => {
    const { b } = await signedIn(base, 'admin.kota@pintu.test');
    const res = await b.fetch('/console/reports/monthly');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>Laporan bulanan</h1>');
    expect(page).toMatch(/<input id="m-month" name="month" type="month" value="2026-11" max="2026-12"/);
    expect(page).toContain('Laporan bulan ini belum disimpan.');
    expect(page).toContain('<title id="chart-p' + w.pkh + '-enrolled-title">');
    expect(page).toContain('<title id="chart-services-title">');
    // PKH's Sagulung row and total row, as the PDF prints them.
    expect(page).toMatch(/<th scope="row">Sagulung<\/th><td>3<\/td><td>2<\/td><td>66,7%<\/td><td>2<\/td><td>3<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>2<\/td><td>1<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>1<\/td>/);
    expect(page).toMatch(/<th scope="row">Jumlah<\/th><td>4<\/td><td>3<\/td><td>75%<\/td>/);
    expect(page).toContain('Target per tahun 10, terdaftar 4 (40% dari target)');
    expect(page).toContain('href="/console/reports/monthly/2026-11.pdf"');
    expect(page).toContain('Buat dan simpan laporan');
    expect(page).not.toContain('Rahasia');
    expect(page).not.toMatch(/<script(?! src="\/console\/assets\/)/);
    expect(await (await b.fetch('/console/dashboard')).text()).toContain('<a href="/console/reports/monthly">');
  });

  it('keeps the report, asks before replacing it, and serves the kept files (audited)', async () => {
    const { b, csrf } = await signedIn(base, 'admin.kota@pintu.test');
    expect((await b.post('/console/reports/monthly/generate', { month: '2026-11' })).status).toBe(403); // no CSRF token
    const made = await b.post('/console/reports/monthly/generate', { _csrf: csrf, month: '2026-11' });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/console/reports/monthly?month=2026-11&done=generated');
    const page = await (await b.fetch(made.headers.get('location')!)).text();
    expect(page).toContain('Laporan November 2026 sudah dibuat dan disimpan.');
    expect(page).toContain('dibuat ulang oleh Admin Kota');
    expect(page).toContain('name="confirm"');
    const first = (await database.db.select().from(monthlyReports))[0]!;

    // Replacing needs the box ticked: without it, nothing changes.
    const unconfirmed = await b.post('/console/reports/monthly/generate', { _csrf: csrf, month: '2026-11' });
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('akan diganti dengan hitungan baru');
    expect((await database.db.select().from(monthlyReports))[0]!.generatedAt).toEqual(first.generatedAt);
    expect((await b.post('/console/reports/monthly/generate', { _csrf: csrf, month: '2026-11', confirm: 'yes' })).status).toBe(303);

    const pdf = await b.fetch('/console/reports/monthly/2026-11.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="laporan-bulanan-2026-11.pdf"');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(pdfPages(bytes).every((p) => p.inked > 0)).toBe(true);
    expect(pdfText(bytes)).toContain('Laporan Bulanan November 2026');
    const xlsx = await b.fetch('/console/reports/monthly/2026-11.xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(new Uint8Array(await xlsx.arrayBuffer()).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // a zip
    const downloads = await database.db.select().from(auditLog).where(eq(auditLog.action, 'report.monthly.download'));
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    expect(downloads.every((d) => (d.details as { kept: boolean }).kept)).toBe(true);
  });

  it('gives a kecamatan office its own kecamatan, drawn when asked, and no way to generate the city report', async () => {
    const { b, csrf } = await signedIn(base, 'spv.sagulung@pintu.test');
    const page = await (await b.fetch('/console/reports/monthly?month=2026-11')).text();
    expect(page).toContain('Kecamatan Sagulung');
    expect(page).not.toContain('Nongsa');
    expect(page).not.toContain('/console/reports/monthly/generate');
    expect(page).toContain('Berkas Anda dibuat saat diunduh');
    const pdf = await b.fetch('/console/reports/monthly/2026-11.pdf');
    expect(pdf.status).toBe(200);
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain('Kecamatan Sagulung');
    expect(text).not.toContain('Nongsa');
    expect((await b.post('/console/reports/monthly/generate', { _csrf: csrf, month: '2026-11', confirm: 'yes' })).status).toBe(404);
  });

  it('answers a month with no data with a message, and a future or malformed month with a refusal', async () => {
    const { b } = await signedIn(base, 'admin.kota@pintu.test');
    const empty = await b.fetch('/console/reports/monthly?month=2026-02');
    expect(empty.status).toBe(200);
    const text = await empty.text();
    expect(text).toContain('Belum ada data untuk bulan Februari 2026');
    expect(text).not.toContain('2026-02.pdf');
    const emptyPdf = await b.fetch('/console/reports/monthly/2026-02.pdf');
    expect(emptyPdf.status).toBe(422);
    expect(await emptyPdf.text()).toContain('Belum ada data');
    const future = await b.fetch('/console/reports/monthly?month=2027-01');
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('Bulan itu belum berjalan.');
    expect((await b.fetch('/console/reports/monthly?month=2026-13')).status).toBe(400);
    expect((await b.fetch('/console/reports/monthly/2027-05.xlsx')).status).toBe(400);
    expect((await b.fetch('/console/reports/monthly/november.pdf')).status).toBe(400);
  });

  it('refuses staff without reports.read, and anyone signed out', async () => {
    const { b } = await signedIn(base, 'operator@pintu.test');
    expect((await b.fetch('/console/reports/monthly')).status).toBe(403);
    expect((await b.fetch('/console/reports/monthly/2026-11.pdf')).status).toBe(403);
    const anonymous = await new Browser(base).fetch('/console/reports/monthly');
    expect(anonymous.status).toBe(303);
  });
});
