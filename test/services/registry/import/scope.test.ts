import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollments, households, kecamatan, kelurahan, members, programs } from '../../../../src/db/schema/index.ts';
import { makeNik } from '../../../../src/domain/nik.ts';
import { Forbidden } from '../../../../src/services/access.ts';
import type { Actor } from '../../../../src/services/actor.ts';
import { ENROLLMENT_HEADER } from '../../../../src/services/registry/import/enrollment-row.ts';
import { importFile, type ImportKind } from '../../../../src/services/registry/import/run.ts';
import type { ImportActor } from '../../../../src/services/registry/import/scope.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { csvLine, KK1, KK2, NOW, person, registryCsv, tempFiles } from './fixtures.ts';

// Issue 15, measured: a Batam Kota supervisor's upload set a Sagulung resident's desil from 5 to 1, changed his
// phone, flagged a disability and enrolled the family in PKH at Rp 99,000,000 a period. Now every row is held to
// the importer's scope (and the amount to the program's): such rows are refused with their line and reason,
// and the rest of the file imports.

let database: TestDatabase;
const files = tempFiles();
let batamKota: number;

// A Sagulung family (Tembesi), desil 5, with a phone and no disability; and a Batam Kota family (Belian).
const KK_SAGULUNG = '2171110101090001';
const sagulung = person(1, KK_SAGULUNG, {
  nik: makeNik('21.71.11', '1980-06-15', 'L', 1),
  born: '1980-06-15',
  nama: 'Warga Sagulung',
  kelurahan: 'Tembesi',
  kecamatan: 'Sagulung',
  desil: '5',
  telepon: '081211110001',
});
const belian = person(2, KK1, { desil: '3', telepon: '081211110002' });

const enrollmentCsv = (rows: string[][]) => [ENROLLMENT_HEADER.join(','), ...rows.map((r) => csvLine(r))].join('\n') + '\n';
const run = (actor: ImportActor, kind: ImportKind, csv: string) => importFile(database, { kind, filePath: files.write(csv), now: NOW, actor });
const reasons = (r: { problems: { line: number; reason: string }[] }) => Object.fromEntries(r.problems.map((p) => [p.line, p.reason]));

async function memberByNik(nik: string) {
  const [m] = await database.db
    .select({ name: members.name, phone: members.phone, disability: members.disability, desil: households.desil, noKk: households.noKk, kelurahan: kelurahan.name })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(eq(members.nik, nik));
  return m;
}

async function enrollmentsOf(noKk: string) {
  return database.db
    .select({ code: programs.code, amount: enrollments.amount })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .innerJoin(households, eq(households.id, enrollments.householdId))
    .where(and(eq(households.noKk, noKk), eq(enrollments.source, 'import')));
}

const staffActor = (over: Partial<Actor>): Actor => ({ kind: 'staff', id: 1, role: 'supervisor', kecamatanId: null, bidang: null, ...over });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 0, today: NOW });
  [{ id: batamKota }] = (await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Batam Kota'))) as [{ id: number }];
  // The server's own CLI imports city-wide.
  const r = await run({ kind: 'system' }, 'registry', registryCsv([sagulung, belian]));
  expect(r.counts.inserted).toBe(2);
}, 120_000);
afterAll(async () => {
  await database?.dispose();
  files.cleanup();
});

