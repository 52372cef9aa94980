import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffUsers } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';

// The staff-account admin page, the admin index and the header menu, through the real app over HTTP.

const ADMIN_PATHS = ['/console/admin', '/console/admin/users', '/console/admin/field-roles', '/console/admin/tokens', '/console/admin/routes', '/console/admin/canned', '/console/admin/audit'];
const EVIL_NAME = '<script>alert("nama")</script>';

describe('console admin: staff users, index and menu', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let kec: { sagulung: number; nongsa: number };
  const ids: Record<string, number> = {};

  const user = async (id: number) => (await database.db.select().from(staffUsers).where(eq(staffUsers.id, id)))[0]!;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    kec = await twoKecamatan(db);
    const make = async (key: string, role: 'admin' | 'supervisor' | 'operator' | 'field_officer' | 'viewer', extra: { kecamatanId?: number; name?: string; email?: string } = {}) => {
      ids[key] = (await createStaffUser(db, 'system', { email: extra.email ?? `${key}@pintu.test`, name: extra.name ?? `Petugas ${key}`, role, kecamatanId: extra.kecamatanId ?? null, password: PASSWORD })).id;
    };
    await make('admin', 'admin');
    await make('localadmin', 'admin', { kecamatanId: kec.sagulung });
    await make('supervisor', 'supervisor');
    await make('operator', 'operator');
    await make('field', 'field_officer');
    await make('viewer', 'viewer');
    await make('evil', 'operator', { name: EVIL_NAME, email: 'evil<b>x</b>@pintu.test' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('lists staff with names and emails escaped, for an admin', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const res = await b.fetch('/console/admin/users');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('Akun petugas');
    expect(page).toContain('&lt;script&gt;alert(&quot;nama&quot;)&lt;/script&gt;');
    expect(page).toContain('evil&lt;b&gt;x&lt;/b&gt;@pintu.test');
    expect(page).not.toContain(EVIL_NAME);
    expect(page).not.toContain('<b>x</b>');
    // No inline script at all: only the console's own files (htmx, console.js), loaded by src.
    expect([...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].every((m) => /src="\/console\/assets\/[a-z.-]+\.js"/.test(m[0]) && m[1] === '')).toBe(true);
    // Role, field role, kecamatan, kelurahan, bidang, active and locked columns for each row.
    expect(page).toMatch(new RegExp(`<tr data-staff-id="${ids.localadmin}"><td>Petugas localadmin</td><td>localadmin@pintu.test</td><td>Admin</td><td data-field-role="">—</td><td>Sagulung</td><td>—</td><td>Semua bidang</td><td>Ya</td><td data-held="false">Tidak</td>`));
    // The admin's own row offers no edit link.
    expect(page).not.toContain(`href="/console/admin/users/${ids.admin}"`);
    expect(page).toContain(`href="/console/admin/users/${ids.operator}"`);
  });

  it('shows the Admin link only to roles with an admin page, and Dashboard only to those who may read it', async () => {
    const { b: admin } = await signedIn(base, 'admin@pintu.test');
    const adminNav = await (await admin.fetch('/console/password')).text();
    expect(adminNav).toContain('href="/console/admin"');
    expect(adminNav).toContain('href="/console/dashboard"');
    const index = await admin.fetch('/console/admin');
    expect(index.status).toBe(200);
    const list = await index.text();
    for (const p of ADMIN_PATHS.slice(1)) expect(list).toContain(`href="${p}"`);

    const { b: operator } = await signedIn(base, 'operator@pintu.test');
    const opNav = await (await operator.fetch('/console/password')).text();
    expect(opNav).not.toContain('href="/console/admin"');
    expect(opNav).toContain('href="/console/dashboard"');

    const { b: field } = await signedIn(base, 'field@pintu.test');
    const fieldNav = await (await field.fetch('/console/password')).text();
    expect(fieldNav).not.toContain('href="/console/admin"');
    expect(fieldNav).not.toContain('href="/console/dashboard"');
    expect(fieldNav).not.toContain('href="/console/handovers"'); // the live chat answers 403 to them too
    expect(opNav).toContain('href="/console/handovers"');
  });

  it('answers 403 on every admin page to roles without the permission, and sends strangers to login', async () => {
    for (const email of ['supervisor@pintu.test', 'operator@pintu.test', 'field@pintu.test', 'viewer@pintu.test']) {
      const { b } = await signedIn(base, email);
      for (const path of ADMIN_PATHS) {
        const res = await b.fetch(path);
        expect({ email, path, status: res.status }).toEqual({ email, path, status: 403 });
        const page = await res.text();
        expect(page).toContain('Tidak diizinkan');
        expect(page).not.toContain('admin@pintu.test');
      }
    }
    const { b: admin } = await signedIn(base, 'admin@pintu.test');
    for (const lang of ['id', 'en']) {
      for (const path of ADMIN_PATHS) {
        const res = await admin.fetch(`${path}?lang=${lang}`);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(await res.text()).not.toMatch(/returned an object|admin:/); // every text found, in both languages
      }
    }
    const stranger = await new Browser(base).fetch('/console/admin/users');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/console/login');
  });

  it('creates an account and shows its password once, never again', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const res = await b.post('/console/admin/users', { _csrf: csrf, name: 'Operator Baru', email: 'Baru@Pintu.Test', role: 'operator', kecamatan: String(kec.nongsa), bidang: 'Rehsos' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    const password = /data-testid="new-password">([^<]+)</.exec(page)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(page).toContain('tidak akan ditampilkan lagi');

    const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'baru@pintu.test'));
    expect(row).toMatchObject({ name: 'Operator Baru', role: 'operator', kecamatanId: kec.nongsa, bidang: 'Rehsos', active: true });
    expect(row!.passwordHash).not.toContain(password!);
    for (const path of ['/console/admin/users', `/console/admin/users/${row!.id}`, '/console/admin/audit']) {
      expect(await (await b.fetch(path)).text()).not.toContain(password!);
    }
    // The password works.
    const fresh = new Browser(base);
    const form = await (await fresh.fetch('/console/login')).text();
    expect((await fresh.post('/console/login', { _csrf: csrfIn(form), email: 'baru@pintu.test', password: password! })).status).toBe(303);
  });

  it('refuses a POST without the CSRF token, and bad input with a reason, creating nothing', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const count = async () => (await database.db.select().from(staffUsers)).length;
    const before = await count();
    const noToken = await b.post('/console/admin/users', { name: 'Tanpa Token', email: 'csrf@pintu.test', role: 'operator' });
    expect(noToken.status).toBe(403);
    const wrongToken = await b.post('/console/admin/users', { _csrf: 'x'.repeat(43), name: 'Tanpa Token', email: 'csrf@pintu.test', role: 'operator' });
    expect(wrongToken.status).toBe(403);
    const taken = await b.post('/console/admin/users', { _csrf: csrf, name: 'Kembar', email: 'operator@pintu.test', role: 'operator' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('Sudah ada akun dengan email ini.');
    const badRole = await b.post('/console/admin/users', { _csrf: csrf, name: 'Raja', email: 'raja@pintu.test', role: 'superuser' });
    expect(badRole.status).toBe(422);
    const page = await badRole.text();
    expect(page).toContain('Peran tidak dikenal.');
    expect(page).toContain('value="raja@pintu.test"'); // the draft is kept
    const editNoToken = await b.post(`/console/admin/users/${ids.viewer}`, { role: 'supervisor' });
    expect(editNoToken.status).toBe(403);
    expect(await count()).toBe(before);
    expect((await user(ids.viewer!)).role).toBe('viewer');
  });

  it('changes a colleague’s role, scope and active flag', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const form = await b.fetch(`/console/admin/users/${ids.viewer}`);
    expect(form.status).toBe(200);
    const res = await b.post(`/console/admin/users/${ids.viewer}`, { _csrf: csrf, role: 'supervisor', kecamatan: String(kec.sagulung), bidang: 'PM', active: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/admin/users?done=update');
    expect(await user(ids.viewer!)).toMatchObject({ role: 'supervisor', kecamatanId: kec.sagulung, bidang: 'PM', active: true });
    expect(await (await b.fetch('/console/admin/users?done=update')).text()).toContain('Perubahan akun sudah disimpan.');

    // Unticking "active" deactivates, and that person's sessions end.
    const { b: viewer } = await signedIn(base, 'viewer@pintu.test');
    expect((await b.post(`/console/admin/users/${ids.viewer}`, { _csrf: csrf, role: 'supervisor', kecamatan: String(kec.sagulung), bidang: 'PM' })).status).toBe(303);
    expect((await user(ids.viewer!)).active).toBe(false);
    expect((await viewer.fetch('/console/password')).status).toBe(303);
    expect((await b.fetch('/console/admin/users/999999')).status).toBe(404);
  });

  it('refuses anyone raising their own role or scope, with a clear message, leaving the database unchanged', async () => {
    // An operator with a valid CSRF token tries to make themselves admin.
    const { b: op, csrf: opCsrf } = await signedIn(base, 'operator@pintu.test');
    const raise = await op.post(`/console/admin/users/${ids.operator}`, { _csrf: opCsrf, role: 'admin', kecamatan: '', bidang: '', active: '1' });
    expect(raise.status).toBe(403);
    expect((await user(ids.operator!)).role).toBe('operator');

    // A kecamatan admin tries to widen their own scope to the whole city.
    const { b, csrf } = await signedIn(base, 'localadmin@pintu.test');
    const widen = await b.post(`/console/admin/users/${ids.localadmin}`, { _csrf: csrf, role: 'admin', kecamatan: '', bidang: '', active: '1' });
    expect(widen.status).toBe(403);
    expect(await widen.text()).toContain('Anda tidak dapat mengubah peran, wilayah, atau status akun Anda sendiri');
    expect(await user(ids.localadmin!)).toMatchObject({ role: 'admin', kecamatanId: kec.sagulung, active: true });

    // Nor through someone else: a kecamatan admin cannot grant a city-wide scope or touch a city-wide admin.
    const grant = await b.post('/console/admin/users', { _csrf: csrf, name: 'Kaki Tangan', email: 'kaki@pintu.test', role: 'admin', kecamatan: '', bidang: '' });
    expect(grant.status).toBe(403);
    expect(await grant.text()).toContain('lebih luas dari wilayah tugas Anda');
    expect((await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'kaki@pintu.test'))).length).toBe(0);
    expect((await b.post(`/console/admin/users/${ids.admin}`, { _csrf: csrf, role: 'viewer', kecamatan: String(kec.sagulung), bidang: '' })).status).toBe(404);
    expect((await user(ids.admin!)).role).toBe('admin');

    // The city-wide admin, too, cannot change their own account.
    const { b: top, csrf: topCsrf } = await signedIn(base, 'admin@pintu.test');
    expect((await top.post(`/console/admin/users/${ids.admin}`, { _csrf: topCsrf, role: 'admin', kecamatan: '', bidang: '' })).status).toBe(403);
    expect((await user(ids.admin!)).active).toBe(true);
    const updates = await database.db.select().from(auditLog).where(eq(auditLog.action, 'staff.update'));
    expect(updates.every((r) => r.entityId !== String(ids.localadmin) && r.entityId !== String(ids.admin) && r.entityId !== String(ids.operator))).toBe(true);
  });

  it('lifts a colleague’s sign-in hold and resets their password, each with the CSRF token, the password shown once and audited', async () => {
    const db = database.db;
    const id = (await createStaffUser(db, 'system', { email: 'lupa@pintu.test', name: 'Petugas Lupa', role: 'operator', password: PASSWORD })).id;
    const attempt = async (password: string) => {
      const b = new Browser(base);
      const form = await (await b.fetch('/console/login')).text();
      return (await b.post('/console/login', { _csrf: csrfIn(form), email: 'lupa@pintu.test', password })).status;
    };
    for (let i = 0; i < 5; i++) expect(await attempt(`salah-${i}-salah`)).toBe(401);
    expect(await attempt(PASSWORD)).toBe(401); // held here for a minute

    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const list = await (await b.fetch('/console/admin/users')).text();
    expect(list).toMatch(new RegExp(`<tr data-staff-id="${id}"><td>Petugas Lupa</td><td>lupa@pintu.test</td><td>Operator</td><td data-field-role="">—</td><td>Seluruh kota</td><td>—</td><td>Semua bidang</td><td>Ya</td><td data-held="true"><strong>Ya</strong></td>`));
    // The way back in is on the row itself, and the page says how many accounts are held.
    expect(list).toContain(`action="/console/admin/users/${id}/unlock"`);
    expect(list).toContain('Akun yang masuknya sedang ditahan: 1.');
    const edit = await (await b.fetch(`/console/admin/users/${id}`)).text();
    expect(edit).toContain(`action="/console/admin/users/${id}/unlock"`);
    expect(edit).toContain(`action="/console/admin/users/${id}/reset-password"`);

    // Without the CSRF token, or by a role without users.manage: nothing happens.
    expect((await b.post(`/console/admin/users/${id}/unlock`, {})).status).toBe(403);
    const { b: op, csrf: opCsrf } = await signedIn(base, 'operator@pintu.test');
    expect((await op.post(`/console/admin/users/${id}/unlock`, { _csrf: opCsrf })).status).toBe(403);
    expect((await op.post(`/console/admin/users/${id}/reset-password`, { _csrf: opCsrf })).status).toBe(403);
    expect(await attempt(PASSWORD)).toBe(401);

    const unlock = await b.post(`/console/admin/users/${id}/unlock`, { _csrf: csrf });
    expect(unlock.status).toBe(303);
    expect(unlock.headers.get('location')).toBe('/console/admin/users?done=unlock');
    expect(await (await b.fetch('/console/admin/users?done=unlock')).text()).toContain('Tahanan masuk akun sudah dibuka.');
    const { b: lupa } = await signedIn(base, 'lupa@pintu.test');

    expect((await b.post(`/console/admin/users/${id}/reset-password`, {})).status).toBe(403);
    const reset = await b.post(`/console/admin/users/${id}/reset-password`, { _csrf: csrf });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const page = await reset.text();
    const password = /data-testid="new-password">([^<]+)</.exec(page)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(page).toContain('Kata sandi sementara:');
    for (const path of ['/console/admin/users', `/console/admin/users/${id}`, '/console/admin/audit']) {
      expect(await (await b.fetch(path)).text()).not.toContain(password!);
    }
    // The session opened before ends; the old password no longer works, the new one does.
    expect((await lupa.fetch('/console/password')).status).toBe(303);
    expect(await attempt(PASSWORD)).toBe(401);
    await signedIn(base, 'lupa@pintu.test', password!);
    const audited = await db.select().from(auditLog).where(eq(auditLog.entityId, String(id)));
    expect(audited.filter((r) => r.staffId === ids.admin).map((r) => r.action).sort()).toEqual(['staff.password_reset', 'staff.unlock']);

    // Nobody resets their own password here (the password page is for that).
    const self = await b.post(`/console/admin/users/${ids.admin}/reset-password`, { _csrf: csrf });
    expect(self.status).toBe(403);
  });

  it('speaks English on request', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const page = await (await b.fetch('/console/admin?lang=en')).text();
    expect(page).toContain('Administration');
    expect(page).toContain('Staff accounts');
  });
});
