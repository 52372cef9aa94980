import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { ENROLLMENT_HEADER } from '../../../../services/registry/import/enrollment-row.ts';
import { REGISTRY_HEADER } from '../../../../services/registry/import/registry-row.ts';
import type { ImportReport } from '../../../../services/registry/import/report.ts';
import type { ImportKind } from '../../../../services/registry/import/run.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The registry import page: the upload form with the columns each kind of file has, and after an upload the
// report (counts, and the first problems by line, with the accepted values of a refused enumerated cell)
// or the reason it was refused. The form keeps the kind chosen for the last upload (issue 18): a desk
// importing twenty enrollment files should not have to pick the kind twenty times.

export const KINDS: readonly ImportKind[] = ['registry', 'enrollments'];
const SHOWN_PROBLEMS = 200;

export type Outcome = { report: ImportReport } | { error: string; status: 400 | 403 | 409 | 413 | 422 };

export function ImportPage({ t, locale, session, outcome, kind }: { t: TFunction; locale: Locale; session: Session; outcome: Outcome | undefined; kind?: ImportKind | undefined }) {
  const report = outcome && 'report' in outcome ? outcome.report : undefined;
  return (
    <Shell t={t} locale={locale} title={t('import:title')} session={session} here="/console/import">
      <h1>{t('import:title')}</h1>
      <p>{t('import:intro')}</p>
      {outcome && 'error' in outcome ? (
        <p class="error" role="alert">
          {outcome.error}
        </p>
      ) : null}
      {report ? <Report t={t} report={report} /> : null}
      <section class="card">
        {/* The token comes before the file, so it is checked before a single byte of the file is written. */}
        <form method="post" action="/console/import" enctype="multipart/form-data">
          <Csrf session={session} />
          <label for="kind">{t('import:kind')}</label>
          <select id="kind" name="kind">
            {KINDS.map((k) => (
              <option value={k} selected={k === kind}>
                {t(`import:kinds.${k}`)}
              </option>
            ))}
          </select>
          <label for="file">{t('import:file')}</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
          <p>
            <button class="primary" type="submit">
              {t('import:submit')}
            </button>
          </p>
        </form>
        <p class="meta">{t('import:header')}</p>
        <pre class="text">{`${t('import:kinds.registry')}: ${REGISTRY_HEADER.join(',')}\n${t('import:kinds.enrollments')}: ${ENROLLMENT_HEADER.join(',')}`}</pre>
      </section>
    </Shell>
  );
}

function Report({ t, report }: { t: TFunction; report: ImportReport }) {
  return (
    <section class="card" data-testid="report">
      <h2>{t('import:report', { runId: report.runId, fileName: report.fileName, seconds: report.seconds.toFixed(1) })}</h2>
      <dl class="facts">
        {(['read', 'inserted', 'updated', 'unchanged', 'skipped'] as const).map((k) => (
          <>
            <dt>{t(`import:counts.${k}`)}</dt>
            <dd data-count={k}>{String(report.counts[k])}</dd>
          </>
        ))}
      </dl>
      {report.problems.length > 0 ? (
        <>
          <h3>{t('import:problems')}</h3>
          <table>
            <thead>
              <tr>
                <th>{t('import:line')}</th>
                <th>{t('import:reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.slice(0, SHOWN_PROBLEMS).map((p) => (
                <tr>
                  <td>{String(p.line)}</td>
                  <td data-reason={p.reason}>
                    {t(`import:reasons.${p.reason}`, { defaultValue: p.reason })}
                    {p.value !== undefined ? ` ${t('import:given', { value: p.value })}` : null}
                    {report.allowed[p.reason] ? ` ${t('import:allowed', { values: report.allowed[p.reason]!.join(', ') })}` : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.counts.skipped > Math.min(report.problems.length, SHOWN_PROBLEMS) ? (
            <p class="meta">{t('import:more', { count: report.counts.skipped - Math.min(report.problems.length, SHOWN_PROBLEMS) })}</p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
