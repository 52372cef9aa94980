import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';

// PDF documents the office prints or files (the SK's recipient list, the monthly report), with pdfkit and the
// Noto Sans font shipped in @fontsource/noto-sans: pdfkit's built-in Helvetica knows only WinAnsi, so a name
// with a letter outside it, or a typographic dash or quote staff typed, would come out as a box. Noto's Latin
// set covers every letter Indonesian writes and those marks. The font travels with npm, so a fresh clone
// renders the same PDF as CI, with nothing to install from the system.

const require = createRequire(import.meta.url);
const FONT_DIR = require.resolve('@fontsource/noto-sans/package.json').replace(/package\.json$/, 'files/');
const FONTS = {
  body: `${FONT_DIR}noto-sans-latin-400-normal.woff`,
  bold: `${FONT_DIR}noto-sans-latin-700-normal.woff`,
} as const;

export type Pdf = InstanceType<typeof PDFDocument>;

export interface PdfOptions {
  title: string;
  /** A4 upright unless a wide table needs it lying down. */
  layout?: 'portrait' | 'landscape';
}

/**
 * A new A4 document with the fonts registered ('body', 'bold') and 'body' chosen. `draw` writes the pages;
 * the finished file's bytes come back. Everything is held in memory: the documents here are a few hundred
 * pages at most (a recipient list of a kecamatan, a report of one page per program and area).
 */
export async function pdfDocument(options: PdfOptions, draw: (doc: Pdf) => void | Promise<void>): Promise<Buffer> {
  // pdfkit and its font engine load only when a PDF is written (the SK, the monthly report), not at every start.
  const { default: PDFKit } = await import('pdfkit');
  const doc = new PDFKit({ size: 'A4', layout: options.layout ?? 'portrait', margin: 40, bufferPages: false, info: { Title: options.title, Creator: 'Pintu' } });
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  doc.font('body');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  await draw(doc);
  doc.end();
  return done;
}

export interface PdfColumn {
  header: string;
  /** Share of the line's width; the shares of a table need not add up to 1. */
  width: number;
  align?: 'left' | 'right';
}

/**
 * A simple table from the current position: a bold header row, then one row per entry, with a new page (and
 * the header again) when the page is full. Cells are cut to one line, so a long name never pushes the rows
 * out of line.
 */
export function pdfTable(doc: Pdf, columns: readonly PdfColumn[], rows: readonly (readonly (string | number | null)[])[], fontSize = 9): void {
  const left = doc.page.margins.left;
  const usable = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * usable);
  const lineHeight = fontSize * 1.6;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  const drawRow = (cells: readonly (string | number | null)[], bold: boolean) => {
    const y = doc.y;
    let x = left;
    doc.font(bold ? 'bold' : 'body').fontSize(fontSize);
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      doc.text(cell === null ? '' : String(cell), x + 2, y + 2, { width: w - 4, height: lineHeight, lineBreak: false, ellipsis: true, align: columns[i]?.align ?? 'left' });
      x += w;
    });
    doc
      .moveTo(left, y + lineHeight)
      .lineTo(left + usable, y + lineHeight)
      .lineWidth(0.3)
      .strokeColor('#999999')
      .stroke();
    doc.x = left;
    doc.y = y + lineHeight;
  };

  if (doc.y + lineHeight * 2 > bottom()) doc.addPage();
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows) {
    if (doc.y + lineHeight > bottom()) {
      doc.addPage();
      drawRow(
        columns.map((c) => c.header),
        true,
      );
    }
    drawRow(row, false);
  }
  doc.font('body');
}
