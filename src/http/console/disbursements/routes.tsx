import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { formatDateTime } from '../../../domain/dates.ts';
import { DISBURSEMENT_HEADER_EXAMPLE } from '../../../domain/disbursement-line.ts';
import { can } from '../../../services/access.ts';
import { importablePrograms, importDisbursements, listFailed, listFiles, NOTE_MAX, resolveFailed, type DisbursementImportResult } from '../../../services/disbursements/index.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { BODY_LIMITS } from '../../limits/body.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ENVELOPE_BYTES, receiveUpload } from '../shell/upload.ts';
import { FailedPage, type FailedNotice } from './views/failed.tsx';
import { FilesPage, type FilesOutcome, type FormDraft } from './views/files.tsx';
import { DisbursementMessagePage } from './views/message.tsx';

// Disbursements in the console (issue 20 part 3): /console/disbursements lists the result files and takes a
// new one (streamed to a temporary file, imported whole or refused with every bad line, then deleted), and
// /console/disbursements/failed is the work list of failed and returned transfers with "Selesai". Thin:
// services/disbursements checks permission, bidang and kecamatan, and audits.

const MAX_BYTES = BODY_LIMITS.disbursementFile;
const ID = /^[1-9]\d{0,14}$/;

/** The upload: mounted before the console's 256 KB form limit, with its own. */
export function disbursementUploadRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const { page, tOf } = pages(deps);
  const guard = requireStaff(deps);
  app.post('/console/disbursements', guard, async (c) => {
    const t = tOf(c);
    const session = c.get('session');
    if (!can(session.actor, 'disbursements.import')) return forbidden(deps, c);
    const draft: FormDraft = { programId: '', period: '', source: '' };
    const tooLarge = (): FilesOutcome => ({ kind: 'error', text: t('disbursements:refusals.too_large', { mb: MAX_BYTES / (1024 * 1024) }), status: 413 });
    if (Number(c.req.header('content-length') ?? 0) > MAX_BYTES + ENVELOPE_BYTES) return page(c, draft, tooLarge());
    const dir = await mkdtemp(join(tmpdir(), 'pintu-disbursement-'));
    try {
      const upload = await receiveUpload(c, dir, { csrfToken: session.csrfToken, maxBytes: MAX_BYTES });
      if ('error' in upload) {
        if (upload.error === 'csrf') return page(c, draft, { kind: 'error', text: t('console:errors.csrf'), status: 403 });
        if (upload.error === 'tooLarge') return page(c, draft, tooLarge());
        return page(c, draft, { kind: 'error', text: t('disbursements:refusals.no_file'), status: 400 });
      }
      const field = (k: string) => upload.fields.get(k) ?? '';
      Object.assign(draft, { programId: field('program'), period: field('period').slice(0, 20), source: field('source').slice(0, 80) });
      if (!upload.file) return page(c, draft, { kind: 'error', text: t('disbursements:refusals.no_file'), status: 400 });
      if (!ID.test(draft.programId)) return page(c, draft, { kind: 'error', text: t('disbursements:refusals.program_unknown'), status: 422 });
      const result = await importDisbursements(
        deps.database,
        session.actor,
        { programId: Number(draft.programId), period: draft.period, source: draft.source, filePath: upload.file.path, fileName: upload.file.fileName },
        { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale },
      );
      return page(c, draft, outcomeOf(c, result));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const outcomeOf = (c: ConsoleContext, r: DisbursementImportResult): FilesOutcome => {
    const t = tOf(c);
    if (r.ok) return { kind: 'done', report: r.report };
    if (r.reason === 'lines_refused') return { kind: 'lines', refusals: r.refusals };
    if (r.reason === 'already_imported') {
      return { kind: 'error', text: t('disbursements:refusals.already_imported', { fileName: r.earlier.fileName, when: formatDateTime(r.earlier.importedAt, c.get('locale'), deps.timeZone) }), status: 409 };
    }
    const status = r.reason === 'program_out_of_scope' ? 403 : 422;
    return { kind: 'error', text: t(`disbursements:refusals.${r.reason}`, { example: DISBURSEMENT_HEADER_EXAMPLE }), status };
  };
  return app;
}

export function disbursementRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const { page, tOf } = pages(deps);
  const forbiddenPage = (c: ConsoleContext) => forbidden(deps, c);
  app.use('/console/disbursements', errorAnswers<ConsoleEnv>({ forbidden: forbiddenPage }));
  app.use('/console/disbursements/*', errorAnswers<ConsoleEnv>({ forbidden: forbiddenPage }));

  app.get('/console/disbursements', guard, async (c) => {
    if (!can(c.get('session').actor, 'disbursements.import')) return forbiddenPage(c);
    return page(c, { programId: '', period: '', source: '' });
  });

  const failedPage = async (c: ConsoleContext, workStatus: 'open' | 'resolved', notice?: FailedNotice, draft?: { id: number; note: string }, status: 200 | 404 | 409 | 422 = 200) => {
    const rows = await listFailed(db, c.get('session').actor, { workStatus }, { now: deps.clock() });
    return c.html(<FailedPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} rows={rows} workStatus={workStatus} notice={notice} draft={draft} />, status);
  };

  app.get('/console/disbursements/failed', guard, async (c) => {
    if (!can(c.get('session').actor, 'disbursements.work')) return forbiddenPage(c);
    const done = c.req.query('done') === '1' ? { kind: 'done' as const, text: tOf(c)('disbursements:failed.doneMessage') } : undefined;
    return failedPage(c, c.req.query('status') === 'resolved' ? 'resolved' : 'open', done);
  });

  app.post('/console/disbursements/failed/:id/resolve', guard, csrf, async (c) => {
    if (!can(c.get('session').actor, 'disbursements.work')) return forbiddenPage(c);
    const raw = c.req.param('id');
    const note = (await formField(c, 'note')).slice(0, NOTE_MAX + 100);
    const r = ID.test(raw) ? await resolveFailed(db, c.get('session').actor, Number(raw), note, { now: deps.clock() }) : ({ ok: false, reason: 'not_found' } as const);
    if (r.ok) return c.redirect('/console/disbursements/failed?done=1', 303);
    const text = r.reason === 'not_found' ? tOf(c)('disbursements:forbidden') : tOf(c)(`disbursements:refusals.${r.reason}`, { max: NOTE_MAX });
    const status = r.reason === 'not_found' ? 404 : r.reason === 'already_resolved' ? 409 : 422;
    return failedPage(c, 'open', { kind: 'error', text }, ID.test(raw) ? { id: Number(raw), note } : undefined, status);
  });

  return app;
}

function pages(deps: AppDeps) {
  const db = deps.database.db;
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const page = async (c: ConsoleContext, draft: FormDraft, outcome?: FilesOutcome) => {
    const actor = c.get('session').actor;
    const [programs, files] = await Promise.all([importablePrograms(db, actor), listFiles(db, actor)]);
    const status = outcome?.kind === 'error' ? outcome.status : outcome?.kind === 'lines' ? 422 : 200;
    return c.html(<FilesPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} programs={programs} files={files} draft={draft} outcome={outcome} />, status);
  };
  return { page, tOf };
}

function forbidden(deps: AppDeps, c: ConsoleContext) {
  const t = deps.i18n.getFixedT(c.get('locale'));
  return c.html(<DisbursementMessagePage t={t} locale={c.get('locale')} session={c.get('session')} text={t('disbursements:forbidden')} />, 403);
}
