// Every dashboard chart's figures as a sheet (issue 18), the same numbers the chart and its table show, so a
// supervisor can take them into a report. Column names are stable codes, like the other exports; values are
// counts, rates (0–1) and IKM, and the only names are of areas and officers.

import type { Sheet } from '../../domain/csv.ts';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../domain/vocabulary.ts';
import type { Dashboard } from './dashboard.ts';
import type { Trends } from './trends.ts';
import { DEFAULT_IKM_TARGET } from '../../config.ts';

export const DASHBOARD_CHARTS = ['per_day', 'kecamatan', 'status', 'sla', 'ikm', 'workload', 'ikm_service', 'ikm_bidang', 'ikm_site', 'ikm_month'] as const;
export type DashboardChart = (typeof DASHBOARD_CHARTS)[number];

/**
 * `unassignedLabel`: the reader's words for the workload row of complaints nobody holds. `ikmTarget`: the
 * IKM_TARGET every IKM row is set against (selisih: IKM − target, negative when under it).
 */
export function chartSheet(chart: DashboardChart, d: Dashboard, tr: Trends, unassignedLabel: string, ikmTarget = DEFAULT_IKM_TARGET): Sheet {
  switch (chart) {
    case 'ikm_service':
    case 'ikm_bidang':
    case 'ikm_site':
    case 'ikm_month': {
      const by = chart.slice('ikm_'.length) as keyof Dashboard['ikmBy'];
      return {
        header: [by === 'site' ? 'lokasi_id' : by === 'month' ? 'bulan' : by === 'service' ? 'layanan' : 'bidang', ...(by === 'site' ? ['lokasi'] : []), 'ikm', 'mutu', 'target', 'selisih', 'jumlah_penilaian', 'nilai_1', 'nilai_2', 'nilai_3', 'nilai_4', 'nilai_5'],
        rows: d.ikmBy[by].map((g) => [
          g.key,
          ...(by === 'site' ? [g.name] : []),
          g.figure.ikm,
          g.figure.mutu,
          ikmTarget,
          g.figure.ikm === null ? null : Math.round((g.figure.ikm - ikmTarget) * 100) / 100,
          g.figure.count,
          ...g.figure.distribution,
        ]),
      };
    }
    case 'per_day':
      return { header: ['tanggal', ...COMPLAINT_CATEGORIES, 'jumlah'], rows: d.perDay.map((p) => [p.day, ...COMPLAINT_CATEGORIES.map((c) => p.counts[c]), p.total]) };
    case 'kecamatan':
      return { header: ['kecamatan_id', 'kecamatan', 'jumlah'], rows: d.busiestKecamatan.map((k) => [k.id, k.name, k.count]) };
    case 'status':
      return {
        header: ['dari', 'sampai', ...COMPLAINT_STATUSES, 'jumlah'],
        rows: tr.statusOverTime.map((b) => [b.from, b.to, ...COMPLAINT_STATUSES.map((s) => b.counts[s]), b.total]),
      };
    case 'sla':
      return {
        header: ['minggu_dari', 'minggu_sampai', 'jatuh_tempo_jawab', 'dijawab_tepat_waktu', 'persen_jawab_tepat', 'jatuh_tempo_verifikasi', 'diverifikasi_tepat_waktu', 'persen_verifikasi_tepat'],
        rows: tr.slaWeekly.map((w) => [w.from, w.to, w.answerDue, w.answeredOnTime, w.answerRate, w.verifyDue, w.verifiedOnTime, w.verifyRate]),
      };
    case 'ikm':
      return {
        header: ['bulan', 'ikm', 'mutu', 'jumlah_penilaian', 'nilai_1', 'nilai_2', 'nilai_3', 'nilai_4', 'nilai_5'],
        rows: tr.ikmMonthly.map((m) => [m.month, m.ikm.ikm, m.ikm.mutu, m.ikm.count, ...m.ikm.distribution]),
      };
    case 'workload':
      return {
        header: ['petugas_id', 'petugas', 'pengaduan_terbuka'],
        rows: [...tr.workload.officers.map((o) => [o.staffId, o.name, o.open]), [null, unassignedLabel, tr.workload.unassigned]],
      };
  }
}
