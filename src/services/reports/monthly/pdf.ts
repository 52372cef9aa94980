// The monthly report as a PDF (A4 lying down, Noto Sans: services/exports/pdf.ts): a first page with the
// month, whose figures they are and a line per program; then a page per program (a chart of its enrollments
// per kecamatan, then the kecamatan table with the total row); then the services page (a chart of complaints
// per kecamatan, then its table). The words and definitions come from locales/<lang>/monthly.json.

import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../domain/dates.ts';
import { pdfDocument, pdfTable, type Pdf, type PdfColumn } from '../../exports/pdf.ts';
import { formatValue, programColumns, serviceColumns, type Column } from './columns.ts';
import { pdfBarChart } from './pdf-chart.ts';
import { areaName, monthName, scopeLine } from './labels.ts';
import { sum, targetShare, validatedShare, type MonthlyFigures } from './types.ts';

function table<T>(doc: Pdf, t: TFunction, locale: string, columns: Column<T>[], rows: { label: string; row: T }[]): void {
  const head: PdfColumn[] = [{ header: t('monthly:columns.area'), width: 1.4 }, ...columns.map((c) => ({ header: c.short, width: 1, align: 'right' as const }))];
  pdfTable(
    doc,
    head,
    rows.map((r) => [r.label, ...columns.map((c) => formatValue(c.value(r.row), c.kind, locale))]),
    7.5,
  );
}

function heading(doc: Pdf, title: string, sub: string): void {
  doc.font('bold').fontSize(15).fillColor('#000000').text(title);
  doc.font('body').fontSize(9).text(sub);
  doc.moveDown(0.6);
}

function notes(doc: Pdf, lines: string[]): void {
  doc.moveDown(0.5);
  doc.font('body').fontSize(7).fillColor('#333333');
  for (const l of lines) doc.text(`• ${l}`);
  doc.fillColor('#000000');
}

/** `t` is the reader's language (i18n.getFixedT(locale)); the kept report is the office's default language. */
export async function renderMonthlyPdf(f: MonthlyFigures, t: TFunction, locale: string): Promise<Buffer> {
  const name = monthName(f.month, locale);
  const title = t('monthly:pdf.title', { month: name });
  const fmt = (n: number | null, kind: 'count' | 'share' | 'index' = 'count') => formatValue(n, kind, locale);
  const sub = `${scopeLine(f, t)} · ${t('monthly:pdf.counted', { at: formatDateTime(new Date(f.countedAt), locale === 'en' ? 'en' : 'id', f.timeZone) })}`;
  const pColumns = programColumns(t);
  const sColumns = serviceColumns(t);

  return pdfDocument({ title, layout: 'landscape' }, (doc) => {
    // The first page: a line per program, then the services' totals.
    heading(doc, title, sub);
    pdfTable(
      doc,
      [
        { header: t('monthly:columns.program'), width: 3 },
        { header: t('monthly:columns.target'), width: 1, align: 'right' },
        { header: t('monthly:columns.enrolled'), width: 1, align: 'right' },
        { header: t('monthly:columns.targetShare'), width: 1, align: 'right' },
        { header: t('monthly:columns.validatedShare'), width: 1, align: 'right' },
        { header: t('monthly:columns.invited'), width: 1, align: 'right' },
        { header: t('monthly:columns.collected'), width: 1, align: 'right' },
        { header: t('monthly:columns.noShows'), width: 1, align: 'right' },
      ],
      f.programs.map((p) => [
        p.name,
        fmt(p.targetPerYear),
        fmt(p.total.enrolled),
        fmt(targetShare(p.total.enrolled, p.targetPerYear), 'share'),
        fmt(validatedShare(p.total), 'share'),
        fmt(p.total.invited),
        fmt(p.total.collected),
        fmt(sum(p.total.noShowByRound)),
      ]),
      8.5,
    );
    if (f.programs.length === 0) doc.font('body').fontSize(9).text(t('monthly:noPrograms'));
    doc.moveDown(1);
    doc.font('bold').fontSize(11).text(t('monthly:services.title'));
    doc.moveDown(0.3);
    pdfTable(
      doc,
      [
        { header: t('monthly:columns.figure'), width: 3 },
        { header: t('monthly:total'), width: 1, align: 'right' },
      ],
      sColumns.map((c) => [c.header, formatValue(c.value(f.services.total), c.kind, locale)]),
      8.5,
    );

    // A page per program.
    for (const p of f.programs) {
      doc.addPage();
      heading(
        doc,
        `${p.name} (${p.code})`,
        `${name} · ${scopeLine(f, t)} · ${t('monthly:program.summary', {
          target: fmt(p.targetPerYear),
          enrolled: fmt(p.total.enrolled),
          share: fmt(targetShare(p.total.enrolled, p.targetPerYear), 'share'),
          validated: fmt(validatedShare(p.total), 'share'),
          events: fmt(p.events),
        })}`,
      );
      pdfBarChart(doc, {
        title: t('monthly:program.chart'),
        legend: [t('monthly:series.validated'), t('monthly:series.notValidated')],
        rows: p.areas.map((a) => ({ label: areaName(f, a.kecamatanId), parts: [a.validated, a.enrolled - a.validated] })),
        format: (n) => fmt(n),
      });
      table(doc, t, locale, pColumns, [...p.areas.map((a) => ({ label: areaName(f, a.kecamatanId), row: a })), { label: t('monthly:total'), row: p.total }]);
      notes(doc, [t('monthly:defs.enrolled'), t('monthly:defs.distribution'), t('monthly:defs.reached'), t('monthly:defs.short')]);
    }

    // The services page.
    doc.addPage();
    heading(doc, t('monthly:services.title'), `${name} · ${scopeLine(f, t)}`);
    pdfBarChart(doc, {
      title: t('monthly:services.chart'),
      legend: [t('monthly:columns.complaintsFiled'), t('monthly:columns.ppksReported'), t('monthly:columns.findingsOpened')],
      rows: f.services.areas.map((a) => ({ label: areaName(f, a.kecamatanId), parts: [a.complaintsFiled, a.ppks.reported, a.findingsOpened] })),
      format: (n) => fmt(n),
    });
    table(doc, t, locale, sColumns, [...f.services.areas.map((a) => ({ label: areaName(f, a.kecamatanId), row: a })), { label: t('monthly:total'), row: f.services.total }]);
    notes(doc, [t('monthly:defs.sla'), t('monthly:defs.ikm'), t('monthly:defs.findings'), t('monthly:defs.ppks'), t('monthly:defs.areas'), t('monthly:defs.short')]);
  });
}
