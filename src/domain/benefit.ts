// How much one enrollment may be paid, from the program's own data. A file that sets an amount (the
// enrollment import's `nominal`) is bounded by what the program pays, so a mistyped or forged row cannot
// enroll a family at a hundred times the benefit. A program whose families receive different amounts (PKH
// by its components) says its most per period in rules.maxAmount; otherwise its benefit amount is the most.

export type BenefitPeriod = 'month' | 'quarter' | 'year' | 'once';

export interface BenefitBounds {
  /** Rupiah per benefit period; null for in-kind or insurance. */
  benefitAmount: number | null;
  benefitPeriod: BenefitPeriod;
  /** rules.maxAmount: the most one enrollment is paid per benefit period, when amounts vary. */
  maxAmount?: number | null;
}

const PROGRAM_MONTHS: Record<BenefitPeriod, number | null> = { month: 1, quarter: 3, year: 12, once: null };

/** Months an enrollment periode covers: 2026 (12), 2026-S2 (6), 2026-Q4 (3), 2026-11 (1); a tranche (2026-T3) is not a length. */
export function periodMonths(period: string): number | null {
  if (/^\d{4}$/.test(period)) return 12;
  if (/^\d{4}-S[1-9]$/.test(period)) return 6;
  if (/^\d{4}-Q[1-9]$/.test(period)) return 3;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return 1;
  return null;
}

/**
 * The most an enrollment of this program may be paid for `period`: the per-period most times the program's
 * periods it covers (a monthly program's 2026 is twelve months' worth), never less than one period's worth.
 * Null when the program pays no amount at all, so no amount is accepted for it.
 */
export function amountCeiling(program: BenefitBounds, period: string): number | null {
  const perPeriod = program.maxAmount ?? program.benefitAmount;
  if (perPeriod === null || perPeriod === undefined) return null;
  const months = periodMonths(period);
  const programMonths = PROGRAM_MONTHS[program.benefitPeriod];
  const periods = months !== null && programMonths !== null ? Math.max(1, Math.ceil(months / programMonths)) : 1;
  return perPeriod * periods;
}
