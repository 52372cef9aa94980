import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { EVENT_STATUSES, INVITATION_STATUSES } from '../../domain/vocabulary.ts';
import { can, type Permission } from '../../services/access.ts';
import type { Actor } from '../../services/actor.ts';
import { eventInScope, type DistributionRefusal, type Refused } from '../../services/distribution/common.ts';
import { listEvents } from '../../services/distribution/event-list.ts';
import { cancelEvent, changeEvent, createEvent, getEvent } from '../../services/distribution/events.ts';
import { invitationsCsv, listInvitations, MAX_PAGE } from '../../services/distribution/invitation-list.ts';
import { inviteHouseholds } from '../../services/distribution/invite.ts';
import { householdsWithoutChatCsv } from '../../services/distribution/paper.ts';
import { eventProgress } from '../../services/distribution/progress.ts';
import { decideProxy, pendingProxies, type DecideProxyResult } from '../../services/distribution/proxies.ts';
import { closeEvent, followUpList, nextRound } from '../../services/distribution/rounds.ts';
import { selectRecipients } from '../../services/distribution/selection.ts';
import { createSite, listSites } from '../../services/distribution/sites.ts';
import { EXPORT_FORMATS } from '../../services/exports/file.ts';
import { exportResponse } from '../console/shell/file-response.ts';
import type { AppDeps } from '../context.ts';
import { apiSupport, type ApiContext, type ApiEnv } from './support.ts';
import type { ApiOperation } from './openapi.ts';

// Distributions for other systems under /api/v1: sites, events, recipients and invitations, rounds, kuasa
// and progress. The same services as the console; this layer checks the coarse permission (403), the ids
// in the path (404: out of scope looks like missing), the body's shape (400), then maps the service's
// refusals to stable codes: 409 when the state forbids it now, 422 when the value itself is wrong.

const REFUSAL_STATUS: Record<DistributionRefusal, ContentfulStatusCode> = {
  not_found: 404,
  invalid_input: 422,
  date_in_past: 422,
  slot_outside_date: 422,
  invalid_capacity: 422,
  invalid_time_range: 422,
  unknown_program: 422,
  unknown_site: 422,
  invalid_status: 409,
  no_capacity: 409,
  max_round: 409,
  // The template as synced from Meta forbids the fan-out now; choosing another or getting it approved fixes it.
  template_missing: 409,
  template_not_approved: 409,
  template_parameters: 409,
  template_no_stop: 409,
};

const PROXY_STATUS: Record<Exclude<DecideProxyResult, { ok: true }>['reason'], ContentfulStatusCode> = {
  not_found: 404,
  already_decided: 409,
  invitation_closed: 409,
  note_required: 422,
  invalid_input: 422,
};

const id = z.number().int().min(1).max(2_147_483_647);
const ids = z.array(id).max(1000);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** 'HH:MM' on the event's day, or an ISO instant; the service checks it falls on that day. */
const time = z.string().trim().min(4).max(40);
const queryInt = (max = 2_147_483_647) => z.coerce.number().int().min(1).max(max).optional();

const siteBody = z.strictObject({
  kecamatanId: id,
  kelurahanId: id.nullable().optional(),
  name: z.string().max(200),
  address: z.string().max(500),
  latitude: z.number().nullable().optional(),
  longitude: z.number().nullable().optional(),
});
const eventBody = z.strictObject({
  programId: id,
  tranche: z.string().max(100),
  title: z.string().max(200),
  titleEn: z.string().max(200).optional(),
  date: day,
  slots: z.array(z.strictObject({ siteId: id, start: time, end: time, capacity: z.number().int() })).min(1).max(500),
});
const changeBody = z.strictObject({
  date: day.optional(),
  slots: z.array(z.strictObject({ slotId: id, start: time, end: time })).max(500).optional(),
});
const reasonBody = z.strictObject({ reason: z.string().max(300) });
const emptyBody = z.strictObject({});
const areaBody = z.strictObject({ kecamatanIds: ids.optional(), kelurahanIds: ids.optional() });
const nextRoundBody = z.strictObject({ toEventId: id });
const decisionBody = z.strictObject({ approve: z.boolean(), note: z.string().max(500).nullable().optional() });

const eventsQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EVENT_STATUSES)).max(EVENT_STATUSES.length))
    .optional(),
  fromDate: day.optional(),
  programId: queryInt(),
  limit: queryInt(500),
  /** Cursor: the `nextAfter` of the page before (events by id). */
  after: queryInt(),
});
const sitesQuery = z.strictObject({ kecamatanId: queryInt(), after: queryInt(), limit: z.coerce.number().int().min(1).max(1000).default(1000) });
const invitationsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(MAX_PAGE),
  status: z.enum(INVITATION_STATUSES).optional(),
  kelurahanId: queryInt(),
});
const proxiesQuery = z.strictObject({ eventId: queryInt(), limit: queryInt(1000), after: queryInt() });

const MANAGE = 'distribution.manage (supervisor, admin)';
const READS = 'distribution.read (supervisor, field officer, viewer, admin)';
const op = (method: ApiOperation['method'], path: string, summary: string, permission: string, more: Partial<ApiOperation> = {}): ApiOperation => ({
  method,
  path: `/api/v1${path}`,
  tag: 'Distributions',
  summary,
  permission,
  ...more,
});

/** What this file serves, for the OpenAPI document (openapi.ts). */
export const distributionOperations: ApiOperation[] = [
  op('get', '/sites', 'Sites in scope (filter by kecamatan; cursor `after`)', READS, { query: sitesQuery }),
  op('post', '/sites', 'Create a site', MANAGE, { body: siteBody, success: { status: 201, description: 'Created' }, problems: [422] }),
  op('get', '/events', 'Events in scope (filters status, fromDate, programId; cursor `after`)', READS, { query: eventsQuery }),
  op('post', '/events', 'Create an event with its slots', MANAGE, { body: eventBody, success: { status: 201, description: 'Created' }, problems: [422] }),
  op('get', '/events/:id', 'One event with its slots', READS, { problems: [404] }),
  op('patch', '/events/:id', 'Move an event (date or slot times): reminders re-planned, households told', MANAGE, { body: changeBody, problems: [404, 409, 422] }),
  op('post', '/events/:id/cancel', 'Cancel an event: open invitations cancelled, households told', MANAGE, { body: reasonBody, problems: [404, 409, 422] }),
  op('post', '/events/:id/close', 'Close an event: uncollected invitations become no-shows', MANAGE, { body: emptyBody, problems: [404, 409] }),
  op('post', '/events/:id/recipients/preview', 'Count the households an invitation would reach', MANAGE, { body: areaBody, problems: [404, 422] }),
  op('post', '/events/:id/invitations', 'Select and invite households (queued to every linked chat)', MANAGE, { body: areaBody, problems: [404, 409, 422] }),
  op('get', '/events/:id/invitations', "An event's invitations (cursor `after`, filters; names masked)", MANAGE, { query: invitationsQuery, problems: [404] }),
  op('get', '/events/:id/invitations.csv', "An event's invitations as CSV (the same filters; names masked)", MANAGE, { query: invitationsQuery.omit({ after: true, limit: true }), success: { status: 200, description: 'CSV', file: 'csv' }, problems: [404] }),
  op('get', '/events/:id/invitations.xlsx', "An event's invitations as an Excel workbook", MANAGE, { query: invitationsQuery.omit({ after: true, limit: true }), success: { status: 200, description: 'XLSX', file: 'xlsx' }, problems: [404] }),
  op('get', '/events/:id/unreachable.csv', 'Households without a linked chat, for paper invitations', MANAGE, { success: { status: 200, description: 'CSV', file: 'csv' }, problems: [404] }),
  op('get', '/events/:id/unreachable.xlsx', 'The same households as an Excel workbook', MANAGE, { success: { status: 200, description: 'XLSX', file: 'xlsx' }, problems: [404] }),
  op('post', '/events/:id/next-round', 'Invite the no-shows to a later event (round 2, then 3)', MANAGE, { body: nextRoundBody, problems: [404, 409, 422] }),
  op('get', '/events/:id/follow-up', 'No-shows after round 3, for staff follow-up', MANAGE, { problems: [404] }),
  op('get', '/events/:id/progress', 'Progress per kelurahan: invited, reachable, confirmed, kuasa, collected, no-show', READS, { problems: [404] }),
  op('get', '/proxies', 'Kuasa waiting for a decision (masked; filter by event; cursor `after`)', MANAGE, { query: proxiesQuery }),
  op('post', '/proxies/:id/decision', 'Approve or reject a kuasa (a rejection needs a note); the resident is told', MANAGE, { body: decisionBody, problems: [404, 409, 422] }),
];

