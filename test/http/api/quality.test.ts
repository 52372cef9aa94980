import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, findings } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { createApiToken } from '../../../src/services/staff/api-tokens.ts';
import { scanFindings } from '../../../src/services/registry/quality/scan.ts';
import { createTestApp, postJson, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { qualityWorld, SHARED_NIK, type QualityWorld } from '../../services/registry/quality.fixtures.ts';
import { staffActor } from '../../services/staff/fixtures.ts';

// /api/v1/findings through the real app with bearer tokens: the list with filters and an id cursor, assign,
// resolve (a note required), the CSV masked, another kecamatan's finding 404, and roles without the right 403.
// No CSRF under /api/v1 by design (no cookie is read): a request carrying a console cookie but no token is 401.

describe('api v1 findings', () => {
  let database: TestDatabase;
  let w: QualityWorld;
  let t: TestApp;
  let nongsa: string;
  let city: string;
  let viewer: string;
  let admin: Actor;
  let nongsaStaff: Actor;
  let sagulungStaff: Actor;
  const now = new Date('2026-11-20T09:00:00Z');

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, token: string) => t.app.request(path, { headers: auth(token) });
  const post = (path: string, token: string, body: unknown) => postJson(t.app, path, body, auth(token));
  const json = async (res: Response): Promise<any> => res.json();
  const findingOf = async (kind: 'reported_moved' | 'reported_deceased' | 'deceased_enrolled') => (await database.db.select().from(findings).where(eq(findings.kind, kind)))[0]!;

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await qualityWorld(database.db, new Date('2026-11-19T09:00:00Z'));
    await scanFindings(database.db, { now });
    t = await createTestApp(database, { clock: () => now });
    admin = await staffActor(database.db, { role: 'admin' });
    nongsaStaff = await staffActor(database.db, { role: 'supervisor', kecamatanId: w.nongsa });
    sagulungStaff = await staffActor(database.db, { role: 'supervisor', kecamatanId: w.sagulung });
    nongsa = (await createApiToken(database.db, admin, { name: 'nongsa', role: 'supervisor', kecamatanId: w.nongsa })).token;
    city = (await createApiToken(database.db, admin, { name: 'kota', role: 'supervisor' })).token;
    viewer = (await createApiToken(database.db, admin, { name: 'viewer', role: 'viewer' })).token;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('lists with filters and an id cursor, masked, within scope', async () => {
    const first = await get('/api/v1/findings?limit=3', nongsa);
    expect(first.status).toBe(200);
    const p1 = await json(first);
    expect(p1.items).toHaveLength(3);
    expect(p1.nextAfter).toBe(p1.items[2].id);
    const p2 = await json(await get(`/api/v1/findings?limit=3&after=${p1.nextAfter}`, nongsa));
    expect(p2.items).toHaveLength(1);
    expect(p2.nextAfter).toBeNull();
    const all = [...p1.items, ...p2.items];
    expect(all.every((f: any) => f.kecamatan.id === w.nongsa)).toBe(true);
    expect(JSON.stringify(all)).not.toContain(SHARED_NIK);
    expect(all.find((f: any) => f.kind === 'duplicate_nik').memberNik).toBe('217101******0001');

    const filtered = await json(await get(`/api/v1/findings?kind=duplicate_nik&kelurahanId=${w.kelA}`, city));
    expect(filtered.items.map((f: any) => f.memberId)).toEqual([w.siti]);
    const bad = await get('/api/v1/findings?kind=nonsense', city);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toBe('bad_request');

    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.list'), eq(auditLog.actorKind, 'api')));
    expect(audits).toHaveLength(3); // the refused query read nothing
  });

  it('assigns to staff in the finding’s area only', async () => {
    const died = await findingOf('reported_deceased');
    const wrong = await post(`/api/v1/findings/${died.id}/assign`, nongsa, { staffId: sagulungStaff.id });
    expect(wrong.status).toBe(422);
    const body = await json(wrong);
    expect(body.error).toBe('finding_invalid_assignee');
    expect(body.message).toContain('Petugas');
    expect((await findingOf('reported_deceased')).assigneeId).toBeNull();

    const ok = await post(`/api/v1/findings/${died.id}/assign`, nongsa, { staffId: nongsaStaff.id });
    expect(ok.status).toBe(200);
    expect((await json(ok)).assignee.id).toBe(nongsaStaff.id);
    expect((await findingOf('reported_deceased')).assigneeId).toBe(nongsaStaff.id);
    expect((await post(`/api/v1/findings/${died.id}/assign`, nongsa, { staffId: 'x' })).status).toBe(400);
  });

  it('resolves only with a note', async () => {
    const dead = await findingOf('deceased_enrolled');
    for (const body of [{}, { note: '   ' }]) {
      const res = await post(`/api/v1/findings/${dead.id}/resolve`, nongsa, body);
      expect(res.status).toBe(422);
      expect((await json(res)).error).toBe('finding_note_required');
    }
    expect((await findingOf('deceased_enrolled')).status).toBe('open');
    const ok = await post(`/api/v1/findings/${dead.id}/resolve`, nongsa, { note: 'Kepesertaan PBI dihentikan.' });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ status: 'resolved', resolutionNote: 'Kepesertaan PBI dihentikan.' });
    const again = await post(`/api/v1/findings/${dead.id}/resolve`, nongsa, { note: 'lagi' });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toBe('finding_already_resolved');
  });

  it('answers 404 for another kecamatan’s finding, and 403 without the right', async () => {
    const moved = await findingOf('reported_moved');
    const res = await post(`/api/v1/findings/${moved.id}/resolve`, nongsa, { note: 'bukan wilayah saya' });
    expect(res.status).toBe(404);
    expect((await json(res)).error).toBe('not_found');
    expect((await post(`/api/v1/findings/${moved.id}/assign`, nongsa, { staffId: nongsaStaff.id })).status).toBe(404);
    expect((await findingOf('reported_moved'))).toMatchObject({ status: 'open', assigneeId: null });
    expect((await post('/api/v1/findings/999999/resolve', city, { note: 'x' })).status).toBe(404);

    expect((await get('/api/v1/findings', viewer)).status).toBe(403);
    expect((await get('/api/v1/findings.csv', viewer)).status).toBe(403);
    expect((await post(`/api/v1/findings/${moved.id}/resolve`, viewer, { note: 'x' })).status).toBe(403);
  });

  it('has no cookie path: a console session without a token is 401', async () => {
    const res = await t.app.request('/api/v1/findings', { headers: { cookie: 'pintu_session=anything' } });
    expect(res.status).toBe(401);
    const moved = await findingOf('reported_moved');
    const post401 = await t.app.request(`/api/v1/findings/${moved.id}/resolve`, { method: 'POST', headers: { cookie: 'pintu_session=anything', 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x' }) });
    expect(post401.status).toBe(401);
    expect((await findingOf('reported_moved')).status).toBe('open');
  });

  it('exports CSV masked with the same filters, audited', async () => {
    const res = await get('/api/v1/findings.csv?status=open', nongsa);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4); // Nongsa's four findings less deceased_enrolled, resolved above
    expect(csv).toContain('217101******0001');
    expect(csv).not.toContain(SHARED_NIK);
    expect(csv).not.toContain('CITRA');
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'finding.export'));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ count: 3, status: 'open' });
  });
});
