import { describe, expect, it } from 'vitest';
import { pdfDocument, pdfTable } from '../../../src/services/exports/pdf.ts';
import { pdfPages, pdfText } from '../../helpers/pdf.ts';

describe('pdfDocument', () => {
  it('writes Indonesian text and marks staff type in the shipped font, and a long table goes on with its header', async () => {
    const pdf = await pdfDocument({ title: 'Uji' }, (doc) => {
      doc.font('bold').fontSize(16).text('Daftar Penerima — Kecamatan Sekupang “Tahap IV”');
      pdfTable(
        doc,
        [
          { header: 'No', width: 1 },
          { header: 'Nama', width: 4 },
          { header: 'Jumlah', width: 2, align: 'right' },
        ],
        Array.from({ length: 80 }, (_, i) => [i + 1, `Siti Aminah ${i + 1}`, 'Rp 600.000']),
      );
    });
    const text = pdfText(pdf);
    expect(text).toContain('Daftar Penerima — Kecamatan Sekupang “Tahap IV”');
    expect(text).toContain('Siti Aminah 80');
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(2);
    // The header is drawn again at the top of the second page.
    expect(text.split('\f')[1]).toMatch(/No\s+Nama\s+Jumlah/);
    for (const page of pages) expect(page.inked).toBeGreaterThan(0.005);
  });

  it('draws a blank page as blank (the ink count can tell)', async () => {
    const pdf = await pdfDocument({ title: 'Kosong' }, () => {});
    expect(pdfPages(pdf)[0]!.inked).toBe(0);
  });
});
