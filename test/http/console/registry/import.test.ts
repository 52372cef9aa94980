import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households, importRuns, kecamatan, members } from '../../../../src/db/schema/index.ts';
import { makeNik } from '../../../../src/domain/nik.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { KK1, KK2, KK3, person, registryCsv } from '../../../services/registry/import/fixtures.ts';

// The registry import as an upload in the console: the same importer as the CLI, streamed from a multipart
// form, the report shown with each skipped line and its reason in words; CSRF and role checked first.

describe('console import page', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 5 });
    t = await createTestApp(database);
    base = await t.listen();
    await createStaffUser(database.db, 'system', { email: 'spv@import.test', name: 'Supervisor', role: 'supervisor', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'op@import.test', name: 'Operator', role: 'operator', password: PASSWORD });
    const [bk] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Batam Kota'));
    await createStaffUser(database.db, 'system', { email: 'spv-bk@import.test', name: 'Supervisor Batam Kota', role: 'supervisor', kecamatanId: bk!.id, password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const upload = (b: Browser, csrf: string | null, csv: string, kind = 'registry') => {
    const form = new FormData();
    if (csrf !== null) form.set('_csrf', csrf);
    form.set('kind', kind);
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'dtsen-batam.csv');
    return b.fetch('/console/import', { method: 'POST', body: form });
  };
  const memberCount = async () => (await database.db.select({ n: count() }).from(members))[0]!.n;
  const runCount = async () => (await database.db.select({ n: count() }).from(importRuns))[0]!.n;

  const csv = registryCsv([
    person(901, KK1, { hubungan: 'kepala' }),
    person(902, KK1, { hubungan: 'istri', jk: 'P', born: '1987-05-02' }),
    person(903, KK2, { hubungan: 'kepala', kelurahan: 'Kelurahan Entah' }), // line 4: unknown kelurahan
    { ...person(904, KK2, { hubungan: 'anak' }), nik: '12345' } as never, // line 5: NIK not 16 digits
  ]);

  it('imports an uploaded file and shows the report with each skipped line in words; the same file again changes nothing', async () => {
    const { b: b } = await signedIn(base, 'spv@import.test');
    const page = await (await b.fetch('/console/import')).text();
    expect(page).toContain('enctype="multipart/form-data"');
    const before = await memberCount();
    const res = await upload(b, csrfIn(page), csv);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('dtsen-batam.csv');
    expect(html).toMatch(/data-count="inserted">2</);
    expect(html).toMatch(/data-count="skipped">2</);
    expect(html).toMatch(/<td>4<\/td><td data-reason="[a-z_]+">Kelurahan tidak dikenal<\/td>/);
    expect(html).toMatch(/<td>5<\/td><td data-reason="[a-z_]+">NIK harus 16 angka<\/td>/);
    expect(await memberCount()).toBe(before + 2);

    const again = await (await upload(b, csrfIn(html), csv)).text();
    expect(again).toMatch(/data-count="inserted">0</);
    expect(again).toMatch(/data-count="unchanged">2</);
    expect(await memberCount()).toBe(before + 2);
  });

  it('refuses an upload without the form token, and an operator, before anything is imported', async () => {
    const { b: b } = await signedIn(base, 'spv@import.test');
    const runs = await runCount();
    expect((await upload(b, null, csv)).status).toBe(403);
    expect((await upload(b, 'wrong-token', csv)).status).toBe(403);
    const { b: op } = await signedIn(base, 'op@import.test');
    expect((await op.fetch('/console/import')).status).toBe(403);
    const page = await (await op.fetch('/console/password')).text();
    expect((await upload(op, csrfIn(page), csv)).status).toBe(403);
    expect(await runCount()).toBe(runs);
  });

  it("holds a kecamatan supervisor's upload to their kecamatan: another kecamatan's rows are refused by line, the rest imports", async () => {
    // A Sagulung family, imported by the city-wide supervisor.
    const KK_SAGULUNG = '2171110101090077';
    const sagulung = person(950, KK_SAGULUNG, { nik: makeNik('21.71.11', '1980-06-15', 'L', 950), born: '1980-06-15', kelurahan: 'Tembesi', kecamatan: 'Sagulung', desil: '5', telepon: '081255550950' });
    const { b: city } = await signedIn(base, 'spv@import.test');
    expect(await (await upload(city, csrfIn(await (await city.fetch('/console/import')).text()), registryCsv([sagulung]))).text()).toMatch(/data-count="inserted">1</);

    // The measured upload: his desil 5 → 1, a new phone, a disability; and a PKH enrollment at Rp 99,000,000.
    const { b } = await signedIn(base, 'spv-bk@import.test');
    const page = await (await b.fetch('/console/import')).text();
    const registry = await (
      await upload(b, csrfIn(page), registryCsv([{ ...sagulung, desil: '1', telepon: '089900000950', disabilitas: 'ya' }, person(951, KK3, { hubungan: 'kepala' })]))
    ).text();
    expect(registry).toMatch(/<td>2<\/td><td data-reason="[a-z_]+">Kecamatan di luar wilayah tugas Anda<\/td>/);
    expect(registry).toMatch(/data-count="inserted">1</); // line 3, in Batam Kota
    const enrollments = await (
      await upload(b, csrfIn(registry), ['program,nik,no_kk,status,periode,nominal', `PKH,,${KK_SAGULUNG},active,2026-Q4,99.000.000`, `PKH,,${KK_SAGULUNG},active,2026-Q4,`].join('\n'), 'enrollments')
    ).text();
    expect(enrollments).toMatch(/<td>2<\/td><td data-reason="[a-z_]+">Nominal melebihi batas program untuk periode ini<\/td>/);
    expect(enrollments).toMatch(/<td>3<\/td><td data-reason="[a-z_]+">No. KK ini keluarga di kecamatan di luar wilayah tugas Anda<\/td>/);
    expect(enrollments).toMatch(/data-count="inserted">0</);

    const [after] = await database.db
      .select({ desil: households.desil, phone: members.phone, disability: members.disability })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(eq(members.nik, sagulung.nik));
    expect(after).toEqual({ desil: 5, phone: '081255550950', disability: false });
  });

  it('names the accepted values of every refused enumerated cell, and keeps the chosen kind for the next upload', async () => {
    const { b } = await signedIn(base, 'spv@import.test');
    const page = await (await b.fetch('/console/import')).text();
    const enrollments = await (
      await upload(b, csrfIn(page), ['program,nik,no_kk,status,periode,nominal', `PKH,,${KK1},aktif,2026-Q4,`, `PKHX,,${KK1},active,2026-Q4,`].join('\n'), 'enrollments')
    ).text();
    expect(enrollments).toMatch(/<td>2<\/td><td data-reason="status_invalid">Status tidak dikenal \(isian: «aktif»\)\. Isian yang diterima: proposed, verified, active, suspended, ended\.<\/td>/);
    // Program codes are the office's data: the accepted ones come from the programs table.
    expect(enrollments).toMatch(/<td>3<\/td><td data-reason="program_unknown">Program tidak dikenal \(isian: «PKHX»\)\. Isian yang diterima: [A-Z, -]*PKH[A-Z, -]*\.<\/td>/);
    // The kind chosen for this upload is offered again.
    expect(enrollments).toContain('<option value="enrollments" selected="">');
    expect(enrollments).not.toContain('<option value="registry" selected="">');

    const registry = await (
      await upload(b, csrfIn(enrollments), registryCsv([person(961, KK3, { hubungan: 'Kepala Keluarga' as never }), { ...person(962, KK3, { hubungan: 'istri', jk: 'P' }), disabilitas: 'tuna netra' }]))
    ).text();
    expect(registry).toMatch(/<td>2<\/td><td data-reason="hubungan_invalid">Hubungan tidak dikenal \(isian: «Kepala Keluarga»\)\. Isian yang diterima: kepala, istri, suami, anak, lainnya\.<\/td>/);
    // A disability cell is health data: refused with the accepted words, never repeated.
    expect(registry).toMatch(/<td>3<\/td><td data-reason="yes_no_invalid">Isian disabilitas atau meninggal tidak dikenal Isian yang diterima: ya, tidak\.<\/td>/);
    expect(registry).not.toContain('tuna netra');
    expect(registry).toContain('<option value="registry" selected="">');
  });

  it('asks for a CSV when an Excel workbook is uploaded, keeping the kind', async () => {
    const { b } = await signedIn(base, 'spv@import.test');
    const page = await (await b.fetch('/console/import')).text();
    const form = new FormData();
    form.set('_csrf', csrfIn(page));
    form.set('kind', 'enrollments');
    // The first bytes of every .xlsx: it is a zip archive.
    form.set('file', new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])]), 'kepesertaan.xlsx');
    const runs = await runCount();
    const res = await b.fetch('/console/import', { method: 'POST', body: form });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Mohon simpan sebagai CSV (UTF-8)');
    expect(html).toContain('<option value="enrollments" selected="">');
    expect(await runCount()).toBe(runs);
  });

  it('says plainly when the file is not a registry file', async () => {
    const { b: b } = await signedIn(base, 'spv@import.test');
    const page = await (await b.fetch('/console/import')).text();
    const res = await upload(b, csrfIn(page), 'nama;umur\nBudi;40\n');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('File tidak bisa diimpor');
  });
});
