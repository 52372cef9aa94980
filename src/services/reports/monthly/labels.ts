// How the report names its month, its scope and its rows, the same on the page, in the PDF and in the XLSX.

import type { TFunction } from 'i18next';
import type { MonthlyFigures } from './types.ts';

/** The month as its readers write it: "November 2026". */
export function monthName(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Whose figures these are, in a line: the city, a kecamatan, a bidang. */
export function scopeLine(f: MonthlyFigures, t: TFunction): string {
  const parts = [f.scope.kecamatan === null ? t('monthly:scope.city') : t('monthly:scope.kecamatan', { name: f.scope.kecamatan })];
  if (f.scope.bidang !== null) parts.push(t('monthly:scope.bidang', { bidang: f.scope.bidang }));
  return parts.join(' · ');
}

export function areaName(f: MonthlyFigures, kecamatanId: number | null): string {
  return f.areas.find((a) => a.id === kecamatanId)?.name ?? '–';
}
