// The monthly report as a workbook, for staff who work the numbers further: a summary sheet (a row per
// program), the programs by kecamatan (a row per program and kecamatan, the total rows included, so a filter
// on one column gives any page of the PDF) and the services by kecamatan. Shares stay numbers (0–1) and IKM
// its 0–100 value, so the sheet sums and charts without reading text back.

import type { TFunction } from 'i18next';
import type { Sheet } from '../../../domain/csv.ts';
import { xlsxWorkbook } from '../../exports/xlsx.ts';
import { programColumns, serviceColumns } from './columns.ts';
import { areaName, scopeLine } from './labels.ts';
import { targetShare, type MonthlyFigures } from './types.ts';

export function monthlySheets(f: MonthlyFigures, t: TFunction): { title: string; sheet: Sheet }[] {
  const pColumns = programColumns(t);
  const sColumns = serviceColumns(t);
  const area = (id: number | null) => (id === null ? t('monthly:total') : areaName(f, id));
  const summary: Sheet = {
    header: [t('monthly:columns.month'), t('monthly:columns.scope'), t('monthly:columns.code'), t('monthly:columns.program'), t('monthly:columns.target'), t('monthly:columns.targetShare'), t('monthly:columns.events'), ...pColumns.map((c) => c.header)],
    rows: f.programs.map((p) => [f.month, scopeLine(f, t), p.code, p.name, p.targetPerYear, targetShare(p.total.enrolled, p.targetPerYear), p.events, ...pColumns.map((c) => c.value(p.total))]),
  };
  const byArea: Sheet = {
    header: [t('monthly:columns.month'), t('monthly:columns.code'), t('monthly:columns.program'), t('monthly:columns.area'), ...pColumns.map((c) => c.header)],
    rows: f.programs.flatMap((p) => [...p.areas, p.total].map((a) => [f.month, p.code, p.name, area(a.kecamatanId), ...pColumns.map((c) => c.value(a))])),
  };
  const services: Sheet = {
    header: [t('monthly:columns.month'), t('monthly:columns.area'), ...sColumns.map((c) => c.header)],
    rows: [...f.services.areas, f.services.total].map((a) => [f.month, area(a.kecamatanId), ...sColumns.map((c) => c.value(a))]),
  };
  return [
    { title: t('monthly:sheets.summary'), sheet: summary },
    { title: t('monthly:sheets.programs'), sheet: byArea },
    { title: t('monthly:sheets.services'), sheet: services },
  ];
}

export async function renderMonthlyXlsx(f: MonthlyFigures, t: TFunction): Promise<Uint8Array<ArrayBuffer>> {
  return xlsxWorkbook(monthlySheets(f, t));
}
