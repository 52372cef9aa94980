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
  resendInterrupted,
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
  desil_out_of_range: 422,
  desil_min_above_max: 422,
  age_out_of_range: 422,
  age_min_above_max: 422,
  invalid_template: 422,
  unknown_program: 422,
  unknown_area: 422,
  out_of_scope: 422,
  time_in_past: 422,
  invalid_status: 409,
  nothing_to_resend: 409,
  // The template as synced from Meta cannot write first now; choosing another or getting it approved fixes it.
  template_missing: 409,
  template_not_approved: 409,
  template_parameters: 409,
  template_no_stop: 409,
};

const id = z.number().int().min(1).max(2_147_483_647);
const segment = z.strictObject({
  programIds: z.array(id).max(200).optional(),
  kecamatanIds: z.array(id).max(200).optional(),
  kelurahanIds: z.array(id).max(200).optional(),
  languages: z.array(z.enum(LOCALES)).max(LOCALES.length).optional(),
  // Ranges are checked by the service (1-10, 0-120, lowest not above highest), which names what is wrong.
  desilMin: z.number().int().optional().describe('DTSEN desil, 1-10, inclusive'),
  desilMax: z.number().int().optional().describe('DTSEN desil, 1-10, inclusive'),
  ageMin: z.number().int().optional().describe('Households with a living member at least this old today (0-120)'),
  ageMax: z.number().int().optional().describe('Households with a living member at most this old today (0-120)'),
  disability: z.boolean().optional().describe('true: households with a living member with a disability'),
});
const texts = z.partialRecord(z.enum(LOCALES), z.string().max(MAX_TEXT * 2));
const toRegistryPhones = z.boolean().optional().describe('Also to the registry phone (WhatsApp) of each household of the segment without a linked chat');
const template = z.string().max(512).nullable().optional().describe('WhatsApp Cloud template for first messages; null: the notice template of the settings');
const createBody = z.strictObject({ title: z.string().max(MAX_TITLE * 2), texts, segment, toRegistryPhones, template });
const previewBody = z.strictObject({ segment, texts: texts.optional(), toRegistryPhones, template });
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
  { method: 'post', path: '/api/v1/broadcasts', tag: 'Broadcasts', summary: 'Create a draft: title, a text per language (Indonesian is the default), segment, and whether it also goes to registry phones', permission: MANAGE, body: createBody, success: { status: 201, description: 'Draft created' }, problems: [422] },
  { method: 'post', path: '/api/v1/broadcasts/preview', tag: 'Broadcasts', summary: 'Count whom a segment reaches: chats by channel and language, registry phones, households not reachable (with why), and render the message per language', permission: MANAGE, body: previewBody, problems: [422] },
  { method: 'post', path: '/api/v1/broadcasts/:id/schedule', tag: 'Broadcasts', summary: "Schedule at a time ahead, or 'now' to queue at once (quiet hours 21:00-06:00 hold the messages); 409 when its WhatsApp Cloud template may not write first to registry phones", permission: MANAGE, body: scheduleBody, problems: [404, 409, 422] },
  { method: 'post', path: '/api/v1/broadcasts/:id/cancel', tag: 'Broadcasts', summary: 'Cancel a draft or scheduled broadcast', permission: MANAGE, problems: [404, 409] },
  { method: 'post', path: '/api/v1/broadcasts/:id/resend-interrupted', tag: 'Broadcasts', summary: "Queue again the messages failed as interrupted (the service stopped while sending; delivery unknown, so some residents may get them twice); 409 when none is left", permission: MANAGE, problems: [404, 409] },
  { method: 'get', path: '/api/v1/broadcasts/:id/stats', tag: 'Broadcasts', summary: 'Delivery statistics: queued, sent, delivered, read, failed by reason, skipped', permission: MANAGE, problems: [404] },
];

export function broadcastApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, invalid, idOf, jsonBody } = apiSupport(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale, outreach: deps.outreach });
  // A template refusal names the template, so the caller knows which one to fix.
  const refused = (c: ApiContext, reason: BroadcastRefusal, detail?: string) =>
    reason === 'not_found' ? fail(c, 404, 'not_found') : fail(c, REFUSAL_STATUS[reason], `broadcast_${reason}`, detail === undefined ? {} : { template: detail });
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
    const { title, segment, toRegistryPhones, template } = body.data;
    const r = await createBroadcast(db, c.get('actor'), { title, texts: body.data.texts as Record<string, string>, segment, toRegistryPhones, template }, opts());
    return r.ok ? c.json({ id: r.broadcastId, status: 'draft' }, 201) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/preview', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, previewBody);
    if (!body.ok) return body.res;
    const r = await previewBroadcast(db, c.get('actor'), body.data.segment, {
      ...opts(),
      texts: body.data.texts as Record<string, string> | undefined,
      toRegistryPhones: body.data.toRegistryPhones === true,
      template: body.data.template ?? null,
    });
    return r.ok ? c.json(r.preview) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/:id/schedule', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    if (bid === null) return fail(c, 404, 'not_found');
    const body = await jsonBody(c, scheduleBody);
    if (!body.ok) return body.res;
    const r = await scheduleBroadcast(db, c.get('actor'), bid, body.data.at === 'now' ? 'now' : new Date(body.data.at), opts());
    return r.ok ? c.json({ id: bid, status: r.status, scheduledAt: r.scheduledAt.toISOString(), recipientCount: r.recipientCount }) : refused(c, r.reason, r.detail);
  });

  app.post('/api/v1/broadcasts/:id/cancel', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    if (bid === null) return fail(c, 404, 'not_found');
    const r = await cancelBroadcast(db, c.get('actor'), bid, opts());
    return r.ok ? c.json({ id: bid, status: 'cancelled' }) : refused(c, r.reason);
  });

  app.post('/api/v1/broadcasts/:id/resend-interrupted', async (c) => {
    if (!allowed(c)) return fail(c, 403, 'forbidden');
    const bid = idOf(c);
    if (bid === null) return fail(c, 404, 'not_found');
    const r = await resendInterrupted(db, c.get('actor'), bid, opts());
    return r.ok ? c.json({ id: bid, requeued: r.requeued }) : refused(c, r.reason);
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
    toRegistryPhones: b.toRegistryPhones,
    template: b.template,
    status: b.status,
    scheduledAt: b.scheduledAt?.toISOString() ?? null,
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    recipientCount: b.recipientCount,
    createdAt: b.createdAt.toISOString(),
  };
}
