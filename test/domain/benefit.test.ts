import { describe, expect, it } from 'vitest';
import { amountCeiling, periodMonths } from '../../src/domain/benefit.ts';

describe('amountCeiling', () => {
  const pkh = { benefitAmount: 750_000, benefitPeriod: 'quarter' as const, maxAmount: 3_000_000 };
  const lansia = { benefitAmount: 300_000, benefitPeriod: 'month' as const };
  const insurance = { benefitAmount: null, benefitPeriod: 'month' as const };

  it("bounds an amount by the program's most per period, times the periods the periode covers", () => {
    expect(amountCeiling(pkh, '2026-Q4')).toBe(3_000_000);
    expect(amountCeiling(pkh, '2026')).toBe(12_000_000);
    expect(amountCeiling(pkh, '2026-11')).toBe(3_000_000); // never less than one period's worth
    expect(amountCeiling(lansia, '2026-11')).toBe(300_000);
    expect(amountCeiling(lansia, '2026-S2')).toBe(1_800_000);
    expect(amountCeiling(lansia, '2026')).toBe(3_600_000);
    expect(amountCeiling(lansia, '2026-T3')).toBe(300_000); // a tranche has no length: one period
    expect(amountCeiling({ benefitAmount: 1_000_000, benefitPeriod: 'once' }, '2026')).toBe(1_000_000);
  });

  it('accepts no amount for a program that pays none', () => {
    expect(amountCeiling(insurance, '2026-11')).toBeNull();
    expect(amountCeiling({ ...insurance, maxAmount: 42_000 }, '2026-11')).toBe(42_000);
  });

  it('reads the length of every periode form', () => {
    expect(['2026', '2026-S1', '2026-Q2', '2026-07', '2026-T1'].map(periodMonths)).toEqual([12, 6, 3, 1, null]);
  });
});
