import { and, asc, gte, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { programs } from '../../db/schema/index.ts';
import type { BenefitPeriod } from '../../domain/benefit.ts';
import { todayIn } from '../../domain/dates.ts';

// What anyone may ask about a program in the chat — who it is for, what it gives, how often — read from the
// program's own record (its rules are the same data the eligibility checks use), never from a text kept
// beside it that could drift. Public facts: no family, no count. Beside the facts, the words staff keep on the
// program's page (requirements, schedule; issue 20), in the resident's language when written in it.

export interface ProgramFacts {
  code: string;
  name: string;
  /** The name for English-reading residents; null: the name serves both languages. */
  nameEn: string | null;
  agency: string;
  benefitType: 'cash' | 'in_kind' | 'insurance' | 'service';
  /** Rupiah per period; null for in-kind or insurance. The most, when amounts vary (rules.maxAmount). */
  amount: number | null;
  amountVaries: boolean;
  period: BenefitPeriod;
  unit: 'household' | 'person';
  maxDesil: number | null;
  minAge: number | null;
  requiresDisability: boolean;
  /** What to bring and whom to ask, as staff wrote it (Indonesian, English); null: not written. */
  requirements: string | null;
  requirementsEn: string | null;
  /** When it is paid or handed out, as staff wrote it; null: not written. */
  schedule: string | null;
  scheduleEn: string | null;
}

/** Programs running today, in code order. */
export async function programFacts(db: Db, input: { now: Date; timeZone: string }): Promise<ProgramFacts[]> {
  const today = todayIn(input.timeZone, input.now);
  const rows = await db
    .select()
    .from(programs)
    .where(and(or(isNull(programs.activeFrom), lte(programs.activeFrom, today)), or(isNull(programs.activeUntil), gte(programs.activeUntil, today))))
    .orderBy(asc(programs.code));
  return rows.map((p) => ({
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    agency: p.agency,
    benefitType: p.benefitType,
    amount: p.rules.maxAmount ?? p.benefitAmount ?? null,
    amountVaries: p.rules.maxAmount !== undefined,
    period: p.benefitPeriod,
    unit: p.unit,
    maxDesil: p.rules.maxDesil ?? null,
    minAge: p.rules.minAge ?? null,
    requiresDisability: p.rules.requiresDisability === true,
    requirements: p.requirements,
    requirementsEn: p.requirementsEn,
    schedule: p.schedule,
    scheduleEn: p.scheduleEn,
  }));
}