export function distributionApiRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();
  const db = deps.database.db;
  const { fail, invalid, idOf, jsonBody } = apiSupport(deps);
  const options = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale, outreach: deps.outreach });

  const refused = (c: ApiContext, r: Refused) => {
    if (r.reason === 'not_found') return fail(c, 404, 'not_found');
    return fail(c, REFUSAL_STATUS[r.reason], `distribution_${r.reason}`, r.detail === undefined ? {} : { detail: r.detail });
  };

  /** The actor when it holds the permission, else the 403 answer. */
  const allowed = (c: ApiContext, permission: Permission): Actor | Response => {
    const actor = c.get('actor');
    return can(actor, permission) ? actor : fail(c, 403, 'forbidden');
  };

  /** A change to one thing by its id: the permission (403), then the id (404), then the body (400), then `run`. */
  const write = <S extends z.ZodType>(
    method: 'post' | 'patch',
    path: string,
    schema: S,
    run: (c: ApiContext, actor: Actor, id: number, body: z.infer<S>) => Promise<Response>,
  ) =>
    app.on(method.toUpperCase(), path, async (c) => {
      const actor = allowed(c, 'distribution.manage');
      if (actor instanceof Response) return actor;
      const id = idOf(c);
      if (id === null) return fail(c, 404, 'not_found');
      const body = await jsonBody(c, schema);
      if (!body.ok) return body.res;
      return run(c, actor, id, body.data);
    });

  /**
   * Permission, then the event id (404 when unknown or outside the actor's area), for the routes under
   * /events/:id whose service does not check the event itself.
   */
  const withEvent = async (c: ApiContext, permission: Permission): Promise<{ actor: Actor; eventId: number } | Response> => {
    const actor = allowed(c, permission);
    if (actor instanceof Response) return actor;
    const eventId = idOf(c);
    if (eventId === null || !(await eventInScope(db, actor, eventId))) return fail(c, 404, 'not_found');
    return { actor, eventId };
  };

  // ---- sites -------------------------------------------------------------------------------------------

  app.get('/api/v1/sites', async (c) => {
    const actor = allowed(c, 'distribution.read');
    if (actor instanceof Response) return actor;
    const q = sitesQuery.safeParse(c.req.query());
    if (!q.success) return invalid(c, q.error);
    const items = await listSites(db, actor, q.data);
    return c.json({ items, nextAfter: items.length === q.data.limit ? items.at(-1)!.id : null });
  });

  app.post('/api/v1/sites', async (c) => {
    const actor = allowed(c, 'distribution.manage');
    if (actor instanceof Response) return actor;
    const body = await jsonBody(c, siteBody);
    if (!body.ok) return body.res;
    const r = await createSite(db, actor, body.data, { now: deps.clock() });
    // An unknown or out-of-scope kecamatan in the body is a wrong value, not a missing resource.
    if (!r.ok) return r.reason === 'not_found' ? fail(c, 422, 'distribution_unknown_kecamatan') : refused(c, r);
    return c.json({ id: r.siteId }, 201);
  });

  // ---- events ------------------------------------------------------------------------------------------

  app.get('/api/v1/events', async (c) => {
    const actor = allowed(c, 'distribution.read');
    if (actor instanceof Response) return actor;
    const q = eventsQuery.safeParse(c.req.query());
    if (!q.success) return invalid(c, q.error);
    const limit = q.data.limit ?? 100;
    const items = await listEvents(db, actor, {
      byId: true,
      limit,
      ...(q.data.status ? { statuses: q.data.status } : {}),
      ...(q.data.fromDate ? { fromDate: q.data.fromDate } : {}),
      ...(q.data.programId ? { programId: q.data.programId } : {}),
      ...(q.data.after ? { after: q.data.after } : {}),
    });
    return c.json({ items, nextAfter: items.length === limit ? items.at(-1)!.id : null });
  });

  app.post('/api/v1/events', async (c) => {
    const actor = allowed(c, 'distribution.manage');
    if (actor instanceof Response) return actor;
    const body = await jsonBody(c, eventBody);
    if (!body.ok) return body.res;
    const r = await createEvent(db, actor, body.data, options());
    if (!r.ok) return refused(c, r);
    return c.json({ id: r.eventId, slotIds: r.slotIds }, 201);
  });

  app.get('/api/v1/events/:id', async (c) => {
    const actor = allowed(c, 'distribution.read');
    if (actor instanceof Response) return actor;
    const eventId = idOf(c);
    const event = eventId === null ? undefined : await getEvent(db, actor, eventId);
    return event ? c.json(event) : fail(c, 404, 'not_found');
  });

  write('patch', '/api/v1/events/:id', changeBody, async (c, actor, eventId, body) => {
    const r = await changeEvent(db, actor, { eventId, ...body }, options());
    if (!r.ok) return refused(c, r);
    const { ok: _ok, ...counts } = r;
    return c.json(counts);
  });

  write('post', '/api/v1/events/:id/cancel', reasonBody, async (c, actor, eventId, body) => {
    const r = await cancelEvent(db, actor, { eventId, reason: body.reason }, options());
    if (!r.ok) return refused(c, r);
    const { ok: _ok, ...counts } = r;
    return c.json(counts);
  });

  write('post', '/api/v1/events/:id/close', emptyBody, async (c, actor, eventId) => {
    const r = await closeEvent(db, actor, eventId, options());
    return r.ok ? c.json({ noShows: r.noShows }) : refused(c, r);
  });

  // ---- recipients and invitations ----------------------------------------------------------------------

  write('post', '/api/v1/events/:id/recipients/preview', areaBody, async (c, actor, eventId, body) => {
    const r = await selectRecipients(db, actor, { eventId, ...body });
    return r.ok ? c.json({ count: r.count }) : refused(c, r);
  });

  write('post', '/api/v1/events/:id/invitations', areaBody, async (c, actor, eventId, body) => {
    const selected = await selectRecipients(db, actor, { eventId, ...body });
    if (!selected.ok) return refused(c, selected);
    if (selected.count === 0) return c.json({ selected: 0, invited: 0, noCapacity: 0, alreadyInvited: 0, queuedMessages: 0, withoutChat: 0 });
    const r = await inviteHouseholds(db, actor, { eventId, householdIds: selected.householdIds }, options());
    if (!r.ok) return refused(c, r);
    const noCapacity = r.notInvited.filter((n) => n.reason === 'no_capacity').length;
    // Nobody got a seat: the event is full, which the caller must fix (a new slot) before trying again.
    if (r.invited === 0 && noCapacity > 0) return fail(c, 409, 'distribution_no_capacity', { selected: selected.count, noCapacity });
    return c.json({
      selected: selected.count,
      invited: r.invited,
      noCapacity,
      alreadyInvited: r.notInvited.length - noCapacity,
      queuedMessages: r.queuedChats,
      withoutChat: r.withoutChat,
    });
  });

  app.get('/api/v1/events/:id/invitations', async (c) => {
    const actor = allowed(c, 'distribution.manage');
    if (actor instanceof Response) return actor;
    const eventId = idOf(c);
    if (eventId === null) return fail(c, 404, 'not_found');
    const q = invitationsQuery.safeParse(c.req.query());
    if (!q.success) return invalid(c, q.error);
    const r = await listInvitations(db, actor, { eventId, ...q.data }, { now: deps.clock() });
    return r.ok ? c.json({ items: r.rows, nextAfter: r.nextAfter }) : refused(c, r);
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/api/v1/events/:id/invitations.${format}`, async (c) => {
      const actor = allowed(c, 'distribution.manage');
      if (actor instanceof Response) return actor;
      const eventId = idOf(c);
      if (eventId === null) return fail(c, 404, 'not_found');
      const q = invitationsQuery.omit({ after: true, limit: true }).safeParse(c.req.query());
      if (!q.success) return invalid(c, q.error);
      const header = deps.i18n.t('api:invitationsCsvHeader', { lng: c.get('locale') }).split(',');
      const r = await invitationsCsv(db, actor, { eventId, ...q.data }, { now: deps.clock(), header, timeZone: deps.timeZone });
      if (!r.ok) return refused(c, r);
      return exportResponse(c, r, format, `undangan-${eventId}`);
    });

    app.get(`/api/v1/events/:id/unreachable.${format}`, async (c) => {
      const actor = allowed(c, 'distribution.manage');
      if (actor instanceof Response) return actor;
      const eventId = idOf(c);
      if (eventId === null) return fail(c, 404, 'not_found');
      const r = await householdsWithoutChatCsv(db, actor, eventId, { now: deps.clock(), i18n: deps.i18n, locale: c.get('locale') });
      if (!r.ok) return refused(c, r);
      return exportResponse(c, r, format, `undangan-kertas-${eventId}`);
    });
  }

  // ---- after the day -----------------------------------------------------------------------------------

  write('post', '/api/v1/events/:id/next-round', nextRoundBody, async (c, actor, eventId, body) => {
    const r = await nextRound(db, actor, { fromEventId: eventId, toEventId: body.toEventId }, options());
    if (!r.ok) return refused(c, r);
    const { ok: _ok, notInvited, invitationIds: _ids, queuedChats, ...rest } = r;
    const noCapacity = notInvited.filter((n) => n.reason === 'no_capacity').length;
    return c.json({ ...rest, queuedMessages: queuedChats, noCapacity, alreadyInvited: notInvited.length - noCapacity });
  });

  app.get('/api/v1/events/:id/follow-up', async (c) => {
    const actor = allowed(c, 'distribution.manage');
    if (actor instanceof Response) return actor;
    const eventId = idOf(c);
    if (eventId === null) return fail(c, 404, 'not_found');
    const r = await followUpList(db, actor, { eventId }, { now: deps.clock() });
    return r.ok ? c.json({ items: r.rows }) : refused(c, r);
  });

  app.get('/api/v1/events/:id/progress', async (c) => {
    // eventProgress narrows the counts to the actor's kelurahan but does not refuse another area's event.
    const found = await withEvent(c, 'distribution.read');
    if (found instanceof Response) return found;
    const progress = await eventProgress(db, found.actor, found.eventId);
    return progress ? c.json(progress) : fail(c, 404, 'not_found');
  });

  // ---- kuasa -------------------------------------------------------------------------------------------

  app.get('/api/v1/proxies', async (c) => {
    const actor = allowed(c, 'distribution.manage');
    if (actor instanceof Response) return actor;
    const q = proxiesQuery.safeParse(c.req.query());
    if (!q.success) return invalid(c, q.error);
    if (q.data.eventId !== undefined && !(await eventInScope(db, actor, q.data.eventId))) return fail(c, 404, 'not_found');
    const limit = q.data.limit ?? 200;
    const items = await pendingProxies(db, actor, { eventId: q.data.eventId ?? null, limit, ...(q.data.after ? { after: q.data.after } : {}) }, { now: deps.clock() });
    return c.json({ items, nextAfter: items.length === limit ? items.at(-1)!.proxyId : null });
  });

  write('post', '/api/v1/proxies/:id/decision', decisionBody, async (c, actor, proxyId, body) => {
    const r = await decideProxy(db, actor, proxyId, body, options());
    if (r.ok) return c.json({ proxyId: r.proxyId, status: r.status, notified: r.notified });
    if (r.reason === 'not_found') return fail(c, 404, 'not_found');
    const { ok: _ok, reason, ...facts } = r;
    return fail(c, PROXY_STATUS[reason], `proxy_${reason}`, facts);
  });

  return app;
}
