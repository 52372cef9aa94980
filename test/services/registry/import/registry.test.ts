import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households, importRuns, members } from '../../../../src/db/schema/index.ts';
import { makeNik } from '../../../../src/domain/nik.ts';
import { importFile } from '../../../../src/services/registry/import/run.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { KK1, KK2, KK3, LATER, NOW, person, registryCsv, registryFields, tempFiles } from './fixtures.ts';

let database: TestDatabase;
const files = tempFiles();
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 0, today: NOW });
}, 120_000);
afterAll(async () => {
  await database?.dispose();
  files.cleanup();
});

const importRegistry = (path: string, now = NOW) => importFile(database, { kind: 'registry', filePath: path, now, actor: { kind: 'system' } });

async function membersOf(noKk: string) {
  return database.db
    .select({ nik: members.nik, name: members.name, sex: members.sex, birthDate: members.birthDate, missingSince: members.missingSince, phone: members.phone })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(eq(households.noKk, noKk))
    .orderBy(members.nik);
}

describe('registry import: a crafted file with every kind of bad row', () => {
  it('imports the good rows and names every bad row with its line and reason', async () => {
    const head = person(1, KK1, { alamat: 'Jl. Melati, Blok C "Baru"', telepon: '0812-3456-7890' });
    const wife = person(2, KK1, { jk: 'P', born: '1988-07-25', hubungan: 'istri', tanggalLahir: '25-07-1988' });
    const child = person(3, KK1, { born: '2010-01-05', hubungan: 'anak', kelurahan: '21.71.10.1002', kecamatan: '21.71.10' });
    const other = person(4, KK2, { kelurahan: '  TEMBESI ', kecamatan: 'sagulung', disabilitas: 'ya' });
    const bad = (over: Parameters<typeof person>[2], serial = 50) => person(serial, KK3, over);
    const rows: (ReturnType<typeof person> | string[] | string)[] = [
      head, // 2
      wife, // 3
      child, // 4
      other, // 5
      { ...bad({}), nik: '217110120385005' }, // 6 nik_invalid (15 digits)
      { ...bad({}), tanggalLahir: '1985-03-13' }, // 7 nik_birth_mismatch
      { ...bad({}), jk: 'P' }, // 8 nik_sex_mismatch: a man's NIK day with P
      { ...bad({}), noKk: '21711001010900' }, // 9 no_kk_invalid
      { ...bad({}), tanggalLahir: '31-02-1985' }, // 10 date_invalid
      { ...bad({}), jk: 'X' as 'L' }, // 11 sex_invalid
      { ...bad({}), hubungan: 'sepupu' }, // 12 hubungan_invalid
      { ...bad({}), desil: '11' }, // 13 desil_invalid
      { ...bad({}), meninggal: 'mungkin' }, // 14 yes_no_invalid
      { ...bad({}), kelurahan: 'Kelurahan Atlantis' }, // 15 kelurahan_unknown
      { ...bad({}), kecamatan: 'Gotham' }, // 16 kecamatan_unknown
      { ...bad({}), kelurahan: 'Tembesi' }, // 17 kelurahan_not_in_kecamatan (Tembesi is in Sagulung)
      registryFields(bad({})).slice(0, 14), // 18 column_count
      { ...bad({}), nama: '  ' }, // 19 nama_missing
      { ...bad({}), alamat: 'Jl. Panjang\nGang 3' }, // 20–21 valid: a quoted line break, so the next row starts on line 22
      { ...bad({}), nik: '21711012038500X1' }, // 22 nik_invalid (not digits)
      { ...child, nama: 'Anak Ketiga' }, // 23 the same NIK and KK as line 4: line 4 is reported, this one wins
      { ...bad({}), rt: '1234' }, // 24 rt_rw_invalid
      { ...bad({}), tanggalLahir: '2099-01-01' }, // 25 date_invalid (future)
    ];
    const path = files.write(registryCsv(rows), 'dtsen-2026-11.csv');
    const report = await importRegistry(path);

    const reasons = Object.fromEntries(report.problems.map((p) => [p.line, p.reason]));
    expect(reasons).toEqual({
      4: 'duplicate_in_file',
      6: 'nik_invalid',
      7: 'nik_birth_mismatch',
      8: 'nik_sex_mismatch',
      9: 'no_kk_invalid',
      10: 'date_invalid',
      11: 'sex_invalid',
      12: 'hubungan_invalid',
      13: 'desil_invalid',
      14: 'yes_no_invalid',
      15: 'kelurahan_unknown',
      16: 'kecamatan_unknown',
      17: 'kelurahan_not_in_kecamatan',
      18: 'column_count',
      19: 'nama_missing',
      22: 'nik_invalid',
      24: 'rt_rw_invalid',
      25: 'date_invalid',
    });
    expect(report.counts).toMatchObject({ read: 23, inserted: 5, updated: 0, unchanged: 0, skipped: 18, householdsInserted: 3, flaggedMissing: 0 });
    expect(report.skippedByReason).toMatchObject({ nik_invalid: 2, date_invalid: 2, duplicate_in_file: 1 });

    const kk1 = await membersOf(KK1);
    expect(kk1.map((m) => [m.name, m.sex, m.birthDate]).sort()).toEqual([
      ['Anak Ketiga', 'L', '2010-01-05'],
      ['Warga 1', 'L', '1985-03-12'],
      ['Warga 2', 'P', '1988-07-25'], // DD-MM-YYYY read; the NIK day is +40
    ]);
    expect(kk1.find((m) => m.name === 'Warga 1')!.phone).toBe('081234567890');
    const [h1] = await database.db.select().from(households).where(eq(households.noKk, KK1));
    expect(h1).toMatchObject({ address: 'Jl. Melati, Blok C "Baru"', rt: '001', rw: '002', desil: 2, source: 'import:dtsen-2026-11.csv', snapshotDate: '2026-11-24' });
    const [h2] = await database.db.select({ kel: sql<string>`(select name from kelurahan where id = ${households.kelurahanId})` }).from(households).where(eq(households.noKk, KK2));
    expect(h2!.kel).toBe('Tembesi');
    const [h3] = await database.db.select().from(households).where(eq(households.noKk, KK3));
    expect(h3!.address).toBe('Jl. Panjang Gang 3'); // the line break inside quotes was read as part of the field

    const [run] = await database.db.select().from(importRuns).where(eq(importRuns.id, report.runId));
    expect(run).toMatchObject({ kind: 'registry', fileName: 'dtsen-2026-11.csv', status: 'succeeded', rowsRead: 23, inserted: 5, skipped: 18 });
    expect(run!.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run!.skippedByReason).toEqual(report.skippedByReason);
    expect(run!.problems).toHaveLength(18);
    expect(run!.problems[0]).toMatchObject({ line: 4, reason: 'duplicate_in_file' });
    expect(run!.finishedAt).not.toBeNull();
    // The report never carries a NIK or a name.
    expect(JSON.stringify(run!.problems)).not.toMatch(/\d{16}|Warga/);
  });

  it('reads a semicolon file with a BOM, CRLF line ends and quoted semicolons', async () => {
    const kk = '2171100101090100';
    const a = person(101, kk, { alamat: 'Jl. Sudirman; Ruko 7' });
    const b = person(102, kk, { hubungan: 'anak', born: '2012-12-31' });
    const path = files.write(registryCsv([a, b], { delimiter: ';', bom: true, eol: '\r\n' }));
    const report = await importRegistry(path);
    expect(report.counts).toMatchObject({ read: 2, inserted: 2, skipped: 0 });
    const [h] = await database.db.select().from(households).where(eq(households.noKk, kk));
    expect(h!.address).toBe('Jl. Sudirman; Ruko 7');
    expect((await membersOf(kk)).map((m) => m.nik)).toEqual([a.nik, b.nik].sort());
  });

  it('refuses a file whose header is not the registry header, changing nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(importRuns);
    const path = files.write('nik,kk,nama\n1,2,3\n');
    await expect(importRegistry(path)).rejects.toThrow(/the header must be "nik,no_kk,nama,tanggal_lahir/);
    await expect(importRegistry(files.dir + '/nope.csv')).rejects.toThrow(/no such file/);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(importRuns);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('registry import: idempotence and newer files', () => {
  const kk = '2171100101090200';
  const kkOther = '2171100101090201';
  const ayah = person(201, kk, { telepon: '081200000201' });
  const ibu = person(202, kk, { jk: 'P', born: '1990-02-14', hubungan: 'istri' });
  const anak = person(203, kk, { born: '2015-06-01', hubungan: 'anak' });
  const tetangga = person(204, kkOther, { kelurahan: 'Sukajadi' });

  it('the same file twice changes nothing the second time', async () => {
    const path = files.write(registryCsv([ayah, ibu, anak, tetangga]));
    const first = await importRegistry(path);
    expect(first.counts).toMatchObject({ read: 4, inserted: 4, updated: 0, unchanged: 0, skipped: 0, householdsInserted: 2 });
    const stamp = await database.db.select({ u: members.updatedAt }).from(members).where(eq(members.nik, ayah.nik));

    const second = await importRegistry(path, LATER);
    expect(second.counts).toMatchObject({
      read: 4, inserted: 0, updated: 0, unchanged: 4, skipped: 0,
      householdsInserted: 0, householdsUpdated: 0, householdsUnchanged: 2, flaggedMissing: 0,
    });
    expect(second.fileSha256).toBe(first.fileSha256);
    const again = await database.db.select({ u: members.updatedAt }).from(members).where(eq(members.nik, ayah.nik));
    expect(again).toEqual(stamp);
  });

  it('a newer file updates by NIK and KK, flags a member it no longer lists, and un-flags one that returns', async () => {
    // Newer export: new address, ibu's name corrected, anak gone, a baby born; the neighbour's row is bad this time.
    const bayi = person(205, kk, { born: '2026-10-01', hubungan: 'anak' });
    const newer = files.write(
      registryCsv([
        { ...ayah, alamat: 'Jl. Baru No. 9', telepon: '' },
        { ...ibu, nama: 'Siti Aminah' },
        bayi,
        { ...tetangga, desil: '99' },
      ]),
    );
    const r = await importRegistry(newer, LATER);
    expect(r.counts).toMatchObject({ read: 4, inserted: 1, updated: 1, unchanged: 1, skipped: 1, householdsUpdated: 1, flaggedMissing: 1 });
    expect(r.problems).toEqual([{ line: 5, reason: 'desil_invalid', detail: 'desil must be 1–10 or empty' }]);

    const now = await membersOf(kk);
    const byNik = new Map(now.map((m) => [m.nik, m]));
    expect(byNik.get(ibu.nik)!.name).toBe('Siti Aminah');
    expect(byNik.get(anak.nik)!.missingSince).toEqual(LATER); // flagged, not deleted
    expect(byNik.get(ayah.nik)!.phone).toBe('081200000201'); // an empty cell does not erase a known phone
    expect(byNik.get(ayah.nik)!.missingSince).toBeNull();
    expect(byNik.get(bayi.nik)).toBeDefined();
    const [h] = await database.db.select().from(households).where(eq(households.noKk, kk));
    expect(h!.address).toBe('Jl. Baru No. 9');
    // The neighbour's row was bad, but the neighbour is not "missing": nothing of that household changed.
    expect((await membersOf(kkOther))[0]!.missingSince).toBeNull();

    // The child is listed again: the flag is cleared, and that counts as an update.
    const third = files.write(registryCsv([{ ...ayah, alamat: 'Jl. Baru No. 9' }, { ...ibu, nama: 'Siti Aminah' }, bayi, anak]));
    const back = await importRegistry(third, new Date(LATER.getTime() + 86_400_000));
    expect(back.counts).toMatchObject({ read: 4, inserted: 0, updated: 1, unchanged: 3, flaggedMissing: 0 });
    const [child] = await database.db
      .select({ missingSince: members.missingSince })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(and(eq(households.noKk, kk), eq(members.nik, anak.nik)));
    expect(child!.missingSince).toBeNull();
  });

  it('keeps the same NIK in two families as two members (a finding, not an import error)', async () => {
    const born = '1970-05-05';
    const nik = makeNik('21.71.10', born, 'L', 777);
    const path = files.write(registryCsv([person(777, '2171100101090300', { born }), { ...person(777, '2171100101090301', { born }), nik }]));
    const r = await importRegistry(path);
    expect(r.counts).toMatchObject({ inserted: 2, skipped: 0 });
    const rows = await database.db.select({ id: members.id }).from(members).where(eq(members.nik, nik));
    expect(rows).toHaveLength(2);
  });
});
