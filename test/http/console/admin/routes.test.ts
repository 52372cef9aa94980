import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes, complaints, contacts } from '../../../../src/db/schema/index.ts';
import { fileComplaint } from '../../../../src/services/complaints/file.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { twoKecamatan } from '../../../services/staff/fixtures.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';

// The complaint routing table edited in the console, and where a complaint filed afterwards goes.

describe('console admin: complaint routes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let kec: { sagulung: number; nongsa: number };

  async function newComplaintBidang(kecamatanId: number) {
    const [c] = await database.db.insert(contacts).values({ channel: 'webchat', externalId: `route-${Math.random()}` }).returning({ id: contacts.id });
    const { id } = await fileComplaint(database.db, { contactId: c!.id, category: 'not_received', summary: 'Bantuan belum cair', details: {}, anonymous: false, kecamatanId, now: new Date() });
    return (await database.db.select({ bidang: complaints.bidang }).from(complaints).where(eq(complaints.id, id)))[0]!.bidang;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    kec = await twoKecamatan(database.db);
    await database.db.insert(complaintRoutes).values({ category: 'not_received', bidang: 'Linjamsos' });
    await createStaffUser(database.db, 'system', { email: 'admin@pintu.test', name: 'Admin', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'spv@pintu.test', name: 'Supervisor', role: 'supervisor', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('adds a kecamatan override that sends new complaints there elsewhere, then deletes it', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const page = await (await b.fetch('/console/admin/routes')).text();
    expect(page).toContain('Bawaan seluruh kota');
    expect(page).toContain('Bantuan tidak diterima');
    expect(await newComplaintBidang(kec.sagulung)).toBe('Linjamsos');

    const add = await b.post('/console/admin/routes', { _csrf: csrf, category: 'not_received', kecamatan: String(kec.sagulung), bidang: 'Rehsos' });
    expect(add.status).toBe(303);
    expect(add.headers.get('location')).toBe('/console/admin/routes?done=set');
    expect(await newComplaintBidang(kec.sagulung)).toBe('Rehsos');
    expect(await newComplaintBidang(kec.nongsa)).toBe('Linjamsos');

    const [override] = await database.db.select().from(complaintRoutes).where(eq(complaintRoutes.kecamatanId, kec.sagulung));
    const listed = await (await b.fetch('/console/admin/routes?done=set')).text();
    expect(listed).toContain('Aturan rute sudah disimpan.');
    expect(listed).toContain(`action="/console/admin/routes/${override!.id}/delete"`);

    expect((await b.post(`/console/admin/routes/${override!.id}/delete`, {})).status).toBe(403); // no CSRF token
    expect(await newComplaintBidang(kec.sagulung)).toBe('Rehsos');
    const del = await b.post(`/console/admin/routes/${override!.id}/delete`, { _csrf: csrf });
    expect(del.status).toBe(303);
    expect(await newComplaintBidang(kec.sagulung)).toBe('Linjamsos');
  });

  it('changes the city-wide default but will not delete it', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const change = await b.post('/console/admin/routes', { _csrf: csrf, category: 'not_received', kecamatan: '', bidang: 'Dayasos' });
    expect(change.status).toBe(303);
    expect(await newComplaintBidang(kec.nongsa)).toBe('Dayasos');
    const defaults = await database.db.select().from(complaintRoutes);
    expect(defaults).toHaveLength(1);
    const refused = await b.post(`/console/admin/routes/${defaults[0]!.id}/delete`, { _csrf: csrf });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('tidak bisa dihapus');
    expect(await database.db.select().from(complaintRoutes)).toEqual(defaults);
    const bad = await b.post('/console/admin/routes', { _csrf: csrf, category: 'not_received', kecamatan: '', bidang: 'Keuangan' });
    expect(bad.status).toBe(422);
    expect(await database.db.select().from(complaintRoutes)).toEqual(defaults);
  });

  it('is closed to a supervisor', async () => {
    const { b, csrf } = await signedIn(base, 'spv@pintu.test');
    expect((await b.fetch('/console/admin/routes')).status).toBe(403);
    expect((await b.post('/console/admin/routes', { _csrf: csrf, category: 'not_received', kecamatan: '', bidang: 'PM' })).status).toBe(403);
    expect(await newComplaintBidang(kec.nongsa)).toBe('Dayasos');
  });
});
