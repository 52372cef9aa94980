import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, dutyRoster } from '../../../../src/db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { NOW } from '../../../services/distribution/fixtures.ts';
import { staffActor, twoKecamatan } from '../../../services/staff/fixtures.ts';

// /console/duty through the real app: the next 14 days with their duty officer, a form per day for a city-wide
// supervisor, the refusals said on the page with nothing changed, and the page kept from an operator.
// NOW is Tuesday 24 November 2026, 09:00 WIB.

describe('/console/duty: the duty roster', () => {
  let database: TestDatabase;
  let t: TestApp;
  let spv: SignedIn;
  let op: SignedIn;
  let officerId: number;
  let viewerId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    await twoKecamatan(db);
    const supervisor = await staffActor(db, { role: 'supervisor', name: 'Sari Supervisor' });
    const officer = await staffActor(db, { role: 'operator', name: 'Oki Piket' });
    const viewer = await staffActor(db, { role: 'viewer', name: 'Vina Pemantau' });
    officerId = officer.id;
    viewerId = viewer.id;
    t = await createTestApp(database, { clock: () => NOW });
    const base = await t.listen();
    spv = await signedIn(base, supervisor.email, supervisor.password);
    op = await signedIn(base, officer.email, officer.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows 14 days from today, nobody on duty yet, with a form per day and the eligible officers only', async () => {
    const res = await spv.b.fetch('/console/duty');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Jadwal petugas piket');
    expect(html.match(/<tr data-date=/g)).toHaveLength(14);
    expect(html).toContain('data-date="2026-11-24"');
    expect(html).toContain('data-date="2026-12-07"');
    expect(html).not.toContain('data-date="2026-12-08"');
    expect(html).toContain('Belum ada petugas piket');
    expect(html).toContain('Oki Piket');
    expect(html).not.toContain('Vina Pemantau');
    expect(html).toContain('href="/console/duty"');
  });

  it('saves an officer for a day and shows them', async () => {
    const res = await spv.b.post('/console/duty/2026-11-28', { _csrf: spv.csrf, staffId: String(officerId) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/duty?done=set');
    const html = await (await spv.b.fetch('/console/duty?done=set')).text();
    expect(html).toContain('Petugas piket sudah disimpan.');
    expect(html).toMatch(/data-date="2026-11-28"[\s\S]*?data-testid="officer">Oki Piket</);
    const rows = await database.db.select().from(dutyRoster);
    expect(rows).toMatchObject([{ onDate: '2026-11-28', staffId: officerId }]);
    expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'duty.set'))).toHaveLength(1);
  });

  it('refuses a past date, a viewer on duty and a bad id on the page, changing nothing', async () => {
    const before = await database.db.select().from(dutyRoster);
    const past = await spv.b.post('/console/duty/2026-11-23', { _csrf: spv.csrf, staffId: String(officerId) });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('Tanggal yang sudah lewat tidak dapat diubah.');
    const viewer = await spv.b.post('/console/duty/2026-11-29', { _csrf: spv.csrf, staffId: String(viewerId) });
    expect(viewer.status).toBe(422);
    expect(await viewer.text()).toContain('tidak dapat menjadi petugas piket');
    expect((await spv.b.post('/console/duty/2026-11-29', { _csrf: spv.csrf, staffId: 'abc' })).status).toBe(422);
    expect((await spv.b.post('/console/duty/kemarin', { _csrf: spv.csrf, staffId: String(officerId) })).status).toBe(422);
    expect((await spv.b.post('/console/duty/2026-11-29', { staffId: String(officerId) })).status).toBe(403);
    expect(await database.db.select().from(dutyRoster)).toEqual(before);
  });

  it('keeps an operator out of the page and its form, with no link in the menu', async () => {
    const page = await op.b.fetch('/console/duty');
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain('<select');
    const before = await database.db.select().from(dutyRoster);
    expect((await op.b.post('/console/duty/2026-11-30', { _csrf: op.csrf, staffId: String(officerId) })).status).toBe(403);
    expect(await database.db.select().from(dutyRoster)).toEqual(before);
    expect(await (await op.b.fetch('/console/complaints')).text()).not.toContain('href="/console/duty"');
  });

  it('clears a day', async () => {
    const res = await spv.b.post('/console/duty/2026-11-28', { _csrf: spv.csrf, staffId: '' });
    expect(res.headers.get('location')).toBe('/console/duty?done=cleared');
    expect(await database.db.select().from(dutyRoster)).toEqual([]);
  });
});
