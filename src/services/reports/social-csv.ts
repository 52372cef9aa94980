// The social-service figures as sheets (issue 19 part 6): the same numbers each chart and its table show.
// Column names are stable codes in Indonesian, like the other exports; values are counts, and the only names
// are of agencies and officers.

import type { Sheet } from '../../domain/csv.ts';
import type { SocialFigures } from './social.ts';

export const SOCIAL_CHARTS = ['ppks', 'referrals', 'field'] as const;
export type SocialChart = (typeof SOCIAL_CHARTS)[number];

/** `unassignedLabel`: the reader's words for the row of overdue tasks nobody holds. */
export function socialSheet(chart: SocialChart, f: SocialFigures, unassignedLabel: string): Sheet {
  switch (chart) {
    case 'ppks':
      return {
        header: ['bulan', 'dilaporkan', 'dilaporkan_darurat', 'dijangkau', 'dilayani'],
        rows: f.ppks.map((m) => [m.month, m.reported, m.reportedUrgent, m.reached, m.served]),
      };
    case 'referrals':
      return {
        header: ['bulan', 'lembaga', 'jenis', 'dikirim', 'diterima', 'selesai', 'ditolak', 'jumlah', 'lewat_tenggat'],
        rows: f.referrals.map((a) => [f.month, a.name, a.kind, a.counts.sent, a.counts.accepted, a.counts.done, a.counts.refused, a.total, a.overdue]),
      };
    case 'field':
      return {
        header: ['bulan', 'petugas', 'tugas_selesai', 'kunjungan', 'tugas_lewat_tenggat'],
        rows: [...f.field.workers.map((w) => [f.month, w.name, w.tasksDone, w.visits, w.overdue]), [f.month, unassignedLabel, null, null, f.field.unassignedOverdue]],
      };
  }
}
