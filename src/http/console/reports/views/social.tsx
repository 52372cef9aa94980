import type { TFunction } from 'i18next';
import { REFERRAL_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import type { SocialChart } from '../../../../services/reports/social-csv.ts';
import type { SocialFigures } from '../../../../services/reports/social.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { PALETTE, StackedBarChart } from '../../shell/charts.tsx';
import { Shell } from '../../shell/layout.tsx';
import { formatsOf } from './trends.tsx';

// The social-service indicators page (issue 19 part 6), from the figures its route loaded: the month picker,
// then PPKS, referrals and field tasks, each with its definitions in one plain line each, a chart (inline SVG,
// its own numbers folded under it), a data table with every figure, and the figures as CSV.

const HERE = '/console/reports/social';

export const socialCsvHref = (chart: SocialChart, month: string) => `${HERE}/${chart}.csv?month=${month}`;

function Download({ t, chart, month }: { t: TFunction; chart: SocialChart; month: string }) {
  return (
    <p>
      <a href={socialCsvHref(chart, month)} download data-csv={chart}>
        {t('social:downloadCsv')}
      </a>
    </p>
  );
}

function Definitions({ lines }: { lines: string[] }) {
  return (
    <ul class="meta">
      {lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  );
}

/**
 * A table of figures: a caption, column headers, a header cell per row. On a phone a wide table scrolls in
 * its own box, so it takes focus to be scrolled from the keyboard, as the console's other wide tables do.
 */
export function FiguresTable({ caption, headers, rows, id }: { caption: string; headers: string[]; rows: { label: string; cells: (string | number)[] }[]; id: string }) {
  return (
    <table data-table={id} tabindex={0}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            {r.cells.map((c) => (
              <td>{String(c)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SocialForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('social:forbidden.title')} session={session} here={HERE}>
      <h1>{t('social:forbidden.title')}</h1>
      <p>{t('social:forbidden.text')}</p>
    </Shell>
  );
}

/** A month that cannot be shown: the reason, and the way back to this month. */
export function SocialBadMonth({ t, locale, session, message }: { t: TFunction; locale: Locale; session: Session; message: string }) {
  return (
    <Shell t={t} locale={locale} title={t('social:title')} session={session} here={HERE}>
      <h1>{t('social:title')}</h1>
      <p class="error" role="alert">
        {message}
      </p>
      <p>
        <a href={HERE}>{t('social:errors.back')}</a>
      </p>
    </Shell>
  );
}

export function SocialPage({ t, locale, session, f }: { t: TFunction; locale: Locale; session: Session; f: SocialFigures }) {
  const { dayLabel, monthLabel } = formatsOf(locale);
  const month = monthLabel(f.month);
  return (
    <Shell t={t} locale={locale} title={t('social:title')} session={session} here={HERE}>
      <h1>{t('social:title')}</h1>
      <p>{t('social:intro')}</p>
      <form class="filters" method="get" action={HERE}>
        <div>
          <label for="s-month">{t('social:month')}</label>
          <input id="s-month" name="month" type="month" value={f.month} max={f.today.slice(0, 7)} required />
        </div>
        <button type="submit">{t('social:apply')}</button>
      </form>
      <p class="meta">
        {t('social:range', { month, from: dayLabel(f.from, 'long'), to: dayLabel(f.to, 'long'), today: dayLabel(f.today, 'long') })} {t('social:scopeNote')}
      </p>
      <PpksCard t={t} f={f} monthLabel={monthLabel} />
      <ReferralsCard t={t} f={f} month={month} />
      <FieldCard t={t} f={f} month={month} />
    </Shell>
  );
}

function PpksCard({ t, f, monthLabel }: { t: TFunction; f: SocialFigures; monthLabel: (ym: string) => string }) {
  const first = monthLabel(f.ppks[0]!.month);
  const last = monthLabel(f.ppks.at(-1)!.month);
  // The bar of a month is its reports, split so the parts add up: served, reached but not yet served, not
  // yet reached (reported ≥ reached ≥ served, see the service).
  const series = [
    { key: 'served', label: t('social:ppks.series.served'), color: PALETTE[2]! },
    { key: 'reachedOnly', label: t('social:ppks.series.reachedOnly'), color: PALETTE[0]! },
    { key: 'notReached', label: t('social:ppks.series.notReached'), color: PALETTE[1]! },
  ];
  return (
    <section class="card" aria-labelledby="h-ppks" data-chart="ppks">
      <h2 id="h-ppks">{t('social:ppks.title')}</h2>
      <Definitions lines={[t('social:ppks.defs.reported'), t('social:ppks.defs.reached'), t('social:ppks.defs.served'), t('social:ppks.defs.excluded')]} />
      <StackedBarChart
        id="chart-ppks"
        title={t('social:ppks.chartTitle', { first, last })}
        columnLabel={t('social:ppks.columns.month')}
        totalLabel={t('social:ppks.total')}
        tableLabel={t('social:showTable')}
        series={series}
        columns={f.ppks.map((m) => ({
          key: m.month,
          label: monthLabel(m.month),
          values: { served: m.served, reachedOnly: m.reached - m.served, notReached: m.reported - m.reached },
        }))}
      />
      <FiguresTable
        id="ppks"
        caption={t('social:ppks.caption', { first, last })}
        headers={[t('social:ppks.columns.month'), t('social:ppks.columns.reported'), t('social:ppks.columns.urgent'), t('social:ppks.columns.reached'), t('social:ppks.columns.served')]}
        rows={f.ppks.map((m) => ({ label: monthLabel(m.month), cells: [m.reported, m.reportedUrgent, m.reached, m.served] }))}
      />
      <Download t={t} chart="ppks" month={f.month} />
    </section>
  );
}

function ReferralsCard({ t, f, month }: { t: TFunction; f: SocialFigures; month: string }) {
  const series = REFERRAL_STATUSES.map((s, i) => ({ key: s, label: t(`social:referrals.statuses.${s}`), color: PALETTE[i % PALETTE.length]! }));
  return (
    <section class="card" aria-labelledby="h-referrals" data-chart="referrals">
      <h2 id="h-referrals">{t('social:referrals.title')}</h2>
      <Definitions lines={[t('social:referrals.defs.period'), t('social:referrals.defs.overdue')]} />
      {f.referrals.length === 0 ? (
        <p>{t('social:referrals.none')}</p>
      ) : (
        <>
          <StackedBarChart
            id="chart-referrals"
            title={t('social:referrals.chartTitle', { month })}
            columnLabel={t('social:referrals.columns.agency')}
            totalLabel={t('social:referrals.columns.total')}
            tableLabel={t('social:showTable')}
            series={series}
            columns={f.referrals.map((a) => ({ key: String(a.agencyId), label: a.name, values: a.counts }))}
          />
          <FiguresTable
            id="referrals"
            caption={t('social:referrals.caption', { month })}
            headers={[
              t('social:referrals.columns.agency'),
              t('social:referrals.columns.kind'),
              ...series.map((s) => s.label),
              t('social:referrals.columns.total'),
              t('social:referrals.columns.overdue'),
            ]}
            rows={f.referrals.map((a) => ({
              label: a.name,
              cells: [t(`social:referrals.kinds.${a.kind}`), ...REFERRAL_STATUSES.map((s) => a.counts[s]), a.total, a.overdue],
            }))}
          />
        </>
      )}
      <Download t={t} chart="referrals" month={f.month} />
    </section>
  );
}

function FieldCard({ t, f, month }: { t: TFunction; f: SocialFigures; month: string }) {
  const unassigned = t('social:field.unassigned');
  const series = [
    { key: 'done', label: t('social:field.columns.done'), color: PALETTE[2]! },
    { key: 'overdue', label: t('social:field.columns.overdue'), color: PALETTE[4]! },
  ];
  const rows = [
    ...f.field.workers.map((w) => ({ key: String(w.staffId), label: w.name, done: w.tasksDone, visits: String(w.visits), overdue: w.overdue })),
    // Nobody holds these, so nobody did or visited them: only their overdue count means something.
    ...(f.field.unassignedOverdue > 0 ? [{ key: 'unassigned', label: unassigned, done: 0, visits: '–', overdue: f.field.unassignedOverdue }] : []),
  ];
  return (
    <section class="card" aria-labelledby="h-field" data-chart="field">
      <h2 id="h-field">{t('social:field.title')}</h2>
      <Definitions lines={[t('social:field.defs.done'), t('social:field.defs.visits'), t('social:field.defs.overdue')]} />
      {rows.length === 0 ? (
        <p>{t('social:field.none')}</p>
      ) : (
        <>
          <StackedBarChart
            id="chart-field"
            title={t('social:field.chartTitle', { month })}
            columnLabel={t('social:field.columns.worker')}
            totalLabel={t('social:total')}
            tableLabel={t('social:showTable')}
            series={series}
            columns={rows.map((r) => ({ key: r.key, label: r.label, values: { done: r.done, overdue: r.overdue } }))}
          />
          <FiguresTable
            id="field"
            caption={t('social:field.caption', { month })}
            headers={[t('social:field.columns.worker'), t('social:field.columns.done'), t('social:field.columns.visits'), t('social:field.columns.overdue')]}
            rows={rows.map((r) => ({ label: r.label, cells: [r.key === 'unassigned' ? '–' : r.done, r.visits, r.overdue] }))}
          />
        </>
      )}
      <Download t={t} chart="field" month={f.month} />
    </section>
  );
}
