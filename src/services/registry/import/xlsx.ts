import type ExcelJS from 'exceljs';
import type { CsvRecord } from './csv.ts';

// The first worksheet of an .xlsx file as the same records the CSV reader gives (csv.ts): the sheet's row
// number as the line, every cell as text. Read with exceljs's streaming reader, one row at a time, so a bank's
// workbook of half a million lines never sits in memory whole.
//
// A cell's text is what a person sees in it: a date cell becomes 2026-11-12, a number its digits (a NIK typed
// into a number cell has already lost its last digits to Excel's 15 significant ones; it then simply matches
// nobody and is reported as unknown), a formula its last result.

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Whether these first bytes are a zip, as every .xlsx is. */
export function isZipStart(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.subarray(0, 4)).equals(ZIP_MAGIC);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text; // a hyperlink
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('error' in v) return '';
  }
  return String(v);
}

/** Records of the workbook's first worksheet; empty rows are skipped, as blank CSV lines are. */
export async function* readXlsx(path: string): AsyncGenerator<CsvRecord> {
  // exceljs takes most of a second and megabytes to load: only when a workbook is read, not at every start.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      // row.values is 1-based and sparse: index 0 is always empty.
      const values = (row.values as ExcelJS.CellValue[]).slice(1);
      const fields = Array.from({ length: values.length }, (_, i) => cellText(values[i] ?? null).trim());
      if (fields.every((f) => f === '')) continue;
      yield { line: row.number, fields };
    }
    return; // the first worksheet only
  }
}
