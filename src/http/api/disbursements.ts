import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import { PERIOD } from '../../services/registry/import/enrollment-row.ts';
import { can } from '../../services/access.ts';
import { importablePrograms, importDisbursements, listFailed, SOURCE_MAX } from '../../services/disbursements/index.ts';
import type { AppDeps } from '../context.ts';
import { BODY_LIMITS } from '../limits/body.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiEnv } from './support.ts';

// Disbursements for other systems (issue 20 part 3): a bank's result file posted as the request body (CSV or
// XLSX bytes, up to 128 MB, streamed to a temporary file), with the program, period and source in the query;
// and the open failed transfers of the token's kecamatan. The same service as the console's page: a file is
// imported whole or refused with every bad line (422 with `lines`), the same bytes twice answer 409.

const MAX_BYTES = BODY_LIMITS.disbursementFile;

const importQuery = z.strictObject({
  /** The program's code (PKH) as the office writes it. */
  program: z.string().min(1).max(40),
  period: z.string().regex(PERIOD),
  source: z.string().trim().min(1).max(SOURCE_MAX),
  fileName: z.string().max(120).optional(),
});
const failedQuery = z.strictObject({ status: z.enum(['open', 'resolved']).default('open') });

const IMPORT = 'disbursements.import (admin, supervisor), programs of the token’s bidang and families of its kecamatan';
const WORK = 'disbursements.work (admin, supervisor, operator), within the token’s kecamatan';

export const disbursementOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/disbursements',
    tag: 'Disbursements',
    summary: 'Import a bank’s or distributor’s result file (CSV or XLSX bytes as the body) for a program and period; whole or nothing, each bad line named (422 `lines`); the same file twice is 409',
    permission: IMPORT,
    query: importQuery,
    success: { status: 201, description: 'The file’s counts and how many families were told' },
    problems: [409, 413, 422],
  },
  { method: 'get', path: '/api/v1/disbursements/failed', tag: 'Disbursements', summary: 'Failed and returned transfers (open by default), masked (audited)', permission: WORK, query: failedQuery },
];

class TooLarge extends Error {}

/** The upload: mounted before the API's 1 MB body limit, with its own. */
export function disbursementApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, invalid } = apiSupport(deps);

  app.post('/api/v1/disbursements', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'disbursements.import')) return fail(c, 403, 'forbidden');
    const parsed = importQuery.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error);
    if (Number(c.req.header('content-length') ?? 0) > MAX_BYTES) return fail(c, 413, 'too_large');
    const program = (await importablePrograms(db, actor)).find((p) => p.code.toUpperCase() === parsed.data.program.toUpperCase());
    if (!program) return fail(c, 422, 'disbursement_program_unknown');
    const body = c.req.raw.body;
    if (!body) return fail(c, 422, 'disbursement_file_empty');
    const dir = await mkdtemp(join(tmpdir(), 'pintu-disbursement-api-'));
    try {
      const path = join(dir, 'upload');
      let received = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _e, done) {
          received += chunk.length;
          done(received > MAX_BYTES ? new TooLarge() : null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), counted, createWriteStream(path));
      } catch (e) {
        if (e instanceof TooLarge) return fail(c, 413, 'too_large');
        throw e;
      }
      const fileName = (parsed.data.fileName ?? 'api-upload').replace(/[^\w.\- ]+/g, '_');
      const r = await importDisbursements(
        deps.database,
        actor,
        { programId: program.id, period: parsed.data.period, source: parsed.data.source, filePath: path, fileName },
        { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale },
      );
      if (r.ok) return c.json(r.report, 201);
      if (r.reason === 'already_imported') return fail(c, 409, 'disbursement_already_imported', { fileId: r.earlier.id });
      if (r.reason === 'lines_refused') return fail(c, 422, 'disbursement_lines_refused', { total: r.refusals.total, byReason: r.refusals.byReason, lines: r.refusals.problems });
      if (r.reason === 'program_out_of_scope') return fail(c, 403, 'forbidden');
      return fail(c, 422, `disbursement_${r.reason}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get('/api/v1/disbursements/failed', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'disbursements.work')) return fail(c, 403, 'forbidden');
    const parsed = failedQuery.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error);
    const items = await listFailed(db, actor, { workStatus: parsed.data.status }, { now: deps.clock() });
    return c.json({ items });
  });

  return app;
}
