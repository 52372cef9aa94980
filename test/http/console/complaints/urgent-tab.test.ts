import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintRoutes, dutyRoster } from '../../../../src/db/schema/index.ts';
import { fileComplaint } from '../../../../src/services/complaints/file.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { NOW } from '../../../services/distribution/fixtures.ts';
import { contact } from '../../../services/complaints/lifecycle.fixtures.ts';
import { staffActor, twoKecamatan } from '../../../services/staff/fixtures.ts';

// The inbox's emergency tab ("Darurat") through the real app: its count, only urgent reports, the deadline in
// hours ("sisa 3 jam" / "lewat 1 jam"), and the duty officer's assignment in the report's history.
// NOW is Tuesday 24 November 2026, 09:00 WIB; no office schedule is kept here, so filing counts as office hours.

describe('/console/complaints?queue=urgent', () => {
  let database: TestDatabase;
  let t: TestApp;
  let spv: SignedIn;
  let soonId: number;
  let lateId: number;
  let calmId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    const { nongsa } = await twoKecamatan(db);
    await db.insert(complaintRoutes).values({ category: 'ppks', bidang: 'Rehsos' }).onConflictDoNothing();
    const supervisor = await staffActor(db, { role: 'supervisor', name: 'Sari Supervisor' });
    const file = async (urgent: boolean, at: Date) =>
      (await fileComplaint(db, { contactId: await contact(db), category: 'ppks', summary: urgent ? 'Anak terlantar di halte' : 'Lansia perlu pendampingan', details: {}, anonymous: false, kecamatanId: nongsa, urgent, now: at, timeZone: 'Asia/Jakarta' })).id;
    // Filed 08:00 with 4 hours: due 12:00, 3 hours left at 09:00. Filed 04:00: due 08:00, 1 hour late.
    soonId = await file(true, new Date(NOW.getTime() - 3_600_000));
    lateId = await file(true, new Date(NOW.getTime() - 5 * 3_600_000));
    calmId = await file(false, NOW);
    t = await createTestApp(database, { clock: () => NOW });
    spv = await signedIn(await t.listen(), supervisor.email, supervisor.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('counts and lists only urgent reports, most pressing first, with hours left or late', async () => {
    const html = await (await spv.b.fetch('/console/complaints?queue=urgent')).text();
    expect(html).toMatch(/data-tab="urgent"[^>]*>Darurat<span class="count"[^>]*>2</);
    expect(html).toContain(`data-id="${soonId}"`);
    expect(html).toContain(`data-id="${lateId}"`);
    expect(html).not.toContain(`data-id="${calmId}"`);
    expect(html.indexOf(`data-id="${lateId}"`)).toBeLessThan(html.indexOf(`data-id="${soonId}"`));
    expect(html).toContain('sisa 3 jam');
    expect(html).toContain('lewat 1 jam');
    expect(html).toContain('Orang butuh bantuan (PPKS)');
  });

  it('keeps days in the other tabs for reports that are not urgent', async () => {
    const html = await (await spv.b.fetch('/console/complaints?queue=all')).text();
    expect(html).toContain(`data-id="${calmId}"`);
    expect(html).toMatch(new RegExp(`data-id="${calmId}"[\\s\\S]*?sisa 3 hari`));
  });

  it('says in the history that the duty officer got a report filed at night', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'operator', name: 'Oki Piket' });
    await db.insert(dutyRoster).values({ onDate: '2026-11-25', staffId: officer.id });
    const { offices, cities } = await import('../../../../src/db/schema/index.ts');
    const [city] = await db.select({ id: cities.id }).from(cities);
    await db.insert(offices).values({ cityId: city!.id, name: 'Dinas Sosial', address: 'Jl. Uji', hours: 'Senin–Jumat', schedule: [{ days: [1, 2, 3, 4, 5], opens: '08:00', closes: '16:00' }] });
    const filed = await fileComplaint(db, { contactId: await contact(db), category: 'ppks', summary: 'Gelandangan sakit di jembatan', details: { urgent: 'yes' }, anonymous: true, now: new Date('2026-11-24T19:00:00Z'), timeZone: 'Asia/Jakarta' });
    expect(filed.urgent).toBe('duty_officer');
    const html = await (await spv.b.fetch(`/console/complaints/${filed.id}`)).text();
    expect(html).toContain('Ditugaskan ke petugas piket Oki Piket (di luar jam kerja)');
    expect(html).toContain('data-testid="urgent"');
  });
});
