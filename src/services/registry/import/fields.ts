import { isoDate, isRealDate } from '../../../domain/dates.ts';

// Small readers for the cells of an import file. Each returns the clean value, or undefined when the
// cell is not in the form the file format promises (the caller names the reason).

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY = /^(\d{2})-(\d{2})-(\d{4})$/;

/** YYYY-MM-DD or DD-MM-YYYY, a real day, from 1900 up to `todayIso`. */
export function readDate(cell: string, todayIso: string): string | undefined {
  const s = cell.trim();
  let y: number, m: number, d: number;
  let match = ISO.exec(s);
  if (match) [y, m, d] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = DMY.exec(s))) [d, m, y] = [+match[1]!, +match[2]!, +match[3]!];
  else return undefined;
  if (y < 1900 || !isRealDate(y, m, d)) return undefined;
  const iso = isoDate(y, m, d);
  return iso > todayIso ? undefined : iso;
}

/** The words the import's yes/no columns promise; readYesNo also takes the short forms below. */
export const YES_NO = ['ya', 'tidak'] as const;

/** ya/tidak (also y/t, yes/no, 1/0 and an empty cell for "tidak", as spreadsheets write them). */
export function readYesNo(cell: string): boolean | undefined {
  const s = cell.trim().toLowerCase();
  if (s === 'ya' || s === 'y' || s === 'yes' || s === '1') return true;
  if (s === 'tidak' || s === 't' || s === 'no' || s === '0' || s === '') return false;
  return undefined;
}

/** 1–10, or null for an empty cell. */
export function readDesil(cell: string): number | null | undefined {
  const s = cell.trim();
  if (s === '') return null;
  if (!/^\d{1,2}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 10 ? n : undefined;
}

/** RT/RW: up to three digits, kept as written with its leading zeros ("003"); null when empty. */
export function readRtRw(cell: string): string | null | undefined {
  const s = cell.trim();
  if (s === '') return null;
  return /^\d{1,3}$/.test(s) ? s : undefined;
}

export const SIXTEEN_DIGITS = /^\d{16}$/;

/** Spreadsheets turn 16-digit numbers into text with a leading apostrophe or stray spaces. */
export function readIdNumber(cell: string): string {
  return cell.trim().replace(/^'/, '').replace(/\s+/g, '');
}

/** Free text cleaned of spacing; null when empty. */
export function readText(cell: string): string | null {
  const s = cell.trim().replace(/\s+/g, ' ');
  return s === '' ? null : s;
}

/** Rupiah as digits, with optional thousands dots ("300.000"); null when empty. */
export function readRupiah(cell: string): number | null | undefined {
  const s = cell.trim();
  if (s === '') return null;
  if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(s)) return undefined;
  const n = Number(s.replaceAll('.', ''));
  return Number.isSafeInteger(n) && n <= 2_147_483_647 ? n : undefined;
}
