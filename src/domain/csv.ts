// Every sheet Pintu hands out (proposals for the verification meeting, paper invitations, findings,
// complaints) is opened in a spreadsheet by office staff, as CSV or as XLSX. So: UTF-8 with a byte-order mark
// (Excel then reads Indonesian names right), CRLF lines, a cell quoted when it holds a comma, semicolon, tab,
// quote or line break (it stays one cell whichever separator the computer's locale uses), and no text that a
// spreadsheet could take for a formula, in any cell a spreadsheet could make of it.
//
// That last part cannot rest on quoting. A computer set to Indonesian splits CSV on `;`, not `,`, and a quote
// that does not open its field is just a character to it: in `LPR-1,"x;=HYPERLINK(…)"` the text after the `;`
// becomes a cell of its own, a live formula. "Text to columns" on any separator does the same inside a cell. So the text itself is made safe:
// wherever a cell could start — at the start of the text and right after every `,`, `;`, tab or line break —
// a formula start (`=`, `+`, `-`, `@`, their full-width and other compatibility forms, and the minus sign),
// even behind spaces or quotes that a spreadsheet trims, gets an apostrophe in front. The apostrophe is what
// OWASP recommends and what Excel itself uses to mark text; unlike a space it survives "trim spaces", and
// unlike a zero-width character it stays visible, so nobody copies an invisible mark into another system.

export type CsvValue = string | number | boolean | null | undefined;

/** A whole export: the header row and the rows, cells as typed values (a number stays a number). */
export interface Sheet {
  header: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}

/**
 * Characters a spreadsheet starts a formula with: the four of OWASP, every character whose compatibility
 * form begins with one of them (full-width `＝`, which Japanese and Chinese Excel accept, small and
 * super/subscript forms, ⩵), and U+2212 MINUS SIGN, which LibreOffice reads as a minus.
 * test/domain/csv.test.ts checks the list against Unicode's NFKC table.
 */
const FORMULA_START = new Set(
  [
    '=', '+', '-', '@',
    '\u207A', '\u207B', '\u207C', // ⁺ ⁻ ⁼
    '\u208A', '\u208B', '\u208C', // ₊ ₋ ₌
    '\u2212', // − minus sign
    '\u2A75', '\u2A76', // ⩵ ⩶ (two and three equals signs)
    '\uFB29', // ﬩ Hebrew alternative plus sign
    '\uFE62', '\uFE63', '\uFE66', '\uFE6B', // ﹢ ﹣ ﹦ ﹫
    '\uFF0B', '\uFF0D', '\uFF1D', '\uFF20', // ＋ － ＝ ＠
  ].map((c) => c.charCodeAt(0)),
);

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/** Where a spreadsheet (or "text to columns") may begin a new cell or row. */
const isBoundary = (c: number) => c === COMMA || c === SEMICOLON || c === TAB || c === CR || c === LF;

/**
 * What a spreadsheet may skip before it looks for `=`: every space JavaScript's `\s` knows (an import may
 * trim them), the zero-width marks, and the quote (a text qualifier to a reader that honours it).
 */
function isFiller(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x22 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The text with an apostrophe at every place a spreadsheet could start a cell with a formula. One pass from
 * the end, so it stays linear however long the text (a complaint is the resident's own and may be long):
 * `ahead` tells whether the first character after the filler from here on starts a formula.
 */
export function neutralise(text: string): string {
  // Most cells (codes, names, dates) hold no separator or line break: only their start can begin a cell.
  if (!/[,;\t\r\n]/.test(text)) {
    let i = 0;
    while (i < text.length && isFiller(text.charCodeAt(i))) i++;
    return i < text.length && FORMULA_START.has(text.charCodeAt(i)) ? `'${text}` : text;
  }
  const cuts: number[] = [];
  let ahead = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (!isFiller(c)) ahead = FORMULA_START.has(c);
    const prev = i === 0 ? -1 : text.charCodeAt(i - 1);
    if (prev !== -1 && !isBoundary(prev)) continue;
    // CR LF is one line break to every spreadsheet: the next cell starts after the LF (and a reader that did
    // split the two would find only the LF, filler, before the apostrophe put after it).
    if (prev === CR && c === LF) continue;
    // At the start and after `;` or `,` a tab or line break is a formula start of its own (OWASP); after a
    // tab or line break the cell begins past it and is judged by what follows.
    const controlStart = (prev === -1 || prev === COMMA || prev === SEMICOLON) && (c === TAB || c === CR || c === LF);
    if (ahead || controlStart) cuts.push(i);
  }
  if (cuts.length === 0) return text;
  let out = '';
  let from = 0;
  for (let k = cuts.length - 1; k >= 0; k--) {
    out += `${text.slice(from, cuts[k])}'`;
    from = cuts[k]!;
  }
  return out + text.slice(from);
}

/**
 * A value as a cell's text, made safe. A JS number stays the number it is: `-5` is a negative number to a
 * spreadsheet, not a formula, and a number's text can hold nothing else (digits, `.`, `e`, a sign). Strings
 * are never trusted, whatever they look like; nor are the texts of NaN and ±Infinity.
 */
export function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return neutralise(String(value));
}

export function csvCell(value: CsvValue): string {
  const safe = cellText(value);
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole document: the header row, then the rows. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The same, from a sheet. */
export const csvOf = (sheet: Sheet): string => csvDocument(sheet.header, sheet.rows);
