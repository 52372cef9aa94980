import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { can } from '../../services/access.ts';
import { checkIn, lookupCode, type CheckinRefusal } from '../../services/distribution/checkin.ts';
import type { AppDeps } from '../context.ts';
import type { ApiOperation } from './openapi.ts';
import { apiSupport, type ApiEnv } from './support.ts';

// Check-in at the distribution site for other systems (a scanner app, a partner's field tool): look a code
// up to compare the masked identity and the kuasa with the KTP, then record the collection. The same
// services as the console's check-in page; a field officer's token is enough.

const REFUSAL_STATUS: Record<CheckinRefusal['reason'], ContentfulStatusCode> = {
  forbidden: 403,
  unknown_code: 404,
  out_of_scope: 404, // another kecamatan's code is told apart from a missing one only by the service's reason
  other_event: 409,
  unknown_site: 422,
  event_cancelled: 409,
  event_closed: 409,
  not_yet_open: 409, // before the event's day: the body names the day it opens
  not_collectable: 409,
  already_collected: 409,
  proxy_not_approved: 409,
};

const codeBody = z.strictObject({
  code: z.string().trim().min(1).max(200),
  eventId: z.number().int().positive().max(2_147_483_647).optional(),
  siteId: z.number().int().positive().max(2_147_483_647).optional(),
});
const checkinBody = codeBody.extend({ byProxy: z.boolean().optional() });

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const checkinOperations: ApiOperation[] = [
  { method: 'post', path: '/api/v1/checkins/lookup', tag: 'Check-in', summary: 'Look a code up: the masked identity and kuasa to compare with the KTP (audited)', permission: 'checkin.record (field officer, admin)', body: codeBody, problems: [404, 409, 422] },
  { method: 'post', path: '/api/v1/checkins', tag: 'Check-in', summary: 'Record a collection; a second one is refused with when, where and by whom', permission: 'checkin.record (field officer, admin)', body: checkinBody, success: { status: 201, description: 'Collected; receipts queued to the household' }, problems: [404, 409, 422] },
];

export function checkinApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, jsonBody } = apiSupport(deps);

  const refused = (c: Parameters<typeof fail>[0], r: CheckinRefusal) => {
    const { ok: _ok, reason, ...facts } = r;
    // An out-of-scope code answers exactly like an unknown one, so codes of other areas cannot be probed.
    if (reason === 'out_of_scope') return fail(c, 404, 'checkin_unknown_code');
    return fail(c, REFUSAL_STATUS[reason], `checkin_${reason}`, facts);
  };

  app.post('/api/v1/checkins/lookup', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'checkin.record')) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, codeBody);
    if (!body.ok) return body.res;
    const result = await lookupCode(db, actor, body.data, { now: deps.clock() });
    return result.ok ? c.json(result.lookup) : refused(c, result);
  });

  app.post('/api/v1/checkins', async (c) => {
    const actor = c.get('actor');
    if (!can(actor, 'checkin.record')) return fail(c, 403, 'forbidden');
    const body = await jsonBody(c, checkinBody);
    if (!body.ok) return body.res;
    const opts = { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale };
    const result = await checkIn(db, actor, body.data, opts);
    if (!result.ok) return refused(c, result);
    // The answer carries what the officer compares with the KTP, read after the collection was recorded.
    const after = await lookupCode(db, actor, { code: body.data.code }, { now: opts.now });
    return c.json({ ...result, lookup: after.ok ? after.lookup : null }, 201);
  });

  return app;
}
