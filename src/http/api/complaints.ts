import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { BIDANG, COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../domain/vocabulary.ts';
import { can } from '../../services/access.ts';
import type { Actor } from '../../services/actor.ts';
import { addNote, assignComplaint, closeComplaint, replyToResident, startWork, verifyComplaint, type Refusal, type Result } from '../../services/complaints/lifecycle.ts';
import { complaintsCsv } from '../../services/complaints/export.ts';
import { EXPORT_FORMATS } from '../../services/exports/file.ts';
import { listComplaints } from '../../services/complaints/list.ts';
import { getComplaint, laporExport } from '../../services/complaints/queries.ts';
import { exportResponse } from '../console/shell/file-response.ts';
import { complaintExportLabels } from '../export-labels.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiContext, type ApiEnv } from './support.ts';

// Complaints for other systems: the list in scope (as JSON or CSV), one complaint, its SP4N-LAPOR! export,
// and the lifecycle actions. The same services as the console's complaint pages.

/** Each lifecycle refusal as a stable error code and status. Out of scope is never told apart from missing. */
const REFUSAL_STATUS: Record<Refusal, ContentfulStatusCode> = {
  not_found: 404,
  forbidden: 403,
  invalid_status: 409,
  outside_24h_window: 409,
  no_channel: 409,
  unreachable: 409,
  already_rated: 409,
  invalid_input: 422,
  unknown_variable: 422,
};

const optionalInt = z.coerce.number().int().min(1).max(2_147_483_647).optional();

const listQuery = z.strictObject({
  queue: z.enum(['mine', 'unassigned', 'all']).default('all'),
  status: z.enum(COMPLAINT_STATUSES).optional(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  kecamatanId: optionalInt,
  sla: z.enum(['due_today', 'late']).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Cursor: the `nextAfter` of the previous page (newest first). */
  after: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
const exportQuery = listQuery.omit({ limit: true, offset: true, after: true });

const verifyBody = z.strictObject({ bidang: z.enum(BIDANG).optional(), kecamatanId: optionalInt });
const assignBody = z.strictObject({ staffId: z.number().int().min(1).max(2_147_483_647) });
const replyBody = z.strictObject({ text: z.string().trim().min(1).max(4000) });
const noteBody = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
const emptyBody = z.strictObject({});

const READ = 'complaints.read_queue or complaints.read_scope (operator, supervisor, admin)';
const WORK = 'complaints.work (operator, supervisor, admin)';

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const complaintOperations: ApiOperation[] = [
  { method: 'get', path: '/api/v1/complaints', tag: 'Complaints', summary: 'List complaints in scope (queue, filters; offset pages, or cursor `after` for newest first)', permission: READ, query: listQuery },
  { method: 'get', path: '/api/v1/complaints.csv', tag: 'Complaints', summary: 'The filtered list as CSV (summaries with NIK/KK masked; audited)', permission: READ, query: exportQuery, success: { status: 200, description: 'CSV', file: 'csv' } },
  { method: 'get', path: '/api/v1/complaints.xlsx', tag: 'Complaints', summary: 'The same list as an Excel workbook (audited)', permission: READ, query: exportQuery, success: { status: 200, description: 'XLSX', file: 'xlsx' } },
  { method: 'get', path: '/api/v1/complaints/:id', tag: 'Complaints', summary: 'One complaint with its history; the reporter masked or hidden', permission: READ, problems: [404] },
  { method: 'get', path: '/api/v1/complaints/:id/lapor', tag: 'Complaints', summary: 'The complaint in the fields SP4N-LAPOR! uses (audited)', permission: READ, problems: [404] },
  ...(
    [
      ['verify', verifyBody, 'Verify and route to a bidang and kecamatan'],
      ['assign', assignBody, 'Assign to a staff member in scope'],
      ['start', emptyBody, 'Start work'],
      ['reply', replyBody, "Reply to the resident on their channel (placeholders such as {{nama}} are filled)"],
      ['notes', noteBody, 'Add an internal note'],
      ['close', emptyBody, 'Close an answered complaint (the resident is asked for a rating)'],
    ] as const
  ).map(([action, body, summary]): ApiOperation => ({ method: 'post', path: `/api/v1/complaints/:id/${action}`, tag: 'Complaints', summary, permission: WORK, body, problems: [404, 409, 422] })),
];

export function complaintApiRoutes(deps: AppDeps) {
  const db = deps.database.db;
  const when = () => ({ now: deps.clock(), timeZone: deps.timeZone });
  const app = new Hono<ApiEnv>();
  const { fail, invalid, idOf, jsonBody } = apiSupport(deps);

  const readsComplaints = (a: Actor) => can(a, 'complaints.read_scope') || can(a, 'complaints.read_queue');

  const outcome = <T extends object>(c: ApiContext, result: Result<T>) => {
    if (result.ok) return c.json(result);
    return fail(c, REFUSAL_STATUS[result.reason], result.reason);
  };

  app.get('/api/v1/complaints', async (c) => {
    const actor = c.get('actor');
    if (!readsComplaints(actor)) return fail(c, 403, 'forbidden');
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error);
    const { after, ...rest } = parsed.data;
    const { rows, total, nextAfter } = await listComplaints(db, actor, { ...rest, ...(after !== undefined ? { after } : {}), now: deps.clock(), timeZone: deps.timeZone });
    return c.json({ items: rows, total, limit: parsed.data.limit, ...(after === undefined ? { offset: parsed.data.offset } : {}), nextAfter });
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/api/v1/complaints.${format}`, async (c) => {
      const actor = c.get('actor');
      if (!readsComplaints(actor)) return fail(c, 403, 'forbidden');
      const parsed = exportQuery.safeParse(c.req.query());
      if (!parsed.success) return invalid(c, parsed.error);
      const labels = complaintExportLabels(deps.i18n.getFixedT(c.get('locale')));
      const out = await complaintsCsv(db, actor, parsed.data, { labels, timeZone: deps.timeZone, now: deps.clock() });
      if (out.truncated) c.header('X-Truncated', String(out.count));
      return exportResponse(c, out, format, 'pengaduan');
    });
  }

  app.get('/api/v1/complaints/:id', async (c) => {
    const actor = c.get('actor');
    if (!readsComplaints(actor)) return fail(c, 403, 'forbidden');
    const id = idOf(c);
    const view = id === null ? null : await getComplaint(db, actor, id, { now: deps.clock() });
    return view ? c.json(view) : fail(c, 404, 'not_found');
  });

  app.get('/api/v1/complaints/:id/lapor', async (c) => {
    const actor = c.get('actor');
    if (!readsComplaints(actor)) return fail(c, 403, 'forbidden');
    const id = idOf(c);
    const out = id === null ? null : await laporExport(db, actor, id);
    return out ? c.json(out) : fail(c, 404, 'not_found');
  });

  /** A change on one complaint: permission first (403), then the id (404), the body (400), the service. */
  const write = <S extends z.ZodType, T extends object>(path: string, schema: S, run: (actor: Actor, id: number, body: z.infer<S>) => Promise<Result<T>>) =>
    app.post(`/api/v1/complaints/:id/${path}`, async (c) => {
      const actor = c.get('actor');
      if (!can(actor, 'complaints.work')) return fail(c, 403, 'forbidden');
      const id = idOf(c);
      if (id === null) return fail(c, 404, 'not_found');
      const body = await jsonBody(c, schema);
      if (!body.ok) return body.res;
      return outcome(c, await run(actor, id, body.data));
    });

  write('verify', verifyBody, (a, id, b) => verifyComplaint(db, a, id, { ...when(), ...(b.bidang ? { bidang: b.bidang } : {}), ...(b.kecamatanId ? { kecamatanId: b.kecamatanId } : {}) }));
  write('assign', assignBody, (a, id, b) => assignComplaint(db, a, id, b.staffId, when()));
  write('start', emptyBody, (a, id) => startWork(db, a, id, when()));
  write('reply', replyBody, (a, id, b) => replyToResident(db, a, id, { text: b.text, ...when() }));
  write('notes', noteBody, (a, id, b) => addNote(db, a, id, { text: b.text, now: deps.clock() }));
  write('close', emptyBody, (a, id) => closeComplaint(db, a, id, when()));
  return app;
}
