// The recipient list as the decree (SK) attaches it: an XLSX sheet and a PDF, drawn from the same rows the
// list's page shows (lists.ts: masked NIK and KK, the reader's scope), each download audited as
// `recipients.export`. A draft exports too, marked as a draft on every page, so staff can check it on paper
// before the head of the bidang locks it.

import type { TFunction } from 'i18next';
import type { Db } from '../../db/client.ts';
import type { Sheet } from '../../domain/csv.ts';
import { formatDate, todayIn } from '../../domain/dates.ts';
import { formatRupiah } from '../../domain/money.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { pdfDocument, pdfTable } from '../exports/pdf.ts';
import { readList, type RecipientListView } from './lists.ts';

export const SK_FORMATS = ['xlsx', 'pdf'] as const;
export type SkFormat = (typeof SK_FORMATS)[number];

export interface SkFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  fileName: string;
}

const COLUMNS = ['no', 'name', 'nik', 'kk', 'kelurahan', 'kecamatan', 'amount'] as const;

/** The list as a sheet: one row per recipient, then the total. */
export function listSheet(v: RecipientListView, t: TFunction): Sheet {
  const rows: (string | number | null)[][] = v.rows.map((r) => [r.no, r.name, r.nikMasked, r.kkMasked, r.kelurahan, r.kecamatan, r.amount]);
  rows.push([null, t('programs:sk.total', { count: v.count }), null, null, null, null, v.total]);
  return { header: COLUMNS.map((c) => t(`programs:sk.columns.${c}`)), rows };
}

function heading(v: RecipientListView, t: TFunction, locale: Locale): string[] {
  const l = v.list;
  return [
    `${t('programs:sk.program')}: ${v.program.code} — ${locale === 'en' && v.program.nameEn ? v.program.nameEn : v.program.name}`,
    `${t('programs:sk.period')}: ${l.period}`,
    `${t('programs:sk.version')}: ${l.version} (${t(`programs:listStatus.${l.status}`)})`,
    `${t('programs:sk.decree')}: ${l.decreeNumber ?? '—'}`,
  ];
}

/** The list as the SK's PDF: title, the program's facts, the table (its header on every page), totals, approver. */
export async function listPdf(v: RecipientListView, t: TFunction, opts: { locale: Locale; timeZone: string }): Promise<Buffer> {
  const title = t('programs:sk.title', { code: v.program.code, period: v.list.period });
  return pdfDocument({ title, layout: 'landscape' }, (doc) => {
    doc.font('bold').fontSize(14).text(title);
    doc.font('body').fontSize(10);
    if (v.list.status === 'draft') doc.font('bold').text(t('programs:sk.draftMark')).font('body');
    for (const line of heading(v, t, opts.locale)) doc.text(line);
    doc.moveDown(0.5);
    pdfTable(
      doc,
      [
        { header: t('programs:sk.columns.no'), width: 0.5, align: 'right' },
        { header: t('programs:sk.columns.name'), width: 3 },
        { header: t('programs:sk.columns.nik'), width: 2 },
        { header: t('programs:sk.columns.kk'), width: 2 },
        { header: t('programs:sk.columns.kelurahan'), width: 1.8 },
        { header: t('programs:sk.columns.kecamatan'), width: 1.8 },
        { header: t('programs:sk.columns.amount'), width: 1.5, align: 'right' },
      ],
      v.rows.map((r) => [r.no, r.name ?? '—', r.nikMasked ?? '—', r.kkMasked, r.kelurahan, r.kecamatan, r.amount === null ? '—' : formatRupiah(r.amount, opts.locale)]),
    );
    doc.moveDown(0.5);
    doc.font('bold').fontSize(10).text(t('programs:sk.totals', { count: v.count, total: formatRupiah(v.total, opts.locale) }));
    doc.font('body');
    if (v.list.lockedAt) {
      const day = formatDate(todayIn(opts.timeZone, v.list.lockedAt), opts.locale);
      doc.text(t('programs:sk.approved', { name: v.list.lockedByName ?? '—', date: day }));
    }
  });
}

/**
 * The list's SK file in `format`, audited; null when the list is missing or not the actor's. Only city-wide
 * readers: a kecamatan officer sees their kecamatan's share of the list on its page, but a file titled as the
 * decree with that share's count would pass for the whole SK.
 */
export async function exportList(db: Db, actor: Actor, listId: number, format: SkFormat, opts: { now: Date; timeZone: string; t: TFunction; locale: Locale }): Promise<SkFile | null> {
  if (actor.kecamatanId !== null) return null;
  const v = await readList(db, actor, listId, { now: opts.now, action: 'recipients.export', format });
  if (!v) return null;
  const base = `sk-${v.program.code.toLowerCase()}-${v.list.period}-v${v.list.version}`;
  if (format === 'pdf') {
    const pdf = await listPdf(v, opts.t, opts);
    return { body: new Uint8Array(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength)) as Uint8Array<ArrayBuffer>, contentType: 'application/pdf', fileName: `${base}.pdf` };
  }
  const { xlsxDocument } = await import('../exports/xlsx.ts');
  return { body: await xlsxDocument(listSheet(v, opts.t), base), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${base}.xlsx` };
}
