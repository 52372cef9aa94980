import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints } from '../../../../src/db/schema/index.ts';
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
    expect(page).toMatch(/<svg[^>]*role="img"/);
    expect(page).toContain('<title id="chart-per-day-title">');
    expect(page).toContain('<title id="chart-kecamatan-title">');
    expect(page).toContain('Pengaduan masuk: 3');
    expect(page).toMatch(/<td data-status="received">2<\/td>/);
    expect(page).toMatch(/<td data-status="answered">1<\/td>/);
    expect(page).toMatch(/<td data-status="closed">0<\/td>/);
    expect(page).toContain('3 jam (dari 1 pengaduan yang sudah dijawab)'); // first message 3 h after filing
    expect(page).toContain('Target Kota Batam: dari 91 menjadi 93,5');
    expect(page).toContain('Sagulung');
    expect(page).not.toContain('Nongsa'); // another kecamatan's complaints are not counted or named
    expect(page).not.toContain('Rahasia');
    expect(page).not.toContain('<script');
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
  });
});
