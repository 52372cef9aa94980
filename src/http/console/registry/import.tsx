import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Busboy from 'busboy';
import { Hono } from 'hono';
import { ENROLLMENT_HEADER } from '../../../services/registry/import/enrollment-row.ts';
import { REGISTRY_HEADER } from '../../../services/registry/import/registry-row.ts';
import type { ImportReport } from '../../../services/registry/import/report.ts';
import { ImportInputError, importFile, type ImportKind } from '../../../services/registry/import/run.ts';
import { can } from '../../../services/access.ts';
import { audit } from '../../../services/audit.ts';
import { secretsEqual } from '../../../services/staff/secrets.ts';
import type { AppDeps } from '../../context.ts';
import { Csrf, Shell } from '../shell/layout.tsx';
import { requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';

// The registry import as a console page for admins and supervisors: the same importer as
// `npm run import`, fed from an upload. The upload is streamed to a temporary file (a DTSEN export of a whole
// city is hundreds of megabytes; it never sits in memory), imported, and deleted; the report is shown and is
// also kept in import_runs.

const MAX_MB = 512;
const KINDS: readonly ImportKind[] = ['registry', 'enrollments'];
const SHOWN_PROBLEMS = 200;

type Outcome = { report: ImportReport } | { error: string; status: 400 | 403 | 409 | 413 | 422 };

export function importRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);
  const allowed = (c: ConsoleContext) => can(c.get('session').actor, 'settings.manage') || can(c.get('session').actor, 'reports.read');

  const page = (c: ConsoleContext, outcome?: Outcome) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    const report = outcome && 'report' in outcome ? outcome.report : undefined;
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('import:title')} session={session} here="/console/import">
        <h1>{t('import:title')}</h1>
        <p>{t('import:intro')}</p>
        {outcome && 'error' in outcome ? (
          <p class="error" role="alert">
            {outcome.error}
          </p>
        ) : null}
        {report ? (
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
                        <td>{t(`import:reasons.${p.reason}`, { defaultValue: p.reason })}</td>
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
        ) : null}
        <section class="card">
          {/* The token comes before the file, so it is checked before a single byte of the file is written. */}
          <form method="post" action="/console/import" enctype="multipart/form-data">
            <Csrf session={session} />
            <label for="kind">{t('import:kind')}</label>
            <select id="kind" name="kind">
              {KINDS.map((k) => (
                <option value={k}>{t(`import:kinds.${k}`)}</option>
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
      </Shell>,
      outcome && 'error' in outcome ? outcome.status : 200,
    );
  };

  app.get('/console/import', guard, (c) => (allowed(c) ? page(c) : page(c, { error: deps.i18n.t('import:forbidden', { lng: c.get('locale') }), status: 403 })));

  app.post('/console/import', guard, async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    if (!allowed(c)) return page(c, { error: t('import:forbidden'), status: 403 });
    const dir = await mkdtemp(join(tmpdir(), 'pintu-upload-'));
    try {
      const upload = await receive(c, dir, session.csrfToken);
      if ('error' in upload) {
        const text = upload.error === 'csrf' ? t('console:errors.csrf') : upload.error === 'tooLarge' ? t('import:errors.tooLarge', { mb: MAX_MB }) : upload.error === 'badKind' ? t('import:errors.badKind') : t('import:errors.noFile');
        return page(c, { error: text, status: upload.error === 'csrf' ? 403 : upload.error === 'tooLarge' ? 413 : 400 });
      }
      let report: ImportReport;
      try {
        report = await importFile(deps.database, { kind: upload.kind, filePath: upload.path, fileName: upload.fileName, now: deps.clock(), timeZone: deps.timeZone });
      } catch (err) {
        if (err instanceof ImportInputError) return page(c, { error: t('import:errors.input', { reason: err.message }), status: 422 });
        throw err;
      }
      await audit(deps.database.db, session.actor, {
        action: 'registry.import',
        entity: 'import_run',
        entityId: report.runId,
        details: { kind: report.kind, counts: report.counts },
      });
      return page(c, { report });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  return app;
}

type Received = { kind: ImportKind; path: string; fileName: string } | { error: 'csrf' | 'noFile' | 'tooLarge' | 'badKind' };

/** Streams a multipart upload: the CSRF field first, then the kind, then the file to `dir`. */
async function receive(c: ConsoleContext, dir: string, csrfToken: string): Promise<Received> {
  const body = c.req.raw.body;
  const type = c.req.header('content-type') ?? '';
  if (!body || !type.startsWith('multipart/form-data')) return { error: 'noFile' };
  const fields = new Map<string, string>();
  let file: { path: string; fileName: string } | undefined;
  let failure: Received | undefined;
  const busboy = Busboy({ headers: { 'content-type': type }, limits: { files: 1, fields: 10, fileSize: MAX_MB * 1024 * 1024 } });
  const writes: Promise<void>[] = [];
  busboy.on('field', (name, value) => fields.set(name, value.slice(0, 200)));
  busboy.on('file', (_name, stream, info) => {
    if (!secretsEqual(csrfToken, fields.get('_csrf') ?? '')) {
      failure ??= { error: 'csrf' };
      stream.resume();
      return;
    }
    const path = join(dir, 'upload.csv');
    file = { path, fileName: (info.filename || 'upload.csv').replace(/[^\w.\- ]+/g, '_').slice(0, 120) };
    stream.on('limit', () => (failure ??= { error: 'tooLarge' }));
    writes.push(pipeline(stream, createWriteStream(path)));
  });
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), busboy);
  await Promise.all(writes);
  if (failure) return failure;
  if (!secretsEqual(csrfToken, fields.get('_csrf') ?? '')) return { error: 'csrf' };
  const kind = fields.get('kind');
  if (!KINDS.includes(kind as ImportKind)) return { error: 'badKind' };
  if (!file) return { error: 'noFile' };
  return { kind: kind as ImportKind, ...file };
}

