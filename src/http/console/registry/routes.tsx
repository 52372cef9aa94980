import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { todayIn } from '../../../domain/dates.ts';
import { FINDING_KINDS, FINDING_STATUSES } from '../../../domain/vocabulary.ts';
import { can, Forbidden } from '../../../services/access.ts';
import { audit } from '../../../services/audit.ts';
import { EXPORT_FORMATS } from '../../../services/exports/file.ts';
import type { ImportReport } from '../../../services/registry/import/report.ts';
import { ImportInputError, importFile, SpreadsheetFileError, type ImportKind } from '../../../services/registry/import/run.ts';
import { importProposalOutcomes, proposalAreas, proposalCount, proposalsCsv, type OutcomeReport, type ProposalFilter } from '../../../services/registry/proposals.ts';
import {
  acceptFinding,
  assignFinding,
  CHANGE_PERMISSION,
  findingAreas,
  findingCounts,
  findingsCsv,
  listFindings,
  resolveFinding,
  type FindingRefusal,
} from '../../../services/registry/quality/findings.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { BODY_LIMITS } from '../../limits/body.ts';
import { exportResponse } from '../shell/file-response.ts';
import { ENVELOPE_BYTES, receiveUpload } from '../shell/upload.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ImportPage, KINDS, type Outcome } from './views/import.tsx';
import { ProposalsForbidden, ProposalsPage } from './views/proposals.tsx';
import { QualityForbidden, QualityPage, type PageFilter, type QualityNote } from './views/quality.tsx';

// The registry import as a console page for admins and supervisors ('registry.import'): the same importer as
// `npm run import`, fed from an upload, but held to the uploader's scope: a row outside their kecamatan (or a
// program outside their bidang) is refused in the report with its line, the rest imports. The upload is
// streamed to a temporary file (a DTSEN export of a whole city is hundreds of megabytes; it never sits in
// memory), imported, and deleted; the report is shown and is also kept in import_runs.

const MAX_BYTES = BODY_LIMITS.registryImport;
const MAX_MB = MAX_BYTES / (1024 * 1024);

