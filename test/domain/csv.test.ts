import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, csvDocument, neutralise, type CsvValue } from '../../src/domain/csv.ts';
import { formulaCellsInAnyReading, formulaLike, splitCsv } from '../helpers/spreadsheet.ts';

// The one CSV writer of every export. The measured hole (issue 15): a computer set to Indonesian splits CSV
// on `;`, so `;=HYPERLINK(…)` in a complaint became a live formula although the cell was quoted and its start
// was guarded. Here every reading a spreadsheet may make of the file — `,`, `;` or tab, quotes honoured or
// ignored — is checked for cells that start a formula, for any text (test/helpers/spreadsheet.ts says how a
// spreadsheet reads).

const HOSTILE = [
  ';=HYPERLINK("http://evil","x")',
  ',=1+1',
  "=cmd|' /C calc'!A0",
  '@SUM(1)',
  '+1',
  '-1',
  '\t=1+1',
  ' =1+1',
  '＝1+1',
  'Bapak;\t=1',
  'baris satu\r\n=2+2',
  'a\r=3',
  'x,"=4"',
  'x;\u200B=5',
  '\u2212 6',
];

/** The writer before issue 15: the start of the cell guarded, the rest only quoted. */
function previousCsv(header: string[], rows: string[][]): string {
  const cell = (s: string) => {
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Characters that make trouble, often enough that fast-check meets them together. */
const TRICKY = ['=', '+', '-', '@', ',', ';', '\t', '\r', '\n', '\r\n', '"', "'", ' ', '\u00A0', '\u200B', '\uFEFF', '＝', '＋', '－', '＠', '\u2212', '﹦', '⁼', 'a', 'Z', '1', '0', '.', '(', ')', '|', '!'];
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);
const sheet = fc.record({
  header: fc.array(text, { minLength: 1, maxLength: 4 }),
  rows: fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
});

describe('the CSV writer', () => {
  it('the spreadsheet reading of these tests sees the measured hole in the previous writer', () => {
    // Without this, a reader that saw no formulas anywhere would pass everything below.
    const found = formulaCellsInAnyReading(previousCsv(['nomor', 'isi'], [['LPR-1', HOSTILE[0]!]]));
    expect(found).toContainEqual({ sep: ';', quotes: true, cell: '=HYPERLINK(""http://evil"",""x"")"' });
    expect(found).toContainEqual({ sep: ';', quotes: false, cell: '=HYPERLINK(""http://evil"",""x"")"' });
  });

  it('writes the measured case so no separator reads a formula from it', () => {
    const csv = csvDocument(['nomor', 'isi'], [['LPR-1', ';=HYPERLINK("http://evil","x")']]);
    expect(csv).toBe('\uFEFFnomor,isi\r\nLPR-1,";\'=HYPERLINK(""http://evil"",""x"")"\r\n');
    expect(formulaCellsInAnyReading(csv)).toEqual([]);
    // Read as the office's comma reader reads it: one cell, the text with one apostrophe added.
    expect(splitCsv(csv.slice(1), ',', true)[1]).toEqual(['LPR-1', ";'=HYPERLINK(\"http://evil\",\"x\")"]);
  });

  it.each(HOSTILE)('guards %j in every reading', (hostile) => {
    expect(formulaCellsInAnyReading(csvDocument(['isi'], [[hostile], [`Bapak/Ibu ${hostile}`]]))).toEqual([]);
  });

  it('puts the apostrophe where a cell could start, and nowhere else', () => {
    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise(' =1+1')).toBe("' =1+1"); // before the space, which an import may trim
    expect(neutralise('＝1+1')).toBe("'＝1+1");
    expect(neutralise('a, =1')).toBe("a,' =1");
    expect(neutralise('a;"=1"')).toBe('a;\'"=1"');
    expect(neutralise('\tteks')).toBe("'\tteks");
    expect(neutralise('a;\nb')).toBe("a;'\nb");
    // CR LF is one line break: the apostrophe goes after it, not between.
    expect(neutralise('Keluhan:\r\n- beras\r\n- minyak')).toBe("Keluhan:\r\n'- beras\r\n'- minyak");
    // Ordinary text is left alone, signs inside it included.
    for (const plain of ['Jl. Merdeka No. 5, RT 01/RW 02', '2026-11-24 09:05', 'Siti-Aminah; anak 2', 'a=b', 'harga +10%', '']) {
      expect(neutralise(plain)).toBe(plain);
    }
  });

  it('keeps a number a number, and never trusts a string', () => {
    expect(cellText(-5)).toBe('-5');
    expect(cellText(1.5e-7)).toBe('1.5e-7');
    expect(cellText('-5')).toBe("'-5");
    expect(cellText(Number.NEGATIVE_INFINITY)).toBe("'-Infinity");
    expect(cellText(Number.NaN)).toBe('NaN');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    const csv = csvDocument(['n', 's'], [[-5, '-5']]);
    expect(csv).toBe("\uFEFFn,s\r\n-5,'-5\r\n");
  });

  it('no cell of any reading starts a formula, whatever the text (property)', () => {
    fc.assert(
      fc.property(sheet, ({ header, rows }) => {
        expect(formulaCellsInAnyReading(csvDocument(header, rows))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('a reader that honours quotes and commas gets back every cell as written (property)', () => {
    fc.assert(
      fc.property(sheet, ({ header, rows }) => {
        const csv = csvDocument(header, rows);
        expect(csv.startsWith('\uFEFF')).toBe(true);
        expect(csv.endsWith('\r\n')).toBe(true);
        const read = splitCsv(csv.slice(1), ',', true);
        expect(read).toEqual([header, ...rows].map((r) => r.map((v: CsvValue) => cellText(v))));
      }),
    );
  });

  it('only adds apostrophes, once, and leaves text without formula starts as it was (property)', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = neutralise(s);
        expect(out.replaceAll("'", '')).toBe(s.replaceAll("'", ''));
        expect(neutralise(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
    const calm = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', ';', '"', "'", '.', '/', '(', ')'), maxLength: 30 });
    fc.assert(
      fc.property(calm, (s) => {
        expect(neutralise(s)).toBe(s);
      }),
    );
  });

  it('knows every character Unicode folds into a formula start', () => {
    const missed: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      if (formulaLike(ch) && !neutralise(ch).startsWith("'")) missed.push(`U+${code.toString(16).toUpperCase()}`);
    }
    expect(missed).toEqual([]);
  });
});
