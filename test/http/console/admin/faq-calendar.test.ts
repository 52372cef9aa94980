import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faqEntries, holidays, offices } from '../../../../src/db/schema/index.ts';
import { listOffices } from '../../../../src/services/offices.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import type { TestDatabase } from '../../../helpers/db.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';
import { SEED_NOW, seededDatabase } from '../../../services/seeded.ts';

// The admin pages of issue 18 over real HTTP: FAQ, holidays and office hours. Each change needs the CSRF
// token and settings.manage; bad input answers 422 with the reason and changes nothing.

describe('console admin: FAQ, holidays, office hours', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await seededDatabase(0);
    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    await createStaffUser(database.db, 'system', { email: 'admin@pintu.test', name: 'Admin', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'spv@pintu.test', name: 'Supervisor', role: 'supervisor', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('links the three pages from the admin index for an admin, and answers 403 to a supervisor', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const index = await (await b.fetch('/console/admin')).text();
    for (const path of ['/console/admin/faq', '/console/admin/holidays', '/console/admin/offices']) expect(index).toContain(`href="${path}"`);
    const { b: spv, csrf } = await signedIn(base, 'spv@pintu.test');
    for (const path of ['/console/admin/faq', '/console/admin/holidays', '/console/admin/offices']) expect((await spv.fetch(path)).status).toBe(403);
    expect((await spv.post('/console/admin/holidays', { _csrf: csrf, day: '2026-12-07', name: 'x' })).status).toBe(403);
    expect((await spv.post('/console/admin/faq/id/documents/hide', { _csrf: csrf })).status).toBe(403);
    expect(await database.db.select().from(faqEntries)).toEqual([]);
  });

  it('FAQ: lists the built-in topics with their current words, edits one, adds and hides a topic', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const page = await (await b.fetch('/console/admin/faq?language=en')).text();
    expect(page).toContain('data-faq-key="documents"');
    expect(page).toContain('Documents to bring'); // the English built-in words, on an Indonesian console
    expect(page).toContain('Bawaan');

    expect((await b.post('/console/admin/faq/id/documents', { title: 'x', answer: 'y' })).status).toBe(403); // no CSRF token
    const tooLong = await b.post('/console/admin/faq/id/documents', { _csrf: csrf, title: 'x'.repeat(81), answer: '' });
    expect(tooLong.status).toBe(422);
    const refused = await tooLong.text();
    expect(refused).toContain('Judul paling banyak 80 karakter.');
    expect(refused).toContain('Mohon isi jawaban.');
    expect(await database.db.select().from(faqEntries)).toEqual([]);

    const saved = await b.post('/console/admin/faq/id/documents', { _csrf: csrf, title: 'Dokumen', answer: 'Bawa KTP.' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/console/admin/faq?language=id&done=update');
    expect(await (await b.fetch('/console/admin/faq?language=id&done=update')).text()).toContain('Teks topik sudah disimpan.');

    const badKey = await b.post('/console/admin/faq', { _csrf: csrf, key: 'Kartu Hilang', language: 'id', title: 'Kartu', answer: 'Jawab' });
    expect(badKey.status).toBe(422);
    expect(await badKey.text()).toContain('Kode topik hanya boleh berisi huruf kecil');
    const taken = await b.post('/console/admin/faq', { _csrf: csrf, key: 'documents', language: 'id', title: 'Kartu', answer: 'Jawab' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('Kode topik ini sudah ada');
    const added = await b.post('/console/admin/faq', { _csrf: csrf, key: 'kartu-hilang', language: 'id', title: 'Kartu hilang', answer: 'Lapor ke bank.' });
    expect(added.headers.get('location')).toBe('/console/admin/faq?language=id&done=create');
    // In English the new topic shows the Indonesian words with a way to write them in English.
    const en = await (await b.fetch('/console/admin/faq?language=en')).text();
    expect(en).toContain('href="/console/admin/faq/en/kartu-hilang">Tulis dalam bahasa ini</a>');

    expect((await b.post('/console/admin/faq/id/kartu-hilang/hide', { _csrf: csrf })).status).toBe(303);
    const list = await (await b.fetch('/console/admin/faq?language=id')).text();
    expect(list).toContain('data-faq-key="kartu-hilang" data-active="false"');
    expect(list).toContain('action="/console/admin/faq/id/kartu-hilang/show"');
    expect((await b.fetch('/console/admin/faq/id/no-such')).status).toBe(404);
    expect((await b.fetch('/console/admin/faq/fr/documents')).status).toBe(404);
  });

  it('holidays: adds (a past day flagged), refuses a duplicate and a bad date, removes', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const added = await b.post('/console/admin/holidays', { _csrf: csrf, day: '2026-12-07', name: 'Libur daerah' });
    expect(added.headers.get('location')).toBe('/console/admin/holidays?done=add');
    const past = await b.post('/console/admin/holidays', { _csrf: csrf, day: '2026-11-02', name: 'Dicatat terlambat' });
    expect(past.headers.get('location')).toBe('/console/admin/holidays?done=addPast');
    expect(await (await b.fetch('/console/admin/holidays?done=addPast')).text()).toContain('tanggal ini sudah lewat');
    const dup = await b.post('/console/admin/holidays', { _csrf: csrf, day: '2026-12-07', name: 'Lagi' });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('Tanggal ini sudah tercatat sebagai hari libur.');
    const bad = await b.post('/console/admin/holidays', { _csrf: csrf, day: '2026-02-30', name: '' });
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('Mohon isi tanggal yang benar.');
    expect(badText).toContain('Mohon isi nama hari libur.');
    const list = await (await b.fetch('/console/admin/holidays')).text();
    expect(list).toContain('data-day="2026-11-02" data-past="true"');
    expect(list).toContain('data-day="2026-12-07" data-past="false"');
    expect((await b.post('/console/admin/holidays/2026-12-07/delete', { _csrf: csrf })).headers.get('location')).toBe('/console/admin/holidays?done=remove');
    expect(await database.db.select().from(holidays).where(eq(holidays.day, '2026-12-07'))).toEqual([]);
    expect((await b.post('/console/admin/holidays/2026-12-07/delete', { _csrf: csrf })).status).toBe(404);
  });

  it('office hours: shows the schedule, refuses opens after closes and a bad time, saves a valid one', async () => {
    const { b, csrf } = await signedIn(base, 'admin@pintu.test');
    const office = (await listOffices(database.db))[0]!;
    const list = await (await b.fetch('/console/admin/offices')).text();
    expect(list).toContain('Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB');
    const form = await (await b.fetch(`/console/admin/offices/${office.id}`)).text();
    expect(form).toMatch(/name="s1_d1" value="1" checked/);
    expect(form).toContain('name="s2_opens" type="time" value="08:00"');

    const before = await database.db.select().from(offices);
    const bad = await b.post(`/console/admin/offices/${office.id}`, { _csrf: csrf, hours: 'Senin 16.00–08.00', hoursEn: '', s1_d1: '1', s1_opens: '16:00', s1_closes: '08:00', s2_d2: '1', s2_opens: '8', s2_closes: '12:00' });
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('Jadwal 1: jam buka harus sebelum jam tutup.');
    expect(text).toContain('Jadwal 2: mohon isi jam buka dan jam tutup dengan format JJ:MM');
    expect(await database.db.select().from(offices)).toEqual(before);

    const ok = await b.post(`/console/admin/offices/${office.id}`, {
      _csrf: csrf,
      hours: 'Senin–Jumat 07.30–15.00 WIB',
      hoursEn: 'Monday–Friday 07:30–15:00 WIB',
      ...Object.fromEntries([1, 2, 3, 4, 5].map((d) => [`s1_d${d}`, '1'])),
      s1_opens: '07:30',
      s1_closes: '15:00',
    });
    expect(ok.headers.get('location')).toBe('/console/admin/offices?done=update');
    expect((await listOffices(database.db))[0]).toMatchObject({ hours: 'Senin–Jumat 07.30–15.00 WIB', schedule: [{ days: [1, 2, 3, 4, 5], opens: '07:30', closes: '15:00' }] });
    expect((await b.fetch('/console/admin/offices/999999')).status).toBe(404);
  });
});
