import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AreaInScope } from '../../../../services/areas.ts';
import type { OutcomeReport, ProposalFilter } from '../../../../services/registry/proposals.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { AreaFilters } from '../../shell/area-filters.tsx';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The proposals page: the filters, how many proposals they match with the sheet to download, and for whoever
// works complaints the upload of the meeting's answers, with the report of what it changed.

export function ProposalsForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('proposals:console.title')} session={session} here="/console/proposals">
      <h1>{t('proposals:console.title')}</h1>
      <p class="error">{t('proposals:console.forbidden')}</p>
    </Shell>
  );
}

export interface ProposalsPageProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  filter: ProposalFilter & { query: string };
  areas: AreaInScope[];
  total: number;
  /** The person may upload the meeting's answers. */
  mayUpload: boolean;
  opts: { report?: OutcomeReport; error?: 'noFile' | 'tooLarge' };
}

export function ProposalsPage({ t, locale, session, filter: f, areas, total, mayUpload, opts }: ProposalsPageProps) {
  return (
    <Shell t={t} locale={locale} title={t('proposals:console.title')} session={session} here="/console/proposals">
      <h1>{t('proposals:console.title')}</h1>
      <p class="warn">{t('proposals:console.intro')}</p>
      {opts.error ? (
        <p class="error" role="alert">
          {t(`proposals:console.${opts.error}`)}
        </p>
      ) : null}
      {opts.report ? <Report t={t} report={opts.report} /> : null}
      <form class="filters" method="get" action="/console/proposals">
        <AreaFilters
          idPrefix="p"
          areas={areas}
          kecamatanId={f.kecamatanId}
          kelurahanId={f.kelurahanId}
          labels={{ kecamatan: t('proposals:console.kecamatan'), kelurahan: t('proposals:console.kelurahan'), all: t('proposals:console.all') }}
        />
        <div>
          <label for="p-from">{t('proposals:console.from')}</label>
          <input id="p-from" type="date" name="from" value={f.from ?? ''} />
        </div>
        <div>
          <label for="p-to">{t('proposals:console.to')}</label>
          <input id="p-to" type="date" name="to" value={f.to ?? ''} />
        </div>
        <button type="submit">{t('proposals:console.filter')}</button>
      </form>
      <section class="card">
        <p data-testid="count">{t('proposals:console.count', { count: total })}</p>
        <p>
          <a href={`/console/proposals/export.csv${f.query ? `?${f.query}` : ''}`} download>
            {t('proposals:console.download')}
          </a>{' '}
          ·{' '}
          <a href={`/console/proposals/export.xlsx${f.query ? `?${f.query}` : ''}`} download>
            {t('proposals:console.downloadXlsx')}
          </a>
        </p>
      </section>
      {mayUpload ? (
        <section class="card">
          <h2>{t('proposals:console.uploadTitle')}</h2>
          <p>{t('proposals:console.uploadHelp')}</p>
          <form method="post" action="/console/proposals/outcomes" enctype="multipart/form-data">
            <Csrf session={session} />
            <div class="field">
              <label for="p-file">{t('proposals:console.file')}</label>
              <input id="p-file" type="file" name="file" accept=".csv,text/csv" required />
            </div>
            <button class="primary" type="submit">
              {t('proposals:console.upload')}
            </button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}

function Report({ t, report }: { t: TFunction; report: OutcomeReport }) {
  return (
    <section class="card" data-testid="report">
      <h2>{t('proposals:console.reportTitle')}</h2>
      <p class="notice" role="status">
        {t('proposals:console.applied', { count: report.applied.length })} · {t('proposals:console.unchanged', { count: report.unchanged.length })} ·{' '}
        {t('proposals:console.skipped', { count: report.skipped.length })}
      </p>
      {report.applied.length > 0 ? (
        <table data-testid="applied">
          <thead>
            <tr>
              <th>{t('proposals:console.line')}</th>
              <th>{t('proposals:console.trackingId')}</th>
              <th>{t('proposals:console.outcome')}</th>
              <th>{t('proposals:console.notified')}</th>
            </tr>
          </thead>
          <tbody>
            {report.applied.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.trackingId}</td>
                <td>{t(`proposals:outcomes.${r.outcome}`)}</td>
                <td>{r.notified ? t('proposals:console.yes') : t('proposals:console.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.skipped.length > 0 ? (
        <table data-testid="skipped">
          <thead>
            <tr>
              <th>{t('proposals:console.line')}</th>
              <th>{t('proposals:console.trackingId')}</th>
              <th>{t('proposals:console.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.skipped.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.trackingId ?? '—'}</td>
                <td>{t(`proposals:console.reasons.${r.reason}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
