import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannedResponses } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';

// Canned responses kept in the console: create, refuse unknown variables, change, delete.

describe('console admin: canned responses', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  const rows = () => database.db.select().from(cannedResponses);

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    await createStaffUser(database.db, 'system', { email: 'admin@pintu.test', name: 'Admin', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'operator@pintu.test', name: 'Operator', role: 'operator', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('lists the variables with what each means', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const page = await (await b.fetch('/console/admin/canned')).text();
    for (const v of ['nama', 'nomor_tiket', 'kecamatan', 'petugas']) expect(page).toContain(`<code>{{${v}}}</code>`);
    expect(page).toContain('nomor laporan pengaduan');
  });

  it('refuses a body with an unknown variable, naming it, and saves nothing', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const res = await b.post('/console/admin/canned', { _csrf: csrf, title: 'Salah ketik', language: 'id', bidang: '', body: 'Yth. {{nma}}, laporan {{nomor_tiket}} kami terima.' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('Isian tidak dikenal: {{nma}}. Yang bisa dipakai hanya {{nama}}, {{nomor_tiket}}, {{kecamatan}}, {{petugas}}.');
    expect(page).toContain('Yth. {{nma}}, laporan {{nomor_tiket}} kami terima.'); // the draft is kept to fix
    const tooLong = await b.post('/console/admin/canned', { _csrf: csrf, title: 'x'.repeat(101), language: 'id', bidang: '', body: 'Isi' });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('Judul terlalu panjang (paling banyak 100 karakter).');
    expect(await rows()).toEqual([]);
  });

  it('creates, changes and deletes a response, escaping what staff wrote', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    expect((await b.post('/console/admin/canned', { title: 'Tanpa token', language: 'id', bidang: '', body: 'Isi' })).status).toBe(403);
    const create = await b.post('/console/admin/canned', { _csrf: csrf, title: 'Salam <script>x</script>', language: 'id', bidang: 'Rehsos', body: 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} sudah kami terima.' });
    expect(create.status).toBe(303);
    expect(create.headers.get('location')).toBe('/console/admin/canned?done=create');
    const [row] = await rows();
    expect(row).toMatchObject({ title: 'Salam <script>x</script>', language: 'id', bidang: 'Rehsos' });
    const list = await (await b.fetch('/console/admin/canned?done=create')).text();
    expect(list).toContain('Balasan sudah ditambahkan.');
    expect(list).toContain('Salam &lt;script&gt;x&lt;/script&gt;');
    expect(list).not.toContain('<script>x');

    const form = await b.fetch(`/console/admin/canned/${row!.id}`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('laporan {{nomor_tiket}} sudah kami terima.');
    const change = await b.post(`/console/admin/canned/${row!.id}`, { _csrf: csrf, title: 'Greeting', language: 'en', bidang: '', body: 'Dear {{nama}}, we received {{nomor_tiket}}.' });
    expect(change.status).toBe(303);
    expect((await rows())[0]).toMatchObject({ id: row!.id, title: 'Greeting', language: 'en', bidang: null, body: 'Dear {{nama}}, we received {{nomor_tiket}}.' });
    const badChange = await b.post(`/console/admin/canned/${row!.id}`, { _csrf: csrf, title: 'Greeting', language: 'en', bidang: '', body: 'Dear {{name}}' });
    expect(badChange.status).toBe(422);
    expect((await rows())[0]!.body).toBe('Dear {{nama}}, we received {{nomor_tiket}}.');

    expect((await b.post(`/console/admin/canned/${row!.id}/delete`, {})).status).toBe(403);
    const del = await b.post(`/console/admin/canned/${row!.id}/delete`, { _csrf: csrf });
    expect(del.status).toBe(303);
    expect(await database.db.select().from(cannedResponses).where(eq(cannedResponses.id, row!.id))).toEqual([]);
    expect((await b.fetch(`/console/admin/canned/${row!.id}`)).status).toBe(404);
  });

  it('is closed to an operator', async () => {
    const { b, csrf } = await signedIn(base, 'operator@pintu.test');
    expect((await b.fetch('/console/admin/canned')).status).toBe(403);
    expect((await b.post('/console/admin/canned', { _csrf: csrf, title: 'Milik saya', language: 'id', bidang: '', body: 'Isi' })).status).toBe(403);
    expect(await rows()).toEqual([]);
  });
});
