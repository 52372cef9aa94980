import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollments, households, importRuns, members, programs } from '../../../../src/db/schema/index.ts';
import { csvLine, KK1, LATER, NOW, person, registryCsv, tempFiles } from './fixtures.ts';
import { ENROLLMENT_HEADER } from '../../../../src/services/registry/import/enrollment-row.ts';
import { importFile } from '../../../../src/services/registry/import/run.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';

let database: TestDatabase;
const files = tempFiles();
const ayah = person(1, KK1);
const ibu = person(2, KK1, { jk: 'P', born: '1950-04-20', hubungan: 'istri' });
// The same NIK in a second family: an enrollment by NIK alone cannot tell which one is meant.
const KK_TWIN = '2171100101090009';
const twin = person(3, KK_TWIN);
const twinElsewhere = person(3, '2171100101090010');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 0, today: NOW });
  const path = files.write(registryCsv([ayah, ibu, twin, twinElsewhere]));
  const r = await importFile(database, { kind: 'registry', filePath: path, now: NOW, actor: { kind: 'system' } });
  expect(r.counts.inserted).toBe(4);
}, 120_000);
afterAll(async () => {
  await database?.dispose();
  files.cleanup();
});

const enrollmentCsv = (rows: string[][], delimiter = ',') => [ENROLLMENT_HEADER.join(delimiter), ...rows.map((r) => csvLine(r, delimiter))].join('\n') + '\n';
const importEnrollments = (path: string, now = NOW) => importFile(database, { kind: 'enrollments', filePath: path, now, actor: { kind: 'system' } });

async function enrollmentsOf(code: string) {
  return database.db
    .select({ status: enrollments.status, period: enrollments.period, amount: enrollments.amount, householdId: enrollments.householdId, memberId: enrollments.memberId, source: enrollments.source })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(and(eq(programs.code, code), eq(enrollments.source, 'import')));
}

describe('enrollments import', () => {
  it('enrolls households by KK and persons by NIK, and reports every bad row with its line', async () => {
    const rows = [
      ['PKH', '', KK1, 'active', '2026-Q4', '750.000'], // 2 household program by KK
      ['pbi-jk', ibu.nik, '', 'active', '2026-11', ''], // 3 person program by NIK, code in any case
      ['LANSIA', twin.nik, KK_TWIN, 'verified', '2026', '2400000'], // 4 person by NIK, the KK picks the family
      ['BANSOS-X', ayah.nik, KK1, 'active', '2026-Q4', ''], // 5 program_unknown
      ['PBI-JK', '2171101203859999', '', 'active', '2026-11', ''], // 6 nik_unknown
      ['PKH', '', '2171100101099999', 'active', '2026-Q4', ''], // 7 no_kk_unknown
      ['PKH', '', KK1, 'approved', '2026-Q4', ''], // 8 status_invalid
      ['PKH', '', KK1, 'active', 'Q4/2026', ''], // 9 periode_invalid
      ['PKH', '', KK1, 'active', '2026-Q4', 'Rp 750rb'], // 10 nominal_invalid
      ['PBI-JK', '', KK1, 'active', '2026-11', ''], // 11 nik_missing
      ['PBI-JK', twin.nik, '', 'active', '2026-11', ''], // 12 nik_ambiguous
      ['PKH', '', '12345', 'active', '2026-Q4', ''], // 13 no_kk_invalid
      ['PKH', '', KK1], // 14 column_count
      ['PBI-JK', ibu.nik, '', 'verified', '2026-11', ''], // 15 the same as line 3 again: line 3 is reported, this one wins
    ];
    const report = await importEnrollments(files.write(enrollmentCsv(rows), 'penerima-2026-11.csv'));
    expect(Object.fromEntries(report.problems.map((p) => [p.line, p.reason]))).toEqual({
      3: 'duplicate_in_file',
      5: 'program_unknown',
      6: 'nik_unknown',
      7: 'no_kk_unknown',
      8: 'status_invalid',
      9: 'periode_invalid',
      10: 'nominal_invalid',
      11: 'nik_missing',
      12: 'nik_ambiguous',
      13: 'no_kk_invalid',
      14: 'column_count',
    });
    expect(report.counts).toEqual({ read: 14, inserted: 3, updated: 0, unchanged: 0, skipped: 11 });

    const [hh] = await database.db.select({ id: households.id }).from(households).where(eq(households.noKk, KK1));
    expect(await enrollmentsOf('PKH')).toEqual([{ status: 'active', period: '2026-Q4', amount: 750_000, householdId: hh!.id, memberId: null, source: 'import' }]);
    const [ibuRow] = await database.db.select({ id: members.id }).from(members).where(eq(members.nik, ibu.nik));
    expect(await enrollmentsOf('PBI-JK')).toEqual([{ status: 'verified', period: '2026-11', amount: null, householdId: null, memberId: ibuRow!.id, source: 'import' }]);
    const [twinRow] = await database.db
      .select({ id: members.id })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(and(eq(members.nik, twin.nik), eq(households.noKk, KK_TWIN)));
    expect((await enrollmentsOf('LANSIA'))[0]!.memberId).toBe(twinRow!.id);

    const [run] = await database.db.select().from(importRuns).where(eq(importRuns.id, report.runId));
    expect(run).toMatchObject({ kind: 'enrollments', status: 'succeeded', rowsRead: 14, inserted: 3, skipped: 11 });
  });

  it('is idempotent, and a newer file updates status and amount', async () => {
    const rows = [
      ['PKH', '', KK1, 'active', '2026-Q4', '750000'],
      ['PBI-JK', ibu.nik, '', 'verified', '2026-11', ''],
    ];
    const again = await importEnrollments(files.write(enrollmentCsv(rows, ';')), LATER);
    expect(again.counts).toEqual({ read: 2, inserted: 0, updated: 0, unchanged: 2, skipped: 0 });

    const newer = [
      ['PKH', '', KK1, 'suspended', '2026-Q4', '750000'],
      ['PBI-JK', ibu.nik, '', 'verified', '2026-11', ''],
      ['PKH', '', KK1, 'active', '2027-Q1', ''],
    ];
    const r = await importEnrollments(files.write(enrollmentCsv(newer)), LATER);
    expect(r.counts).toEqual({ read: 3, inserted: 1, updated: 1, unchanged: 1, skipped: 0 });
    expect((await enrollmentsOf('PKH')).map((e) => [e.period, e.status]).sort()).toEqual([
      ['2026-Q4', 'suspended'],
      ['2027-Q1', 'active'],
    ]);
  });
});
