import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay } from '../../src/domain/workdays.ts';

const JKT = 'Asia/Jakarta';
// 2026-06-12 is a Friday.
const wib = (isoLocal: string) => new Date(`${isoLocal}+07:00`);

describe('addWorkingDays', () => {
  const none = new Set<string>();
  it.each([
    ['Monday + 3 → Thursday', '2026-06-08T10:00:00', 3, none, '2026-06-11T10:00:00'],
    ['Friday + 3 → Wednesday', '2026-06-12T10:00:00', 3, none, '2026-06-17T10:00:00'],
    ['Saturday + 3 → Wednesday', '2026-06-13T15:30:00', 3, none, '2026-06-17T15:30:00'],
    ['Sunday + 1 → Monday', '2026-06-14T08:00:00', 1, none, '2026-06-15T08:00:00'],
    ['zero days is now', '2026-06-13T08:00:00', 0, none, '2026-06-13T08:00:00'],
    ['Friday + 5 → next Friday', '2026-06-12T10:00:00', 5, none, '2026-06-19T10:00:00'],
    ['Friday + 10 → two weeks on', '2026-06-12T10:00:00', 10, none, '2026-06-26T10:00:00'],
    ['holiday Monday skipped', '2026-06-12T10:00:00', 3, new Set(['2026-06-15']), '2026-06-18T10:00:00'],
    ['holidays on a weekend change nothing', '2026-06-12T10:00:00', 3, new Set(['2026-06-13', '2026-06-14']), '2026-06-17T10:00:00'],
    ['run of holidays (Lebaran)', '2026-03-18T09:00:00', 3, new Set(['2026-03-19', '2026-03-20', '2026-03-23', '2026-03-24']), '2026-03-27T09:00:00'],
    // 23:30 WIB Friday is 16:30 UTC Friday: counted from the Jakarta calendar, not UTC.
    ['late Friday evening', '2026-06-12T23:30:00', 1, none, '2026-06-15T23:30:00'],
    // 00:30 WIB Saturday is Friday 17:30 UTC: still Saturday in Jakarta.
    ['just after midnight Saturday', '2026-06-13T00:30:00', 1, none, '2026-06-15T00:30:00'],
  ])('%s', (_label, start, days, holidays, due) => {
    expect(addWorkingDays(wib(start), days, holidays, JKT).toISOString()).toBe(wib(due).toISOString());
  });

  it('keeps the wall-clock time across a daylight-saving change', () => {
    // Amsterdam moves to summer time on 2026-03-29; Friday 27 March 10:00 CET + 1 → Monday 30 March 10:00 CEST.
    const start = new Date('2026-03-27T09:00:00Z');
    expect(addWorkingDays(start, 1, new Set(), 'Europe/Amsterdam').toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(new Date(), -1, new Set(), JKT)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5, new Set(), JKT)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-06-12', true],
    ['2026-06-13', false],
    ['2026-06-14', false],
    ['2026-08-17', false],
  ])('%s → %s', (day, expected) => {
    expect(isWorkingDay(day, new Set(['2026-08-17']))).toBe(expected);
  });
});
