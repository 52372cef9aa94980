import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcasts, proxies } from '../../../src/db/schema/index.ts';
import { createApiToken } from '../../../src/services/staff/api-tokens.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, makeSite, NOW, type DistributionWorld } from '../../services/distribution/fixtures.ts';

// Every list of /api/v1 pages the same way: `limit`, and `after` set to the `nextAfter` of the page before,
// until `nextAfter` is null. Walking each list one item at a time must give every item once, in order.
// (Complaints page the same way from `after`; see api.test.ts. Findings: api-quality.test.ts.)

describe('cursor paging on every list', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let token: string;
  let eventId: number;

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => NOW });
    token = (await createApiToken(w.db, w.admin, { name: 'paging', role: 'supervisor' })).token;
    for (let i = 0; i < 3; i++) await makeSite(w.db, { kecamatanId: w.area.kecA, name: `Aula ${i}` });
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] });
    eventId = ev.eventId;
    await makeEvent(w.db, { programId: w.householdProgramId, date: '2026-12-17', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] });
    await makeEvent(w.db, { programId: w.householdProgramId, date: '2026-12-03', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] });
    for (let i = 0; i < 3; i++) {
      const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: [{}] });
      const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: ev.slotIds[0]! });
      await w.db.insert(proxies).values({ invitationId: inv.invitationId, name: `Kuasa ${i}`, nik: '2171015207900003', relation: 'spouse', reason: 'at_sea' });
    }
    for (let i = 0; i < 3; i++) await w.db.insert(broadcasts).values({ title: `Pengumuman ${i}`, texts: { id: 'Halo' }, segment: {} });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  async function walk(path: string, idOf: (item: Record<string, unknown>) => number): Promise<number[]> {
    const seen: number[] = [];
    let after: number | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await t.app.request(`${path}${sep}limit=1${after !== null ? `&after=${after}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(200);
      const page = (await res.json()) as { items: Record<string, unknown>[]; nextAfter: number | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map(idOf));
      if (page.nextAfter === null) return seen;
      after = page.nextAfter;
    }
    throw new Error(`${path} did not end`);
  }
  async function whole(path: string, idOf: (item: Record<string, unknown>) => number): Promise<number[]> {
    const res = await t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { items: Record<string, unknown>[] }).items.map(idOf);
  }

  it.each([
    ['/api/v1/sites', (x: Record<string, unknown>) => Number(x.id), 'asc'],
    ['/api/v1/events', (x: Record<string, unknown>) => Number(x.id), 'asc'],
    ['/api/v1/proxies', (x: Record<string, unknown>) => Number(x.proxyId), 'asc'],
    ['/api/v1/broadcasts', (x: Record<string, unknown>) => Number(x.id), 'desc'],
  ] as const)('%s gives every item once, in order', async (path, idOf, order) => {
    const paged = await walk(path, idOf);
    const all = await whole(`${path}${path.includes('?') ? '&' : '?'}limit=100`, idOf);
    expect(new Set(paged).size).toBe(paged.length);
    expect([...paged].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    expect(paged).toEqual([...paged].sort((a, b) => (order === 'asc' ? a - b : b - a)));
    expect(paged.length).toBeGreaterThanOrEqual(3);
  });

  it('pages an event\'s invitations too', async () => {
    const paged = await walk(`/api/v1/events/${eventId}/invitations`, (x) => Number(x.invitationId));
    expect(paged).toHaveLength(3);
  });
});
