// Complaint tracking IDs: ADU-YYMM-NNNNN. Short enough to read over the phone, and the month in it tells
// staff at a glance how old a report is.

import { zonedParts } from './dates.ts';

/** ADU-YYMM-NNNNN: the month the resident filed it, in the office's zone, and the row id. */
export function formatTrackingId(now: Date, id: number, timeZone: string): string {
  const p = zonedParts(now, timeZone);
  const yymm = String(p.year % 100).padStart(2, '0') + String(p.month).padStart(2, '0');
  return `ADU-${yymm}-${String(id).padStart(5, '0')}`;
}

/**
 * A tracking ID as residents type it back: any case, with spaces, dashes, dots or none
 * ("adu 2611 00042", "ADU261100042", "ADU-2611-42"). Null when it cannot be one.
 */
export function normalizeTrackingId(text: string): string | null {
  const s = text.toUpperCase().replace(/^\s*ADU/, '').trim();
  const groups = s.split(/[\s.\-_/]+/).filter((g) => g !== '');
  let yymm: string | undefined;
  let serial: string | undefined;
  if (groups.length === 1 && /^\d{9,}$/.test(groups[0]!)) {
    yymm = groups[0]!.slice(0, 4);
    serial = groups[0]!.slice(4);
  } else if (groups.length === 2) {
    [yymm, serial] = groups;
  }
  if (!yymm || !serial || !/^\d{4}$/.test(yymm) || !/^\d{1,10}$/.test(serial)) return null;
  const n = Number(serial);
  if (n < 1) return null;
  return `ADU-${yymm}-${String(n).padStart(5, '0')}`;
}

/**
 * A tracking ID in what was typed: the whole message ("adu 2611 00042"), or inside a sentence ("status
 * ADU-2611-00012 gimana"), where the ADU in front is needed so that other numbers are not read as one.
 */
export function trackingIdIn(text: string): string | null {
  const whole = normalizeTrackingId(text.replace(/\s+/g, ' ').trim().slice(0, 60));
  if (whole) return whole;
  const m = /\bADU[\s.\-_/:#]*(\d{4})[\s.\-_/]*(\d{1,10})(?!\d)/i.exec(text.slice(0, 1000));
  return m ? normalizeTrackingId(`ADU-${m[1]}-${m[2]}`) : null;
}
