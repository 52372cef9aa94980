import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { LOCALES } from '../../domain/vocabulary.ts';
import { can } from '../../services/access.ts';
import {
  broadcastStats,
  cancelBroadcast,
  createBroadcast,
  listBroadcasts,
  MAX_TEXT,
  MAX_TITLE,
  previewBroadcast,
  scheduleBroadcast,
  type BroadcastRefusal,
  type BroadcastRow,
} from '../../services/broadcasts/index.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiContext, type ApiEnv } from './support.ts';

// Broadcasts for other systems under /api/v1: create, preview the count, schedule (or send now), cancel,
// and read the delivery statistics. The same services as the console; 403 without broadcasts.manage,
// 404 for an unknown id or one reaching outside the caller's area, 409 when the status forbids it now,
// 422 when the value itself is wrong.

const REFUSAL_STATUS: Record<BroadcastRefusal, ContentfulStatusCode> = {
  not_found: 404,
  invalid_title: 422,
  invalid_text: 422,
  text_missing: 422,
  text_too_long: 422,
  invalid_segment: 422,
  unknown_program: 422,
  unknown_area: 422,
  out_of_scope: 422,
  time_in_past: 422,
  invalid_status: 409,
};

const id = z.number().int().min(1).max(2_147_483_647);
const segment = z.strictObject({
  programIds: z.array(id).max(200).optional(),
  kecamatanIds: z.array(id).max(200).optional(),
  kelurahanIds: z.array(id).max(200).optional(),
  languages: z.array(z.enum(LOCALES)).max(LOCALES.length).optional(),
});
const texts = z.partialRecord(z.enum(LOCALES), z.string().max(MAX_TEXT * 2));
const createBody = z.strictObject({ title: z.string().max(MAX_TITLE * 2), texts, segment });
const previewBody = z.strictObject({ segment, texts: texts.optional() });
const scheduleBody = z.strictObject({
  at: z.union([z.literal('now'), z.iso.datetime({ offset: true })]),
});

const MANAGE = 'broadcasts.manage (supervisor, admin; a kecamatan-scoped token targets its kecamatan only)';

/** What this file serves, for the OpenAPI document (openapi.ts). */
/** Newest first; `after` is the `nextAfter` of the page before. */
const listQuery = z.strictObject({
  after: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const broadcastOperations: ApiOperation[] = [
  { method: 'get', path: '/api/v1/broadcasts', query: listQuery, tag: 'Broadcasts', summary: 'List broadcasts in scope, newest first', permission: MANAGE },
  { method: 'post', path: '/api/v1/broadcasts', tag: 'Broadcasts', summary: 'Create a draft: title, a text per language (Indonesian is the default), segment', permission: MANAGE, body: createBody, success: { status: 201, description: 'Draft created' }, problems: [422] },
  { method: 'post', path: '/api/v1/broadcasts/preview', tag: 'Broadcasts', summary: 'Count the chats a segment reaches, by channel and language, and render the message per language', permission: MANAGE, body: previewBody, problems: [422] },
  { method: 'post', path: '/api/v1/broadcasts/:id/schedule', tag: 'Broadcasts', summary: "Schedule at a time ahead, or 'now' to queue at once (quiet hours 21:00-06:00 hold the messages)", permission: MANAGE, body: scheduleBody, problems: [404, 409, 422] },
  { method: 'post', path: '/api/v1/broadcasts/:id/cancel', tag: 'Broadcasts', summary: 'Cancel a draft or scheduled broadcast', permission: MANAGE, problems: [404, 409] },
  { method: 'get', path: '/api/v1/broadcasts/:id/stats', tag: 'Broadcasts', summary: 'Delivery statistics: queued, sent, delivered, read, failed by reason, skipped', permission: MANAGE, problems: [404] },
];

export function broadcastApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, invalid, idOf, jsonBody } = apiSupport(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale, outreach: deps.outreach });
  const refused = (c: ApiContext, reason: BroadcastRefusal) => (reason === 'not_found' ? fail(c, 404, 'not_found') : fail(c, REFUSAL_STATUS[reason], `broadcast_${reason}`));
  const allowed = (c: ApiContext) => can(c.get('actor'), 'broadcasts.manage');

  app.get('/api/v1/broadcasts', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return invalid(c, q.error);
    const rows = await listBroadcasts(db, c.get('actor'), q.data.limit, q.data.after !== undefined ? { before: q.data.after } : {});
    return c.json({ items: rows.map(view), nextAfter: rows.length === q.data.limit ? rows.at(-1)!.id : null });
  });

  app.post('/api/v1/broadcasts', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, createBody);
    if (!body.ok) return body.res;
    const r = await createBroadcast(db, c.get('actor'), { title: body.data.title, texts: body.data.texts as Record<string, string>, segment: body.data.segment }, opts());
    return r.ok ? c.json({ id: r.broadcastId, status: 'draft' }, 201) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/preview', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, previewBody);
    if (!body.ok) return body.res;
    const r = await previewBroadcast(db, c.get('actor'), body.data.segment, { ...opts(), texts: body.data.texts as Record<string, string> | undefined });
    return r.ok ? c.json(r.preview) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/:id/schedule', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    if (bid === null) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, scheduleBody);
    if (!body.ok) return body.res;
    const r = await scheduleBroadcast(db, c.get('actor'), bid, body.data.at === 'now' ? 'now' : new Date(body.data.at), opts());
    return r.ok ? c.json({ id: bid, status: r.status, scheduledAt: r.scheduledAt.toISOString(), recipientCount: r.recipientCount }) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/:id/cancel', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    if (bid === null) return fail(c, 404, 'not_found');
    const r = await cancelBroadcast(db, c.get('actor'), bid, opts());
    return r.ok ? c.json({ id: bid, status: 'cancelled' }) : refused(c, r.reason);
  });

  app.get('/api/v1/broadcasts/:id/stats', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    const stats = bid === null ? undefined : await broadcastStats(db, c.get('actor'), bid);
    return stats ? c.json({ id: bid, ...stats }) : fail(c, 404, 'not_found');
  });

  return app;
}

function view(b: BroadcastRow) {
  return {
    id: b.id,
    title: b.title,
    texts: b.texts,
    segment: b.segment,
    status: b.status,
    scheduledAt: b.scheduledAt?.toISOString() ?? null,
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    recipientCount: b.recipientCount,
    createdAt: b.createdAt.toISOString(),
  };
}
