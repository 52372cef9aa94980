import type { TFunction } from 'i18next';
import { COMPLAINT_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import type { DashboardChart } from '../../../../services/reports/chart-csv.ts';
import type { Trends } from '../../../../services/reports/trends.ts';
import { HorizontalBarChart, LineChart, PALETTE, StackedBarChart } from '../../shell/charts.tsx';

// The dashboard's trend cards (issue 18): status over time, SLA compliance per week, IKM per month and each
// officer's open complaints. Every bar and point leads to the inbox filtered to the complaints behind it,
// and every card offers its figures as CSV.

/** The inbox filtered as a chart's figure was counted (the inbox reads these parameters). */
export function inboxHref(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams({ queue: 'all' });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return `/console/complaints?${q.toString()}`;
}

export function csvHref(chart: DashboardChart, days: number): string {
  return `/console/dashboard/export.csv?chart=${chart}&days=${days}`;
}

export function DownloadLink({ t, chart, days }: { t: TFunction; chart: DashboardChart; days: number }) {
  return (
    <p>
      <a href={csvHref(chart, days)} download data-csv={chart}>
        {t('console:dashboard.downloadCsv')}
      </a>
    </p>
  );
}

/** How numbers, shares and days read in the page's language. */
export function formatsOf(locale: Locale) {
  const tag = locale === 'id' ? 'id-ID' : 'en-GB';
  const num = (n: number, digits = 1) => new Intl.NumberFormat(tag, { maximumFractionDigits: digits }).format(n);
  const pct = (r: number) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }).format(r);
  const dayLabel = (iso: string, style: 'short' | 'long') => {
    const [y, m, dd] = iso.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(tag, { timeZone: 'UTC', day: 'numeric', month: 'short', ...(style === 'long' ? { year: 'numeric' } : {}) }).format(new Date(Date.UTC(y, m - 1, dd)));
  };
  const monthLabel = (ym: string) => {
    const [y, m] = ym.split('-').map(Number) as [number, number];
    return new Intl.DateTimeFormat(tag, { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
  };
  return { num, pct, dayLabel, monthLabel };
}

export function TrendCards({ t, locale, days, tr, ikmTarget }: { t: TFunction; locale: Locale; days: number; tr: Trends; ikmTarget: number }) {
  const { num, pct, dayLabel, monthLabel } = formatsOf(locale);
  const statusSeries = COMPLAINT_STATUSES.map((s, i) => ({ key: s, label: t(`console:status.${s}`), color: PALETTE[i % PALETTE.length]! }));
  const bucketOf = new Map(tr.statusOverTime.map((b) => [b.from, b]));
  const filed = tr.statusOverTime.reduce((a, b) => a + b.total, 0);
  const none = t('console:dashboard.noFigure');
  return (
    <>
      <section class="card" aria-labelledby="h-status-trend" data-chart="status">
        <h2 id="h-status-trend">{t('console:dashboard.statusTrend.title')}</h2>
        <p class="meta">{t('console:dashboard.statusTrend.note')}</p>
        <StackedBarChart
          id="chart-status"
          title={t(`console:dashboard.statusTrend.chartTitle.${tr.bucket}`, { days, total: filed })}
          columnLabel={t(`console:dashboard.statusTrend.column.${tr.bucket}`)}
          totalLabel={t('console:dashboard.totalColumn')}
          tableLabel={t('console:dashboard.showTable')}
          series={statusSeries}
          columns={tr.statusOverTime.map((b) => ({ key: b.from, label: dayLabel(b.from, 'short'), values: b.counts }))}
          href={(from, status) => inboxHref({ status: status ?? undefined, from, to: bucketOf.get(from)?.to ?? from })}
        />
        <DownloadLink t={t} chart="status" days={days} />
      </section>

      <section class="card" aria-labelledby="h-sla-trend" data-chart="sla">
        <h2 id="h-sla-trend">{t('console:dashboard.slaTrend.title')}</h2>
        <p class="meta">{t('console:dashboard.slaTrend.note')}</p>
        <LineChart
          id="chart-sla"
          title={t('console:dashboard.slaTrend.chartTitle', { weeks: tr.slaWeekly.length })}
          columnLabel={t('console:dashboard.slaTrend.week')}
          valueLabel={t('console:dashboard.slaTrend.rate')}
          extraLabels={[t('console:dashboard.slaTrend.onTime'), t('console:dashboard.slaTrend.due')]}
          tableLabel={t('console:dashboard.showTable')}
          max={1}
          points={tr.slaWeekly.map((w) => ({
            key: w.from,
            label: dayLabel(w.from, 'short'),
            value: w.answerRate,
            text: w.answerRate === null ? none : pct(w.answerRate),
            // The week's late complaints: the ones that make the share fall short.
            href: inboxHref({ sla: 'late', from: w.from, to: w.to }),
            extra: [String(w.answeredOnTime), String(w.answerDue)],
          }))}
        />
        <DownloadLink t={t} chart="sla" days={days} />
      </section>

      <section class="card" aria-labelledby="h-ikm-trend" data-chart="ikm">
        <h2 id="h-ikm-trend">{t('console:dashboard.ikmTrend.title')}</h2>
        <p class="meta">{t('console:dashboard.ikmTrend.note')}</p>
        <LineChart
          id="chart-ikm"
          title={t('console:dashboard.ikmTrend.chartTitle', { months: tr.ikmMonthly.length })}
          columnLabel={t('console:dashboard.ikmTrend.month')}
          valueLabel={t('console:dashboard.ikmTrend.value')}
          extraLabels={[t('console:dashboard.ikmTrend.mutu'), t('console:dashboard.ikmTrend.count')]}
          tableLabel={t('console:dashboard.showTable')}
          min={20}
          max={100}
          target={{ value: ikmTarget, label: t('console:dashboard.ikmTrend.target', { target: num(ikmTarget, 2) }) }}
          points={tr.ikmMonthly.map((m) => ({
            key: m.month,
            label: monthLabel(m.month),
            value: m.ikm.ikm,
            text: m.ikm.ikm === null ? none : num(m.ikm.ikm, 2),
            href: inboxHref({ status: 'closed', from: m.from, to: m.to }),
            extra: [m.ikm.mutu ?? none, String(m.ikm.count)],
          }))}
        />
        <DownloadLink t={t} chart="ikm" days={days} />
      </section>

      <section class="card" aria-labelledby="h-workload" data-chart="workload">
        <h2 id="h-workload">{t('console:dashboard.workload.title')}</h2>
        {tr.workload.officers.length === 0 ? (
          <p>{t('console:dashboard.workload.none')}</p>
        ) : (
          <HorizontalBarChart
            id="chart-workload"
            title={t('console:dashboard.workload.chartTitle')}
            rowLabel={t('console:dashboard.workload.officer')}
            valueLabel={t('console:dashboard.workload.open')}
            tableLabel={t('console:dashboard.showTable')}
            rows={tr.workload.officers.map((o) => ({ label: o.name, value: o.open, href: inboxHref({ officer: o.staffId }) }))}
          />
        )}
        <p class="meta">{t('console:dashboard.workload.unassigned', { count: tr.workload.unassigned })}</p>
        <DownloadLink t={t} chart="workload" days={days} />
      </section>
    </>
  );
}
