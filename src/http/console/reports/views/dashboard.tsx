import type { TFunction } from 'i18next';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import { DASHBOARD_PERIODS, type Dashboard, type DashboardDays } from '../../../../services/reports/dashboard.ts';
import type { Trends } from '../../../../services/reports/trends.ts';
import { can } from '../../../../services/access.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { HorizontalBarChart, PALETTE, StackedBarChart } from '../../shell/charts.tsx';
import { Shell } from '../../shell/layout.tsx';
import { DownloadLink, formatsOf, inboxHref, TrendCards } from './trends.tsx';
import { IkmCards } from './ikm.tsx';

// The dashboard page, from the figures its route loaded: the period picker, complaints per day and per
// status, the SLA, first-answer and IKM figures, the busiest kecamatan, and the trends (trends.tsx). Each
// chart leads to the inbox filtered to what it counts, and offers its figures as CSV.

export function DashboardForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('console:dashboard.forbidden.title')} session={session} here="/console/dashboard">
      <h1>{t('console:dashboard.forbidden.title')}</h1>
      <p>{t('console:dashboard.forbidden.text')}</p>
    </Shell>
  );
}

export interface DashboardPageProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  days: DashboardDays;
  d: Dashboard;
  tr: Trends;
  /** IKM_TARGET: what every IKM figure is set against. */
  ikmTarget: number;
}

export function DashboardPage({ t, locale, session, days, d, tr, ikmTarget }: DashboardPageProps) {
  const { dayLabel } = formatsOf(locale);
  const series = COMPLAINT_CATEGORIES.map((k, i) => ({ key: k, label: t(`console:category.${k}`), color: PALETTE[i % PALETTE.length]! }));

  return (
    <Shell t={t} locale={locale} title={t('console:dashboard.title')} session={session} here="/console/dashboard">
      <h1>{t('console:dashboard.title')}</h1>
      {can(session.actor, 'reports.read') ? (
        <p>
          <a href="/console/reports/social">{t('social:link')}</a>
          {' · '}
          <a href="/console/reports/monthly">{t('monthly:link')}</a>
        </p>
      ) : null}
      <form class="filters" method="get" action="/console/dashboard">
        <div>
          <label for="d-days">{t('console:dashboard.period')}</label>
          <select id="d-days" name="days">
            {DASHBOARD_PERIODS.map((p) => (
              <option value={String(p)} selected={p === days}>
                {t('console:dashboard.lastDays', { days: p })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('console:dashboard.apply')}</button>
      </form>
      <p class="meta">
        {t('console:dashboard.range', { from: dayLabel(d.fromDay, 'long'), to: dayLabel(d.toDay, 'long') })} · {t('console:dashboard.scopeNote')}
      </p>
      <p>
        <strong>{t('console:dashboard.total', { total: d.total })}</strong>
      </p>

      <section class="card" aria-labelledby="h-per-day" data-chart="per_day">
        <h2 id="h-per-day">{t('console:dashboard.perDay.title')}</h2>
        <StackedBarChart
          id="chart-per-day"
          title={t('console:dashboard.perDay.chartTitle', { days, total: d.total })}
          columnLabel={t('console:dashboard.perDay.date')}
          totalLabel={t('console:dashboard.totalColumn')}
          tableLabel={t('console:dashboard.showTable')}
          series={series}
          columns={d.perDay.map((p) => ({ key: p.day, label: dayLabel(p.day, 'short'), values: p.counts }))}
          href={(day, category) => inboxHref({ category: category ?? undefined, from: day, to: day })}
        />
        <DownloadLink t={t} chart="per_day" days={days} />
      </section>

      <section class="card" aria-labelledby="h-status">
        <h2 id="h-status">{t('console:dashboard.status.title')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('console:dashboard.status.status')}</th>
              <th scope="col">{t('console:dashboard.count')}</th>
            </tr>
          </thead>
          <tbody>
            {COMPLAINT_STATUSES.map((s) => (
              <tr>
                <th scope="row">{t(`console:status.${s}`)}</th>
                <td data-status={s}>{d.byStatus[s] > 0 ? <a href={inboxHref({ status: s, from: d.fromDay, to: d.toDay })}>{String(d.byStatus[s])}</a> : String(d.byStatus[s])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <FiguresCard t={t} locale={locale} d={d} />

      <section class="card" aria-labelledby="h-kecamatan" data-chart="kecamatan">
        <h2 id="h-kecamatan">{t('console:dashboard.kecamatan.title')}</h2>
        {d.busiestKecamatan.length === 0 ? (
          <p>{t('console:dashboard.kecamatan.none')}</p>
        ) : (
          <HorizontalBarChart
            id="chart-kecamatan"
            title={t('console:dashboard.kecamatan.chartTitle', { days })}
            rowLabel={t('console:dashboard.kecamatan.column')}
            valueLabel={t('console:dashboard.count')}
            tableLabel={t('console:dashboard.showTable')}
            rows={d.busiestKecamatan.map((k) => ({ label: k.name, value: k.count, href: inboxHref({ kecamatan: k.id, from: d.fromDay, to: d.toDay }) }))}
          />
        )}
        <DownloadLink t={t} chart="kecamatan" days={days} />
      </section>

      <TrendCards t={t} locale={locale} days={days} tr={tr} ikmTarget={ikmTarget} />
      <IkmCards t={t} locale={locale} days={days} d={d} target={ikmTarget} />
    </Shell>
  );
}

function FiguresCard({ t, locale, d }: { t: TFunction; locale: Locale; d: Dashboard }) {
  const { num, pct } = formatsOf(locale);
  const slaLine = (ok: number, due: number, rate: number | null) =>
    rate === null ? t('console:dashboard.sla.none') : t('console:dashboard.sla.rate', { rate: pct(rate), ok, due });
  return (
    <section class="card" aria-labelledby="h-figures">
      <h2 id="h-figures">{t('console:dashboard.figures')}</h2>
      <dl class="facts">
        <dt>{t('console:dashboard.sla.verify')}</dt>
        <dd data-figure="sla-verify">{slaLine(d.sla.verifiedOnTime, d.sla.verifyDue, d.sla.verifyRate)}</dd>
        <dt>{t('console:dashboard.sla.answer')}</dt>
        <dd data-figure="sla-answer">{slaLine(d.sla.answeredOnTime, d.sla.answerDue, d.sla.answerRate)}</dd>
        <dt>{t('console:dashboard.firstAnswer.title')}</dt>
        <dd data-figure="first-answer">
          {d.firstAnswer.medianHours === null
            ? t('console:dashboard.firstAnswer.none')
            : t('console:dashboard.firstAnswer.value', { hours: num(d.firstAnswer.medianHours), n: d.firstAnswer.count })}
        </dd>
        <dt>{t('console:dashboard.ikm.title')}</dt>
        <dd data-figure="ikm">
          {d.ikm.ikm === null
            ? t('console:dashboard.ikm.none')
            : t('console:dashboard.ikm.value', { ikm: num(d.ikm.ikm, 2), mutu: d.ikm.mutu, n: d.ikm.count })}
          <br />
          <span class="meta">
            {t('console:dashboard.ikm.basis')} {t('console:dashboard.ikm.target')}
          </span>
        </dd>
      </dl>
    </section>
  );
}
