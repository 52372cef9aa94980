// What a rule change would do before it is saved (issue 20): how many enrolled families it would make
// ineligible, and how many registered families it would newly make eligible. Both are counted over the whole
// registry — a program's rules are city-wide, whoever changes them — as aggregates that name nobody.
//
// The verdict is the one domain/eligibility.ts gives the aid check, written here in SQL so a city's registry
// (Depok: 326,506 households) is counted in one pass instead of loaded into the process: every rule it knows
// (active dates, desil ceiling, minimum age, disability, excluded-with) is a condition on a household and its
// members. test/services/programs/impact.test.ts holds the two to the same answer on the seeded city; a new
// kind of rule in the domain must be added to both, and that test is where a miss shows.
//
// As the pure function is asked for a family's eligibility for a program it does not yet receive, each family
// is judged as if it did not receive this one: "receiving" is the other programs the household or a member has
// verified or active. "Enrolled" is proposed, verified or active in this program (those on the way to it or
// in it; suspended and ended ones are not). A family counts only when the change moves it: enrolled and
// eligible now but not under the new rules; not enrolled and not eligible now but eligible under them.

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { todayIn } from '../../domain/dates.ts';
import { isProgramActive, type EligibilityProgram } from '../../domain/eligibility.ts';
import { latestBirthDateForAge } from '../../domain/program-input.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { getProgram } from './read.ts';
import { holdsFor } from './scope.ts';

export interface RuleImpact {
  enrolledNowIneligible: number;
  newlyEligible: number;
}

/** The rules as the eligibility function reads them, with the program's active dates. */
export type ProposedRules = Pick<EligibilityProgram, 'rules' | 'activeFrom' | 'activeUntil'>;

/** Statuses that count as receiving another program (as services/aid/summary.ts counts them). */
const RECEIVING = sql.raw(`('verified', 'active')`);
/** Statuses that count as enrolled in this one. */
const ENROLLED = sql.raw(`('proposed', 'verified', 'active')`);

const list = (codes: readonly string[]): SQL => sql.join(codes.map((c) => sql`${c}`), sql`, `);

/** Some living member meets the person-level rules (age, disability). */
function qualifyingSql(p: ProposedRules, today: string): SQL {
  const age = p.rules.minAge === undefined ? sql`true` : sql`m.birth_date <= ${latestBirthDateForAge(today, p.rules.minAge)}::date`;
  const disability = p.rules.requiresDisability ? sql`m.disability` : sql`true`;
  return sql`coalesce(bool_or(not m.deceased and ${age} and ${disability}), false)`;
}

/** The household `f` (with its qualifying flag `q`) is eligible under `p`; null rules: nobody is (a new program). */
function eligibleSql(p: ProposedRules | null, q: SQL, ownCode: string, today: string): SQL {
  if (p === null || !isProgramActive(p, today)) return sql`false`;
  const parts: SQL[] = [q];
  if (p.rules.maxDesil !== undefined) parts.push(sql`(f.desil is not null and f.desil <= ${p.rules.maxDesil})`);
  const excluded = (p.rules.excludedWith ?? []).filter((c) => c !== ownCode);
  if (excluded.length > 0) parts.push(sql`not exists (select 1 from receiving r where r.household_id = f.id and r.code in (${list(excluded)}))`);
  return sql.join(parts, sql` and `);
}

/**
 * The counts for a program's proposed rules, against its current ones (programId null: a new program, which
 * nobody is enrolled in or eligible for yet). The program must be the actor's to manage; `code` is the new
 * program's code when programId is null.
 */
export async function ruleImpact(db: Db, actor: Actor, programId: number | null, proposed: ProposedRules, opts: { now: Date; timeZone: string; code?: string }): Promise<RuleImpact | null> {
  requirePermission(actor, 'programs.manage');
  let current: ProposedRules | null = null;
  let code = opts.code ?? '';
  if (programId !== null) {
    const p = await getProgram(db, actor, programId);
    if (!p || !holdsFor(actor, 'programs.manage', p.bidang)) return null;
    current = { rules: p.rules, activeFrom: p.activeFrom, activeUntil: p.activeUntil };
    code = p.code;
  }
  return countImpact(db, programId, code, current, proposed, todayIn(opts.timeZone, opts.now));
}

/** The counting itself, without the actor: exported for the test that holds it to the pure function. */
export async function countImpact(db: Db, programId: number | null, code: string, current: ProposedRules | null, proposed: ProposedRules, today: string): Promise<RuleImpact> {
  const codes = [...new Set([...(current?.rules.excludedWith ?? []), ...(proposed.rules.excludedWith ?? [])])].filter((c) => c !== code);
  const receiving = codes.length === 0 ? sql`select null::bigint as household_id, null::text as code where false` : sql`
    select distinct coalesce(e.household_id, m.household_id) as household_id, p.code
    from enrollments e join programs p on p.id = e.program_id left join members m on m.id = e.member_id
    where e.status in ${RECEIVING} and p.code in (${list(codes)})`;
  const enrolled = programId === null ? sql`select null::bigint as household_id where false` : sql`
    select distinct coalesce(e.household_id, m.household_id) as household_id
    from enrollments e left join members m on m.id = e.member_id
    where e.program_id = ${programId} and e.status in ${ENROLLED}`;
  const [row] = rowsOf<{ lost: string | number; gained: string | number }>(
    await db.execute(sql`
      with fam as (
        select h.id, h.desil,
          ${current ? qualifyingSql(current, today) : sql`false`} as qa,
          ${qualifyingSql(proposed, today)} as qb
        from households h left join members m on m.household_id = h.id
        group by h.id
      ),
      receiving as (${receiving}),
      enrolled as (${enrolled}),
      verdict as (
        select exists (select 1 from enrolled n where n.household_id = f.id) as enrolled,
          ${eligibleSql(current, sql`f.qa`, code, today)} as ea,
          ${eligibleSql(proposed, sql`f.qb`, code, today)} as eb
        from fam f
      )
      select count(*) filter (where enrolled and ea and not eb) as lost,
             count(*) filter (where not enrolled and not ea and eb) as gained
      from verdict`),
  );
  return { enrolledNowIneligible: Number(row?.lost ?? 0), newlyEligible: Number(row?.gained ?? 0) };
}
