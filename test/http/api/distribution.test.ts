import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/rows.ts';
import { distributionEvents, kecamatan, programs } from '../../../src/db/schema/index.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createApiToken, revokeApiToken } from '../../../src/services/staff/api-tokens.ts';
import { fireDueReminders } from '../../../src/services/distribution/reminders.ts';
import { nameProxy } from '../../../src/services/distribution/invitations.ts';
import { createTestApp, postJson, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../../services/staff/fixtures.ts';
import { at, distributionWorld, EVENT_DATE, makeHousehold, NOW, TZ, type DistributionWorld, type MadeHousehold } from '../../services/distribution/fixtures.ts';

// The distribution cycle over /api/v1 with bearer tokens, through the real app on a fake clock: site, event,
// preview, invitations (queued to linked chats, listed, CSV for the rest), a move, kuasa, check-in,
// progress, close, next round, cancel; and every bad input answered with a clear error and no change.

describe('api v1 distributions', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let now = NOW;
  const tokens = {} as Record<'sup' | 'nongsa' | 'viewer' | 'officer' | 'operator' | 'revoked', string>;
  const hh: MadeHousehold[] = [];
  let siteId = 0;
  let eventId = 0;
  let laterEventId = 0;

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, token: string) => t.app.request(path, { headers: auth(token) });
  const post = (path: string, token: string, body: unknown = {}) => postJson(t.app, path, body, auth(token));
  const patch = (path: string, token: string, body: unknown) =>
    t.app.request(path, { method: 'PATCH', headers: { 'Content-Type': 'application/json', ...auth(token) }, body: JSON.stringify(body) });
  const json = async (res: Response): Promise<any> => res.json();

  /** Everything a refused request must leave as it was. */
  async function snapshot() {
    const [row] = rowsOf<Record<string, unknown>>(
      await w.db.execute(sql`select
        (select count(*) from sites)::int as sites,
        (select count(*) from distribution_events)::int as events,
        (select string_agg(id || ':' || status || ':' || event_date, ',' order by id) from distribution_events) as event_states,
        (select string_agg(id || ':' || booked || ':' || starts_at, ',' order by id) from event_slots) as slots,
        (select count(*) from invitations)::int as invitations,
        (select string_agg(id || ':' || status, ',' order by id) from invitations) as invitation_states,
        (select string_agg(id || ':' || status, ',' order by id) from proxies) as proxies,
        (select count(*) from outbox)::int as outbox`),
    );
    return row;
  }
  async function unchangedBy(request: () => Response | Promise<Response>, status: number, error: string) {
    const before = await snapshot();
    const res = await request();
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
    expect(body.message.length).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(before);
    return body;
  }
  async function outboxFor(contactIds: number[]): Promise<number> {
    const [r] = rowsOf<{ n: number }>(await w.db.execute(sql`select count(*)::int as n from outbox where contact_id in (${sql.join(contactIds.map((id) => sql`${id}`), sql`, `)})`));
    return Number(r!.n);
  }

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => now });
    const make = async (role: 'supervisor' | 'viewer' | 'field_officer' | 'operator', kecamatanId?: number) =>
      createApiToken(w.db, w.admin, { name: `uji ${role}`, role, ...(kecamatanId ? { kecamatanId } : {}) });
    tokens.sup = (await make('supervisor')).token;
    tokens.nongsa = (await make('supervisor', w.area.kecB)).token;
    tokens.viewer = (await make('viewer')).token;
    tokens.officer = (await make('field_officer')).token;
    tokens.operator = (await make('operator')).token;
    const revoked = await make('supervisor');
    tokens.revoked = revoked.token;
    await revokeApiToken(w.db, w.admin, revoked.id, NOW);

    const enroll = { programId: w.householdProgramId };
    // Sagulung (kecA): four households with chats in kelA1 (the first with two), two without and one with a
    // chat in kelA2; one Sagulung household not enrolled; one Nongsa household enrolled.
    hh.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll, chats: [{}, { language: 'en' }] }));
    for (let i = 0; i < 3; i++) hh.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll, chats: [{}] }));
    hh.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA2, enroll }));
    hh.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA2, enroll }));
    hh.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA2, enroll, chats: [{}] }));
    await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{}] });
    await makeHousehold(w.db, { kelurahanId: w.area.kelB1, enroll, chats: [{}] });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  it('refuses a revoked token and the roles that lack the permission', async () => {
    expect((await get('/api/v1/events', tokens.revoked)).status).toBe(401);
    expect((await get('/api/v1/sites', tokens.operator)).status).toBe(403);
    expect((await get('/api/v1/events', tokens.viewer)).status).toBe(200);
    await unchangedBy(() => post('/api/v1/sites', tokens.viewer, { kecamatanId: w.area.kecA, name: 'Aula RW 05', address: 'Jl. Melati No. 5' }), 403, 'forbidden');
    await unchangedBy(
      () => post('/api/v1/events', tokens.officer, { programId: w.householdProgramId, tranche: 'X', title: 'Penyaluran', date: EVENT_DATE, slots: [] }),
      403,
      'forbidden',
    );
  });

  it('creates a site, only in the token’s area', async () => {
    const res = await post('/api/v1/sites', tokens.sup, { kecamatanId: w.area.kecA, kelurahanId: w.area.kelA2, name: 'Balai RW 05 Tembesi', address: 'Jl. Melati No. 5, Tembesi' });
    expect(res.status).toBe(201);
    siteId = (await json(res)).id;
    await unchangedBy(() => post('/api/v1/sites', tokens.nongsa, { kecamatanId: w.area.kecA, name: 'Balai Lain', address: 'Jl. Mawar No. 1' }), 422, 'distribution_unknown_kecamatan');
    await unchangedBy(() => post('/api/v1/sites', tokens.sup, { kecamatanId: w.area.kecA, name: 'Balai', address: 'Jl. Mawar', extra: 1 }), 400, 'bad_request');
    const nongsaSites = (await json(await get('/api/v1/sites', tokens.nongsa))).items as { id: number }[];
    expect(nongsaSites.map((s) => s.id)).toEqual([w.siteB]);
    const all = (await json(await get('/api/v1/sites', tokens.sup))).items as { id: number }[];
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([w.siteA, w.siteB, siteId]));
  });

  it('creates an event, refusing a past date, a slot off the date and an unknown site', async () => {
    const base = { programId: w.householdProgramId, tranche: '2026 Tahap IV', title: 'Penyaluran Sembako Sagulung', date: EVENT_DATE };
    const slots = [
      { siteId, start: '08:00', end: '10:00', capacity: 4 },
      { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 2 },
    ];
    const past = await unchangedBy(() => post('/api/v1/events', tokens.sup, { ...base, date: '2026-11-20', slots }), 422, 'distribution_date_in_past');
    expect(past.message).toMatch(/sudah lewat/);
    const english = await t.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en', ...auth(tokens.sup) },
      body: JSON.stringify({ ...base, date: '2026-11-20', slots }),
    });
    expect(((await json(english)) as { message: string }).message).toMatch(/already passed/);
    await unchangedBy(
      () => post('/api/v1/events', tokens.sup, { ...base, slots: [{ siteId, start: '2026-12-11T01:00:00Z', end: '2026-12-11T03:00:00Z', capacity: 4 }] }),
      422,
      'distribution_slot_outside_date',
    );
    await unchangedBy(() => post('/api/v1/events', tokens.sup, { ...base, slots: [{ ...slots[0]!, capacity: 0 }] }), 422, 'distribution_invalid_capacity');
    await unchangedBy(() => post('/api/v1/events', tokens.nongsa, { ...base, slots }), 422, 'distribution_unknown_site');
    await unchangedBy(() => post('/api/v1/events', tokens.sup, { ...base, date: '10-12-2026', slots }), 400, 'bad_request');

    const res = await post('/api/v1/events', tokens.sup, { ...base, slots });
    expect(res.status).toBe(201);
    const created = await json(res);
    eventId = created.id;
    expect(created.slotIds).toHaveLength(2);

    const one = await json(await get(`/api/v1/events/${eventId}`, tokens.viewer));
    expect(one).toMatchObject({ id: eventId, eventDate: EVENT_DATE, status: 'planned' });
    expect(one.slots.map((s: { capacity: number }) => s.capacity)).toEqual([4, 2]);
    expect(new Date(one.slots[0].startsAt).toISOString()).toBe(at(EVENT_DATE, '08:00').toISOString());
    const list = await json(await get(`/api/v1/events?status=planned,open&fromDate=${EVENT_DATE}`, tokens.sup));
    expect(list.items.map((e: { id: number }) => e.id)).toContain(eventId);
    expect((await json(await get('/api/v1/events?status=done', tokens.sup))).items).toEqual([]);
    expect((await get('/api/v1/events?status=bogus', tokens.sup)).status).toBe(400);
  });

  it('hides a Sagulung event from a Nongsa-scoped token: 404 everywhere', async () => {
    for (const path of [`/api/v1/events/${eventId}`, `/api/v1/events/${eventId}/progress`, `/api/v1/events/${eventId}/invitations`, `/api/v1/events/${eventId}/unreachable.csv`, `/api/v1/proxies?eventId=${eventId}`]) {
      const res = await get(path, tokens.nongsa);
      expect(res.status, path).toBe(404);
      expect((await json(res)).error).toBe('not_found');
    }
    expect((await json(await get('/api/v1/events', tokens.nongsa))).items).toEqual([]);
    await unchangedBy(() => post(`/api/v1/events/${eventId}/invitations`, tokens.nongsa, {}), 404, 'not_found');
    await unchangedBy(() => post(`/api/v1/events/${eventId}/cancel`, tokens.nongsa, { reason: 'Lokasi banjir' }), 404, 'not_found');
    expect((await get('/api/v1/events/999999', tokens.sup)).status).toBe(404);
    expect((await get('/api/v1/events/abc', tokens.sup)).status).toBe(404);
  });

  it('previews the recipients by area, then invites up to capacity and queues a message per linked chat', async () => {
    const preview = async (body: unknown) => json(await post(`/api/v1/events/${eventId}/recipients/preview`, tokens.sup, body));
    expect(await preview({ kecamatanIds: [w.area.kecA] })).toEqual({ count: 7 });
    expect(await preview({ kelurahanIds: [w.area.kelA2] })).toEqual({ count: 3 });
    expect(await preview({})).toEqual({ count: 8 });
    await unchangedBy(() => post(`/api/v1/events/${eventId}/recipients/preview`, tokens.sup, { kecamatanIds: ['x'] }), 400, 'bad_request');

    const res = await post(`/api/v1/events/${eventId}/invitations`, tokens.sup, { kecamatanIds: [w.area.kecA] });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    // Six seats for seven households: the last one (kelA2, with a chat) waits for another slot.
    expect(body).toEqual({ selected: 7, invited: 6, noCapacity: 1, alreadyInvited: 0, queuedMessages: 5, withoutChat: 2 });
    expect(await outboxFor(hh.slice(0, 4).flatMap((h) => h.contactIds))).toBe(5);
    expect(await outboxFor(hh[6]!.contactIds)).toBe(0);

    // The event is full: inviting the rest is refused and changes nothing.
    const full = await unchangedBy(() => post(`/api/v1/events/${eventId}/invitations`, tokens.sup, { kecamatanIds: [w.area.kecA] }), 409, 'distribution_no_capacity');
    expect(full).toMatchObject({ selected: 1, noCapacity: 1 });
  });

  it('lists the invitations a page at a time, filtered and masked, and the unreachable ones as CSV', async () => {
    const first = await json(await get(`/api/v1/events/${eventId}/invitations?limit=4`, tokens.sup));
    expect(first.items).toHaveLength(4);
    expect(first.nextAfter).toBe(first.items[3].invitationId);
    const second = await json(await get(`/api/v1/events/${eventId}/invitations?limit=4&after=${first.nextAfter}`, tokens.sup));
    expect(second.items).toHaveLength(2);
    expect(second.nextAfter).toBeNull();
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((i: { householdId: number }) => i.householdId))).toEqual(new Set(hh.slice(0, 6).map((h) => h.householdId)));
    for (const item of all) {
      const head = hh.find((h) => h.householdId === item.householdId)!.headName;
      expect(item.headName).not.toBe(head);
      expect(item.headName).toContain('*');
      expect(JSON.stringify(item)).not.toContain(head.split(' ')[2]!);
      expect(item.code).toMatch(/^[A-Z0-9-]+$/);
    }
    expect(all.filter((i: { reachable: boolean }) => i.reachable)).toHaveLength(4);

    const kelA2 = await json(await get(`/api/v1/events/${eventId}/invitations?kelurahanId=${w.area.kelA2}`, tokens.sup));
    expect(kelA2.items.map((i: { householdId: number }) => i.householdId).sort()).toEqual([hh[4]!.householdId, hh[5]!.householdId].sort());
    expect((await json(await get(`/api/v1/events/${eventId}/invitations?status=collected`, tokens.sup))).items).toEqual([]);
    expect((await get(`/api/v1/events/${eventId}/invitations?limit=0`, tokens.sup)).status).toBe(400);
    expect((await get(`/api/v1/events/${eventId}/invitations?status=lost`, tokens.sup)).status).toBe(400);
    expect((await get(`/api/v1/events/${eventId}/invitations`, tokens.viewer)).status).toBe(403);
    // Each page read is a staff read of personal data, so each is in the audit log.
    const [audited] = rowsOf<{ n: number }>(
      await w.db.execute(sql`select count(*)::int as n from audit_log where action = 'distribution.invitations.read' and entity_id = ${String(eventId)}`),
    );
    expect(Number(audited!.n)).toBe(4);

    const csv = await get(`/api/v1/events/${eventId}/unreachable.csv`, tokens.sup);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^kode,alamat/);
    expect(lines).toHaveLength(3);
    for (const h of [hh[4]!, hh[5]!]) expect(lines.join('\n')).not.toContain(h.headName);

    // Every invitation of the event as a spreadsheet, masked like the list, filters honoured.
    const sheet = await get(`/api/v1/events/${eventId}/invitations.csv`, tokens.sup);
    expect(sheet.status).toBe(200);
    const rows = (await sheet.text()).trim().split('\r\n');
    expect(rows[0]).toBe('kode,undangan_ke,status,kelurahan,kepala_keluarga,lokasi,jadwal,punya_chat,kuasa,diambil,pengiriman,jalur,alasan_gagal');
    expect(rows).toHaveLength(7);
    for (const h of hh.slice(0, 6)) expect(rows.join('\n')).not.toContain(h.headName);
    const onlyA2 = (await (await get(`/api/v1/events/${eventId}/invitations.csv?kelurahanId=${w.area.kelA2}`, tokens.sup)).text()).trim().split('\r\n');
    expect(onlyA2).toHaveLength(3);
    expect((await get(`/api/v1/events/${eventId}/invitations.csv`, tokens.viewer)).status).toBe(403);
  });

  it('moves the event to another day: reminders re-planned and every reachable household told', async () => {
    await unchangedBy(() => patch(`/api/v1/events/${eventId}`, tokens.sup, { date: '2026-11-01' }), 422, 'distribution_date_in_past');
    await unchangedBy(() => patch(`/api/v1/events/${eventId}`, tokens.sup, {}), 422, 'distribution_invalid_input');
    await unchangedBy(() => patch(`/api/v1/events/${eventId}`, tokens.viewer, { date: '2026-12-11' }), 403, 'forbidden');
    const before = await outboxFor(hh.slice(0, 4).flatMap((h) => h.contactIds));
    const res = await patch(`/api/v1/events/${eventId}`, tokens.sup, { date: '2026-12-11' });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ notifiedHouseholds: 4, notifiedChats: 5 });
    expect(body.remindersPlanned).toBeGreaterThan(0);
    expect(await outboxFor(hh.slice(0, 4).flatMap((h) => h.contactIds))).toBe(before + 5);
    expect(await json(await get(`/api/v1/events/${eventId}`, tokens.sup))).toMatchObject({ eventDate: '2026-12-11', status: 'moved' });
  });

  it('lets staff decide a kuasa; a kuasa with an invalid NIK is refused and stored nowhere', async () => {
    const [inv] = rowsOf<{ id: number }>(await w.db.execute(sql`select id from invitations where event_id = ${eventId} and household_id = ${hh[1]!.householdId}`));
    const kuasa = { invitationId: Number(inv!.id), householdId: hh[1]!.householdId, name: 'Rahmat Hidayat', relation: 'suami', reason: 'sick' as const, now };
    const before = await snapshot();
    expect(await nameProxy(w.db, { ...kuasa, nik: '2171109913820001' })).toEqual({ ok: false, reason: 'invalid_nik' });
    expect(await snapshot()).toEqual(before);
    expect((await json(await get(`/api/v1/proxies?eventId=${eventId}`, tokens.sup))).items).toEqual([]);

    const named = await nameProxy(w.db, { ...kuasa, nik: '2171100306820001' });
    expect(named.ok).toBe(true);
    const pending = (await json(await get(`/api/v1/proxies?eventId=${eventId}`, tokens.sup))).items;
    expect(pending).toHaveLength(1);
    expect(pending[0].proxyNik).not.toBe('2171100306820001');
    expect(pending[0].proxyName).not.toBe('Rahmat Hidayat');
    const proxyId = pending[0].proxyId as number;

    expect((await get('/api/v1/proxies', tokens.viewer)).status).toBe(403);
    await unchangedBy(() => post(`/api/v1/proxies/${proxyId}/decision`, tokens.nongsa, { approve: true }), 404, 'not_found');
    await unchangedBy(() => post(`/api/v1/proxies/${proxyId}/decision`, tokens.sup, { approve: false }), 422, 'proxy_note_required');
    await unchangedBy(() => post(`/api/v1/proxies/${proxyId}/decision`, tokens.sup, { approve: 'yes' }), 400, 'bad_request');
    const ok = await post(`/api/v1/proxies/${proxyId}/decision`, tokens.sup, { approve: true });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ proxyId, status: 'approved', notified: 1 });
    const again = await unchangedBy(() => post(`/api/v1/proxies/${proxyId}/decision`, tokens.sup, { approve: false, note: 'salah' }), 409, 'proxy_already_decided');
    expect(again.status).toBe('approved');
  });

  it('checks a code in on the day, by kuasa, and progress counts it', async () => {
    now = at('2026-12-11', '09:30');
    // The reminders now due are queued here, not by the app's minute job in the middle of a snapshot.
    await fireDueReminders(w.db, { now, timeZone: TZ });
    const [inv] = rowsOf<{ code: string }>(await w.db.execute(sql`select code from invitations where event_id = ${eventId} and household_id = ${hh[1]!.householdId}`));
    await unchangedBy(() => post('/api/v1/checkins', tokens.operator, { code: inv!.code, eventId }), 403, 'forbidden');
    const res = await post('/api/v1/checkins', tokens.officer, { code: inv!.code, eventId, byProxy: true });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.byProxy).toBe(true);
    expect(body.lookup.proxy.name).not.toBe('Rahmat Hidayat');
    expect(body.lookup.headName).not.toBe(hh[1]!.headName);
    const twice = await unchangedBy(() => post('/api/v1/checkins', tokens.officer, { code: inv!.code, eventId }), 409, 'checkin_already_collected');
    expect(twice.siteName).toBeTruthy();

    const progress = await json(await get(`/api/v1/events/${eventId}/progress`, tokens.viewer));
    expect(progress.totals).toMatchObject({ invited: 6, reachable: 4, collected: 1, proxies: 1, noShow: 0 });
    expect(progress.kelurahan.map((k: { kelurahanId: number }) => k.kelurahanId).sort()).toEqual([w.area.kelA1, w.area.kelA2].sort());
  });

  it('closes the event (no-shows), refuses check-in after, and invites the no-shows to a later event as round 2', async () => {
    const res = await post(`/api/v1/events/${eventId}/close`, tokens.sup);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ noShows: 5 });
    await unchangedBy(() => post(`/api/v1/events/${eventId}/close`, tokens.sup), 409, 'distribution_invalid_status');
    const [inv] = rowsOf<{ code: string }>(await w.db.execute(sql`select code from invitations where event_id = ${eventId} and household_id = ${hh[0]!.householdId}`));
    await unchangedBy(() => post('/api/v1/checkins', tokens.officer, { code: inv!.code }), 409, 'checkin_event_closed');
    await unchangedBy(() => post(`/api/v1/events/${eventId}/invitations`, tokens.sup, {}), 409, 'distribution_invalid_status');

    const later = await post('/api/v1/events', tokens.sup, {
      programId: w.householdProgramId,
      tranche: '2026 Tahap IV',
      title: 'Penyaluran Sembako Sagulung (panggilan kedua)',
      date: '2026-12-18',
      slots: [{ siteId, start: '08:00', end: '12:00', capacity: 10 }],
    });
    laterEventId = (await json(later)).id;
    await unchangedBy(() => post(`/api/v1/events/${eventId}/next-round`, tokens.sup, { toEventId: 999999 }), 404, 'not_found');
    await unchangedBy(() => post(`/api/v1/events/${laterEventId}/next-round`, tokens.sup, { toEventId: eventId }), 409, 'distribution_invalid_status');
    await unchangedBy(() => post(`/api/v1/events/${eventId}/next-round`, tokens.sup, { toEventId: eventId }), 422, 'distribution_invalid_input');

    const next = await post(`/api/v1/events/${eventId}/next-round`, tokens.sup, { toEventId: laterEventId });
    const body = await json(next);
    expect(next.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ invited: 5, atMaxRound: 0, noCapacity: 0, withoutChat: 2, queuedMessages: 4 });
    const round2 = (await json(await get(`/api/v1/events/${laterEventId}/invitations`, tokens.sup))).items;
    expect(round2).toHaveLength(5);
    expect(round2.every((i: { round: number }) => i.round === 2)).toBe(true);
    expect((await json(await get(`/api/v1/events/${eventId}/follow-up`, tokens.sup))).items).toEqual([]);
    expect((await get(`/api/v1/events/${eventId}/follow-up`, tokens.nongsa)).status).toBe(404);
  });

  it('cancels an event with a reason and tells the invited households', async () => {
    await unchangedBy(() => post(`/api/v1/events/${laterEventId}/cancel`, tokens.sup, { reason: 'x' }), 422, 'distribution_invalid_input');
    await unchangedBy(() => post(`/api/v1/events/${laterEventId}/cancel`, tokens.sup, {}), 400, 'bad_request');
    const res = await post(`/api/v1/events/${laterEventId}/cancel`, tokens.sup, { reason: 'Lokasi tergenang banjir' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ cancelledInvitations: 5, notifiedHouseholds: 3, notifiedChats: 4 });
    await unchangedBy(() => post(`/api/v1/events/${laterEventId}/cancel`, tokens.sup, { reason: 'Lokasi tergenang banjir' }), 409, 'distribution_invalid_status');
    expect((await json(await get(`/api/v1/events/${laterEventId}/invitations?status=cancelled`, tokens.sup))).items).toHaveLength(5);
  });
});