export function importRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const guard = requireStaff(deps);
  const allowed = (c: ConsoleContext) => can(c.get('session').actor, 'registry.import');

  // `kind`: the one chosen for the upload just made, offered again for the next.
  const page = (c: ConsoleContext, outcome?: Outcome, kind?: ImportKind) =>
    c.html(<ImportPage t={deps.i18n.getFixedT(c.get('locale'))} locale={c.get('locale')} session={c.get('session')} outcome={outcome} kind={kind} />, outcome && 'error' in outcome ? outcome.status : 200);

  app.get('/console/import', guard, (c) => (allowed(c) ? page(c) : page(c, { error: deps.i18n.t('import:forbidden', { lng: c.get('locale') }), status: 403 })));

  app.post('/console/import', guard, async (c) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const session = c.get('session');
    if (!allowed(c)) return page(c, { error: t('import:forbidden'), status: 403 });
    // Refused before a byte of it is read (http/limits/body.ts); a chunked upload is cut in receive().
    if (Number(c.req.header('content-length') ?? 0) > MAX_BYTES + ENVELOPE_BYTES) return page(c, { error: t('import:errors.tooLarge', { mb: MAX_MB }), status: 413 });
    const dir = await mkdtemp(join(tmpdir(), 'pintu-upload-'));
    try {
      const upload = await receive(c, dir, session.csrfToken);
      if ('error' in upload) {
        const text = upload.error === 'csrf' ? t('console:errors.csrf') : upload.error === 'tooLarge' ? t('import:errors.tooLarge', { mb: MAX_MB }) : upload.error === 'badKind' ? t('import:errors.badKind') : t('import:errors.noFile');
        return page(c, { error: text, status: upload.error === 'csrf' ? 403 : upload.error === 'tooLarge' ? 413 : 400 }, upload.kind);
      }
      let report: ImportReport;
      try {
        report = await importFile(deps.database, {
          kind: upload.kind,
          filePath: upload.path,
          fileName: upload.fileName,
          actor: session.actor,
          now: deps.clock(),
          timeZone: deps.timeZone,
        });
      } catch (err) {
        if (err instanceof SpreadsheetFileError) return page(c, { error: t('import:errors.spreadsheet'), status: 422 }, upload.kind);
        if (err instanceof ImportInputError) return page(c, { error: t('import:errors.input', { reason: err.message }), status: 422 }, upload.kind);
        // Only a bidang-scoped account gets here (the permission was checked above): the registry is not theirs.
        if (err instanceof Forbidden) return page(c, { error: t('import:errors.registryBidang'), status: 403 }, upload.kind);
        throw err;
      }
      await audit(deps.database.db, session.actor, {
        action: 'registry.import',
        entity: 'import_run',
        entityId: report.runId,
        details: { kind: report.kind, counts: report.counts },
      });
      return page(c, { report }, upload.kind);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  return app;
}

/** The upload, or why it was refused (with the kind when one was chosen, to offer it again). */
type Received = { kind: ImportKind; path: string; fileName: string } | { error: 'csrf' | 'noFile' | 'tooLarge' | 'badKind'; kind?: ImportKind };

/**
 * The multipart upload streamed to `dir` (shell/upload.ts: the CSRF field first, reading stops the moment the
 * body passes MAX_BYTES and its envelope: 413 at once), then the kind it names.
 */
async function receive(c: ConsoleContext, dir: string, csrfToken: string): Promise<Received> {
  const upload = await receiveUpload(c, dir, { csrfToken, maxBytes: MAX_BYTES });
  if ('error' in upload) return upload;
  const asked = upload.fields.get('kind');
  if (!KINDS.includes(asked as ImportKind)) return { error: 'badKind' };
  const kind = asked as ImportKind;
  if (!upload.file) return { error: 'noFile', kind };
  return { kind, ...upload.file };
}

// Proposals out to verification (issue 7): filter the usulan, sanggahan and data corrections of one's
// scope, download them as the kelurahan meeting's sheet, and upload the meeting's answers, which tells each
// resident the result. Scope, permission and audit are all in services/proposals.ts.

/** The meeting's answer sheet is a few thousand short lines at most; 2 MB leaves room without inviting abuse. */
export const OUTCOME_UPLOAD_LIMIT = BODY_LIMITS.proposalOutcomes;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const idParam = (raw: string | null | undefined) => (raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : undefined);
const dayParam = (raw: string | undefined) => (raw && ISO_DAY.test(raw) ? raw : undefined);

function proposalFilterOf(c: ConsoleContext, timeZone: string): ProposalFilter & { query: string } {
  const kecamatanId = idParam(c.req.query('kecamatan'));
  const kelurahanId = idParam(c.req.query('kelurahan'));
  const from = dayParam(c.req.query('from'));
  const to = dayParam(c.req.query('to'));
  const q = new URLSearchParams();
  if (kecamatanId) q.set('kecamatan', String(kecamatanId));
  if (kelurahanId) q.set('kelurahan', String(kelurahanId));
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return {
    timeZone,
    ...(kecamatanId ? { kecamatanId } : {}),
    ...(kelurahanId ? { kelurahanId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    query: q.toString(),
  };
}

export function proposalRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const actorOf = (c: ConsoleContext) => c.get('session').actor;

  const forbidden = (c: ConsoleContext) => c.html(<ProposalsForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);

  // The services' Forbidden, wherever a proposals page meets it (errors.ts).
  app.use('/console/proposals/*', errorAnswers({ forbidden }));

  const page = async (c: ConsoleContext, opts: { report?: OutcomeReport; error?: 'noFile' | 'tooLarge' } = {}, status: 200 | 400 | 413 = 200) => {
    const session = c.get('session');
    const f = proposalFilterOf(c, deps.timeZone);
    const areas = await proposalAreas(db, session.actor);
    const total = await proposalCount(db, session.actor, f);
    return c.html(
      <ProposalsPage t={tOf(c)} locale={c.get('locale')} session={session} filter={f} areas={areas} total={total} mayUpload={can(session.actor, 'complaints.work')} opts={opts} />,
      status,
    );
  };

  app.get('/console/proposals', guard, (c) => page(c));

  for (const format of EXPORT_FORMATS) {
    app.get(`/console/proposals/export.${format}`, guard, async (c) => {
      const f = proposalFilterOf(c, deps.timeZone);
      const out = await proposalsCsv(db, actorOf(c), { ...f, baseUrl: new URL(c.req.url).origin });
      const day = todayIn(deps.timeZone, deps.clock());
      return exportResponse(c, out, format, `usulan-verifikasi-${day}`);
    });
  }

  app.post(
    '/console/proposals/outcomes',
    guard,
    bodyLimit({ maxSize: OUTCOME_UPLOAD_LIMIT, onError: (c) => page(c as ConsoleContext, { error: 'tooLarge' }, 413) }),
    csrf,
    async (c) => {
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) return page(c, { error: 'noFile' }, 400);
      const report = await importProposalOutcomes(db, actorOf(c), await file.text(), { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale });
      return page(c, { report });
    },
  );

  return app;
}

// Data quality as work (issue 7): counts per kind and area, the findings of one's kecamatan with filters,
// "saya tangani", "data sudah diperbaiki" with a note or "data benar apa adanya" with a reason (issue 18),
// and the same list as CSV or XLSX. Scope, permission, masking and audit are all in
// services/quality/findings.ts; this page only reads the query and renders.

const PAGE = 50;
const oneOf = <T extends string>(list: readonly T[], raw: string | null | undefined): T | undefined => (raw && (list as readonly string[]).includes(raw) ? (raw as T) : undefined);

/** The filter from a query string; unknown values are dropped. Open findings unless asked otherwise. */
function findingFilterOf(q: URLSearchParams): PageFilter & { query: string } {
  const kind = oneOf(FINDING_KINDS, q.get('kind'));
  const status = q.get('status') === 'all' ? undefined : (oneOf(FINDING_STATUSES, q.get('status')) ?? 'open');
  const kecamatanId = idParam(q.get('kecamatan'));
  const kelurahanId = idParam(q.get('kelurahan'));
  const cursor = idParam(q.get('cursor'));
  const out = new URLSearchParams();
  if (kind) out.set('kind', kind);
  out.set('status', status ?? 'all');
  if (kecamatanId) out.set('kecamatan', String(kecamatanId));
  if (kelurahanId) out.set('kelurahan', String(kelurahanId));
  return {
    ...(kind ? { kind } : {}),
    ...(status ? { status } : {}),
    ...(kecamatanId ? { kecamatanId } : {}),
    ...(kelurahanId ? { kelurahanId } : {}),
    ...(cursor ? { cursor } : {}),
    query: out.toString(),
  };
}

const ERROR_STATUS: Record<FindingRefusal, 400 | 403 | 404 | 409> = { not_found: 404, forbidden: 403, invalid_input: 400, invalid_status: 409, note_required: 400 };

export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));

  const forbidden = (c: ConsoleContext) => c.html(<QualityForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);

  // The services' Forbidden, wherever a quality page meets it (errors.ts).
  app.use('/console/quality/*', errorAnswers({ forbidden }));

  const page = async (c: ConsoleContext, f: PageFilter & { query: string }, note: QualityNote = {}, status: 200 | 400 | 403 | 404 | 409 = 200) => {
    const session = c.get('session');
    const areas = await findingAreas(db, session.actor);
    const counts = await findingCounts(db, session.actor, f);
    const list = await listFindings(db, session.actor, { ...f, limit: PAGE });
    const changes = can(session.actor, CHANGE_PERMISSION);
    return c.html(
      <QualityPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={session} filter={f} areas={areas} counts={counts} list={list} changes={changes} note={note} />,
      status,
    );
  };

  app.get('/console/quality', guard, (c) => {
    const q = new URL(c.req.url).searchParams;
    const done = oneOf(['assigned', 'resolved', 'accepted'] as const, q.get('done'));
    return page(c, findingFilterOf(q), done ? { done } : {});
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/console/quality/export.${format}`, guard, async (c) => {
      const t = tOf(c);
      const f = findingFilterOf(new URL(c.req.url).searchParams);
      const { cursor: _cursor, query: _query, ...filter } = f;
      const out = await findingsCsv(db, c.get('session').actor, filter, (k) => t(`quality:kinds.${k}`));
      const day = deps.clock().toISOString().slice(0, 10);
      return exportResponse(c, out, format, `temuan-kualitas-data-${day}`);
    });
  }

  const DONE = { assign: 'assigned', resolve: 'resolved', accept: 'accepted' } as const;
  /** The refusal in the words of the form that was sent: an acceptance asks for a reason, not a note. */
  const errorOf = (path: keyof typeof DONE, reason: FindingRefusal): NonNullable<QualityNote['error']> =>
    path !== 'accept' ? reason : reason === 'note_required' ? 'reason_required' : reason === 'invalid_input' ? 'reason_too_long' : reason;

  /** After a change: back to the same filtered list, or the page again with the reason it was refused. */
  const change = (path: keyof typeof DONE, run: (c: ConsoleContext, id: number) => Promise<{ ok: true } | { ok: false; reason: FindingRefusal }>) =>
    app.post(`/console/quality/:id/${path}`, guard, csrf, async (c) => {
      const f = findingFilterOf(new URLSearchParams(await formField(c, 'q')));
      const id = idParam(c.req.param('id'));
      const result = id === undefined ? ({ ok: false, reason: 'not_found' } as const) : await run(c, id);
      if (result.ok) return c.redirect(`/console/quality?${f.query}&done=${DONE[path]}`, 303);
      return page(c, f, { error: errorOf(path, result.reason) }, ERROR_STATUS[result.reason]);
    });

  change('assign', (c, id) => {
    const actor = c.get('session').actor;
    return assignFinding(db, actor, id, actor.id, { now: deps.clock() });
  });
  change('resolve', async (c, id) => resolveFinding(db, c.get('session').actor, id, await formField(c, 'note'), { now: deps.clock() }));
  change('accept', async (c, id) => acceptFinding(db, c.get('session').actor, id, await formField(c, 'reason'), { now: deps.clock() }));

  return app;
}
