import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyFigures } from '../../../src/services/reports/monthly/types.ts';
import { createApiToken } from '../../../src/services/staff/api-tokens.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { monthlyWorld, NOW, type MonthlyWorld } from '../../services/reports/monthly.fixtures.ts';
import { staffActor } from '../../services/staff/fixtures.ts';

// GET /api/v1/reports/monthly/:month with bearer tokens: the figures in the token's scope (the same the
// console and the files show), a month with no data, a future and a malformed month, and a role without the right.

describe('api v1 monthly report', () => {
  let database: TestDatabase;
  let t: TestApp;
  let w: MonthlyWorld;
  let city: string;
  let sagulung: string;
  let viewer: string;
  const get = (path: string, token: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock: () => NOW });
    w = await monthlyWorld(database.db);
    const admin = await staffActor(database.db, { role: 'admin' });
    city = (await createApiToken(database.db, admin, { name: 'Kota', role: 'supervisor' })).token;
    sagulung = (await createApiToken(database.db, admin, { name: 'Sagulung', role: 'supervisor', kecamatanId: w.sagulung })).token;
    viewer = (await createApiToken(database.db, admin, { name: 'Papan', role: 'viewer' })).token;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("answers the month's figures in the token's scope", async () => {
    const res = await get('/api/v1/reports/monthly/2026-11', city);
    expect(res.status).toBe(200);
    const f = (await res.json()) as MonthlyFigures;
    expect(f.month).toBe('2026-11');
    expect(f.programs.find((p) => p.code === 'PKH')!.total).toMatchObject({ enrolled: 4, validated: 3, invited: 4, collected: 1, noShowByRound: [1, 1, 0] });
    expect(f.services.total).toMatchObject({ complaintsFiled: 4, ikm: { ikm: 80, count: 3 } });
    const mine = (await (await get('/api/v1/reports/monthly/2026-11', sagulung)).json()) as MonthlyFigures;
    expect(mine.areas.map((a) => a.name)).toEqual(['Sagulung']);
    expect(mine.programs.find((p) => p.code === 'PKH')!.total.enrolled).toBe(3);
  });

  it('refuses an empty, future or malformed month, and a role without reports.read', async () => {
    const empty = await get('/api/v1/reports/monthly/2026-02', city);
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ error: 'monthly_empty' });
    expect(await (await get('/api/v1/reports/monthly/2027-01', city)).json()).toMatchObject({ status: 422, error: 'monthly_month_future' });
    expect((await get('/api/v1/reports/monthly/2026-13', city)).status).toBe(400);
    expect((await get('/api/v1/reports/monthly/2026-11', viewer)).status).toBe(403);
  });
});
