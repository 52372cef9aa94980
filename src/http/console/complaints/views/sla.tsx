import type { TFunction } from 'i18next';
import type { SlaState } from '../../../../services/complaints/list.ts';
import { formatDuration } from '../../shell/layout.tsx';

const HOUR_MS = 3_600_000;

/**
 * The running deadline: time left, or how late. An urgent report (someone in danger now) counts in whole
 * hours, "sisa 3 jam" / "lewat 1 jam": a deadline of hours read as days would hide how close it is.
 */
export function SlaCell({ t, sla, urgent = false }: { t: TFunction; sla: SlaState | null; urgent?: boolean }) {
  if (!sla) return <span>—</span>;
  if (urgent) {
    // Left: the hours begun (3 h 10 min left is "sisa 4 jam" until the fourth hour is gone); late: the hours passed.
    const hours = sla.late ? Math.max(1, Math.floor(-sla.msLeft / HOUR_MS)) : Math.ceil(sla.msLeft / HOUR_MS);
    return sla.late ? <span class="late">{t('console:sla.urgentLate', { count: hours })}</span> : <span class="urgent">{t('console:sla.urgentLeft', { count: hours })}</span>;
  }
  return sla.late ? (
    <span class="late">{t('console:sla.late', { time: formatDuration(t, sla.msLeft) })}</span>
  ) : (
    <span>{t('console:sla.left', { time: formatDuration(t, sla.msLeft) })}</span>
  );
}