describe('a kecamatan-scoped import', () => {
  it("refuses every registry row that reaches another kecamatan's family, line by line, and imports the rest", async () => {
    const supervisor = staffActor({ kecamatanId: batamKota });
    const report = await run(
      supervisor,
      'registry',
      registryCsv([
        { ...sagulung, desil: '1', telepon: '089999999999', disabilitas: 'ya' }, // 2: the measured row, in Sagulung
        { ...sagulung, desil: '1', kelurahan: 'Belian', kecamatan: 'Batam Kota' }, // 3: the same KK "moved" into Batam Kota
        { ...sagulung, noKk: KK2, kelurahan: 'Belian', kecamatan: 'Batam Kota', telepon: '089999999999' }, // 4: his NIK copied under a new Batam Kota KK
        { ...belian, kelurahan: 'Tembesi', kecamatan: 'Sagulung' }, // 5: a Batam Kota family moved out to Sagulung
        { ...belian, desil: '1' }, // 6: in scope: imported
        person(3, KK1, { hubungan: 'anak', born: '2010-01-05' }), // 7: a new member in scope: imported
      ]),
    );
    expect(reasons(report)).toEqual({ 2: 'kecamatan_out_of_scope', 3: 'household_out_of_scope', 4: 'nik_out_of_scope', 5: 'kecamatan_out_of_scope' });
    expect(report.problems.every((p) => p.detail && !/\d{16}/.test(p.detail))).toBe(true);
    expect(report.counts).toMatchObject({ read: 6, inserted: 1, skipped: 4 });

    // The Sagulung resident is exactly as the registry had him, and nobody else holds his NIK.
    expect(await memberByNik(sagulung.nik)).toEqual({ name: 'Warga Sagulung', phone: '081211110001', disability: false, desil: 5, noKk: KK_SAGULUNG, kelurahan: 'Tembesi' });
    expect(await database.db.select({ id: households.id }).from(households).where(eq(households.noKk, KK2))).toEqual([]);
    // The Batam Kota family took the in-scope change and stayed in Belian.
    expect(await memberByNik(belian.nik)).toMatchObject({ desil: 1, kelurahan: 'Belian' });
  });

  it("refuses an enrollment of another kecamatan's family, and any amount above what the program pays", async () => {
    const supervisor = staffActor({ kecamatanId: batamKota });
    const report = await run(
      supervisor,
      'enrollments',
      enrollmentCsv([
        ['PKH', '', KK_SAGULUNG, 'active', '2026-Q4', ''], // 2: a Sagulung family
        ['PKH', '', KK_SAGULUNG, 'active', '2026-Q4', '99.000.000'], // 3: the measured row
        ['PKH', '', KK1, 'active', '2026-Q4', '99.000.000'], // 4: in scope, but a hundred times PKH
        ['PBI-JK', belian.nik, '', 'active', '2026-11', '42000'], // 5: an insurance pays no amount
        ['LANSIA', sagulung.nik, '', 'active', '2026-11', ''], // 6: a Sagulung person
        ['PKH', '', KK1, 'active', '2026-Q3', '1.500.000'], // 7: within PKH's Rp3.000.000 a quarter: imported
        ['SEMBAKO', '', KK1, 'active', '2026', '2.400.000'], // 8: twelve months of Rp200.000: imported
      ]),
    );
    expect(reasons(report)).toEqual({ 2: 'household_out_of_scope', 3: 'nominal_above_program', 4: 'nominal_above_program', 5: 'nominal_not_allowed', 6: 'household_out_of_scope' });
    expect(report.counts).toMatchObject({ read: 7, inserted: 2, skipped: 5 });
    expect(await enrollmentsOf(KK_SAGULUNG)).toEqual([]);
    expect((await enrollmentsOf(KK1)).sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: 'PKH', amount: 1_500_000 },
      { code: 'SEMBAKO', amount: 2_400_000 },
    ]);
  });
});

describe('who may import', () => {
  it('holds a bidang-scoped account to enrollments of its own programs', async () => {
    const rehsos = staffActor({ bidang: 'Rehsos' });
    await expect(run(rehsos, 'registry', registryCsv([{ ...belian, desil: '2' }]))).rejects.toBeInstanceOf(Forbidden);
    expect(await memberByNik(belian.nik)).toMatchObject({ desil: 1 });
    const report = await run(
      rehsos,
      'enrollments',
      enrollmentCsv([
        ['PKH', '', KK1, 'active', '2027-Q1', ''], // 2: Linjamsos
        ['LANSIA', sagulung.nik, '', 'active', '2027-01', ''], // 3: Rehsos, any kecamatan: this account is city-wide
      ]),
    );
    expect(reasons(report)).toEqual({ 2: 'program_out_of_scope' });
    expect(report.counts.inserted).toBe(1);
  });

  it('refuses roles without the permission before reading the file', async () => {
    for (const role of ['operator', 'viewer', 'field_officer'] as const) {
      await expect(run(staffActor({ role }), 'registry', registryCsv([{ ...belian, desil: '9' }]))).rejects.toBeInstanceOf(Forbidden);
    }
    expect(await memberByNik(belian.nik)).toMatchObject({ desil: 1 });
  });
});
