import type { TFunction } from 'i18next';
import type { SlaState } from '../../../../services/complaints/list.ts';
import { formatDuration } from '../../shell/layout.tsx';

/** The running deadline: time left, or how late. */
export function SlaCell({ t, sla }: { t: TFunction; sla: SlaState | null }) {
  if (!sla) return <span>—</span>;
  return sla.late ? (
    <span class="late">{t('console:sla.late', { time: formatDuration(t, sla.msLeft) })}</span>
  ) : (
    <span>{t('console:sla.left', { time: formatDuration(t, sla.msLeft) })}</span>
  );
}
