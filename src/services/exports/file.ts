import { csvOf, type Sheet } from '../../domain/csv.ts';

// Every export is offered in both formats from one sheet: CSV for other systems and for anyone who wants
// plain text, XLSX for staff who open it in a spreadsheet. The services build the sheet (scope, masking and
// audit are theirs); this turns it into the file a route or the CLI hands out.

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportFile {
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
  /** `baseName.csv` or `baseName.xlsx`: only our own words and ids, safe in a header. */
  fileName: string;
}

/** `out.csv`, when given, is the CSV of `out.sheet` that a service already wrote (saves writing it twice). */
export async function exportFile(out: { sheet: Sheet; csv?: string }, format: ExportFormat, baseName: string): Promise<ExportFile> {
  if (format === 'csv') return { body: out.csv ?? csvOf(out.sheet), contentType: CONTENT_TYPES.csv, fileName: `${baseName}.csv` };
  // exceljs takes most of a second to load: the service (and every CLI command) pays for it only at the
  // first Excel download, not at start.
  const { xlsxDocument } = await import('./xlsx.ts');
  const body = await xlsxDocument(out.sheet, baseName);
  return { body, contentType: CONTENT_TYPES[format], fileName: `${baseName}.${format}` };
}
