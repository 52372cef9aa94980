import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { formatValue, programColumns, serviceColumns, type Column } from '../../../../services/reports/monthly/columns.ts';
import { areaName, monthName, scopeLine } from '../../../../services/reports/monthly/labels.ts';
import { sum, targetShare, validatedShare, type MonthlyFigures } from '../../../../services/reports/monthly/types.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { PALETTE, StackedBarChart } from '../../shell/charts.tsx';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { FiguresTable } from './social.tsx';

// The monthly report page (issue 20 part 6), from what its route loaded: the month picker, the kept report's
// state and files (or the files drawn for the reader's scope), then a card per program and the services
// card, each with its charts (inline SVG with their numbers folded under them) and its kecamatan table —
// the same columns as the PDF and the XLSX (services/reports/monthly/columns.ts).

export const MONTHLY_HERE = '/console/reports/monthly';

export interface MonthlyPageProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  timeZone: string;
  month: string;
  /** The month picker's latest choice (this month). */
  maxMonth: string;
  /** null: nothing to report this month (the page says so instead of empty tables). */
  figures: MonthlyFigures | null;
  /** City-wide staff: the kept report's state (null when none is kept); others: undefined. */
  kept?: { generatedAt: Date; generatedBy: string | null } | null;
  notice?: { kind: 'done' | 'error'; text: string };
}

export function MonthlyForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('monthly:forbidden.title')} session={session} here={MONTHLY_HERE}>
      <h1>{t('monthly:forbidden.title')}</h1>
      <p>{t('monthly:forbidden.text')}</p>
    </Shell>
  );
}

export function MonthlyBadMonth({ t, locale, session, message }: { t: TFunction; locale: Locale; session: Session; message: string }) {
  return (
    <Shell t={t} locale={locale} title={t('monthly:title')} session={session} here={MONTHLY_HERE}>
      <h1>{t('monthly:title')}</h1>
      <p class="error" role="alert">
        {message}
      </p>
      <p>
        <a href={MONTHLY_HERE}>{t('monthly:errors.back')}</a>
      </p>
    </Shell>
  );
}

export function MonthlyPage(p: MonthlyPageProps) {
  const { t, locale, session, month, figures: f } = p;
  const name = monthName(month, locale);
  return (
    <Shell t={t} locale={locale} title={t('monthly:title')} session={session} here={MONTHLY_HERE}>
      <h1>{t('monthly:title')}</h1>
      <p>{t('monthly:intro')}</p>
      <form class="filters" method="get" action={MONTHLY_HERE}>
        <div>
          <label for="m-month">{t('monthly:month')}</label>
          <input id="m-month" name="month" type="month" value={month} max={p.maxMonth} required />
        </div>
        <button type="submit">{t('monthly:show')}</button>
      </form>
      {p.notice ? (
        <p class={p.notice.kind === 'done' ? 'notice' : 'error'} role={p.notice.kind === 'done' ? 'status' : 'alert'}>
          {p.notice.text}
        </p>
      ) : null}
      {f === null ? (
        <p class="error" role="alert" data-testid="monthly-empty">
          {t('monthly:errors.empty', { month: name })}
        </p>
      ) : (
        <>
          <p class="meta">
            {t('monthly:range', { month: name, from: f.from, to: f.to })} {scopeLine(f, t)}.
            {p.kept === undefined ? ` ${t('monthly:scopeNote')}` : null}
          </p>
          <Files {...p} name={name} />
          {f.programs.length === 0 ? <p>{t('monthly:noPrograms')}</p> : null}
          {f.programs.map((prog, i) => (
            <ProgramCard t={t} locale={locale} f={f} index={i} name={name} />
          ))}
          <ServicesCard t={t} locale={locale} f={f} name={name} />
        </>
      )}
    </Shell>
  );
}

/** The kept report's state and the downloads; for city-wide staff, "Buat ulang" with its confirmation. */
function Files(p: MonthlyPageProps & { name: string }) {
  const { t, locale, month } = p;
  const base = `${MONTHLY_HERE}/${month}`;
  return (
    <section class="card" aria-labelledby="h-files" data-testid="monthly-files">
      <h2 id="h-files">{t('monthly:kept.title')}</h2>
      {p.kept === undefined ? null : p.kept === null ? (
        <p>{t('monthly:kept.none')}</p>
      ) : (
        <p>
          {p.kept.generatedBy === null
            ? t('monthly:kept.byJob', { at: formatDateTime(p.kept.generatedAt, locale, p.timeZone) })
            : t('monthly:kept.byStaff', { name: p.kept.generatedBy, at: formatDateTime(p.kept.generatedAt, locale, p.timeZone) })}{' '}
          {t('monthly:kept.figuresNote')}
        </p>
      )}
      <p>
        <a href={`${base}.pdf`} data-download="pdf">
          {t('monthly:downloadPdf')}
        </a>
        {' · '}
        <a href={`${base}.xlsx`} data-download="xlsx">
          {t('monthly:downloadXlsx')}
        </a>
      </p>
      {p.kept === undefined ? null : (
        <form method="post" action={`${MONTHLY_HERE}/generate`}>
          <Csrf session={p.session} />
          <input type="hidden" name="month" value={month} />
          {p.kept === null ? null : (
            <div class="field">
              <input id="m-confirm" type="checkbox" name="confirm" value="yes" required />{' '}
              <label for="m-confirm">{t('monthly:regenerateConfirm', { month: p.name })}</label>
            </div>
          )}
          <button class="secondary" type="submit">
            {p.kept === null ? t('monthly:generate') : t('monthly:regenerate')}
          </button>
        </form>
      )}
    </section>
  );
}