// The same rules on the demo city: real kecamatan, the seeded SEMBAKO event in Batam Kota, the seeded sites.
describe('api v1 distributions on the demo city', () => {
  let database: TestDatabase;
  let t: TestApp;
  let seededEventId: number;
  let seededInvitations: number;
  let sagulung: number;
  const tokens = {} as Record<'city' | 'sagulung' | 'nongsa', string>;
  const get = (path: string, token: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  const post = (path: string, token: string, body: unknown = {}) => postJson(t.app, path, body, { authorization: `Bearer ${token}` });
  const json = async (res: Response): Promise<any> => res.json();
  const kecamatanId = async (code: string) => (await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.code, code)))[0]!.id;

  beforeAll(async () => {
    database = await createTestDatabase();
    const seeded = await seedDemoCity(database, { households: 30, today: NOW });
    if (seeded.skipped) throw new Error('demo city already seeded');
    seededInvitations = seeded.invitations;
    t = await createTestApp(database, { clock: () => NOW });
    const admin = await staffActor(database.db, { role: 'admin', name: 'Admin Uji' });
    sagulung = await kecamatanId('21.71.11');
    tokens.city = (await createApiToken(database.db, admin, { name: 'Kota', role: 'supervisor' })).token;
    tokens.sagulung = (await createApiToken(database.db, admin, { name: 'Sagulung', role: 'supervisor', kecamatanId: sagulung })).token;
    tokens.nongsa = (await createApiToken(database.db, admin, { name: 'Nongsa', role: 'supervisor', kecamatanId: await kecamatanId('21.71.04') })).token;
    const [e] = await database.db.select({ id: distributionEvents.id }).from(distributionEvents);
    seededEventId = e!.id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows the seeded Batam Kota event city-wide, with its progress, and to neither Sagulung nor Nongsa', async () => {
    const list = (await json(await get('/api/v1/events', tokens.city))).items as { id: number }[];
    expect(list.map((e) => e.id)).toContain(seededEventId);
    const progress = await json(await get(`/api/v1/events/${seededEventId}/progress`, tokens.city));
    expect(progress.totals.invited).toBe(seededInvitations);
    for (const token of [tokens.sagulung, tokens.nongsa]) {
      expect((await get(`/api/v1/events/${seededEventId}`, token)).status).toBe(404);
      expect((await get(`/api/v1/events/${seededEventId}/progress`, token)).status).toBe(404);
      expect((await json(await get('/api/v1/events', token))).items).toEqual([]);
    }
  });

  it('lets Sagulung create an event at its own site that Nongsa can neither see nor use', async () => {
    const sites = (await json(await get('/api/v1/sites', tokens.sagulung))).items as { id: number; kecamatanId: number }[];
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.every((s) => s.kecamatanId === sagulung)).toBe(true);
    const body = {
      programId: (await database.db.select({ id: programs.id }).from(programs).where(eq(programs.code, 'SEMBAKO')))[0]!.id,
      tranche: '2026 Tahap IV',
      title: 'Penyaluran Sembako Sagulung',
      date: EVENT_DATE,
      slots: [{ siteId: sites[0]!.id, start: '09:00', end: '12:00', capacity: 100 }],
    };
    const nongsa = await post('/api/v1/events', tokens.nongsa, body);
    expect(nongsa.status).toBe(422);
    expect((await json(nongsa)).error).toBe('distribution_unknown_site');
    const created = await post('/api/v1/events', tokens.sagulung, body);
    expect(created.status).toBe(201);
    const id = (await json(created)).id as number;
    expect((await get(`/api/v1/events/${id}`, tokens.nongsa)).status).toBe(404);
    expect((await post(`/api/v1/events/${id}/recipients/preview`, tokens.nongsa, {})).status).toBe(404);
    expect((await get(`/api/v1/events/${id}`, tokens.sagulung)).status).toBe(200);
    // Households of Sagulung with an active SEMBAKO enrollment and a living member: the seed's registry.
    const [expected] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from households h join kelurahan k on k.id = h.kelurahan_id
        where k.kecamatan_id = ${sagulung}
          and exists (select 1 from enrollments e where e.household_id = h.id and e.program_id = ${body.programId} and e.status = 'active')
          and exists (select 1 from members m where m.household_id = h.id and not m.deceased)`),
    );
    const preview = await json(await post(`/api/v1/events/${id}/recipients/preview`, tokens.sagulung, {}));
    expect(preview).toEqual({ count: Number(expected!.n) });
  });
});
