import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { FINDING_KINDS, FINDING_STATUSES } from '../../domain/vocabulary.ts';
import { can } from '../../services/access.ts';
import { EXPORT_FORMATS } from '../../services/exports/file.ts';
import { assignFinding, CHANGE_PERMISSION, findingsCsv, listFindings, MAX_NOTE, MAX_PAGE, READ_PERMISSION, resolveFinding, type FindingRefusal } from '../../services/registry/quality/findings.ts';
import { exportResponse } from '../console/shell/file-response.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiContext, type ApiEnv } from './support.ts';

// Data-quality findings for other systems (issue 7): the list with the console's filters and an id cursor,
// assign, resolve with a note, and the CSV. Reading needs 'reports.read', changing 'complaints.assign'
// (services/quality/findings.ts); another kecamatan's finding answers 404 like a missing one.

const REFUSAL: Record<FindingRefusal, { status: ContentfulStatusCode; error: string }> = {
  not_found: { status: 404, error: 'not_found' },
  forbidden: { status: 403, error: 'forbidden' },
  invalid_input: { status: 422, error: 'finding_invalid_assignee' },
  invalid_status: { status: 409, error: 'finding_already_resolved' },
  note_required: { status: 422, error: 'finding_note_required' },
};

const id = z.coerce.number().int().min(1).max(2_147_483_647);
const filterQuery = z.strictObject({
  kind: z.enum(FINDING_KINDS).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  kecamatanId: id.optional(),
  kelurahanId: id.optional(),
});
const listQuery = filterQuery.extend({
  /** The `nextAfter` of the page before (newest first), as on every list of this API. */
  after: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});
const assignBody = z.strictObject({ staffId: z.number().int().min(1).max(2_147_483_647) });
// The note's emptiness is the service's refusal (finding_note_required), so a blank note is not a 400.
const resolveBody = z.strictObject({ note: z.string().max(MAX_NOTE).default('') });

const READ = 'reports.read (supervisor, admin), within the token’s kecamatan';
const CHANGE = 'complaints.assign (supervisor, admin), within the token’s kecamatan';

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const qualityOperations: ApiOperation[] = [
  { method: 'get', path: '/api/v1/findings', tag: 'Data quality', summary: 'Data-quality findings, newest first, masked; cursor `after` (audited)', permission: READ, query: listQuery },
  { method: 'get', path: '/api/v1/findings.csv', tag: 'Data quality', summary: 'The same findings as CSV, masked (audited)', permission: READ, query: filterQuery, success: { status: 200, description: 'CSV, UTF-8 with BOM', file: 'csv' } },
  { method: 'get', path: '/api/v1/findings.xlsx', tag: 'Data quality', summary: 'The same findings as an Excel workbook, masked (audited)', permission: READ, query: filterQuery, success: { status: 200, description: 'XLSX', file: 'xlsx' } },
  { method: 'post', path: '/api/v1/findings/:id/assign', tag: 'Data quality', summary: 'Give an open finding to a staff member of its area', permission: CHANGE, body: assignBody, problems: [404, 409, 422] },
  { method: 'post', path: '/api/v1/findings/:id/resolve', tag: 'Data quality', summary: 'Resolve an open finding with a note of what was done (note required)', permission: CHANGE, body: resolveBody, problems: [404, 409, 422] },
];

export function qualityApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, invalid, idOf, jsonBody } = apiSupport(deps);

  app.get('/api/v1/findings', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, READ_PERMISSION)) return fail(c, 403, 'forbidden');
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error);
    const { after, ...filters } = parsed.data;
    const page = await listFindings(db, actor, { ...filters, ...(after !== undefined ? { cursor: after } : {}) });
    return c.json({ items: page.items, nextAfter: page.nextCursor });
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/api/v1/findings.${format}`, async (c) => {
      const actor = c.get('actor');
      if (!can(actor, READ_PERMISSION)) return fail(c, 403, 'forbidden');
      const parsed = filterQuery.safeParse(c.req.query());
      if (!parsed.success) return invalid(c, parsed.error);
      const out = await findingsCsv(db, actor, parsed.data);
      return exportResponse(c, out, format, 'findings');
    });
  }

  const refused = (c: ApiContext, reason: FindingRefusal) => fail(c, REFUSAL[reason].status, REFUSAL[reason].error);

  app.post('/api/v1/findings/:id/assign', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, CHANGE_PERMISSION)) return fail(c, 403, 'forbidden');
    const findingId = idOf(c);
    if (findingId === null) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, assignBody);
    if (!body.ok) return body.res;
    const r = await assignFinding(db, actor, findingId, body.data.staffId, { now: deps.clock() });
    return r.ok ? c.json(r.finding) : refused(c, r.reason);
  });

  app.post('/api/v1/findings/:id/resolve', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, CHANGE_PERMISSION)) return fail(c, 403, 'forbidden');
    const findingId = idOf(c);
    if (findingId === null) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, resolveBody);
    if (!body.ok) return body.res;
    const r = await resolveFinding(db, actor, findingId, body.data.note, { now: deps.clock() });
    return r.ok ? c.json(r.finding) : refused(c, r.reason);
  });

  return app;
}
