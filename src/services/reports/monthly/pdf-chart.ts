import type { Pdf } from '../../exports/pdf.ts';

// A horizontal stacked bar chart drawn with pdfkit's own shapes (no image, nothing to load): one bar per row,
// one segment per part, the total written after the bar, a legend above. The console draws the same figures
// as SVG (http/console/shell/charts.tsx); a printout needs its own, since pdfkit cannot read SVG.

/** The console's palette (Okabe–Ito), so a chart looks the same on screen and on paper. */
export const PDF_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];

export interface BarRow {
  label: string;
  parts: readonly number[];
}

export function pdfBarChart(doc: Pdf, opts: { title: string; legend: readonly string[]; rows: readonly BarRow[]; format: (n: number) => string; rowHeight?: number }): void {
  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const rowH = opts.rowHeight ?? 11;
  const labelW = 130;
  const plotW = usable - labelW - 50;
  const max = Math.max(1, ...opts.rows.map((r) => r.parts.reduce((a, b) => a + b, 0)));

  doc.font('bold').fontSize(9).fillColor('#000000').text(opts.title, left, doc.y);
  let x = left;
  const legendY = doc.y + 2;
  doc.font('body').fontSize(7.5);
  opts.legend.forEach((name, i) => {
    doc.rect(x, legendY + 1, 7, 7).fill(PDF_PALETTE[i % PDF_PALETTE.length]!);
    doc.fillColor('#000000').text(name, x + 10, legendY, { lineBreak: false });
    x += 10 + doc.widthOfString(name) + 14;
  });
  let y = legendY + 14;
  for (const row of opts.rows) {
    doc.fillColor('#000000').text(row.label, left, y + 1, { width: labelW - 6, align: 'right', lineBreak: false, ellipsis: true, height: rowH });
    let bx = left + labelW;
    let total = 0;
    row.parts.forEach((v, i) => {
      total += v;
      if (v <= 0) return;
      const w = (v / max) * plotW;
      doc.rect(bx, y + 1, w, rowH - 3).fill(PDF_PALETTE[i % PDF_PALETTE.length]!);
      bx += w;
    });
    doc.fillColor('#000000').text(opts.format(total), bx + 4, y + 1, { lineBreak: false });
    y += rowH;
  }
  doc.fillColor('#000000');
  doc.x = left;
  doc.y = y + 6;
}
