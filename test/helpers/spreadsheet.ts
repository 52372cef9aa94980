import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

// Reading an export the way a spreadsheet does, to see whether any cell of it would be a formula. Written
// from what spreadsheets do, not from src/domain/csv.ts, so the tests check the writer against an outside
// rule:
//
// - Excel and LibreOffice split a CSV on the separator of the computer's locale: `,` in English, `;` in
//   Indonesian (where `,` is the decimal mark), and "text to columns" on whatever the user picks (tab too).
//   Opened with the other separator, the quotes of a comma file mean nothing where a field does not start
//   with one, and a reader may ignore them altogether; so both readings are tried.
// - Lines end at CR LF, CR or LF.
// - A cell is a formula when its text, after what an import may trim or skip (every Unicode space, tab and
//   line break included; zero-width marks; a text qualifier), starts with `=`, `+`, `-` or `@` or anything
//   whose compatibility form begins with one of them (full-width `＝`…), or the minus sign U+2212 — unless
//   the whole text is a plain number such as `-5`, which is read as that number.

export type Separator = ',' | ';' | '\t';
export const SEPARATORS: readonly Separator[] = [',', ';', '\t'];

/** What an import may skip before it looks at the first character. */
const SKIPPED = /^[\s"\u200B-\u200D\u2060]*/u;

/** The spreadsheet's test: would this cell's text be taken for a formula? */
export function formulaLike(cell: string): boolean {
  const text = cell.replace(SKIPPED, '');
  const first = text[0];
  if (first === undefined || /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return false;
  return first === '\u2212' || /^[=+\-@]/.test(first.normalize('NFKC'));
}

/**
 * Cells as a spreadsheet splits the text with `sep`. With `quotes`, a field that starts with `"` runs to its
 * closing quote (`""` inside is one quote) and anything after the closing quote is kept, as Excel does;
 * without, quotes are plain characters.
 */
export function splitCsv(text: string, sep: Separator, quotes: boolean): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let atStart = true;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else inQuotes = false;
      continue;
    }
    if (quotes && atStart && ch === '"') {
      inQuotes = true;
      atStart = false;
    } else if (ch === sep) {
      row.push(cell);
      cell = '';
      atStart = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atStart = true;
    } else {
      cell += ch;
      atStart = false;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Every cell of every reading (each separator, quotes honoured or not) that a spreadsheet takes for a formula. */
export function formulaCellsInAnyReading(text: string): { sep: Separator; quotes: boolean; cell: string }[] {
  const found: { sep: Separator; quotes: boolean; cell: string }[] = [];
  for (const sep of SEPARATORS) {
    for (const quotes of [true, false]) {
      for (const row of splitCsv(text.replace(/^\uFEFF/, ''), sep, quotes)) {
        for (const cell of row) if (formulaLike(cell)) found.push({ sep, quotes, cell });
      }
    }
  }
  return found;
}

/**
 * The CSV opened in a spreadsheet, through exceljs's CSV reader (fast-csv) with the given separator: each
 * field becomes a cell the way a spreadsheet types it, so a text that would be a formula is put in as one
 * (exceljs itself never makes formulas of CSV text). `quotes: false` is the reader that ignores quotes.
 */
export async function openCsvAsSpreadsheet(text: string, delimiter: ',' | ';', quotes: boolean): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  return workbook.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), {
    parserOptions: { delimiter, quote: quotes ? '"' : null },
    map: (datum: string) => {
      if (datum === '') return null;
      if (formulaLike(datum)) return { formula: datum.replace(SKIPPED, '').slice(1) };
      return datum;
    },
  });
}

/**
 * The cells of a worksheet that would act rather than show text: formulas (shared ones too) and hyperlinks
 * (what `=HYPERLINK(…)` makes), as `A1: …`.
 */
export function formulaCells(ws: ExcelJS.Worksheet): string[] {
  const found: string[] = [];
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      const v = cell.value;
      const active = cell.type === ExcelJS.ValueType.Formula || cell.type === ExcelJS.ValueType.Hyperlink || (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v || 'hyperlink' in v));
      if (active) found.push(`${cell.address}: ${JSON.stringify(v)}`);
    }),
  );
  return found;
}

/** Every cell's text, row by row (empty cells as ''), for comparing with what was written. */
export function cellTexts(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) {
      const v = row.getCell(i).value;
      cells.push(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    rows.push(cells);
  });
  return rows;
}

/** An .xlsx file read back with exceljs: its first worksheet. */
export async function openXlsx(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/**
 * The workbook saved as CSV, as Excel's "Save as CSV" does: every cell's text written raw, quoted only
 * when it holds the separator, a quote or a line break. What a re-saved export looks like to the next reader.
 */
export async function resavedAsCsv(ws: ExcelJS.Worksheet): Promise<string> {
  return cellTexts(ws)
    .map((row) => row.map((v) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
    .join('\r\n');
}
