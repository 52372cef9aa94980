// What a resident or an operator without the right sees of personal data: enough to recognise
// ("S*** A****" is me, not my neighbour), not enough to reuse.

/** Keeps the first letter of each word: 'Siti Aminah' → 'S*** A****' (DESIGN.md's own example). */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map(maskWord)
    .join(' ');
}

const MAX_STARS = 4;

function maskWord(word: string): string {
  // Array.from counts code points, so an accented first letter stays whole. At most four stars: the
  // length of a long name would otherwise tell it apart.
  const chars = Array.from(word);
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, MAX_STARS));
}

/**
 * Keeps the ends of a number: '2171105203850001' → '2171********0001'. The area code and serial let a
 * person recognise their card; the birth date in the middle stays hidden. Too short to keep both ends
 * means everything is hidden.
 */
export function maskNumber(value: string, keepStart = 4, keepEnd = 4): string {
  const chars = Array.from(value);
  const hidden = chars.length - keepStart - keepEnd;
  if (hidden <= 0) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(hidden) + chars.slice(chars.length - keepEnd).join('');
}

/**
 * A NIK or KK number as staff and residents see it without the audited reveal: '2171105203850001' →
 * '217110******0001'. Kept: the area (province, city, kecamatan: what a person checks against the address on
 * the card) and the serial. Hidden: digits 7–12, the birth date (of a KK, its date of issue). The birth date
 * is therefore the one thing no page may show beside a masked NIK: together they are the whole number.
 * Anything that is not sixteen digits is hidden at both ends' expense, as maskNumber does.
 */
export function maskIdNumber(value: string): string {
  return /^\d{16}$/.test(value) ? `${value.slice(0, 6)}******${value.slice(12)}` : maskNumber(value);
}

// Sixteen digits, possibly typed in groups ("2171 1052 0385 0001"): a NIK or KK number.
const ID_NUMBER = /(?<!\d)(\d{4})[ .-]?(\d{2})(\d{2})[ .-]?(\d{4})[ .-]?(\d{4})(?!\d)/g;

/**
 * Masks every NIK or KK number inside free text, for what is stored of a conversation: staff reading
 * a chat history later need to see that a NIK was given, not the NIK itself.
 */
export function maskIdNumbers(text: string): string {
  // The same form as maskIdNumber: the area's six digits and the serial's four.
  return text.replace(ID_NUMBER, (_m, a: string, b: string, _c: string, _d: string, e: string) => `${a}${b}******${e}`);
}

/** True when the text holds a NIK or KK number anywhere, however it was grouped. */
export function hasIdNumber(text: string): boolean {
  return new RegExp(ID_NUMBER.source).test(text);
}
