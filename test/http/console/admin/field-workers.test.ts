import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffKelurahan, staffRoles, staffUsers } from '../../../../src/db/schema/index.ts';
import { SESSION_COOKIE } from '../../../../src/http/console/shell/session.ts';
import { authenticate } from '../../../../src/services/staff/sessions.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { kelurahanIn, twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';

// Field workers and field roles in the admin console (issue 19), through the real app over HTTP: an admin
// makes a PSM for two kelurahan in two steps (kecamatan first, then its kelurahan), the PSM signs in with
// the role's grants and kelurahan, the admin changes and clears them; the field roles page adds, changes
// and deletes roles, never granting more than field work.

/** A form post with repeated fields (ticked checkboxes), which Browser.post's record cannot hold. */
const postPairs = (b: Browser, path: string, pairs: [string, string][]) =>
  b.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(pairs).toString() });

const checkbox = (page: string, id: number) => new RegExp(`<input type="checkbox" name="kelurahan" value="${id}"( checked="")?/>`).exec(page);

describe('console admin: field workers and field roles', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let kec: { sagulung: number; nongsa: number };
  let kel: Record<string, number>;

  const kelurahanOf = async (staffId: number) =>
    (await database.db.select({ id: staffKelurahan.kelurahanId }).from(staffKelurahan).where(eq(staffKelurahan.staffId, staffId))).map((r) => r.id).sort((a, b) => a - b);
  const byEmail = async (email: string) => (await database.db.select().from(staffUsers).where(eq(staffUsers.email, email)))[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    kec = await twoKecamatan(db);
    kel = {
      ...(await kelurahanIn(db, kec.sagulung, ['Tembesi', 'Sungai Binti', 'Sungai Lekop'])),
      ...(await kelurahanIn(db, kec.nongsa, ['Batu Besar', 'Kabil'])),
    };
    await createStaffUser(db, 'system', { email: 'admin@pintu.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'sagulung@pintu.test', name: 'Admin Sagulung', role: 'admin', kecamatanId: kec.sagulung, password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('creates a PSM for two kelurahan in two steps, and the PSM signs in with the role’s grants and kelurahan', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const empty = await (await b.fetch('/console/admin/users')).text();
    expect(empty).toContain('<label for="u-field-role">Peran lapangan</label>');
    expect(empty).toContain('<option value="">Tidak ada (bukan petugas lapangan)</option>');
    expect(empty).toContain('<option value="psm">PSM (Pekerja Sosial Masyarakat)</option>');
    expect(empty).toContain('Kelurahan dapat dipilih setelah kecamatan dipilih.');
    expect(checkbox(empty, kel.Tembesi!)).toBeNull();

    // Step one: kecamatan and field role, no kelurahan yet. Refused, with Sagulung's kelurahan to pick from.
    const form = { _csrf: csrf, name: 'Bu Sari', email: 'sari@pintu.test', role: 'operator', kecamatan: String(kec.sagulung), bidang: '', field_role: 'psm' };
    const first = await b.post('/console/admin/users', form);
    expect(first.status).toBe(422);
    const step = await first.text();
    expect(step).toContain('Mohon pilih satu atau lebih kelurahan tugas.');
    expect(step).toContain('<legend>Kelurahan tugas di Sagulung</legend>');
    for (const name of ['Tembesi', 'Sungai Binti', 'Sungai Lekop']) expect(checkbox(step, kel[name]!)).not.toBeNull();
    for (const name of ['Batu Besar', 'Kabil']) expect(checkbox(step, kel[name]!)).toBeNull();
    expect(step).toContain('value="sari@pintu.test"');
    expect(step).toContain('<option value="psm" selected="">');
    expect(await byEmail('sari@pintu.test')).toBeUndefined();

    // Step two: the kelurahan ticked.
    const res = await postPairs(b, '/console/admin/users', [...Object.entries(form), ['kelurahan', String(kel.Tembesi)], ['kelurahan', String(kel['Sungai Lekop'])]]);
    expect(res.status).toBe(200);
    const password = /data-testid="new-password">([^<]+)</.exec(await res.text())?.[1];
    expect(password).toBeTruthy();
    const row = await byEmail('sari@pintu.test');
    expect(row).toMatchObject({ role: 'field_officer', fieldRole: 'psm', kecamatanId: kec.sagulung });
    expect(await kelurahanOf(row!.id)).toEqual([kel.Tembesi!, kel['Sungai Lekop']!].sort((a, b) => a - b));
    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.entityId, String(row!.id)));
    expect(audit).toMatchObject({ action: 'staff.create', details: { fieldRole: 'psm', kelurahanIds: [kel.Tembesi!, kel['Sungai Lekop']!].sort((a, b) => a - b) } });

    // The PSM signs in; their session's actor carries what the psm row grants and their kelurahan.
    const { b: psm } = await signedIn(base, 'sari@pintu.test', password!);
    const session = await authenticate(database.db, psm.cookies.get(SESSION_COOKIE));
    expect(session?.actor).toMatchObject({
      role: 'field_officer',
      fieldRole: 'psm',
      granted: ['field.work', 'checkin.record'],
      kelurahanIds: [kel.Tembesi!, kel['Sungai Lekop']!].sort((a, b) => a - b),
    });

    // The list names the field role and the kelurahan.
    const list = await (await b.fetch('/console/admin/users')).text();
    expect(list).toMatch(
      new RegExp(`<tr data-staff-id="${row!.id}"><td>Bu Sari</td><td>sari@pintu.test</td><td>Petugas lapangan</td><td data-field-role="psm">PSM \\(Pekerja Sosial Masyarakat\\)</td><td>Sagulung</td><td>Sungai Lekop, Tembesi</td>`),
    );
  });

  it('refuses kelurahan of another kecamatan and a field worker without a kecamatan, keeping what was typed and writing nothing', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const form: [string, string][] = [['_csrf', csrf], ['name', 'Pak Joko'], ['email', 'joko@pintu.test'], ['role', 'operator'], ['kecamatan', String(kec.sagulung)], ['bidang', ''], ['field_role', 'tksk']];
    const outside = await postPairs(b, '/console/admin/users', [...form, ['kelurahan', String(kel.Tembesi)], ['kelurahan', String(kel.Kabil)]]);
    expect(outside.status).toBe(422);
    const page = await outside.text();
    expect(page).toContain('Kelurahan tugas harus berada di kecamatan yang dipilih.');
    expect(checkbox(page, kel.Tembesi!)?.[1]).toBe(' checked=""'); // what was ticked stays ticked
    expect(page).toContain('value="joko@pintu.test"');

    const noKecamatan = await postPairs(b, '/console/admin/users', [...form.map(([k, v]): [string, string] => [k, k === 'kecamatan' ? '' : v]), ['kelurahan', String(kel.Tembesi)]]);
    expect(noKecamatan.status).toBe(422);
    expect(await noKecamatan.text()).toContain('Petugas lapangan wajib memiliki kecamatan.');

    const notAnId = await postPairs(b, '/console/admin/users', [...form, ['kelurahan', 'Tembesi']]);
    expect(notAnId.status).toBe(422);
    expect(await notAnId.text()).toContain('Kelurahan tidak dikenal.');

    const unknownRole = await postPairs(b, '/console/admin/users', [...form.map(([k, v]): [string, string] => [k, k === 'field_role' ? 'camat' : v]), ['kelurahan', String(kel.Tembesi)]]);
    expect(unknownRole.status).toBe(422);
    expect(await unknownRole.text()).toContain('Peran lapangan tidak dikenal.');
    expect(await byEmail('joko@pintu.test')).toBeUndefined();
  });

  it('changes a worker’s kelurahan (the set replaced) and clears the field role with "none"', async () => {
    const { id } = await createStaffUser(database.db, 'system', { email: 'tksk@pintu.test', name: 'TKSK Sagulung', role: 'field_officer', kecamatanId: kec.sagulung, fieldRole: 'tksk', kelurahanIds: [kel.Tembesi!, kel['Sungai Binti']!] });
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const page = await (await b.fetch(`/console/admin/users/${id}`)).text();
    expect(page).toContain('<option value="tksk" selected="">');
    expect(checkbox(page, kel.Tembesi!)?.[1]).toBe(' checked=""');
    expect(checkbox(page, kel['Sungai Lekop']!)?.[1]).toBeUndefined();

    const form: [string, string][] = [['_csrf', csrf], ['role', 'field_officer'], ['kecamatan', String(kec.sagulung)], ['bidang', ''], ['active', '1'], ['field_role', 'tksk']];
    const refused = await postPairs(b, `/console/admin/users/${id}`, [...form, ['kelurahan', String(kel['Batu Besar'])]]);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Kelurahan tugas harus berada di kecamatan yang dipilih.');
    expect(await kelurahanOf(id)).toEqual([kel.Tembesi!, kel['Sungai Binti']!].sort((a, b) => a - b));

    const saved = await postPairs(b, `/console/admin/users/${id}`, [...form, ['kelurahan', String(kel['Sungai Lekop'])]]);
    expect(saved.status).toBe(303);
    expect(await kelurahanOf(id)).toEqual([kel['Sungai Lekop']!]);

    // Moving to Nongsa: the page shows Nongsa's kelurahan on the refusal, then takes them.
    const moved = await postPairs(b, `/console/admin/users/${id}`, [...form.map(([k, v]): [string, string] => [k, k === 'kecamatan' ? String(kec.nongsa) : v])]);
    expect(moved.status).toBe(422);
    const movedPage = await moved.text();
    expect(movedPage).toContain('<legend>Kelurahan tugas di Nongsa</legend>');
    expect(checkbox(movedPage, kel.Kabil!)).not.toBeNull();
    expect(await database.db.select({ k: staffUsers.kecamatanId }).from(staffUsers).where(eq(staffUsers.id, id))).toEqual([{ k: kec.sagulung }]);

    // "None": no field role, no kelurahan, whatever boxes were still ticked.
    const cleared = await postPairs(b, `/console/admin/users/${id}`, [...form.map(([k, v]): [string, string] => [k, k === 'field_role' ? '' : k === 'role' ? 'viewer' : v]), ['kelurahan', String(kel['Sungai Lekop'])]]);
    expect(cleared.status).toBe(303);
    expect((await database.db.select().from(staffUsers).where(eq(staffUsers.id, id)))[0]).toMatchObject({ role: 'viewer', fieldRole: null });
    expect(await kelurahanOf(id)).toEqual([]);
  });

  it('keeps a kecamatan admin’s form to their kecamatan’s kelurahan', async () => {
    const { b, csrf } = await signedIn(base, 'sagulung@pintu.test');
    const page = await (await b.fetch('/console/admin/users')).text();
    expect(page).toContain('<legend>Kelurahan tugas di Sagulung</legend>'); // their only kecamatan: no first step
    expect(checkbox(page, kel['Sungai Binti']!)).not.toBeNull();
    expect(checkbox(page, kel.Kabil!)).toBeNull();
    const forged = await postPairs(b, '/console/admin/users', [
      ['_csrf', csrf],
      ['name', 'Luar'],
      ['email', 'luar@pintu.test'],
      ['role', 'field_officer'],
      ['kecamatan', String(kec.sagulung)],
      ['bidang', ''],
      ['field_role', 'tksk'],
      ['kelurahan', String(kel.Kabil)],
    ]);
    expect(forged.status).toBe(422);
    expect(await byEmail('luar@pintu.test')).toBeUndefined();
  });

  it('lists field roles with their permissions in words, adds, changes and deletes one, and never grants users.manage', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const index = await (await b.fetch('/console/admin')).text();
    expect(index).toContain('<a href="/console/admin/field-roles">Peran lapangan</a>');
    const list = await (await b.fetch('/console/admin/field-roles')).text();
    expect(list).toContain('<tr data-field-role="tksk">');
    expect(list).toContain('<li data-permission="checkin.record">Mencatat kehadiran penerima saat penyaluran</li>');
    // psm is held (Bu Sari, made above): no delete button for it; nobody holds pendamping.
    expect(list).toMatch(/<tr data-field-role="psm">.*?<td data-users="1">1 akun<\/td>/);
    expect(list).not.toContain('action="/console/admin/field-roles/psm/delete"');
    expect(list).toContain('action="/console/admin/field-roles/pendamping/delete"');

    const add = { _csrf: csrf, key: 'puskesos', name_id: 'Petugas Puskesos', name_en: 'Puskesos officer' };
    const forged = await postPairs(b, '/console/admin/field-roles', [...Object.entries(add), ['permission', 'field.work'], ['permission', 'users.manage']]);
    expect(forged.status).toBe(422);
    expect(await forged.text()).toContain('Izin ini tidak dapat diberikan lewat peran lapangan: users.manage.');
    expect(await database.db.select().from(staffRoles).where(eq(staffRoles.key, 'puskesos'))).toEqual([]);

    const bad = await b.post('/console/admin/field-roles', { _csrf: csrf, key: 'Puskesos!', name_id: '', name_en: 'x' });
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    for (const text of ['Kode peran hanya boleh berisi huruf kecil', 'Mohon isi nama peran (Bahasa Indonesia).', 'Mohon pilih sekurang-kurangnya satu izin.']) expect(badPage).toContain(text);
    expect(badPage).toContain('value="Puskesos!"');

    const created = await postPairs(b, '/console/admin/field-roles', [...Object.entries(add), ['permission', 'field.work']]);
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/console/admin/field-roles?done=create');
    expect(await (await b.fetch('/console/admin/field-roles?done=create')).text()).toContain('Peran lapangan sudah ditambahkan.');
    const taken = await postPairs(b, '/console/admin/field-roles', [...Object.entries(add), ['permission', 'field.work']]);
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('Sudah ada peran lapangan dengan kode ini.');

    const edit = await (await b.fetch('/console/admin/field-roles/puskesos')).text();
    expect(edit).toContain('value="Petugas Puskesos"');
    const changed = await postPairs(b, '/console/admin/field-roles/puskesos', [['_csrf', csrf], ['name_id', 'Petugas Puskesos-SLRT'], ['name_en', 'Puskesos-SLRT officer'], ['permission', 'field.work'], ['permission', 'distribution.read']]);
    expect(changed.status).toBe(303);
    expect((await database.db.select().from(staffRoles).where(eq(staffRoles.key, 'puskesos')))[0]).toMatchObject({ names: { id: 'Petugas Puskesos-SLRT' }, permissions: ['field.work', 'distribution.read'] });
    expect((await b.fetch('/console/admin/field-roles/Tidak-Ada')).status).toBe(404);

    const inUse = await b.post('/console/admin/field-roles/psm/delete', { _csrf: csrf });
    expect(inUse.status).toBe(422);
    expect(await inUse.text()).toContain('Peran ini masih dipakai oleh 1 akun petugas');
    expect(await database.db.select().from(staffRoles).where(eq(staffRoles.key, 'psm'))).toHaveLength(1);
    const deleted = await b.post('/console/admin/field-roles/puskesos/delete', { _csrf: csrf });
    expect(deleted.status).toBe(303);
    expect(await database.db.select().from(staffRoles).where(eq(staffRoles.key, 'puskesos'))).toEqual([]);
    expect((await b.post('/console/admin/field-roles/pendamping/delete', {})).status).toBe(403); // no CSRF token
  });

  it('shows a kecamatan admin the roles without the form, and refuses their changes', async () => {
    const { b, csrf } = await signedIn(base, 'sagulung@pintu.test');
    const page = await (await b.fetch('/console/admin/field-roles')).text();
    expect(page).toContain('<tr data-field-role="psm">');
    expect(page).toContain('Hanya admin tingkat kota yang dapat menambah, mengubah, atau menghapusnya.');
    expect(page).not.toContain('action="/console/admin/field-roles"');
    const res = await postPairs(b, '/console/admin/field-roles', [['_csrf', csrf], ['key', 'lokal'], ['name_id', 'Lokal'], ['name_en', 'Local'], ['permission', 'field.work']]);
    expect(res.status).toBe(403);
    expect(await database.db.select().from(staffRoles).where(eq(staffRoles.key, 'lokal'))).toEqual([]);
  });

  it('speaks English on request', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const users = await (await b.fetch('/console/admin/users?lang=en')).text();
    expect(users).toContain('<option value="psm">PSM (community social worker)</option>');
    expect(users).toContain('Kelurahan can be chosen once a kecamatan is chosen.');
    const roles = await (await b.fetch('/console/admin/field-roles?lang=en')).text();
    expect(roles).toContain('Check recipients in at a distribution');
    expect(roles).not.toMatch(/admin:/);
    expect(csrfIn(roles)).not.toBe('');
  });
});
