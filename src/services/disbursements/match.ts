import type { ProblemLog } from '../registry/import/report.ts';
import type { ImportSession } from '../registry/import/session.ts';
import type { ImportProgram } from './shared.ts';

// The lines of a result file, staged, matched to the enrollments they pay, all at once in SQL: a household
// program's line by the family's KK or any member's NIK, a person program's by the member's NIK (the KK, when
// given, tells two same-NIK members apart). Each check names the lines it refuses and marks them bad, so a line
// is reported once, for the first thing wrong with it.
//
// "An amount that disagrees" is judged against what this enrollment may be paid for the period: its own amount
// when the enrollment has one (PKH families differ by their components), else the program's ceiling for the
// period (domain/benefit.ts: rules.maxAmount ?? benefitAmount, times the program periods the period covers).
// More than that is refused; less is accepted, since a tranche may be paid in parts. A program that pays no
// fixed amount has no ceiling: only a positive amount is asked of its lines.

export const STAGE = 'disbursement_stage';
export const STAGE_COLUMNS = ['line', 'nik', 'no_kk', 'reference_masked', 'amount', 'status', 'transfer_date', 'reason'] as const;

/** The statuses of an enrollment a tranche may pay: not a proposal, not an ended one. */
const PAYABLE = `('verified', 'active', 'suspended')`;

export async function createStage(session: ImportSession): Promise<void> {
  await session.exec(`create temp table ${STAGE} (
    line integer not null, nik text, no_kk text, reference_masked text, amount integer not null, status text not null,
    transfer_date date not null, reason text, household_id bigint, member_id bigint, matches integer not null default 0,
    enrollment_id bigint, enrollment_amount integer, kecamatan_id integer, bad boolean not null default false
  ) on commit drop`);
}

export interface MatchContext {
  program: ImportProgram;
  period: string;
  /** The most one enrollment may be paid for the period when it has no amount of its own; null: no ceiling. */
  ceiling: number | null;
  /** The importer's kecamatan; null for the whole city. */
  kecamatanId: number | null;
}

export async function matchStage(session: ImportSession, problems: ProblemLog, ctx: MatchContext): Promise<void> {
  await session.exec(`analyze ${STAGE}`);
  const { program, period } = ctx;

  if (program.unit === 'household') {
    // The kecamatan comes with the match: every pass over half a million staged lines rewrites them all.
    await session.exec(`update ${STAGE} s set household_id = h.id, kecamatan_id = kl.kecamatan_id, matches = 1
      from households h join kelurahan kl on kl.id = h.kelurahan_id where s.no_kk is not null and h.no_kk = s.no_kk`);
    await session.exec(`
      with c as (
        select s.line, min(m.household_id) as id, count(distinct m.household_id)::int as n
        from ${STAGE} s join members m on m.nik = s.nik
        where s.no_kk is null group by s.line
      )
      update ${STAGE} s set household_id = case when c.n = 1 then c.id end, matches = c.n from c where c.line = s.line`);
  } else {
    await session.exec(`
      with c as (
        select s.line, min(m.id) as id, min(m.household_id) as household_id, count(*)::int as n
        from ${STAGE} s join members m on m.nik = s.nik join households h on h.id = m.household_id
        where s.no_kk is null or h.no_kk = s.no_kk
        group by s.line
      )
      update ${STAGE} s set member_id = case when c.n = 1 then c.id end, household_id = case when c.n = 1 then c.household_id end, matches = c.n
      from c where c.line = s.line`);
  }
  const unmatched = await session.query<{ line: number; matches: number; by_kk: boolean; has_kk: boolean }>(
    `update ${STAGE} set bad = true where household_id is null returning line, matches, (no_kk is not null and $1 = 'household') as by_kk, no_kk is not null as has_kk`,
    [program.unit],
  );
  for (const u of unmatched) {
    if (u.by_kk) problems.add(Number(u.line), 'no_kk_unknown', 'no household with this no_kk');
    else if (Number(u.matches) > 1) problems.add(Number(u.line), 'nik_ambiguous', 'this NIK is in several households; give the no_kk');
    else problems.add(Number(u.line), 'nik_unknown', u.has_kk ? 'no member with this NIK in this no_kk' : 'no member with this NIK');
  }

  await session.exec(`update ${STAGE} s set kecamatan_id = kl.kecamatan_id from households h, kelurahan kl
    where s.kecamatan_id is null and h.id = s.household_id and kl.id = h.kelurahan_id`);
  if (ctx.kecamatanId !== null) {
    // Out of scope before "not enrolled": a scoped importer learns nothing of another kecamatan's enrollments.
    const outside = await session.query<{ line: number }>(`update ${STAGE} set bad = true where not bad and kecamatan_id is distinct from $1 returning line`, [ctx.kecamatanId]);
    for (const r of outside) problems.add(Number(r.line), 'household_out_of_scope', 'the family is in a kecamatan outside your scope');
  }

  const target = program.unit === 'household' ? 'household_id' : 'member_id';
  await session.query(
    `update ${STAGE} s set enrollment_id = e.id, enrollment_amount = e.amount
     from enrollments e
     where not s.bad and e.${target} = s.${target} and e.program_id = $1 and e.period = $2 and e.status in ${PAYABLE}`,
    [program.id, period],
  );
  const notEnrolled = await session.query<{ line: number }>(`update ${STAGE} set bad = true where not bad and enrollment_id is null returning line`);
  for (const r of notEnrolled) problems.add(Number(r.line), 'not_enrolled', `${program.unit === 'household' ? 'the family' : 'this member'} is not enrolled in ${program.code} for ${period}`);

  const dups = await session.query<{ line: number; first: number }>(`
    with d as (select line, min(line) over (partition by enrollment_id) as first from ${STAGE} where not bad)
    update ${STAGE} s set bad = true from d where d.line = s.line and d.first <> s.line returning s.line, d.first`);
  for (const d of dups) problems.add(Number(d.line), 'duplicate_in_file', `the same ${program.unit === 'household' ? 'family' : 'member'} is on line ${d.first}`);
  // The same result saved again in another form (XLSX instead of CSV, other line endings, rows reordered) has
  // other bytes than the file imported before, but its lines are the same facts: each is refused as recorded.
  const recorded = await session.query<{ line: number; file_name: string }>(
    `update ${STAGE} s set bad = true from disbursements d join disbursement_files f on f.id = d.file_id
     where not s.bad and d.enrollment_id = s.enrollment_id and d.period = $1 and d.status = s.status
       and d.transfer_date = s.transfer_date and d.amount = s.amount
     returning s.line, f.file_name`,
    [period],
  );
  for (const r of recorded) problems.add(Number(r.line), 'already_recorded', `already imported from ${r.file_name}`);

  const above = await session.query<{ line: number; most: number }>(
    `update ${STAGE} set bad = true where not bad and amount > coalesce(enrollment_amount, $1::int) returning line, coalesce(enrollment_amount, $1::int) as most`,
    [ctx.ceiling],
  );
  for (const r of above) problems.add(Number(r.line), 'nominal_above', `at most ${Number(r.most)} for this ${program.unit === 'household' ? 'family' : 'member'} in ${period}`);
}
