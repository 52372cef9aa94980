import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellText, csvOf, type Sheet } from '../../../src/domain/csv.ts';
import { exportFile } from '../../../src/services/exports/file.ts';
import { xlsxDocument } from '../../../src/services/exports/xlsx.ts';
import { cellTexts, formulaCells, formulaCellsInAnyReading, openCsvAsSpreadsheet, openXlsx, resavedAsCsv } from '../../helpers/spreadsheet.ts';

// The XLSX beside every CSV: typed cells (a string is a string, a number a number), a bold header row that
// stays in view, readable widths; no cell is a formula, and the texts carry the CSV's apostrophes so the file
// stays safe when staff save it as CSV again.

const HOSTILE = [';=HYPERLINK("http://evil","x")', ',=1+1', "=cmd|' /C calc'!A0", '@SUM(1)', '+1', '-1', '\t=1+1', '＝1+1'];
const NIK = '2171105203850001';

const sheet: Sheet = {
  header: ['nomor', 'isi', 'nik', 'jumlah'],
  rows: [
    ...HOSTILE.map((h, i) => [`LPR-${i + 1}`, h, NIK, i - 3]),
    ['LPR-99', 'Mohon dicek, beras belum diterima.\nTerima kasih.', null, 0],
  ],
};

describe('the XLSX export', () => {
  it('writes typed, safe cells under a bold, frozen header', async () => {
    const ws = await openXlsx(await xlsxDocument(sheet, 'pengaduan'));
    expect(ws.name).toBe('pengaduan');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.autoFilter).toBeTruthy();
    expect(formulaCells(ws)).toEqual([]);

    // The texts are those of the CSV, cell for cell; numbers stay numbers; a NIK is a 16-digit text.
    const texts = cellTexts(ws);
    expect(texts[0]).toEqual(sheet.header);
    sheet.rows.forEach((row, r) => expect(texts[r + 1]).toEqual(row.map((v) => cellText(v))));
    expect(ws.getCell('B2').value).toBe(";'=HYPERLINK(\"http://evil\",\"x\")");
    expect(ws.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('C2').value).toBe(NIK);
    expect(ws.getCell('C2').numFmt).toBe('@');
    expect(ws.getCell('D2').value).toBe(-3);
    expect(ws.getCell('D2').type).toBe(ExcelJS.ValueType.Number);

    // Wide enough for the longest line of a column, within bounds.
    expect(ws.getColumn(1).width).toBe(8);
    expect(ws.getColumn(3).width).toBe(NIK.length + 2);
    expect(ws.getColumn(2).width).toBe('Mohon dicek, beras belum diterima.'.length + 2);
  });

  it('stays safe when saved as CSV again, which a raw XLSX does not', async () => {
    const ours = await openXlsx(await xlsxDocument(sheet, 'pengaduan'));
    expect(formulaCellsInAnyReading(await resavedAsCsv(ours))).toEqual([]);
    for (const delimiter of [',', ';'] as const) {
      for (const quotes of [true, false]) {
        if (delimiter === ';' && quotes) continue; // fast-csv refuses a comma file's quotes under `;`
        expect(formulaCells(await openCsvAsSpreadsheet(await resavedAsCsv(ours), delimiter, quotes))).toEqual([]);
      }
    }
    // The same texts written raw into a workbook: safe as XLSX, live formulas once re-saved.
    const raw = new ExcelJS.Workbook();
    const ws = raw.addWorksheet('raw');
    ws.addRow(sheet.header as string[]);
    for (const row of sheet.rows) ws.addRow([...row]);
    const reread = await openXlsx(new Uint8Array(await raw.xlsx.writeBuffer()));
    expect(formulaCells(reread)).toEqual([]);
    expect(formulaCells(await openCsvAsSpreadsheet(await resavedAsCsv(reread), ',', true)).length).toBeGreaterThan(0);
  });

  it('names the file and its type for each format', async () => {
    const csv = await exportFile({ sheet }, 'csv', 'pengaduan');
    expect(csv).toEqual({ body: csvOf(sheet), contentType: 'text/csv; charset=utf-8', fileName: 'pengaduan.csv' });
    const xlsx = await exportFile({ sheet, csv: 'unused' }, 'xlsx', 'pengaduan');
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.fileName).toBe('pengaduan.xlsx');
    expect([...(xlsx.body as Uint8Array).slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip, as every .xlsx
    // A service's CSV is sent as it is, not written again.
    expect((await exportFile({ sheet, csv: 'already written' }, 'csv', 'x')).body).toBe('already written');
  });

  it('gives a sheet name Excel accepts', async () => {
    const ws = await openXlsx(await xlsxDocument({ header: ['a'], rows: [] }, 'undangan/kertas: [12]? sangat panjang sekali namanya'));
    expect(ws.name.length).toBeLessThanOrEqual(31);
    expect(ws.name).not.toMatch(/[\\/?*[\]:]/);
  });
});
