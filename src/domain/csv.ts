// Every CSV Pintu writes (proposals for the verification meeting, paper invitations, findings, complaints)
// is opened in a spreadsheet by office staff. So: UTF-8 with a byte-order mark (Excel then reads Indonesian
// names right), CRLF lines, a cell quoted when it holds a comma, semicolon, quote or line break (it stays one
// cell whichever separator the computer's locale uses), and a cell that would start a formula made text.

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  const s = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole document: the header row, then the rows. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
