// Dates as residents type them and as the office writes them. Calendar dates travel as 'YYYY-MM-DD'
// strings so a birth date never shifts by a time zone; instants are Dates and are shown in the city's zone.

export type Locale = 'id' | 'en';

/** Every spelling of a month we have seen residents use, Indonesian and English, full and short. */
const MONTHS: Record<string, number> = {};
const MONTH_SPELLINGS: readonly string[][] = [
  ['januari', 'january', 'jan'],
  ['februari', 'pebruari', 'february', 'feb', 'peb'],
  ['maret', 'march', 'mar', 'mrt'],
  ['april', 'apr'],
  ['mei', 'may'],
  ['juni', 'june', 'jun'],
  ['juli', 'july', 'jul'],
  ['agustus', 'august', 'agu', 'agt', 'agus', 'ags', 'agst', 'aug'],
  ['september', 'sep', 'sept', 'sepr'],
  ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nopember', 'nov', 'nop'],
  ['desember', 'december', 'des', 'dec'],
];
MONTH_SPELLINGS.forEach((names, i) => {
  for (const name of names) MONTHS[name] = i + 1;
});

// Hard-coded rather than taken from ICU: the Indonesian names must not depend on the Node build's locale data.
const DAY_NAMES: Record<Locale, readonly string[]> = {
  id: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTH_NAMES: Record<Locale, readonly string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** Indonesia's three zones have official abbreviations residents know; elsewhere the IANA name is clearer. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export function zoneAbbreviation(timeZone: string): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? timeZone;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** True when the triple names a day that exists (no 31 February, 29 February only in leap years). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A birth date from free text, or null. `today` bounds it (no future births) and decides the century of
 * a two-digit year; its calendar day is taken in `timeZone` because "today" in Batam is not "today" in UTC.
 */
export function parseBirthDate(text: string, today: Date, timeZone = 'Asia/Jakarta'): string | null {
  const todayIso = todayIn(timeZone, today);
  const s = text
    .trim()
    .toLowerCase()
    .replace(/\.+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (s === '') return null;

  // The date alone, or the date inside words around it: "Batam, 12-03-1985" as the KTP's "Tempat/Tgl Lahir"
  // prints it, "tgl lahir 12 mrt 1985", "12-03-1985 pak". Every form below starts and ends with a digit, so
  // what lies before the first digit and after the last is not part of it.
  const inner = /\d(?:.*\d)?/.exec(s)?.[0];
  const candidate = readDate(s, todayIso) ?? (inner && inner !== s ? readDate(inner, todayIso) : null);
  if (!candidate) return null;
  const [y, m, d] = candidate;
  if (y < 1900 || !isRealDate(y, m, d)) return null;
  const iso = isoDate(y, m, d);
  return iso > todayIso ? null : iso;
}

type Ymd = [number, number, number];

function readDate(s: string, todayIso: string): Ymd | null {
  let m: RegExpMatchArray | null;

  // 1985-03-12 (and 1985/03/12): a four-digit year first is never a day.
  if ((m = s.match(/^(\d{4}) ?[-/.] ?(\d{1,2}) ?[-/.] ?(\d{1,2})$/))) return [+m[1]!, +m[2]!, +m[3]!];

  // 12-03-1985, 12/3/1985, 12.03.1985, 12 03 1985, and with a two-digit year 12-03-85.
  if ((m = s.match(/^(\d{1,2}) ?[-/. ] ?(\d{1,2}) ?[-/. ] ?(\d{2}|\d{4})$/))) {
    return withYear(+m[1]!, +m[2]!, m[3]!, todayIso);
  }

  // 12 Maret 1985, 12-mar-1985, 12 Mar. 1985, 12maret1985.
  if ((m = s.match(/^(\d{1,2}) ?[-/. ]? ?([a-z]+)\.? ?[-/. ]? ?(\d{2}|\d{4})$/))) {
    const month = MONTHS[m[2]!];
    return month ? withYear(+m[1]!, month, m[3]!, todayIso) : null;
  }

  // Compact 120385 (DDMMYY), the way the NIK writes it.
  if ((m = s.match(/^(\d{2})(\d{2})(\d{2})$/))) return withYear(+m[1]!, +m[2]!, m[3]!, todayIso);

  // Compact 12031985 (DDMMYYYY); 19850312 (YYYYMMDD) when the first reading is no date at all.
  if ((m = s.match(/^(\d{2})(\d{2})(\d{4})$/))) {
    const d = +m[1]!, mo = +m[2]!, y = +m[3]!;
    if (isRealDate(y, mo, d)) return [y, mo, d];
    const alt = s.match(/^(\d{4})(\d{2})(\d{2})$/)!;
    return [+alt[1]!, +alt[2]!, +alt[3]!];
  }
  return null;
}

function withYear(day: number, month: number, year: string, todayIso: string): Ymd {
  if (year.length === 4) return [+year, month, day];
  return [centuryFor(+year, month, day, todayIso), month, day];
}

/**
 * The century of a two-digit year: 20xx when that date is not after today, else 19xx. A birth date is never in
 * the future, so the latest reading that has already happened is the likely one: on 15 June 2026, "05" is 2005
 * and "85" is 1985, "26" is 2026 up to today and 1926 from tomorrow on. The pivot moves with the calendar rather
 * than being a fixed year, so it never needs changing. Someone born more than a hundred years ago who writes two
 * digits is read a century late; the NIK's own DDMMYY carries no century either, so the registry's full date
 * decides, and a four-digit year always reads as written.
 */
function centuryFor(yy: number, month: number, day: number, todayIso: string): number {
  const recent = 2000 + yy;
  // Compare as strings; an impossible day is rejected later whichever century it lands in.
  return isoDate(recent, month, day) <= todayIso ? recent : 1900 + yy;
}

function splitIso(iso: string): Ymd {
  const m = iso.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return [+m[1]!, +m[2]!, +m[3]!];
}

/** "Senin, 7 Desember 2026" / "Monday, 7 December 2026". */
export function formatDate(iso: string, locale: Locale): string {
  const [y, m, d] = splitIso(iso);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${DAY_NAMES[locale][weekday]}, ${d} ${MONTH_NAMES[locale][m - 1]} ${y}`;
}

/** "Senin, 7 Desember 2026 pukul 09.00 WIB" / "Monday, 7 December 2026 at 09:00 WIB". */
export function formatDateTime(instant: Date, locale: Locale, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const date = formatDate(isoDate(p.year, p.month, p.day), locale);
  const joiner = locale === 'id' ? 'pukul' : 'at';
  return `${date} ${joiner} ${formatTime(instant, locale, timeZone)}`;
}

/** "09.00 WIB" / "09:00 WIB": Indonesian writes the hour and minute with a dot. */
export function formatTime(instant: Date, locale: Locale, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const sep = locale === 'id' ? '.' : ':';
  return `${pad2(p.hour)}${sep}${pad2(p.minute)} ${zoneAbbreviation(timeZone)}`;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant in a zone, from Intl parts (never from a locale-formatted string). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    partFormatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const part of f.formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Today's calendar date in a zone. */
export function todayIn(timeZone: string, now: Date): string {
  const p = zonedParts(now, timeZone);
  return isoDate(p.year, p.month, p.day);
}

/**
 * Whole years between two calendar dates. Someone born on 29 February turns a year older on
 * 1 March in common years, as the civil registry counts it.
 */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = splitIso(birthDate);
  const [y, m, d] = splitIso(on);
  const beforeBirthday = m < bm || (m === bm && d < bd);
  return y - by - (beforeBirthday ? 1 : 0);
}

/** The calendar date `days` after (or before, when negative) an ISO date. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = splitIso(iso);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday, for a calendar date. */
export function weekdayOf(iso: string): number {
  const [y, m, d] = splitIso(iso);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** "Senin" / "Monday" for 0 = Sunday … 6 = Saturday. */
export function dayName(weekday: number, locale: Locale): string {
  return DAY_NAMES[locale][((weekday % 7) + 7) % 7]!;
}
