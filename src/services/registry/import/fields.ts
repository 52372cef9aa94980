import { readDay } from '../../../domain/cells.ts';

// Small readers for the cells of an import file. Each returns the clean value, or undefined when the
// cell is not in the form the file format promises (the caller names the reason).

/** YYYY-MM-DD or DD-MM-YYYY, a real day, from 1900 up to `todayIso`. */
export function readDate(cell: string, todayIso: string): string | undefined {
  return readDay(cell, todayIso, { forms: 'registry', minYear: 1900 });
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

// The NIK/KK and rupiah readers are shared with the disbursement import (domain/cells.ts).
export { readIdNumber, readRupiah, SIXTEEN_DIGITS } from '../../../domain/cells.ts';

/** Free text cleaned of spacing; null when empty. */
export function readText(cell: string): string | null {
  const s = cell.trim().replace(/\s+/g, ' ');
  return s === '' ? null : s;
}
