import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, contacts, kecamatan, outbox } from '../../../src/db/schema/index.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { createApiToken, revokeApiToken } from '../../../src/services/staff/api-tokens.ts';
import { fileComplaint } from '../../../src/services/complaints/file.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { createTestApp, postJson, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// /api/v1 through the real app with bearer tokens: authentication, role, scope and the lifecycle's refusals.

const SAGULUNG = '21.71.11';
const NONGSA = '21.71.04';

describe('api v1', () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: Actor;
  let sagulung: number;
  let nongsa: number;
  let cityToken: string;
  let sagulungToken: string;
  let viewerToken: string;
  let nongsaComplaint: number;
  let sagulungComplaint: number;

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    t.app.request(path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const post = (path: string, token: string, body: unknown = {}) => postJson(t.app, path, body, { authorization: `Bearer ${token}` });

  async function kecamatanByCode(code: string): Promise<number> {
    const [k] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.code, code));
    if (!k) throw new Error(`no kecamatan ${code}`);
    return k.id;
  }

  async function complaintIn(kecamatanId: number, summary = 'Bantuan bulan ini belum diterima'): Promise<{ id: number; contactId: number; trackingId: string }> {
    const [c] = await database.db
      .insert(contacts)
      .values({ channel: 'webchat', externalId: `api-${Math.random().toString(36).slice(2)}`, displayName: 'Siti Aminah' })
      .returning({ id: contacts.id });
    const filed = await fileComplaint(database.db, { contactId: c!.id, category: 'not_received', summary, details: {}, anonymous: false, kecamatanId, now: new Date() });
    return { ...filed, contactId: c!.id };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 30 });
    t = await createTestApp(database);
    const db = database.db;
    sagulung = await kecamatanByCode(SAGULUNG);
    nongsa = await kecamatanByCode(NONGSA);
    const created = await createStaffUser(db, 'system', { email: 'admin.api@pintu.test', name: 'Admin API', role: 'admin', password: 'kata-sandi-yang-panjang-1' });
    admin = { kind: 'staff', id: created.id, role: 'admin', kecamatanId: null, bidang: null };
    cityToken = (await createApiToken(db, admin, { name: 'Dashboard kota', role: 'supervisor' })).token;
    sagulungToken = (await createApiToken(db, admin, { name: 'Kecamatan Sagulung', role: 'supervisor', kecamatanId: sagulung })).token;
    viewerToken = (await createApiToken(db, admin, { name: 'Papan', role: 'viewer' })).token;
    nongsaComplaint = (await complaintIn(nongsa)).id;
    sagulungComplaint = (await complaintIn(sagulung)).id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('refuses a request with no token or a wrong one, with localized problem details (RFC 9457)', async () => {
    const none = await get('/api/v1/complaints');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // RFC 9457 problem details, with the stable code and the message kept as extension members.
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await none.json()) as { type: string; title: string; status: number; detail: string; instance: string; error: string; message: string };
    expect(body).toMatchObject({ type: 'urn:pintu:problem:unauthorized', status: 401, instance: '/api/v1/complaints', error: 'unauthorized' });
    expect(body.title).toBe(body.message);
    expect(body.detail).toBe(body.message);
    expect(body.message).toMatch(/Token API/);
    const wrong = await get('/api/v1/complaints', 'pintu_not-a-real-token', { 'accept-language': 'en' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/valid API token/);
    expect((await get(`/api/v1/complaints/${sagulungComplaint}`, 'garbage')).status).toBe(401);
    // Unknown paths under /api/v1 say nothing to a caller without a token either.
    expect((await get('/api/v1/whatever')).status).toBe(401);
  });

  it('refuses a revoked token', async () => {
    const { id, token } = await createApiToken(database.db, admin, { name: 'Sementara', role: 'supervisor' });
    expect((await get('/api/v1/complaints', token)).status).toBe(200);
    expect(await revokeApiToken(database.db, admin, id)).toBe(true);
    const res = await get('/api/v1/complaints', token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
  });

  it('gives a viewer token 403 for a change and for the complaint list, but reports', async () => {
    const verify = await post(`/api/v1/complaints/${sagulungComplaint}/verify`, viewerToken);
    expect(verify.status).toBe(403);
    expect(((await verify.json()) as { error: string }).error).toBe('forbidden');
    expect((await get('/api/v1/complaints', viewerToken)).status).toBe(403);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const report = await get(`/api/v1/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, viewerToken);
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ from, to, verifyDue: expect.any(Number) });
  });

  it('keeps a Sagulung token to Sagulung: 404 for a Nongsa complaint, only Sagulung in the list', async () => {
    for (const path of [`/api/v1/complaints/${nongsaComplaint}`, `/api/v1/complaints/${nongsaComplaint}/lapor`]) {
      const res = await get(path, sagulungToken);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe('not_found');
    }
    // The same answer as for an id that does not exist at all.
    expect((await get('/api/v1/complaints/999999999', sagulungToken)).status).toBe(404);
    expect((await post(`/api/v1/complaints/${nongsaComplaint}/verify`, sagulungToken)).status).toBe(404);

    const list = await get('/api/v1/complaints?limit=100', sagulungToken);
    expect(list.status).toBe(200);
    const { items, total } = (await list.json()) as { items: { id: number; kecamatanId: number }[]; total: number };
    expect(total).toBeGreaterThan(0);
    expect(items.map((i) => i.id)).toContain(sagulungComplaint);
    expect(items.map((i) => i.id)).not.toContain(nongsaComplaint);
    for (const i of items) expect(i.kecamatanId).toBe(sagulung);
    expect(total).toBe(await database.db.$count(complaints, eq(complaints.kecamatanId, sagulung)));

    // Asking for Nongsa explicitly does not widen the scope.
    const nongsaList = (await (await get(`/api/v1/complaints?kecamatanId=${nongsa}`, sagulungToken)).json()) as { total: number };
    expect(nongsaList.total).toBe(0);
    const own = await get(`/api/v1/complaints/${sagulungComplaint}`, sagulungToken);
    expect(own.status).toBe(200);
  });

  it('lets a city-wide supervisor token verify, reply (through the outbox) and close a complaint', async () => {
    const filed = await complaintIn(sagulung, 'Nama saya tidak ada di daftar penerima');
    const path = `/api/v1/complaints/${filed.id}`;

    const shown = await get(path, cityToken);
    expect(shown.status).toBe(200);
    const view = (await shown.json()) as { trackingId: string; status: string; createdAt: string; reporter: { displayName: string | null } };
    expect(view).toMatchObject({ trackingId: filed.trackingId, status: 'received' });
    expect(view.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(view.reporter.displayName).not.toBe('Siti Aminah'); // masked

    const verified = await post(`${path}/verify`, cityToken, { bidang: 'Linjamsos' });
    expect(verified.status).toBe(200);
    const v = (await verified.json()) as { ok: boolean; bidang: string; answerDueAt: string };
    expect(v).toMatchObject({ ok: true, bidang: 'Linjamsos' });
    expect(new Date(v.answerDueAt).getTime()).toBeGreaterThan(Date.now());

    expect((await post(`${path}/notes`, cityToken, { text: 'Cek data DTSEN dulu' })).status).toBe(200);
    expect((await post(`${path}/start`, cityToken)).status).toBe(200);

    const replied = await post(`${path}/reply`, cityToken, { text: 'Data Ibu sudah kami periksa.' });
    expect(replied.status).toBe(200);
    const r = (await replied.json()) as { outboxIds: number[] };
    expect(r.outboxIds.length).toBeGreaterThan(0);
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, filed.contactId));
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).toContain('Data Ibu sudah kami periksa.');

    const closed = await post(`${path}/close`, cityToken);
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ ok: true, csatAsked: true });
    const [row] = await database.db.select().from(complaints).where(eq(complaints.id, filed.id));
    expect(row!.status).toBe('closed');

    const lapor = await get(`${path}/lapor`, cityToken);
    expect(lapor.status).toBe(200);
    expect(await lapor.json()).toMatchObject({ trackingId: filed.trackingId, status: 'closed', secret: true });

    // Closing twice is a refusal from the lifecycle, not a server error.
    const again = await post(`${path}/close`, cityToken);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_status');
  });

  it('refuses a reply before verification with 409 and the refusal code, localized', async () => {
    const filed = await complaintIn(sagulung);
    const res = await postJson(t.app, `/api/v1/complaints/${filed.id}/reply`, { text: 'Halo' }, { authorization: `Bearer ${cityToken}`, 'accept-language': 'en' });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_status');
    expect(body.message).toMatch(/status/);
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, filed.contactId));
    expect(rows).toHaveLength(0);
  });

  it('answers bad input with 400 and the reason', async () => {
    const path = `/api/v1/complaints/${sagulungComplaint}`;
    const empty = await post(`${path}/reply`, cityToken, { text: '' });
    expect(empty.status).toBe(400);
    const body = (await empty.json()) as { error: string; reason: string };
    expect(body.error).toBe('bad_request');
    expect(body.reason).toMatch(/^text:/);
    expect((await post(`${path}/reply`, cityToken, { text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await post(`${path}/verify`, cityToken, { bidang: 'Rahasia' })).status).toBe(400);
    expect((await post(`${path}/assign`, cityToken, { staffId: 'me' })).status).toBe(400);
    const notJson = await post(`${path}/notes`, cityToken, '{"text": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { reason: string }).reason).toMatch(/JSON/);
    const limit = await get('/api/v1/complaints?limit=101', cityToken);
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as { reason: string }).reason).toMatch(/^limit:/);
    expect((await get('/api/v1/complaints?status=lost', cityToken)).status).toBe(400);
    expect((await get('/api/v1/reports/ikm?from=yesterday&to=2026-01-01', cityToken)).status).toBe(400);
    expect((await get('/api/v1/reports/ikm?from=2026-02-01&to=2026-01-01', cityToken)).status).toBe(400);
    // A non-numeric id is an id that does not exist.
    expect((await get('/api/v1/complaints/abc', cityToken)).status).toBe(404);
  });

  it('treats SQL in search as data', async () => {
    const before = await database.db.$count(complaints);
    for (const search of ["' or 1=1 --", "'; drop table complaints; --", '%', '_']) {
      const res = await get(`/api/v1/complaints?search=${encodeURIComponent(search)}`, cityToken);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBe(0);
    }
    expect(await database.db.$count(complaints)).toBe(before);
    const byWords = (await (await get(`/api/v1/complaints?search=${encodeURIComponent('daftar penerima')}`, cityToken)).json()) as { total: number };
    expect(byWords.total).toBeGreaterThan(0);
  });

  it('reports IKM over the token scope', async () => {
    const res = await get('/api/v1/reports/ikm?from=2020-01-01&to=2100-01-01', cityToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ from: '2020-01-01T00:00:00.000Z', distribution: expect.any(Array), count: expect.any(Number) });
  });

  it('pages the list newest first with a cursor, without a gap or a repeat, and exports it as CSV in scope', async () => {
    for (let i = 0; i < 5; i++) await complaintIn(sagulung, `Keluhan nomor ${i} NIK 2171105203850001`);
    const seen: number[] = [];
    let after: number | null | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const res = await get(`/api/v1/complaints?limit=2${after ? `&after=${after}` : '&after=2147483647'}`, cityToken);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { id: number }[]; nextAfter: number | null; total: number };
      seen.push(...page.items.map((x) => x.id));
      after = page.nextAfter;
      if (after === null) break;
    }
    expect(seen).toEqual([...seen].sort((a, b) => b - a)); // newest first
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await (await get('/api/v1/complaints?limit=100', cityToken)).json()) as { total: number };
    expect(seen.length).toBe(all.total);

    const csv = await get('/api/v1/complaints.csv', sagulungToken);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Excel reads the names as UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('nomor_laporan,tanggal,jenis,status')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines.length - 1).toBe(seen.length - 1); // every complaint but Nongsa's
    expect(text).not.toContain('2171105203850001'); // NIKs in summaries are masked
    expect(text).toContain(',Sagulung,');
    const [exported] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'complaint.export_csv'));
    expect(exported?.details).toMatchObject({ rowCount: lines.length - 1 });
    expect((await get('/api/v1/complaints.csv', viewerToken)).status).toBe(403);
  });
});