function rowsFor<T extends { kecamatanId: number | null }>(t: TFunction, locale: string, f: MonthlyFigures, columns: Column<T>[], areas: T[], total: T) {
  return [...areas, total].map((a) => ({
    label: a.kecamatanId === null ? t('monthly:total') : areaName(f, a.kecamatanId),
    cells: columns.map((c) => formatValue(c.value(a), c.kind, locale)),
  }));
}

function ProgramCard({ t, locale, f, index, name }: { t: TFunction; locale: Locale; f: MonthlyFigures; index: number; name: string }) {
  const p = f.programs[index]!;
  const id = `p${p.programId}`;
  const columns = programColumns(t);
  const fmt = (n: number | null, kind: 'count' | 'share' = 'count') => formatValue(n, kind, locale);
  return (
    <section class="card" aria-labelledby={`h-${id}`} data-program={p.code}>
      <h2 id={`h-${id}`}>{`${p.name} (${p.code})`}</h2>
      <p>
        {t('monthly:program.summary', {
          target: fmt(p.targetPerYear),
          enrolled: fmt(p.total.enrolled),
          share: fmt(targetShare(p.total.enrolled, p.targetPerYear), 'share'),
          validated: fmt(validatedShare(p.total), 'share'),
          events: fmt(p.events),
        })}
      </p>
      <StackedBarChart
        id={`chart-${id}-enrolled`}
        title={t('monthly:program.chartTitle', { program: p.name })}
        columnLabel={t('monthly:columns.area')}
        totalLabel={t('monthly:columns.enrolled')}
        tableLabel={t('monthly:showTable')}
        series={[
          { key: 'validated', label: t('monthly:series.validated'), color: PALETTE[2]! },
          { key: 'notValidated', label: t('monthly:series.notValidated'), color: PALETTE[1]! },
        ]}
        columns={p.areas.map((a) => ({ key: String(a.kecamatanId), label: areaName(f, a.kecamatanId), values: { validated: a.validated, notValidated: a.enrolled - a.validated } }))}
      />
      {p.total.invited > 0 ? (
        <StackedBarChart
          id={`chart-${id}-distribution`}
          title={t('monthly:program.distributionChartTitle', { program: p.name })}
          columnLabel={t('monthly:columns.area')}
          totalLabel={t('monthly:columns.invited')}
          tableLabel={t('monthly:showTable')}
          series={[
            { key: 'collected', label: t('monthly:series.collected'), color: PALETTE[2]! },
            { key: 'noShow', label: t('monthly:series.noShow'), color: PALETTE[4]! },
            { key: 'other', label: t('monthly:series.other'), color: PALETTE[6]! },
          ]}
          columns={p.areas.map((a) => {
            const noShow = sum(a.noShowByRound);
            return { key: String(a.kecamatanId), label: areaName(f, a.kecamatanId), values: { collected: a.collected, noShow, other: a.invited - a.collected - noShow } };
          })}
        />
      ) : null}
      <FiguresTable
        id={`table-${id}`}
        caption={t('monthly:program.caption', { program: p.name, month: name })}
        headers={[t('monthly:columns.area'), ...columns.map((c) => c.header)]}
        rows={rowsFor(t, locale, f, columns, p.areas, p.total)}
      />
      <ul class="meta">
        <li>{t('monthly:defs.enrolled')}</li>
        <li>{t('monthly:defs.distribution')}</li>
        <li>{t('monthly:defs.reached')}</li>
      </ul>
    </section>
  );
}

function ServicesCard({ t, locale, f, name }: { t: TFunction; locale: Locale; f: MonthlyFigures; name: string }) {
  const columns = serviceColumns(t);
  return (
    <section class="card" aria-labelledby="h-services" data-chart="services">
      <h2 id="h-services">{t('monthly:services.title')}</h2>
      <StackedBarChart
        id="chart-services"
        title={t('monthly:services.chartTitle', { month: name })}
        columnLabel={t('monthly:columns.area')}
        totalLabel={t('monthly:total')}
        tableLabel={t('monthly:showTable')}
        series={[
          { key: 'complaints', label: t('monthly:columns.complaintsFiled'), color: PALETTE[0]! },
          { key: 'ppks', label: t('monthly:columns.ppksReported'), color: PALETTE[1]! },
          { key: 'findings', label: t('monthly:columns.findingsOpened'), color: PALETTE[2]! },
        ]}
        columns={f.services.areas.map((a) => ({ key: String(a.kecamatanId), label: areaName(f, a.kecamatanId), values: { complaints: a.complaintsFiled, ppks: a.ppks.reported, findings: a.findingsOpened } }))}
      />
      <FiguresTable
        id="table-services"
        caption={t('monthly:services.caption', { month: name })}
        headers={[t('monthly:columns.area'), ...columns.map((c) => c.header)]}
        rows={rowsFor(t, locale, f, columns, f.services.areas, f.services.total)}
      />
      <ul class="meta">
        <li>{t('monthly:defs.sla')}</li>
        <li>{t('monthly:defs.ikm')}</li>
        <li>{t('monthly:defs.findings')}</li>
        <li>{t('monthly:defs.ppks')}</li>
        <li>{t('monthly:defs.areas')}</li>
      </ul>
    </section>
  );
}
