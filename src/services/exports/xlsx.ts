import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText, type CsvValue, type Sheet } from '../../domain/csv.ts';

// The same sheet as an Excel workbook, for staff who open files in a spreadsheet: nothing to guess (no
// separator, no encoding, no number read from a NIK), a bold header row that stays in view, a filter on it,
// and columns wide enough to read.
//
// An XLSX string cell is never a formula, however it starts, so the file itself is safe as written. Its texts
// still get the CSV's apostrophes (domain/csv.ts), because the file does not stay an XLSX: staff save it as
// CSV for the next system (the meeting's sheet comes back to /console/proposals that way), and Excel writes
// the text out raw, `=` first; and a cell edited and confirmed in Excel is read again as typed input. The text
// cells are also formatted as Text (`@`), so an edited NIK stays 16 digits instead of turning into 3.17E+15.
// Both formats show the same text, so a CSV and an XLSX of one export can be compared cell by cell.

/** Excel's own limit on a sheet's name, and the characters it refuses there. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_BAD = /[\\/?*[\]:]/g;

/** Column widths in characters: never so narrow a short header is cut, never wider than a screen's share. */
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

function xlsxValue(value: CsvValue): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value;
  return cellText(value);
}

/**
 * A sheet as an .xlsx file's bytes. `title` names the worksheet (the export's file name, say). Written with
 * exceljs's streaming writer, row by row: the in-memory workbook took 14 s and 900 MB for a 50,000-row
 * complaints export, this a fraction of both (only the finished zip is held).
 */
export async function xlsxDocument(sheet: Sheet, title: string): Promise<Uint8Array<ArrayBuffer>> {
  return xlsxWorkbook([{ sheet, title }]);
}

/**
 * Several sheets in one workbook (the monthly report: a summary, programs by kecamatan, services by
 * kecamatan), each written as xlsxDocument writes its one. Titles are made safe and kept apart (Excel refuses
 * two sheets of one name).
 */
export async function xlsxWorkbook(sheets: readonly { sheet: Sheet; title: string }[]): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Pintu';
  const used = new Set<string>();
  sheets.forEach(({ sheet, title }, n) => {
    let name = title.replace(SHEET_NAME_BAD, ' ').trim().slice(0, SHEET_NAME_MAX) || `Sheet${n + 1}`;
    if (used.has(name.toLowerCase())) name = `${name.slice(0, SHEET_NAME_MAX - 4)} (${n + 1})`;
    used.add(name.toLowerCase());
    writeSheet(workbook, sheet, name);
  });
  await workbook.commit();
  const bytes = Buffer.concat(chunks);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet, name: string): void {
  const header = sheet.header.map((h) => cellText(h));
  const rows = sheet.rows.map((row) => row.map(xlsxValue));

  // Widths first: the streaming writer puts the columns before the rows.
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    row.forEach((v, i) => {
      if (v === null) return;
      // The longest line of the cell, since a cell with line breaks is shown on several.
      const longest = String(v).split(/\r\n|\r|\n/).reduce((m, line) => Math.max(m, line.length), 0);
      widths[i] = Math.max(widths[i] ?? 0, longest);
    });
  }

  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = widths.map((w) => ({ width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2)) }));
  if (header.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };

  const top = ws.addRow(header);
  top.font = { bold: true };
  top.commit();
  for (const values of rows) {
    const row = ws.addRow(values);
    values.forEach((v, i) => {
      if (typeof v === 'string') row.getCell(i + 1).numFmt = '@';
    });
    row.commit();
  }
  ws.commit();
}
