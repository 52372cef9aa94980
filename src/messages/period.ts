import { formatDate } from '../domain/dates.ts';
import type { Locale } from '../domain/vocabulary.ts';
import type { Translate } from './types.ts';

// Periods and days as a resident reads them, the same in the aid check and in every notice about a tranche:
// '2026-11' → "November 2026", '2026-Q4' → "triwulan IV 2026", '2026-11-12' → "12 November 2026".

/** '2026-11' → "November 2026", '2026-Q4' → "triwulan IV 2026", '2026' → "2026"; anything else as stored. */
export function periodLabel(t: Translate, locale: Locale, period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) return dayLabel(`${month[1]}-${month[2]}-01`, locale).replace(/^1 /, '');
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return t('aid:period.quarter', { year: quarter[1], number: quarter[2], quarter: ['I', 'II', 'III', 'IV'][Number(quarter[2]) - 1] });
  return period;
}

/** '2026-11-12' → "12 November 2026": the day without its weekday, as a bank's date is told. */
export function dayLabel(iso: string, locale: Locale): string {
  return formatDate(iso, locale).replace(/^[^,]*, /, '');
}
