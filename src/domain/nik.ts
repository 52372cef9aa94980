// NIK (Nomor Induk Kependudukan): 16 digits = area (province 2, city 2, kecamatan 2) + birth date DDMMYY
// (day + 40 for women) + a 4-digit serial. The birth part is what lets the bot check an identity claim
// without a second secret: whoever gives a NIK must also give a birth date that agrees with it.

export type Sex = 'L' | 'P'; // as printed on the KTP: laki-laki, perempuan

export interface NikParts {
  areaCode: string; // 6 digits, e.g. 217110
  provinceCode: string;
  cityCode: string;
  kecamatanCode: string;
  birthDay: number; // 1–31, the +40 already removed
  birthMonth: number;
  birthYearTwoDigits: number;
  sex: Sex;
  serial: string; // 4 digits, never 0000
}

const DIGITS_16 = /^\d{16}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// February allows 29: the NIK carries no century, so a leap year can never be ruled out.
const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseNik(nik: string): NikParts | null {
  if (!DIGITS_16.test(nik)) return null;
  const provinceCode = nik.slice(0, 2);
  const cityCode = nik.slice(2, 4);
  const kecamatanCode = nik.slice(4, 6);
  if (provinceCode === '00' || cityCode === '00' || kecamatanCode === '00') return null;
  const dd = Number(nik.slice(6, 8));
  const birthMonth = Number(nik.slice(8, 10));
  const birthYearTwoDigits = Number(nik.slice(10, 12));
  const sex: Sex = dd > 40 ? 'P' : 'L';
  const birthDay = sex === 'P' ? dd - 40 : dd;
  if (birthMonth < 1 || birthMonth > 12) return null;
  if (birthDay < 1 || birthDay > MAX_DAY[birthMonth - 1]!) return null;
  const serial = nik.slice(12);
  if (serial === '0000') return null;
  return {
    areaCode: nik.slice(0, 6),
    provinceCode,
    cityCode,
    kecamatanCode,
    birthDay,
    birthMonth,
    birthYearTwoDigits,
    sex,
    serial,
  };
}

export function isValidNik(nik: string): boolean {
  return parseNik(nik) !== null;
}

/** Digits 7–12 of the NIK of someone born on `birthDate` (YYYY-MM-DD). Throws on an impossible date. */
export function nikBirthPart(birthDate: string, sex: Sex): string {
  const d = parseIsoDate(birthDate);
  if (!d) throw new RangeError(`not a date: ${birthDate}`);
  const dd = d.day + (sex === 'P' ? 40 : 0);
  return pad2(dd) + pad2(d.month) + pad2(d.year % 100);
}

/**
 * True when `nik` is well formed and its birth part agrees with `birthDate`. When the sex is unknown
 * (a resident typed only NIK and birth date) either reading of the day is accepted.
 */
export function nikAgrees(nik: string, birthDate: string, sex?: Sex): boolean {
  const parts = parseNik(nik);
  const d = parseIsoDate(birthDate);
  if (!parts || !d) return false;
  if (sex && parts.sex !== sex) return false;
  return parts.birthDay === d.day && parts.birthMonth === d.month && parts.birthYearTwoDigits === d.year % 100;
}

/** Area digits of a Kemendagri code: '21.71.10' → '217110'. */
export function areaDigits(kecamatanCode: string): string {
  const digits = kecamatanCode.replaceAll('.', '');
  if (!/^\d{6}$/.test(digits)) throw new RangeError(`not a kecamatan code: ${kecamatanCode}`);
  return digits;
}

/** Builds a NIK for a person registered in `kecamatanCode` (e.g. '21.71.10'); serial 1–9999. */
export function makeNik(kecamatanCode: string, birthDate: string, sex: Sex, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new RangeError(`NIK serial out of range: ${serial}`);
  return areaDigits(kecamatanCode) + nikBirthPart(birthDate, sex) + String(serial).padStart(4, '0');
}

function parseIsoDate(s: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const t = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 April over into May; a round trip catches it.
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return { year, month, day };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Without the spaces, dots and dashes people put in a NIK they copy from a KTP. */
export function normalizeNik(text: string): string {
  return text.replace(/[\s.-]/g, '');
}

/** What a typed text holds where a NIK or a KK number is asked. */
export type IdNumberReading =
  /** One 16-digit number: the digits only. */
  | { kind: 'number'; digits: string }
  /** No digit at all ("tidak tahu"). */
  | { kind: 'none' }
  /** A letter inside the number: O for 0 or l for 1, the commonest slip when copying a card. */
  | { kind: 'letter' }
  /** Digits, but no number of sixteen: `count` digits in the longest run. */
  | { kind: 'length'; count: number };

// Between two groups of one number: one or two spaces, or a dot or dash with a space either side at most
// ("2171 1052 0385 0001", "2171.1052.0385.0001", "2171 - 1052 - 0385 - 0001"). A comma or a word ends it.
const GROUP_JOINER = /^(?: {1,2}|\t| ?[.-] ?)$/;

/**
 * The NIK or KK number inside what a resident typed: the whole message ("2171-1052-0385-0001") or a sentence
 * ("nik saya 2171 1052 0385 0001 pak"). A number is a run of digit groups joined by spaces, dots or dashes;
 * sixteen digits of consecutive whole groups make one ("2171105203850001 12-03-1985" holds one, before the
 * date), and a group is never cut, so seventeen digits in a row are not a NIK with one too many. When the text
 * holds several, the one right after `label` (a word such as "nik") wins, otherwise the first.
 */
export function readIdNumber(text: string, label?: RegExp): IdNumberReading {
  const s = text.slice(0, 1000);
  const groups = [...s.matchAll(/\d+/g)].map((m) => ({ digits: m[0], start: m.index, end: m.index + m[0].length }));
  if (groups.length === 0) return { kind: 'none' };

  // Runs of groups that belong to one written number.
  const runs: (typeof groups)[] = [];
  for (const g of groups) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && GROUP_JOINER.test(s.slice(prev.end, g.start))) run.push(g);
    else runs.push([g]);
  }

  const found: { digits: string; start: number; end: number }[] = [];
  for (const run of runs) {
    for (let i = 0; i < run.length; ) {
      let digits = '';
      let j = i;
      while (j < run.length && digits.length < 16) digits += run[j++]!.digits;
      if (digits.length === 16) {
        found.push({ digits, start: run[i]!.start, end: run[j - 1]!.end });
        i = j;
      } else i++;
    }
  }
  if (found.length > 0) {
    // The words between the previous number and this one name it: "NIK 2171… KK 2171…".
    const labelled = label ? found.find((f, k) => label.test(s.slice(k === 0 ? 0 : found[k - 1]!.end, f.start))) : undefined;
    return { kind: 'number', digits: (labelled ?? found[0]!).digits };
  }
  if (/[\p{L}]\d|\d[\p{L}]/u.test(s)) return { kind: 'letter' };
  const count = Math.max(...runs.map((run) => run.reduce((n, g) => n + g.digits.length, 0)));
  return { kind: 'length', count };
}
