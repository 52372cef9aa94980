// Who may receive what. Programs carry their rules as data (ProgramRules on each program row), so a city
// adds a local program without a code change; this file only knows the kinds of rule, not the programs.

import { ageOn } from './dates.ts';

/** Mirrors ProgramRules in src/db/schema/programs.ts; repeated here because domain/ imports nothing else. */
export interface EligibilityRules {
  maxDesil?: number;
  minAge?: number;
  excludedWith?: string[];
  requiresDisability?: boolean;
}

export interface EligibilityProgram {
  code: string;
  unit: 'household' | 'person';
  rules: EligibilityRules;
  activeFrom: string | null;
  activeUntil: string | null;
}

export interface EligibilityMember {
  id: number;
  birthDate: string;
  disability: boolean;
  deceased: boolean;
}

export interface EligibilityInput {
  desil: number | null;
  members: readonly EligibilityMember[];
  /** Program codes the household or any member is enrolled in with status verified or active. */
  receiving: readonly string[];
  programs: readonly EligibilityProgram[];
  today: string;
}

export const INELIGIBILITY_REASONS = [
  'inactive',
  'not_ranked',
  'desil_above',
  'excluded_with',
  'no_living_member',
  'no_member_old_enough',
  'requires_disability',
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

export interface EligibilityResult {
  code: string;
  eligible: boolean;
  /** Every rule that fails, not just the first, so staff see the whole picture. Empty when eligible. */
  reasons: IneligibilityReason[];
  /** Person programs only: the members who qualify themselves (empty when none do). */
  memberIds?: number[];
}

export function isProgramActive(p: Pick<EligibilityProgram, 'activeFrom' | 'activeUntil'>, today: string): boolean {
  return (p.activeFrom === null || p.activeFrom <= today) && (p.activeUntil === null || today <= p.activeUntil);
}

/**
 * One result per program the household does not already receive. The household-level rules (desil,
 * exclusions) are shared; the person-level rules (age, disability) pick members. For a household program
 * they are met when any living member meets them (e.g. a family aid for households with an elderly member).
 */
export function evaluateEligibility(input: EligibilityInput): EligibilityResult[] {
  const receiving = new Set(input.receiving);
  const living = input.members.filter((m) => !m.deceased);
  return input.programs.filter((p) => !receiving.has(p.code)).map((p) => evaluateOne(p, input, living, receiving));
}

function evaluateOne(
  program: EligibilityProgram,
  input: EligibilityInput,
  living: readonly EligibilityMember[],
  receiving: ReadonlySet<string>,
): EligibilityResult {
  const { rules } = program;
  const reasons: IneligibilityReason[] = [];

  if (!isProgramActive(program, input.today)) reasons.push('inactive');
  // A program without a desil ceiling does not target by DTSEN rank, so being unranked does not matter to it.
  if (rules.maxDesil !== undefined) {
    if (input.desil === null) reasons.push('not_ranked');
    else if (input.desil > rules.maxDesil) reasons.push('desil_above');
  }
  if ((rules.excludedWith ?? []).some((code) => receiving.has(code))) reasons.push('excluded_with');

  const oldEnough = (m: EligibilityMember) => rules.minAge === undefined || ageOn(m.birthDate, input.today) >= rules.minAge;
  const disabledIfNeeded = (m: EligibilityMember) => !rules.requiresDisability || m.disability;
  const qualifying = living.filter((m) => oldEnough(m) && disabledIfNeeded(m));

  if (living.length === 0) {
    reasons.push('no_living_member');
  } else if (qualifying.length === 0) {
    // Name each rule nobody meets; when each is met by someone but never by the same person, both failed.
    const anyOldEnough = living.some(oldEnough);
    const anyDisabled = living.some(disabledIfNeeded);
    const metOnlySeparately = anyOldEnough && anyDisabled;
    if (!anyOldEnough || metOnlySeparately) reasons.push('no_member_old_enough');
    if (!anyDisabled || metOnlySeparately) reasons.push('requires_disability');
  }

  const result: EligibilityResult = { code: program.code, eligible: reasons.length === 0, reasons };
  if (program.unit === 'person') result.memberIds = qualifying.map((m) => m.id);
  return result;
}

/**
 * True when the household is ranked above the ceiling of every active program that has one: the
 * "desil 5 is above the line" answer, which is kinder to give plainly than a list of refusals.
 */
export function aboveAllCeilings(
  desil: number | null,
  programs: readonly Pick<EligibilityProgram, 'rules' | 'activeFrom' | 'activeUntil'>[],
  today?: string,
): boolean {
  if (desil === null) return false;
  const ceilings = programs
    .filter((p) => today === undefined || isProgramActive(p, today))
    .map((p) => p.rules.maxDesil)
    .filter((c): c is number => c !== undefined);
  return ceilings.length > 0 && ceilings.every((c) => desil > c);
}
