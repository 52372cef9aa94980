import type { TFunction } from 'i18next';
import { DISBURSEMENT_HEADER_EXAMPLE } from '../../../../domain/disbursement-line.ts';
import { formatDateTime } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { DisbursementFileRow, DisbursementReport, ImportProgram, LineRefusals } from '../../../../services/disbursements/index.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The result files page: the upload form (program, period, source, file), after an upload its report — the
// counts and who was told, or every refused line with its number and reason — and the files imported so far.

export type FilesOutcome =
  | { kind: 'done'; report: DisbursementReport }
  | { kind: 'lines'; refusals: LineRefusals }
  | { kind: 'error'; text: string; status: 400 | 403 | 409 | 413 | 422 };

export interface FormDraft {
  programId: string;
  period: string;
  source: string;
}

export function FilesPage(p: { t: TFunction; locale: Locale; timeZone: string; session: Session; programs: ImportProgram[]; files: DisbursementFileRow[]; draft: FormDraft; outcome?: FilesOutcome | undefined }) {
  const { t, locale, session, outcome } = p;
  return (
    <Shell t={t} locale={locale} title={t('disbursements:files.title')} session={session} here="/console/disbursements">
      <h1>{t('disbursements:files.title')}</h1>
      <p>{t('disbursements:files.intro')}</p>
      {outcome?.kind === 'error' ? (
        <p class="error" role="alert">
          {outcome.text}
        </p>
      ) : null}
      {outcome?.kind === 'done' ? <Done t={t} report={outcome.report} /> : null}
      {outcome?.kind === 'lines' ? <Refused t={t} refusals={outcome.refusals} /> : null}
      <section class="card">
        {/* The token comes before the file, so it is checked before a byte of the file is written. */}
        <form method="post" action="/console/disbursements" enctype="multipart/form-data">
          <Csrf session={session} />
          <label for="program">{t('disbursements:files.program')}</label>
          <select id="program" name="program" required>
            {p.programs.map((pr) => (
              <option value={String(pr.id)} selected={String(pr.id) === p.draft.programId}>
                {`${pr.code} — ${pr.name}`}
              </option>
            ))}
          </select>
          <label for="period">{t('disbursements:files.period')}</label>
          <input id="period" name="period" required value={p.draft.period} aria-describedby="period-hint" />
          <p class="meta" id="period-hint">
            {t('disbursements:files.periodHint')}
          </p>
          <label for="source">{t('disbursements:files.source')}</label>
          <input id="source" name="source" required maxlength={60} value={p.draft.source} aria-describedby="source-hint" />
          <p class="meta" id="source-hint">
            {t('disbursements:files.sourceHint')}
          </p>
          <label for="file">{t('disbursements:files.file')}</label>
          <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          <p>
            <button class="primary" type="submit">
              {t('disbursements:files.submit')}
            </button>
          </p>
        </form>
        <p class="meta">{t('disbursements:files.format')}</p>
        <pre class="text">{DISBURSEMENT_HEADER_EXAMPLE}</pre>
      </section>
      <h2>{t('disbursements:files.listTitle')}</h2>
      <p>
        <a href="/console/disbursements/failed">{t('disbursements:files.failedLink')}</a>
      </p>
      {p.files.length === 0 ? (
        <p>{t('disbursements:files.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {(['importedAt', 'program', 'period', 'source', 'fileName', 'lines', 'transferred', 'failed', 'returned', 'by'] as const).map((k) => (
                <th scope="col">{t(`disbursements:files.col.${k}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.files.map((f) => (
              <tr>
                <td>{formatDateTime(f.importedAt, locale, p.timeZone)}</td>
                <td>{f.programCode}</td>
                <td>{f.period}</td>
                <td>{f.source}</td>
                <td>{f.fileName}</td>
                <td>{f.lineCount}</td>
                <td>{f.transferred}</td>
                <td>{f.failed}</td>
                <td>{f.returned}</td>
                <td>{f.importedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}

function Done({ t, report }: { t: TFunction; report: DisbursementReport }) {
  return (
    <section class="card" role="status">
      <p class="notice">{t('disbursements:report.done', { fileName: report.fileName, lines: report.lineCount, transferred: report.transferred, failed: report.failed, returned: report.returned })}</p>
      {report.notified > 0 ? <p>{t('disbursements:report.told', { count: report.notified })}</p> : null}
      {report.unreachable > 0 ? (
        <p>
          <a href="/console/disbursements/failed">{t('disbursements:report.untold', { count: report.unreachable })}</a>
        </p>
      ) : null}
    </section>
  );
}

function Refused({ t, refusals }: { t: TFunction; refusals: LineRefusals }) {
  return (
    <section class="card">
      <h2>{t('disbursements:report.refusedTitle')}</h2>
      <p class="error" role="alert">
        {t('disbursements:report.refused', { count: refusals.total })}
      </p>
      {refusals.problems.length < refusals.total ? <p>{t('disbursements:report.shown', { shown: refusals.problems.length, count: refusals.total })}</p> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('disbursements:report.line')}</th>
            <th scope="col">{t('disbursements:report.reason')}</th>
            <th scope="col">{t('disbursements:report.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {refusals.problems.map((p) => (
            <tr>
              <td>{p.line}</td>
              <td>{t(`disbursements:reasons.${p.reason}`, { defaultValue: p.reason })}</td>
              <td>{[p.value !== undefined ? `"${p.value}"` : '', p.detail ?? ''].filter(Boolean).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
