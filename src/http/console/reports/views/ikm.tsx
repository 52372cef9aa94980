import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Dashboard } from '../../../../services/reports/dashboard.ts';
import type { IkmBreakdown, IkmGroup } from '../../../../services/satisfaction/ikm.ts';
import { HorizontalBarChart } from '../../shell/charts.tsx';
import { DownloadLink, formatsOf } from './trends.tsx';

// The dashboard's IKM by service, bidang, site and month (issue 20), each against the office's target
// (IKM_TARGET): a bar per group, the table under it with the mutu, the number of ratings and the gap to
// the target, and the figures as CSV.

const BY: readonly IkmBreakdown[] = ['service', 'bidang', 'site', 'month'];

export function IkmCards({ t, locale, days, d, target }: { t: TFunction; locale: Locale; days: number; d: Dashboard; target: number }) {
  const { num, monthLabel } = formatsOf(locale);
  const labelOf = (by: IkmBreakdown, g: IkmGroup): string => {
    if (by === 'service') return t(`satisfaction:service.${g.key}`);
    if (by === 'bidang') return g.key === '' ? t('satisfaction:noBidang') : g.key;
    if (by === 'site') return g.name ?? g.key;
    return monthLabel(g.key);
  };
  return (
    <section class="card" aria-labelledby="h-ikm-by" data-section="ikm-by">
      <h2 id="h-ikm-by">{t('satisfaction:dashboard.title')}</h2>
      <p class="meta">{t('satisfaction:dashboard.note', { target: num(target, 2) })}</p>
      {BY.map((by) => {
        const groups = d.ikmBy[by];
        return (
          <div data-chart={`ikm_${by}`}>
            <h3 id={`h-ikm-${by}`}>{t(`satisfaction:dashboard.by.${by}`)}</h3>
            {groups.every((g) => g.figure.count === 0) ? (
              <p>{t('satisfaction:dashboard.none')}</p>
            ) : (
              <HorizontalBarChart
                id={`chart-ikm-${by}`}
                title={t('satisfaction:dashboard.chartTitle', { by: t(`satisfaction:dashboard.by.${by}`), target: num(target, 2) })}
                rowLabel={t(`satisfaction:dashboard.column.${by}`)}
                valueLabel={t('satisfaction:dashboard.value')}
                tableLabel={t('console:dashboard.showTable')}
                rows={groups.map((g) => ({ label: labelOf(by, g), value: g.figure.ikm ?? 0 }))}
              />
            )}
            <ul class="meta" data-ikm-rows={by}>
              {groups.map((g) => (
                <li>
                  {labelOf(by, g)}:{' '}
                  {g.figure.ikm === null
                    ? t('satisfaction:dashboard.noRating')
                    : t(g.figure.ikm >= target ? 'satisfaction:dashboard.atTarget' : 'satisfaction:dashboard.belowTarget', {
                        ikm: num(g.figure.ikm, 2),
                        mutu: g.figure.mutu,
                        n: g.figure.count,
                        gap: num(Math.abs(g.figure.ikm - target), 2),
                      })}
                </li>
              ))}
            </ul>
            <DownloadLink t={t} chart={`ikm_${by}`} days={days} />
          </div>
        );
      })}
    </section>
  );
}
