import { programs } from '../../../db/schema/index.ts';
import type { Db } from '../../../db/client.ts';
import type { CsvRecord } from './csv.ts';
import { checkEnrollmentRow, type ProgramRef } from './enrollment-row.ts';
import type { ProblemLog } from './report.ts';
import type { ImportScope } from './scope.ts';
import { copyChunks, copyValue, type ImportSession } from './session.ts';

// The enrollments import: rows are checked, COPYed into staging, matched to members (by NIK) or households
// (by KK) in SQL, and merged: a new (program, target, period) is inserted, a changed status or amount updated.

const STAGE = 'import_enrollment_stage';
const COLUMNS = ['line', 'program_id', 'unit', 'nik', 'no_kk', 'status', 'period', 'amount'] as const;

export interface EnrollmentCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Program code (upper case) → id, unit, bidang and what it pays. */
export async function loadPrograms(db: Db): Promise<Map<string, ProgramRef>> {
  const rows = await db
    .select({
      id: programs.id,
      code: programs.code,
      unit: programs.unit,
      bidang: programs.bidang,
      benefitAmount: programs.benefitAmount,
      benefitPeriod: programs.benefitPeriod,
      rules: programs.rules,
    })
    .from(programs);
  return new Map(
    rows.map((p) => [
      p.code.toUpperCase(),
      { id: p.id, unit: p.unit, bidang: p.bidang, benefitAmount: p.benefitAmount, benefitPeriod: p.benefitPeriod, maxAmount: typeof p.rules?.maxAmount === 'number' ? p.rules.maxAmount : null },
    ]),
  );
}

export async function importEnrollments(
  session: ImportSession,
  records: AsyncIterable<CsvRecord>,
  problems: ProblemLog,
  opts: { programs: ReadonlyMap<string, ProgramRef>; scope: ImportScope; now: Date },
): Promise<EnrollmentCounts> {
  await session.exec(`create temp table ${STAGE} (
    line integer not null, program_id integer not null, unit text not null, nik text, no_kk text, status text not null,
    period text not null, amount integer, household_id bigint, member_id bigint, matches integer not null default 0
  ) on commit drop`);

  let read = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const rec of records) {
      read++;
      if (rec.error) {
        problems.add(rec.line, rec.error);
        continue;
      }
      const check = checkEnrollmentRow(rec.fields, opts.programs, opts.scope.bidang);
      if (!check.ok) {
        problems.add(rec.line, check.reason, check.detail, check.value);
        continue;
      }
      const r = check.row;
      yield `${rec.line}\t${r.programId}\t${r.unit}\t${copyValue(r.nik)}\t${copyValue(r.noKk)}\t${r.status}\t${copyValue(r.period)}\t${copyValue(r.amount)}\n`;
    }
  }
  await session.copyIn(STAGE, COLUMNS, copyChunks(lines()));
  await session.exec(`analyze ${STAGE}`);

  await session.exec(`update ${STAGE} s set household_id = h.id, matches = 1 from households h where s.unit = 'household' and h.no_kk = s.no_kk`);
  // The same NIK in two families is possible (a data-quality finding); the KK, when given, tells them apart.
  await session.exec(`
    with c as (
      select s.line, min(m.id) as id, count(*)::int as n
      from ${STAGE} s join members m on m.nik = s.nik join households h on h.id = m.household_id
      where s.unit = 'person' and (s.no_kk is null or h.no_kk = s.no_kk)
      group by s.line
    )
    update ${STAGE} s set member_id = case when c.n = 1 then c.id end, matches = c.n from c where c.line = s.line`);
  const unmatched = await session.query<{ line: number; unit: string; matches: number; has_kk: boolean }>(
    `delete from ${STAGE} where household_id is null and member_id is null returning line, unit, matches, no_kk is not null as has_kk`,
  );
  for (const u of unmatched) {
    if (u.unit === 'household') problems.add(Number(u.line), 'no_kk_unknown', 'no household with this no_kk');
    else if (Number(u.matches) > 1) problems.add(Number(u.line), 'nik_ambiguous', 'this NIK is in several households; give the no_kk');
    else problems.add(Number(u.line), 'nik_unknown', u.has_kk ? 'no member with this NIK in this no_kk' : 'no member with this NIK');
  }
  if (opts.scope.kecamatanId !== null) {
    // A scoped importer enrolls only families of their own kecamatan, by where the registry has the family.
    const outside = await session.query<{ line: number }>(
      `delete from ${STAGE} s using households h, kelurahan kl
       where h.id = coalesce(s.household_id, (select m.household_id from members m where m.id = s.member_id))
         and kl.id = h.kelurahan_id and kl.kecamatan_id <> $1
       returning s.line`,
      [opts.scope.kecamatanId],
    );
    for (const r of outside) problems.add(Number(r.line), 'household_out_of_scope', 'the family is in a kecamatan outside your scope');
  }

  const dups = await session.query<{ line: number }>(`
    with d as (
      select line, row_number() over (partition by program_id, household_id, member_id, period order by line desc) as rn from ${STAGE}
    )
    delete from ${STAGE} s using d where d.line = s.line and d.rn > 1 returning s.line`);
  for (const d of dups) problems.add(Number(d.line), 'duplicate_in_file', 'the same program, target and periode appear again further down');

  const now = opts.now.toISOString();
  let updated = 0;
  for (const target of ['household_id', 'member_id'] as const) {
    const [u] = await session.query<{ n: number }>(
      `with u as (
         update enrollments e set status = s.status, amount = s.amount, updated_at = $1::timestamptz
         from ${STAGE} s
         where s.${target} is not null and e.${target} = s.${target} and e.program_id = s.program_id and e.period = s.period
           and (e.status, e.amount) is distinct from (s.status, s.amount)
         returning s.line
       ) select count(distinct line)::int as n from u`,
      [now],
    );
    updated += Number(u!.n);
  }
  const [ins] = await session.query<{ n: number }>(
    `with i as (
       insert into enrollments (program_id, household_id, member_id, period, status, amount, source, updated_at)
       select s.program_id, s.household_id, s.member_id, s.period, s.status, s.amount, 'import', $1::timestamptz
       from ${STAGE} s
       where not exists (
         select 1 from enrollments e where e.program_id = s.program_id and e.period = s.period
           and (e.household_id = s.household_id or e.member_id = s.member_id)
       )
       returning id
     ) select count(*)::int as n from i`,
    [now],
  );
  const [total] = await session.query<{ n: number }>(`select count(*)::int as n from ${STAGE}`);
  const inserted = Number(ins!.n);
  return { read, inserted, updated, unchanged: Number(total!.n) - inserted - updated };
}
