import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, auditLog } from '../../../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { NOW, referralWorld, type ReferralWorld } from '../../../services/referrals/world.ts';
import { staffActor } from '../../../services/staff/fixtures.ts';

// The referral agencies admin page through the real app: add (and bad input refused with what was typed
// kept), edit, deactivate and reactivate, audited; a kecamatan admin changes only their own; a supervisor 403.

describe('/console/admin/agencies', () => {
  let database: TestDatabase;
  let t: TestApp;
  let w: ReferralWorld;
  let admin: SignedIn;
  let spv: SignedIn;
  const good = { name: 'Rumah Singgah Anak Batam', kind: 'lks', kecamatan: '', services: 'rumah singgah anak, 20 tempat', phone: '0778 457123', email: 'rsa@example.org', address: 'Jl. Sudirman 1' };

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await referralWorld(database.db);
    t = await createTestApp(database, { clock: () => NOW });
    const base = await t.listen();
    admin = await signedIn(base, w.admin.email, w.admin.password);
    spv = await signedIn(base, w.supervisorA.email, w.supervisorA.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const byName = async (name: string) => (await database.db.select().from(agencies).where(eq(agencies.name, name)))[0];

  it('is listed on the admin index and lists the agencies in a captioned table', async () => {
    expect(await (await admin.b.fetch('/console/admin')).text()).toContain('href="/console/admin/agencies"');
    const res = await admin.b.fetch('/console/admin/agencies');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<caption>Lembaga rujukan</caption>');
    expect(html).toContain('Panti Werdha Kasih');
    expect(html).toContain('Yayasan Lama');
  });

  it('refuses bad input with every reason, keeps what was typed, and writes nothing', async () => {
    const before = (await database.db.select().from(agencies)).length;
    const res = await admin.b.post('/console/admin/agencies', { _csrf: admin.csrf, ...good, name: 'x'.repeat(201), kind: 'bank', phone: '12-ab', email: 'bukan email' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Nama lembaga terlalu panjang (paling banyak 200 karakter).');
    expect(html).toContain('Mohon pilih jenis lembaga.');
    expect(html).toContain('Nomor telepon tidak dikenali.');
    expect(html).toContain('Alamat email tidak dikenali.');
    expect(html).toContain('value="12-ab"');
    expect(html).toContain('rumah singgah anak, 20 tempat');
    expect((await database.db.select().from(agencies)).length).toBe(before);
    expect((await admin.b.post('/console/admin/agencies', { _csrf: admin.csrf, ...good, kecamatan: '999999' })).status).toBe(422);
    expect((await database.db.select().from(agencies)).length).toBe(before);
  });

  it('adds, edits, deactivates and reactivates an agency, each audited', async () => {
    const res = await admin.b.post('/console/admin/agencies', { _csrf: admin.csrf, ...good });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/admin/agencies?done=create');
    const made = await byName(good.name);
    expect(made).toMatchObject({ kind: 'lks', kecamatanId: null, phone: '0778 457123', email: 'rsa@example.org', active: true });

    const form = await (await admin.b.fetch(`/console/admin/agencies/${made!.id}`)).text();
    expect(form).toContain('value="Rumah Singgah Anak Batam"');
    const edited = await admin.b.post(`/console/admin/agencies/${made!.id}`, { _csrf: admin.csrf, ...good, kind: 'other', kecamatan: String(w.area.kecA), phone: '129' });
    expect(edited.status).toBe(303);
    expect(await byName(good.name)).toMatchObject({ kind: 'other', kecamatanId: w.area.kecA, phone: '129' });

    expect((await admin.b.post(`/console/admin/agencies/${made!.id}/deactivate`, { _csrf: admin.csrf })).status).toBe(303);
    expect((await byName(good.name))?.active).toBe(false);
    expect(await (await admin.b.fetch('/console/admin/agencies?done=deactivate')).text()).toContain('Lembaga sudah dinonaktifkan.');
    expect((await admin.b.post(`/console/admin/agencies/${made!.id}/reactivate`, { _csrf: admin.csrf })).status).toBe(303);
    expect((await byName(good.name))?.active).toBe(true);

    const actions = (await database.db.select().from(auditLog).where(eq(auditLog.entityId, String(made!.id)))).filter((a) => a.entity === 'agency').map((a) => a.action);
    expect(actions).toEqual(['agency.create', 'agency.update', 'agency.deactivate', 'agency.reactivate']);
    expect((await admin.b.fetch('/console/admin/agencies/999999')).status).toBe(404);
  });

  it('keeps a kecamatan admin to their own agencies, and a supervisor out', async () => {
    const a = await staffActor(database.db, { role: 'admin', kecamatanId: w.area.kecA });
    const scoped = await signedIn(await t.listen(), a.email, a.password);
    const city = await byName('Dukcapil Kota');
    expect(await (await scoped.b.fetch('/console/admin/agencies')).text()).toContain('Hanya dapat diubah oleh admin wilayahnya.');
    expect((await scoped.b.post(`/console/admin/agencies/${city!.id}/deactivate`, { _csrf: scoped.csrf })).status).toBe(403);
    expect((await byName('Dukcapil Kota'))?.active).toBe(true);
    expect((await scoped.b.post(`/console/admin/agencies/${w.panti}/deactivate`, { _csrf: scoped.csrf })).status).toBe(303);

    expect((await spv.b.fetch('/console/admin/agencies')).status).toBe(403);
    expect((await spv.b.post('/console/admin/agencies', { _csrf: spv.csrf, ...good, name: 'Lain' })).status).toBe(403);
    expect(await byName('Lain')).toBeUndefined();
  });
});
