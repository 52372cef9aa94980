import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaintRoutes, complaints, contacts } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { deleteRoute, listRoutes, setRoute } from '../../../src/services/complaints/routes.ts';
import { fileComplaint, routeFor } from '../../../src/services/complaints/file.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor, twoKecamatan } from '../staff/fixtures.ts';

let database: TestDatabase;
let kec: { sagulung: number; nongsa: number };
beforeAll(async () => {
  database = await createTestDatabase();
  kec = await twoKecamatan(database.db);
  await database.db.insert(complaintRoutes).values([
    { category: 'not_received', bidang: 'Linjamsos' },
    { category: 'service', bidang: 'PM' },
  ]);
});
afterAll(async () => {
  await database?.dispose();
});

async function filedBidang(category: 'not_received' | 'service', kecamatanId: number) {
  const [c] = await database.db.insert(contacts).values({ channel: 'webchat', externalId: `r-${Math.random()}` }).returning({ id: contacts.id });
  const { id } = await fileComplaint(database.db, { contactId: c!.id, category, summary: 'Bantuan belum diterima', details: {}, anonymous: false, kecamatanId, now: new Date() });
  const [row] = await database.db.select({ bidang: complaints.bidang }).from(complaints).where(eq(complaints.id, id));
  return row!.bidang;
}

describe('complaint routes', () => {
  it('adds and changes a kecamatan override, which decides where new complaints go, and deletes it', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const added = await setRoute(database.db, admin, { category: 'not_received', kecamatanId: kec.sagulung, bidang: 'Dayasos' });
    if (!added.ok) throw new Error('refused');
    expect(await filedBidang('not_received', kec.sagulung)).toBe('Dayasos');
    expect(await filedBidang('not_received', kec.nongsa)).toBe('Linjamsos');

    // Setting the same category and kecamatan again changes the row, never adds a second one.
    expect(await setRoute(database.db, admin, { category: 'not_received', kecamatanId: kec.sagulung, bidang: 'Rehsos' })).toEqual({ ok: true, id: added.id });
    expect(await routeFor(database.db, 'not_received', kec.sagulung)).toBe('Rehsos');

    expect(await deleteRoute(database.db, admin, added.id)).toEqual({ ok: true });
    expect(await filedBidang('not_received', kec.sagulung)).toBe('Linjamsos');
    expect(await deleteRoute(database.db, admin, added.id)).toEqual({ ok: false, reason: 'not_found' });

    const trail = await database.db.select().from(auditLog).where(eq(auditLog.entityId, String(added.id)));
    expect(trail.map((r) => r.action)).toEqual(['complaint_route.set', 'complaint_route.set', 'complaint_route.delete']);
    expect(trail[1]!.details).toMatchObject({ category: 'not_received', kecamatanId: kec.sagulung, bidang: 'Rehsos', previousBidang: 'Dayasos' });
  });

  it('changes a city-wide default in place and never deletes it', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const before = (await listRoutes(database.db, admin)).filter((r) => r.category === 'service');
    expect(before).toEqual([expect.objectContaining({ kecamatanId: null, bidang: 'PM' })]);
    expect(await setRoute(database.db, admin, { category: 'service', kecamatanId: null, bidang: 'Rehsos' })).toEqual({ ok: true, id: before[0]!.id });
    expect((await listRoutes(database.db, admin)).filter((r) => r.category === 'service')).toEqual([{ id: before[0]!.id, category: 'service', kecamatanId: null, bidang: 'Rehsos' }]);
    expect(await filedBidang('service', kec.nongsa)).toBe('Rehsos');
    expect(await deleteRoute(database.db, admin, before[0]!.id)).toEqual({ ok: false, reason: 'city_default' });
    expect(await routeFor(database.db, 'service', null)).toBe('Rehsos');
  });

  it('refuses bad input and changes nothing', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const rows = await database.db.select().from(complaintRoutes);
    expect(await setRoute(database.db, admin, { category: 'pizza', kecamatanId: null, bidang: 'PM' })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await setRoute(database.db, admin, { category: 'service', kecamatanId: null, bidang: 'Keuangan' })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await setRoute(database.db, admin, { category: 'service', kecamatanId: 987_654, bidang: 'PM' })).toEqual({ ok: false, reason: 'kecamatan_unknown' });
    expect(await database.db.select().from(complaintRoutes)).toEqual(rows);
  });

  it('is for settings.manage, and a kecamatan admin only touches their own kecamatan', async () => {
    for (const role of ['supervisor', 'operator', 'viewer', 'field_officer'] as const) {
      const other = await staffActor(database.db, { role });
      await expect(listRoutes(database.db, other)).rejects.toBeInstanceOf(Forbidden);
      await expect(setRoute(database.db, other, { category: 'service', kecamatanId: null, bidang: 'PM' })).rejects.toBeInstanceOf(Forbidden);
      await expect(deleteRoute(database.db, other, 1)).rejects.toBeInstanceOf(Forbidden);
    }
    const admin = await staffActor(database.db, { role: 'admin' });
    const nongsaRule = await setRoute(database.db, admin, { category: 'service', kecamatanId: kec.nongsa, bidang: 'Dayasos' });
    if (!nongsaRule.ok) throw new Error('refused');
    const local = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
    await expect(setRoute(database.db, local, { category: 'service', kecamatanId: null, bidang: 'PM' })).rejects.toBeInstanceOf(Forbidden);
    await expect(setRoute(database.db, local, { category: 'service', kecamatanId: kec.nongsa, bidang: 'PM' })).rejects.toBeInstanceOf(Forbidden);
    expect(await deleteRoute(database.db, local, nongsaRule.id)).toEqual({ ok: false, reason: 'not_found' });
    expect((await listRoutes(database.db, local)).some((r) => r.kecamatanId === kec.nongsa)).toBe(false);
    expect((await setRoute(database.db, local, { category: 'service', kecamatanId: kec.sagulung, bidang: 'Linjamsos' })).ok).toBe(true);
    expect(await routeFor(database.db, 'service', kec.nongsa)).toBe('Dayasos');
  });
});
