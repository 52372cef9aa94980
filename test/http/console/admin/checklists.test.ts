import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, fieldChecklistItems } from '../../../../src/db/schema/index.ts';
import { checklistFor } from '../../../../src/services/field/checklist.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { staffActor, twoKecamatan } from '../../../services/staff/fixtures.ts';

// The field checklists admin page through the real app: every kind's items in both languages; add, change and
// hide an item (audited, and hidden means gone from the visit form); bad input refused with what was typed
// kept; a kecamatan admin reads only; a supervisor 403.

describe('/console/admin/checklists', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let admin: SignedIn;
  let scoped: SignedIn;
  let spv: SignedIn;

  const item = async (kind: 'proposal' | 'calldown', key: string) =>
    (await database.db.select().from(fieldChecklistItems).where(and(eq(fieldChecklistItems.taskKind, kind), eq(fieldChecklistItems.key, key))))[0];
  const count = async () => (await database.db.select().from(fieldChecklistItems)).length;
  const audits = async () => (await database.db.select().from(auditLog).where(eq(auditLog.action, 'field_checklist.save'))).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    const kec = await twoKecamatan(database.db);
    const a = await staffActor(database.db, { role: 'admin' });
    const s = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    const v = await staffActor(database.db, { role: 'supervisor' });
    t = await createTestApp(database);
    base = await t.listen();
    admin = await signedIn(base, a.email, a.password);
    scoped = await signedIn(base, s.email, s.password);
    spv = await signedIn(base, v.email, v.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('is listed on the admin index and shows every kind with its items, words in both languages, and how to retire one', async () => {
    expect(await (await admin.b.fetch('/console/admin')).text()).toContain('href="/console/admin/checklists"');
    const res = await admin.b.fetch('/console/admin/checklists');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="h-checklist-proposal">Verifikasi usulan</h2>');
    expect(html).toContain('<caption>Butir daftar periksa: Verifikasi usulan</caption>');
    expect(html).toContain('Lantai rumah dari tanah, bambu, atau kayu murahan');
    expect(html).toContain('Floor of earth, bamboo or cheap wood');
    expect(html).toContain('Butir tidak dapat dihapus');
    expect(html).toContain('action="/console/admin/checklists/proposal/floor_earth"');
    expect(html).toContain('action="/console/admin/checklists/ppks"');
  });

  it('adds an item, changes and hides one, each audited; a hidden one leaves the visit form', async () => {
    const added = await admin.b.post('/console/admin/checklists/calldown', { _csrf: admin.csrf, key: 'address_right', label_id: 'Alamat di undangan sudah benar', label_en: '', position: '3', active: '1' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/console/admin/checklists?done=create');
    expect(await item('calldown', 'address_right')).toMatchObject({ labels: { id: 'Alamat di undangan sudah benar' }, position: 3, active: true });
    const page = await (await admin.b.fetch('/console/admin/checklists?done=create')).text();
    expect(page).toContain('Butir sudah ditambahkan.');
    expect(page).toContain('(sama dengan teks bahasa Indonesia)');

    // The checkbox left unticked: hidden.
    const hidden = await admin.b.post('/console/admin/checklists/proposal/wall_poor', { _csrf: admin.csrf, label_id: 'Dinding bambu atau kayu murahan', label_en: 'Bamboo or cheap wooden walls', position: '2' });
    expect(hidden.status).toBe(303);
    expect(hidden.headers.get('location')).toBe('/console/admin/checklists?done=update');
    expect(await item('proposal', 'wall_poor')).toMatchObject({ labels: { id: 'Dinding bambu atau kayu murahan', en: 'Bamboo or cheap wooden walls' }, position: 2, active: false });
    expect((await checklistFor(database.db, 'proposal')).map((i) => i.key)).not.toContain('wall_poor');
    expect(await (await admin.b.fetch('/console/admin/checklists')).text()).toMatch(/<tr data-item="wall_poor" data-active="false">[\s\S]*?Disembunyikan/);
    expect(await audits()).toBe(2);

    expect((await admin.b.post('/console/admin/checklists/proposal/tidak_ada', { _csrf: admin.csrf, label_id: 'x', label_en: '', position: '1', active: '1' })).status).toBe(404);
    expect((await admin.b.post('/console/admin/checklists/bukan_jenis', { _csrf: admin.csrf, key: 'abc', label_id: 'x', label_en: '', position: '1', active: '1' })).status).toBe(404);
    expect((await admin.b.post('/console/admin/checklists/proposal/Bad-Key', { _csrf: admin.csrf, label_id: 'x', label_en: '', position: '1', active: '1' })).status).toBe(404);
  });

  it('refuses bad input with every reason, keeps what was typed, and writes nothing', async () => {
    const before = await count();
    const auditsBefore = await audits();
    const res = await admin.b.post('/console/admin/checklists/proposal', { _csrf: admin.csrf, key: 'Rumah-Sewa', label_id: '', label_en: 'Rents the house ' + 'x'.repeat(200), position: '100', active: '1' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('Kode tidak sesuai.');
    expect(html).toContain('Mohon isi teks bahasa Indonesia.');
    expect(html).toContain('Teks bahasa Inggris terlalu panjang (paling banyak 200 karakter).');
    expect(html).toContain('Urutan harus berupa angka bulat 0 sampai 99.');
    expect(html).toContain('value="Rumah-Sewa"');
    expect(html).toContain('value="100"');

    const taken = await admin.b.post('/console/admin/checklists/proposal', { _csrf: admin.csrf, key: 'floor_earth', label_id: 'Lantai lain', label_en: '', position: '1', active: '1' });
    expect(taken.status).toBe(422);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain('Kode floor_earth sudah dipakai untuk jenis tugas ini.');
    expect(takenHtml).toContain('value="Lantai lain"');

    const edit = await admin.b.post('/console/admin/checklists/proposal/no_electricity', { _csrf: admin.csrf, label_id: 'Tanpa listrik', label_en: '', position: '1.5', active: '1' });
    expect(edit.status).toBe(422);
    const editHtml = await edit.text();
    expect(editHtml).toContain('Urutan harus berupa angka bulat 0 sampai 99.');
    expect(editHtml).toContain('value="Tanpa listrik"');
    expect(editHtml).toContain('value="1.5"');
    expect(await item('proposal', 'no_electricity')).toMatchObject({ labels: { id: 'Tidak ada listrik PLN di rumah' }, position: 4, active: true });

    expect(await count()).toBe(before);
    expect(await audits()).toBe(auditsBefore);
    // Without the session's CSRF token nothing is written either.
    expect((await admin.b.post('/console/admin/checklists/proposal', { _csrf: 'salah', key: 'tanpa_csrf', label_id: 'x', label_en: '', position: '1', active: '1' })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('shows a kecamatan admin the lists without forms and refuses their changes; keeps a supervisor out', async () => {
    const page = await scoped.b.fetch('/console/admin/checklists');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Lantai rumah dari tanah, bambu, atau kayu murahan');
    expect(html).toContain('Hanya admin tingkat kota yang dapat mengubahnya.');
    expect(html).not.toContain('action="/console/admin/checklists/');
    const refused = await scoped.b.post('/console/admin/checklists/proposal/no_own_toilet', { _csrf: scoped.csrf, label_id: 'Diubah', label_en: '', position: '3' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('role="alert"');
    expect(await item('proposal', 'no_own_toilet')).toMatchObject({ labels: { id: 'Tidak memiliki jamban sendiri' }, active: true });

    expect((await spv.b.fetch('/console/admin/checklists')).status).toBe(403);
    expect(await (await spv.b.fetch('/console/admin')).text()).not.toContain('href="/console/admin/checklists"');
    expect((await spv.b.post('/console/admin/checklists/proposal', { _csrf: spv.csrf, key: 'dari_spv', label_id: 'x', label_en: '', position: '1', active: '1' })).status).toBe(403);
    expect(await item('proposal', 'dari_spv')).toBeUndefined();
  });
});
