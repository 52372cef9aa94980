import { isoDate, isRealDate } from './dates.ts';

// Cells of an imported file that several imports read the same way (the registry's, the enrollments', a bank's
// result file): a NIK or KK number as a spreadsheet mangles it, and rupiah as Indonesians write them. Each
// returns the clean value, or undefined when the cell is not in the promised form (the caller names the reason).

export const SIXTEEN_DIGITS = /^\d{16}$/;

/** Spreadsheets turn 16-digit numbers into text with a leading apostrophe or stray spaces. */
export function readIdNumber(cell: string): string {
  return cell.trim().replace(/^'/, '').replace(/\s+/g, '');
}

/** Rupiah as digits, with optional thousands dots ("300.000"); null when empty. */
export function readRupiah(cell: string): number | null | undefined {
  const s = cell.trim();
  if (s === '') return null;
  if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(s)) return undefined;
  const n = Number(s.replaceAll('.', ''));
  return Number.isSafeInteger(n) && n <= 2_147_483_647 ? n : undefined;
}

/** The day forms each file promises: the registry's (YYYY-MM-DD, DD-MM-YYYY) or a bank's, which also writes 12/11/2026 and 1-digit parts. */
const DAY_FORMS = {
  registry: { iso: /^(\d{4})-(\d{2})-(\d{2})$/, dmy: /^(\d{2})-(\d{2})-(\d{4})$/ },
  bank: { iso: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, dmy: /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/ },
} as const;

/** A real day in one of the file's forms, from `minYear` up to `todayIso` (a file reports what happened). */
export function readDay(cell: string, todayIso: string, opts: { forms: keyof typeof DAY_FORMS; minYear: number }): string | undefined {
  const s = cell.trim();
  const { iso, dmy } = DAY_FORMS[opts.forms];
  let y: number, m: number, d: number;
  let match = iso.exec(s);
  if (match) [y, m, d] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = dmy.exec(s))) [d, m, y] = [+match[1]!, +match[2]!, +match[3]!];
  else return undefined;
  if (y < opts.minYear || !isRealDate(y, m, d)) return undefined;
  const day = isoDate(y, m, d);
  return day > todayIso ? undefined : day;
}
