import { isRatingQuestion } from '../../helpers/rating.ts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, distributionEvents, invitations, outbox, proxies } from '../../../src/db/schema/index.ts';
import { formatInvitationCode, generateInvitationCode } from '../../../src/domain/invitation-code.ts';
import { createApiToken, revokeApiToken } from '../../../src/services/staff/api-tokens.ts';
import { createTestApp, postJson, type TestApp } from '../../helpers/app.ts';
import { distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, NOW, type DistributionWorld } from '../../services/distribution/fixtures.ts';

// The events are on the app clock's day (NOW, in WIB): check-in opens on the event's day.
const TODAY = '2026-11-24';

// POST /api/v1/checkins/lookup and POST /api/v1/checkins through the real app with bearer tokens: the
// masked identity and kuasa a field officer compares with the KTP, the collection and its receipt, and
// every refusal (unknown code, another event's code, a closed or cancelled event, a second check-in, the
// wrong role or area) answered with a stable code and no change to the invitation, the outbox or the audit.

describe('api v1 check-in', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let eventId: number;
  let otherEventId: number;
  let slotA: number;
  let officer: string;
  let nongsaOfficer: string;
  let operator: string;
  let viewer: string;
  let revoked: string;

  const post = (path: string, token: string, body: unknown) => postJson(t.app, path, body, { authorization: `Bearer ${token}` });
  const json = async (res: Response): Promise<any> => res.json();

  async function invited(opts: { event?: number; slot?: number; chats?: number } = {}) {
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: Array.from({ length: opts.chats ?? 1 }, () => ({})) });
    const code = generateInvitationCode();
    const inv = await makeInvitation(w.db, { eventId: opts.event ?? eventId, householdId: hh.householdId, slotId: opts.slot ?? slotA, code, status: 'confirmed' });
    return { ...hh, ...inv };
  }

  /** What a check-in may change: the invitation row, the outbox and the invitation's audit entries. */
  async function snapshot(invitationId: number) {
    const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, invitationId));
    const queued = await w.db.select({ id: outbox.id }).from(outbox);
    const audits = await w.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'invitation'), eq(auditLog.entityId, String(invitationId)), eq(auditLog.action, 'invitation.checkin')));
    return { inv, queued: queued.length, audits: audits.length };
  }

  async function refusedWithoutChange(invitationId: number, token: string, body: unknown, status: number, error: string) {
    const before = await snapshot(invitationId);
    const res = await post('/api/v1/checkins', token, body);
    const answer = await json(res);
    expect(res.status, JSON.stringify(answer)).toBe(status);
    expect(answer.error).toBe(error);
    expect(answer.message.length).toBeGreaterThan(5);
    expect(await snapshot(invitationId)).toEqual(before);
    return answer;
  }

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => NOW });
    const ev = await makeEvent(w.db, { date: TODAY, programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 50 }] });
    eventId = ev.eventId;
    slotA = ev.slotIds[0]!;
    otherEventId = (await makeEvent(w.db, { date: TODAY, programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '13:00', end: '15:00', capacity: 50 }] })).eventId;
    const make = async (role: 'field_officer' | 'operator' | 'viewer', kecamatanId?: number) =>
      createApiToken(w.db, w.admin, { name: `uji ${role}`, role, ...(kecamatanId ? { kecamatanId } : {}) });
    officer = (await make('field_officer', w.area.kecA)).token;
    nongsaOfficer = (await make('field_officer', w.area.kecB)).token;
    operator = (await make('operator')).token;
    viewer = (await make('viewer')).token;
    const r = await make('field_officer');
    revoked = r.token;
    await revokeApiToken(w.db, w.admin, r.id, NOW);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  it('looks a typed code up: masked identity, slot and the approved kuasa, nothing recorded', async () => {
    const hh = await invited();
    await w.db.insert(proxies).values({ invitationId: hh.invitationId, name: 'Rahmat Hidayat', nik: '2171100306820001', relation: 'spouse', reason: 'at_sea', status: 'approved' });
    const before = await snapshot(hh.invitationId);
    // Typed in lower case with the dash, as read off the phone.
    const res = await post('/api/v1/checkins/lookup', officer, { code: formatInvitationCode(hh.code).toLowerCase(), eventId });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ invitationId: hh.invitationId, eventId, status: 'confirmed', blocker: null, collected: null, proxyPending: false });
    expect(body.headName).not.toBe(hh.headName);
    expect(body.headName).toContain('*');
    expect(body.headNik).toContain('*');
    expect(body.proxy).toMatchObject({ relation: 'spouse', reason: 'at_sea' });
    expect(body.proxy.nik).not.toBe('2171100306820001');
    expect(body.proxy.name).not.toBe('Rahmat Hidayat');
    expect(body.slot.siteId).toBe(w.siteA);
    expect(await snapshot(hh.invitationId)).toEqual(before);
  });

  it('records a collection by kuasa (201), sends the receipt, and refuses a second check-in with when and where', async () => {
    const hh = await invited({ chats: 2 });
    await w.db.insert(proxies).values({ invitationId: hh.invitationId, name: 'Rahmat Hidayat', nik: '2171100306820001', relation: 'spouse', reason: 'sick', status: 'approved' });
    const res = await post('/api/v1/checkins', officer, { code: hh.code, eventId, byProxy: true });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ ok: true, invitationId: hh.invitationId, siteId: w.siteA, byProxy: true, receipts: 2 });
    expect(new Date(body.collectedAt).toISOString()).toBe(NOW.toISOString());
    expect(body.lookup.status).toBe('collected');
    expect(body.lookup.proxy.name).toContain('*');
    expect(body.lookup.headName).not.toBe(hh.headName);
    const [row] = await w.db.select().from(invitations).where(eq(invitations.id, hh.invitationId));
    expect(row).toMatchObject({ status: 'collected', collectedSiteId: w.siteA, collectedByProxy: true });
    // One receipt, and the satisfaction question after a collection (issue 20), held ten minutes behind it.
    const queued = await w.db.select().from(outbox).where(eq(outbox.contactId, hh.contactIds[0]!));
    expect(queued.filter((o) => !isRatingQuestion(o.payload))).toHaveLength(1);
    expect(queued.filter((o) => isRatingQuestion(o.payload))).toHaveLength(1);

    const again = await refusedWithoutChange(hh.invitationId, officer, { code: hh.code, eventId }, 409, 'checkin_already_collected');
    expect(again).toMatchObject({ siteId: w.siteA, siteName: 'Kantor Kelurahan Sungai Binti', byProxy: true });
    expect(new Date(again.collectedAt).toISOString()).toBe(NOW.toISOString());
    expect(again.collectorName).toContain('*');
  });

  it('refuses a kuasa collection when no kuasa was approved', async () => {
    const hh = await invited();
    await refusedWithoutChange(hh.invitationId, officer, { code: hh.code, byProxy: true }, 409, 'checkin_proxy_not_approved');
  });

  it('answers an unknown code 404 and a code of another event 409 with that event', async () => {
    const hh = await invited();
    const unknown = await post('/api/v1/checkins', officer, { code: 'ZZZZ-ZZZZ', eventId });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toBe('checkin_unknown_code');
    expect((await post('/api/v1/checkins/lookup', officer, { code: 'ZZZZZZZZ' })).status).toBe(404);
    const other = await refusedWithoutChange(hh.invitationId, officer, { code: hh.code, eventId: otherEventId }, 409, 'checkin_other_event');
    expect(other.eventId).toBe(eventId);
    const lookup = await post('/api/v1/checkins/lookup', officer, { code: hh.code, eventId: otherEventId });
    expect(lookup.status).toBe(409);
  });

  it('refuses a check-in after the event is closed or cancelled', async () => {
    const closed = await makeEvent(w.db, { date: TODAY, programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
    const a = await invited({ event: closed.eventId, slot: closed.slotIds[0]! });
    await w.db.update(distributionEvents).set({ status: 'done', closedAt: NOW }).where(eq(distributionEvents.id, closed.eventId));
    await refusedWithoutChange(a.invitationId, officer, { code: a.code }, 409, 'checkin_event_closed');

    const cancelled = await makeEvent(w.db, { date: TODAY, programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
    const b = await invited({ event: cancelled.eventId, slot: cancelled.slotIds[0]! });
    await w.db.update(distributionEvents).set({ status: 'cancelled' }).where(eq(distributionEvents.id, cancelled.eventId));
    await refusedWithoutChange(b.invitationId, officer, { code: b.code }, 409, 'checkin_event_cancelled');
  });

  it('refuses a check-in before the event day with 409 and the day it opens', async () => {
    const later = await makeEvent(w.db, { date: EVENT_DATE, programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
    const a = await invited({ event: later.eventId, slot: later.slotIds[0]! });
    const body = await refusedWithoutChange(a.invitationId, officer, { code: a.code }, 409, 'checkin_not_yet_open');
    expect(body.opensOn).toBe(EVENT_DATE);
  });

  it('checks role, area, body and token before anything', async () => {
    const hh = await invited();
    await refusedWithoutChange(hh.invitationId, operator, { code: hh.code }, 403, 'forbidden');
    await refusedWithoutChange(hh.invitationId, viewer, { code: hh.code }, 403, 'forbidden');
    expect((await post('/api/v1/checkins/lookup', operator, { code: hh.code })).status).toBe(403);
    // Another kecamatan's code answers exactly like a code that does not exist.
    await refusedWithoutChange(hh.invitationId, nongsaOfficer, { code: hh.code }, 404, 'checkin_unknown_code');
    expect((await post('/api/v1/checkins/lookup', nongsaOfficer, { code: hh.code })).status).toBe(404);
    const bad = await refusedWithoutChange(hh.invitationId, officer, { code: hh.code, eventId: 'satu' }, 400, 'bad_request');
    expect(bad.reason).toMatch(/eventId/);
    await refusedWithoutChange(hh.invitationId, officer, { code: hh.code, extra: true }, 400, 'bad_request');
    const gone = await post('/api/v1/checkins', revoked, { code: hh.code });
    expect(gone.status).toBe(401);
    expect((await snapshot(hh.invitationId)).inv!.status).toBe('confirmed');
  });
});
