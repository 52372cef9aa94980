// What a program may be saved as (issue 20): every field checked at once, so the form shows each problem next
// to what was typed and nothing is saved while one remains. Pure: the console and the API both call it, and the
// service calls it again before writing, so no caller can skip it.

import { isRealDate } from './dates.ts';
import { BENEFIT_PERIODS, BENEFIT_TYPES, BIDANG, PROGRAM_UNITS } from './vocabulary.ts';

export const PROGRAM_CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/;
export const PROGRAM_NAME_MAX = 200;
export const PROGRAM_TEXT_MAX = 2000;
/** Rupiah: far above any benefit, well inside an integer column. */
export const PROGRAM_AMOUNT_MAX = 1_000_000_000;
export const PROGRAM_TARGET_MAX = 10_000_000;

/** A program as staff write it: the console's form and the API's body both become this. */
export interface ProgramInput {
  code: string;
  name: string;
  nameEn: string | null;
  agency: string;
  bidang: string | null;
  funder: string;
  benefitType: string;
  benefitAmount: number | null;
  benefitPeriod: string;
  unit: string;
  maxDesil: number | null;
  minAge: number | null;
  requiresDisability: boolean;
  excludedWith: string[];
  maxAmount: number | null;
  activeFrom: string | null;
  activeUntil: string | null;
  targetPerYear: number | null;
  requirements: string | null;
  requirementsEn: string | null;
  schedule: string | null;
  scheduleEn: string | null;
}

export type ProgramField = keyof ProgramInput;
export type ProgramProblemKind =
  | 'missing'
  | 'too_long'
  | 'invalid'
  /** A number outside what the rule can mean (desil 1–10, age 0–120, amounts and targets not negative). */
  | 'out_of_range'
  /** activeFrom after activeUntil. */
  | 'after_until'
  /** excludedWith names a program the office does not have. */
  | 'unknown_program'
  /** excludedWith names the program itself. */
  | 'self'
  /** A code another program already has. */
  | 'taken'
  /** A bidang the officer is not the head of (the service's check, shown like the others). */
  | 'not_yours';
export interface ProgramProblem {
  field: ProgramField;
  problem: ProgramProblemKind;
}

