import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, staffUsers } from '../../../../src/db/schema/index.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';

// API tokens made and revoked in the console, and what /api/v1 then says to them.

describe('console admin: API tokens', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let kec: { sagulung: number; nongsa: number };

  const api = (token: string) => fetch(`${base}/api/v1/complaints`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    kec = await twoKecamatan(database.db);
    await createStaffUser(database.db, 'system', { email: 'admin@pintu.test', name: 'Admin', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'operator@pintu.test', name: 'Operator', role: 'operator', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('creates a scoped token shown once, which /api/v1 accepts until it is revoked', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const res = await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Dasbor <b>kecamatan</b>', role: 'supervisor', kecamatan: String(kec.sagulung), bidang: 'Linjamsos' });
    expect(res.status).toBe(200);
    const page = await res.text();
    const token = /data-testid="new-token">([^<]+)</.exec(page)?.[1];
    expect(token).toMatch(/^pintu_/);
    expect(page).toContain('Dasbor &lt;b&gt;kecamatan&lt;/b&gt;');

    const [row] = await database.db.select().from(apiTokens);
    expect(row).toMatchObject({ name: 'Dasbor <b>kecamatan</b>', role: 'supervisor', kecamatanId: kec.sagulung, bidang: 'Linjamsos', revokedAt: null });
    expect(row!.tokenHash).not.toBe(token);

    const list = await (await b.fetch('/console/admin/tokens')).text();
    expect(list).not.toContain(token!);
    expect(list).toContain('Dasbor &lt;b&gt;kecamatan&lt;/b&gt;');
    expect(list).toContain('Sagulung');
    expect(list).toContain('<th>Dibuat</th>');
    expect(list).toContain(`action="/console/admin/tokens/${row!.id}/revoke"`);

    expect((await api(token!)).status).toBe(200);

    // Revoking needs the CSRF token and the permission.
    expect((await b.post(`/console/admin/tokens/${row!.id}/revoke`, {})).status).toBe(403);
    const { b: op, csrf: opCsrf } = await signedIn(base, 'operator@pintu.test');
    expect((await op.post(`/console/admin/tokens/${row!.id}/revoke`, { _csrf: opCsrf })).status).toBe(403);
    expect((await api(token!)).status).toBe(200);

    const revoke = await b.post(`/console/admin/tokens/${row!.id}/revoke`, { _csrf: csrf });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get('location')).toBe('/console/admin/tokens?done=revoke');
    expect((await api(token!)).status).toBe(401);
    const after = await (await b.fetch('/console/admin/tokens?done=revoke')).text();
    expect(after).toContain('Token sudah dicabut.');
    expect(after).not.toContain(`action="/console/admin/tokens/${row!.id}/revoke"`);
    expect((await b.post('/console/admin/tokens/999999/revoke', { _csrf: csrf })).status).toBe(404);
  });

  it('shows when a new token stops working: a year unless the admin picks less', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const form = await (await b.fetch('/console/admin/tokens')).text();
    expect(form).toMatch(/<select id="k-days" name="days"><option value="30">30 hari<\/option><option value="90">90 hari<\/option><option value="365" selected="">1 tahun<\/option><\/select>/);

    const yearly = await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Setahun', role: 'viewer' });
    expect(yearly.status).toBe(200);
    const [year] = await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Setahun'));
    expect(year!.expiresAt.getTime() - year!.createdAt.getTime()).toBe(365 * 86_400_000);
    const yearPage = await yearly.text();
    const shown = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' }).format(year!.expiresAt);
    expect(yearPage).toContain(`Token berlaku sampai ${shown}`);

    const monthly = await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Sebulan', role: 'viewer', days: '30' });
    expect(monthly.status).toBe(200);
    const [month] = await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Sebulan'));
    expect(month!.expiresAt.getTime() - month!.createdAt.getTime()).toBe(30 * 86_400_000);

    const odd = await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Selamanya', role: 'viewer', days: '36500' });
    expect(odd.status).toBe(422);
    expect(await odd.text()).toContain('Masa berlaku token tidak dikenal.');
    expect(await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Selamanya'))).toEqual([]);
  });

  it('refuses an expired token on /api/v1 like a revoked one, and lists it as expired', async () => {
    const [admin] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, 'admin@pintu.test'));
    const actor = { kind: 'staff' as const, id: admin!.id, role: 'admin' as const, kecamatanId: null, bidang: null };
    // Made 31 days ago for 30 days: it ended yesterday.
    const old = await createApiToken(database.db, actor, { name: 'Kedaluwarsa', role: 'supervisor', days: 30, now: new Date(Date.now() - 31 * 86_400_000) });
    const live = await createApiToken(database.db, actor, { name: 'Masih berlaku', role: 'supervisor', days: 30, now: new Date(Date.now() - 29 * 86_400_000) });
    expect((await api(old.token)).status).toBe(401);
    expect((await api(live.token)).status).toBe(200);
    const { b } = await signedIn(base, 'admin@pintu.test');
    const list = await (await b.fetch('/console/admin/tokens')).text();
    const row = new RegExp(`<tr data-token-id="${old.id}">.*?</tr>`).exec(list)?.[0] ?? '';
    expect(row).toContain('Kedaluwarsa ');
    expect(row).not.toContain('/revoke"');
  });

  it('refuses an admin-role token, an empty name and a POST without CSRF, creating nothing', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const before = (await database.db.select().from(apiTokens)).length;
    const admin = await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Terlalu kuat', role: 'admin' });
    expect(admin.status).toBe(403);
    expect(await admin.text()).toContain('token tidak boleh berperan admin');
    const empty = await b.post('/console/admin/tokens', { _csrf: csrf, name: '  ', role: 'viewer' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Nama wajib diisi.');
    expect((await b.post('/console/admin/tokens', { name: 'Tanpa token', role: 'viewer' })).status).toBe(403);
    expect((await database.db.select().from(apiTokens)).length).toBe(before);
    expect((await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Tanpa token'))).length).toBe(0);
  });

  it('is closed to a role without users.manage', async () => {
    const { b, csrf } = await signedIn(base, 'operator@pintu.test');
    expect((await b.fetch('/console/admin/tokens')).status).toBe(403);
    expect((await b.post('/console/admin/tokens', { _csrf: csrf, name: 'Punya saya', role: 'operator' })).status).toBe(403);
    expect((await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'Punya saya'))).length).toBe(0);
  });
});
