import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, households, kecamatan, kelurahan, staffUsers } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn } from '../../../helpers/console.ts';
import type { TestDatabase } from '../../../helpers/db.ts';
import { memberOf, resident, SEED_NOW, seededDatabase } from '../../../services/seeded.ts';

// The resident lookup (issue 18) through the real app: CSRF, the role, the kecamatan, the reason form's
// refusals, and the in-person link taking the member only after an audited opening.

describe('console: resident lookup', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let siti: Awaited<ReturnType<typeof memberOf>>;
  const householdUrl = () => `/console/residents/households/${siti.householdId}`;
  const opened = async (email: string) => {
    const [s] = await database.db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, email));
    return database.db.select().from(auditLog).where(and(eq(auditLog.staffId, s!.id), eq(auditLog.action, 'resident.household_open')));
  };

  beforeAll(async () => {
    database = await seededDatabase(50);
    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    const db = database.db;
    siti = await memberOf(db, resident('Siti').nik);
    const [h] = await db.select({ kec: kelurahan.kecamatanId }).from(households).innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId)).where(eq(households.id, siti.householdId));
    const [other] = await db.select({ id: kecamatan.id }).from(kecamatan).where(ne(kecamatan.id, h!.kec)).limit(1);
    await createStaffUser(db, 'system', { email: 'op.res@pintu.test', name: 'Operator', role: 'operator', kecamatanId: h!.kec, password: 'kata-sandi-yang-panjang-1' });
    await createStaffUser(db, 'system', { email: 'op.other@pintu.test', name: 'Operator Lain', role: 'operator', kecamatanId: other!.id, password: 'kata-sandi-yang-panjang-1' });
    await createStaffUser(db, 'system', { email: 'viewer.res@pintu.test', name: 'Viewer', role: 'viewer', password: 'kata-sandi-yang-panjang-1' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('is refused to a viewer, and a search without the CSRF token does nothing', async () => {
    const viewer = await signedIn(base, 'viewer.res@pintu.test');
    expect((await viewer.b.fetch('/console/residents')).status).toBe(403);
    expect((await viewer.b.post('/console/residents', { _csrf: viewer.csrf, q: siti.nik })).status).toBe(403);
    expect((await viewer.b.fetch(householdUrl())).status).toBe(403);

    const op = await signedIn(base, 'op.res@pintu.test');
    expect((await op.b.post('/console/residents', { q: siti.nik })).status).toBe(403);
    const bad = await op.b.post('/console/residents', { _csrf: op.csrf, q: 'ab' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(t.deps.i18n.t('residents:errors.invalid_query', { lng: 'id' }));
    const found = await op.b.post('/console/residents', { _csrf: op.csrf, q: siti.nik });
    expect(found.status).toBe(200);
    const html = await found.text();
    expect(html).toContain(`href="${householdUrl()}"`);
    expect(html).toContain('S*** A****');
    expect(html).not.toContain('Siti Aminah');
  });

  it('answers a household of another kecamatan as not found, before and after a reason', async () => {
    const other = await signedIn(base, 'op.other@pintu.test');
    expect((await other.b.fetch(householdUrl())).status).toBe(404);
    expect((await other.b.post(`${householdUrl()}/open`, { _csrf: other.csrf, reason: 'walk_in' })).status).toBe(404);
    expect((await other.b.fetch('/console/residents/households/999999999')).status).toBe(404);
    expect(await opened('op.other@pintu.test')).toEqual([]);
  });

  it('asks for a reason, refuses a missing one, and prefills the in-person link only after the opening', async () => {
    const op = await signedIn(base, 'op.res@pintu.test');
    // Before an opening, the link page ignores the member and asks for the NIK as always.
    const before = await (await op.b.fetch(`/console/identity/link?member=${siti.id}`)).text();
    expect(before).toContain('name="nik"');
    expect(before).not.toContain('name="member"');

    const form = await op.b.fetch(householdUrl());
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(`action="${householdUrl()}/open"`);
    const refused = await op.b.post(`${householdUrl()}/open`, { _csrf: op.csrf, reason: '' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(t.deps.i18n.t('residents:errors.invalid_reason', { lng: 'id' }));
    expect((await op.b.post(`${householdUrl()}/open`, { reason: 'walk_in' })).status).toBe(403);
    expect(await opened('op.res@pintu.test')).toEqual([]);

    const ok = await op.b.post(`${householdUrl()}/open`, { _csrf: op.csrf, reason: 'phone_call', note: 'menanyakan jadwal' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(householdUrl());
    expect(await opened('op.res@pintu.test')).toMatchObject([{ details: { reason: 'phone_call', reasonNote: 'menanyakan jadwal' } }]);
    const pageHtml = await (await op.b.fetch(householdUrl())).text();
    expect(pageHtml).toContain('Siti Aminah');
    expect(pageHtml).toContain(`href="/console/identity/link?member=${siti.id}"`);
    expect(pageHtml).not.toContain(siti.nik);

    const after = await (await op.b.fetch(`/console/identity/link?member=${siti.id}`)).text();
    expect(after).toContain(`name="member" value="${siti.id}"`);
    expect(after).not.toContain('name="nik"');
    expect(after).not.toContain(siti.nik);
  });
});
