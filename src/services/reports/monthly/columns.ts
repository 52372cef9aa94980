// The report's columns, once: the console's tables, the PDF's and the XLSX's sheets all print these, so the
// three never disagree on what a column is or how it is counted. A value is a number (a count, a share 0–1,
// an index 0–100) or null when there is nothing to divide; each output formats it its own way (the XLSX
// keeps the number, the page and the PDF write it in the reader's language).

import type { TFunction } from 'i18next';
import { REACH_CHANNELS, validatedShare, type ProgramAreaFigures, type ServiceAreaFigures } from './types.ts';

export type ColumnKind = 'count' | 'share' | 'index';

export interface Column<T> {
  key: string;
  header: string;
  /** The header where a row must hold many columns (the PDF's tables). */
  short: string;
  kind: ColumnKind;
  value: (row: T) => number | null;
}

/** A column of `T`: its header and short header from locales (monthly:columns / monthly:short) by key. */
function columnMaker<T>(t: TFunction) {
  return (key: string, kind: ColumnKind, value: (row: T) => number | null): Column<T> => ({
    key,
    header: t(`monthly:columns.${key}`),
    short: t(`monthly:short.${key}`),
    kind,
    value,
  });
}

export function programColumns(t: TFunction): Column<ProgramAreaFigures>[] {
  const c = columnMaker<ProgramAreaFigures>(t);
  return [
    c('enrolled', 'count', (r) => r.enrolled),
    c('validated', 'count', (r) => r.validated),
    c('validatedShare', 'share', (r) => validatedShare(r)),
    c('newInMonth', 'count', (r) => r.newInMonth),
    c('invited', 'count', (r) => r.invited),
    ...REACH_CHANNELS.map((ch) => c(`reached_${ch}`, 'count', (r) => r.reached[ch])),
    c('notReached', 'count', (r) => r.notReached),
    c('collected', 'count', (r) => r.collected),
    ...[0, 1, 2].map((i) => c(`noShow${i + 1}`, 'count', (r) => r.noShowByRound[i]!)),
    c('complaints', 'count', (r) => r.complaints),
  ];
}

export function serviceColumns(t: TFunction): Column<ServiceAreaFigures>[] {
  const c = columnMaker<ServiceAreaFigures>(t);
  return [
    c('complaintsFiled', 'count', (r) => r.complaintsFiled),
    c('complaintsClosed', 'count', (r) => r.complaintsClosed),
    c('verifyRate', 'share', (r) => r.sla.verifyRate),
    c('answerRate', 'share', (r) => r.sla.answerRate),
    c('findingsOpened', 'count', (r) => r.findingsOpened),
    c('findingsResolved', 'count', (r) => r.findingsResolved),
    c('fieldVisits', 'count', (r) => r.fieldVisits),
    c('ppksReported', 'count', (r) => r.ppks.reported),
    c('ppksServed', 'count', (r) => r.ppks.served),
    c('ikm', 'index', (r) => r.ikm.ikm),
    c('ikmCount', 'count', (r) => r.ikm.count),
  ];
}

/** A value as the page and the PDF write it: "1.234", "87,5%", "88,40"; a dash for nothing to show. */
export function formatValue(value: number | null, kind: ColumnKind, locale: string): string {
  if (value === null) return '–';
  const tag = locale === 'id' ? 'id-ID' : 'en-GB';
  if (kind === 'share') return new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  if (kind === 'index') return new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat(tag).format(value);
}