function isDay(raw: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/**
 * Every problem of a program, at once; empty when it may be saved. `knownCodes` are the office's program codes
 * (for excludedWith); the program's own code is `input.code`.
 */
export function checkProgramInput(input: ProgramInput, knownCodes: readonly string[]): ProgramProblem[] {
  const out: ProgramProblem[] = [];
  const add = (field: ProgramField, problem: ProgramProblemKind) => out.push({ field, problem });

  if (!PROGRAM_CODE.test(input.code)) add('code', input.code.trim() === '' ? 'missing' : 'invalid');
  for (const field of ['name', 'agency', 'funder'] as const) {
    const v = input[field].trim();
    if (v === '') add(field, 'missing');
    else if (v.length > PROGRAM_NAME_MAX) add(field, 'too_long');
  }
  if (input.nameEn !== null && input.nameEn.trim().length > PROGRAM_NAME_MAX) add('nameEn', 'too_long');
  if (input.bidang !== null && !(BIDANG as readonly string[]).includes(input.bidang)) add('bidang', 'invalid');
  if (!(BENEFIT_TYPES as readonly string[]).includes(input.benefitType)) add('benefitType', 'invalid');
  if (!(BENEFIT_PERIODS as readonly string[]).includes(input.benefitPeriod)) add('benefitPeriod', 'invalid');
  if (!(PROGRAM_UNITS as readonly string[]).includes(input.unit)) add('unit', 'invalid');
  if (input.benefitAmount !== null && !inRange(input.benefitAmount, 0, PROGRAM_AMOUNT_MAX)) add('benefitAmount', 'out_of_range');
  if (input.maxAmount !== null && !inRange(input.maxAmount, 0, PROGRAM_AMOUNT_MAX)) add('maxAmount', 'out_of_range');
  if (input.maxDesil !== null && !inRange(input.maxDesil, 1, 10)) add('maxDesil', 'out_of_range');
  if (input.minAge !== null && !inRange(input.minAge, 0, 120)) add('minAge', 'out_of_range');
  if (input.targetPerYear !== null && !inRange(input.targetPerYear, 0, PROGRAM_TARGET_MAX)) add('targetPerYear', 'out_of_range');

  const fromOk = input.activeFrom === null || isDay(input.activeFrom);
  const untilOk = input.activeUntil === null || isDay(input.activeUntil);
  if (!fromOk) add('activeFrom', 'invalid');
  if (!untilOk) add('activeUntil', 'invalid');
  if (fromOk && untilOk && input.activeFrom !== null && input.activeUntil !== null && input.activeFrom > input.activeUntil) add('activeFrom', 'after_until');

  if (input.excludedWith.includes(input.code)) add('excludedWith', 'self');
  else if (input.excludedWith.some((c) => !knownCodes.includes(c))) add('excludedWith', 'unknown_program');

  for (const field of ['requirements', 'requirementsEn', 'schedule', 'scheduleEn'] as const) {
    const v = input[field];
    if (v !== null && v.trim().length > PROGRAM_TEXT_MAX) add(field, 'too_long');
  }
  return out;
}

/** The rules as stored on the program (ProgramRules): only the rules that are set. */
export function rulesOf(input: Pick<ProgramInput, 'maxDesil' | 'minAge' | 'requiresDisability' | 'excludedWith' | 'maxAmount'>) {
  return {
    ...(input.maxDesil !== null ? { maxDesil: input.maxDesil } : {}),
    ...(input.minAge !== null ? { minAge: input.minAge } : {}),
    ...(input.excludedWith.length > 0 ? { excludedWith: [...new Set(input.excludedWith)] } : {}),
    ...(input.requiresDisability ? { requiresDisability: true } : {}),
    ...(input.maxAmount !== null ? { maxAmount: input.maxAmount } : {}),
  };
}

/** The form's fields as typed: a number field that is not a whole number is kept as text and named. */
export type ProgramForm = Record<string, string | string[] | undefined>;

const NUMBER_FIELDS = ['benefitAmount', 'maxDesil', 'minAge', 'maxAmount', 'targetPerYear'] as const;

/**
 * The console's form as a ProgramInput, and the fields that were not whole numbers (reported as 'invalid' by
 * the page with everything checkProgramInput finds). Blank means "not set" for every optional field.
 */
export function programInputFromForm(form: ProgramForm): { input: ProgramInput; problems: ProgramProblem[] } {
  const text = (k: string) => {
    const v = form[k];
    return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
  };
  const optional = (k: string) => (text(k) === '' ? null : text(k));
  const problems: ProgramProblem[] = [];
  const numbers = {} as Record<(typeof NUMBER_FIELDS)[number], number | null>;
  for (const k of NUMBER_FIELDS) {
    const raw = text(k).replace(/[.\s]/g, '');
    if (raw === '') numbers[k] = null;
    else if (/^-?\d{1,12}$/.test(raw)) numbers[k] = Number(raw);
    else {
      numbers[k] = null;
      problems.push({ field: k, problem: 'invalid' });
    }
  }
  const excluded = form.excludedWith;
  const excludedWith = (Array.isArray(excluded) ? excluded : excluded ? [excluded] : []).map((c) => c.trim()).filter((c) => c !== '');
  return {
    input: {
      code: text('code').toUpperCase(),
      name: text('name'),
      nameEn: optional('nameEn'),
      agency: text('agency'),
      bidang: optional('bidang'),
      funder: text('funder'),
      benefitType: text('benefitType'),
      benefitAmount: numbers.benefitAmount,
      benefitPeriod: text('benefitPeriod'),
      unit: text('unit'),
      maxDesil: numbers.maxDesil,
      minAge: numbers.minAge,
      requiresDisability: text('requiresDisability') === '1',
      excludedWith,
      maxAmount: numbers.maxAmount,
      activeFrom: optional('activeFrom'),
      activeUntil: optional('activeUntil'),
      targetPerYear: numbers.targetPerYear,
      requirements: optional('requirements'),
      requirementsEn: optional('requirementsEn'),
      schedule: optional('schedule'),
      scheduleEn: optional('scheduleEn'),
    },
    problems,
  };
}

/**
 * The latest birth date of someone at least `age` whole years old on `today` (as ageOn counts): the date `age`
 * years back, or 28 February when that is a 29 February of a common year (born on 29 February, one turns a
 * year older on 1 March). `birthDate <= this` is the same test as `ageOn(birthDate, today) >= age`, which an
 * index on the birth date can answer.
 */
export function latestBirthDateForAge(today: string, age: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const year = y - age;
  const day = m === 2 && d === 29 && !isRealDate(year, 2, 29) ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
