import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, programs } from '../../../src/db/schema/index.ts';
import { createApiToken } from '../../../src/services/staff/api-tokens.ts';
import { createTestApp, postJson, type TestApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { SEED_NOW, seededDatabase } from '../../services/seeded.ts';
import { staffActor } from '../../services/staff/fixtures.ts';

// /api/v1/programs with bearer tokens: a Linjamsos supervisor's token lists and changes its bidang's programs,
// previews a rule change's impact, is refused field by field (422, nothing saved) and meets another bidang's
// program as 404; a viewer's token gets 403.

describe('/api/v1/programs', () => {
  let database: TestDatabase;
  let t: TestApp;
  let linjamsos: string;
  let viewer: string;
  let pkhId: number;
  let lansiaId: number;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, token: string) => t.app.request(path, { headers: auth(token) });
  const send = (method: 'PATCH' | 'POST', path: string, token: string, body: unknown) =>
    method === 'POST' ? postJson(t.app, path, body, auth(token)) : t.app.request(path, { method, headers: { 'content-type': 'application/json', ...auth(token) }, body: JSON.stringify(body) });

  beforeAll(async () => {
    database = await seededDatabase(80);
    const admin = await staffActor(database.db, { role: 'admin' });
    linjamsos = (await createApiToken(database.db, admin, { name: 'linjamsos', role: 'supervisor', bidang: 'Linjamsos' })).token;
    viewer = (await createApiToken(database.db, admin, { name: 'viewer', role: 'viewer' })).token;
    const rows = await database.db.select({ id: programs.id, code: programs.code }).from(programs);
    pkhId = rows.find((r) => r.code === 'PKH')!.id;
    lansiaId = rows.find((r) => r.code === 'LANSIA')!.id;
    t = await createTestApp(database, { clock: () => SEED_NOW });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('lists and reads the bidang\'s programs; another bidang\'s is 404, a viewer 403', async () => {
    const list = (await (await get('/api/v1/programs', linjamsos)).json()) as { items: { code: string; targetPerYear: number }[] };
    expect(list.items.map((p) => p.code).sort()).toEqual(['BKK', 'PBI-JK', 'PKH', 'SEMBAKO']);
    const pkh = (await (await get(`/api/v1/programs/${pkhId}`, linjamsos)).json()) as { requirements: string; rules: unknown };
    expect(pkh.requirements).toContain('KTP');
    expect(pkh.rules).toEqual({ maxDesil: 4, maxAmount: 3_000_000 });
    expect((await get(`/api/v1/programs/${lansiaId}`, linjamsos)).status).toBe(404);
    expect((await get('/api/v1/programs', viewer)).status).toBe(403);
  });

  it('refuses impossible rules with a problem per field and saves nothing', async () => {
    const res = await send('PATCH', `/api/v1/programs/${pkhId}`, linjamsos, { maxDesil: 0, minAge: 130, excludedWith: ['NOPE'], benefitAmount: -1, targetPerYear: -2 });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; problems: { field: string; problem: string }[] };
    expect(body.error).toBe('program_invalid');
    expect(body.problems).toEqual([
      { field: 'benefitAmount', problem: 'out_of_range' },
      { field: 'maxDesil', problem: 'out_of_range' },
      { field: 'minAge', problem: 'out_of_range' },
      { field: 'targetPerYear', problem: 'out_of_range' },
      { field: 'excludedWith', problem: 'unknown_program' },
    ]);
    expect((await database.db.select().from(programs).where(eq(programs.id, pkhId)))[0]!.rules).toEqual({ maxDesil: 4, maxAmount: 3_000_000 });
    expect((await send('PATCH', `/api/v1/programs/${pkhId}`, linjamsos, { code: 'X' })).status).toBe(400); // the code is not a field to change
  });

  it('previews the impact, then changes and creates, audited', async () => {
    const impact = await send('POST', `/api/v1/programs/${pkhId}/impact`, linjamsos, { maxDesil: 2 });
    expect(impact.status).toBe(200);
    const counts = (await impact.json()) as { enrolledNowIneligible: number; newlyEligible: number };
    expect(counts.enrolledNowIneligible).toBeGreaterThan(0);
    expect(counts.newlyEligible).toBe(0);
    expect((await send('POST', `/api/v1/programs/${pkhId}/impact`, linjamsos, { activeFrom: '2027-01-01', activeUntil: '2026-01-01' })).status).toBe(422);
    expect((await send('POST', `/api/v1/programs/${lansiaId}/impact`, linjamsos, { maxDesil: 2 })).status).toBe(404);

    const patched = await send('PATCH', `/api/v1/programs/${pkhId}`, linjamsos, { targetPerYear: 52000, scheduleEn: 'Every quarter.' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ targetPerYear: 52000, scheduleEn: 'Every quarter.', changed: ['targetPerYear', 'scheduleEn'] });
    const made = await send('POST', '/api/v1/programs', linjamsos, { code: 'BANSOS-X', name: 'Bansos X', agency: 'Dinsos', bidang: 'Linjamsos', funder: 'APBD', benefitType: 'cash', benefitAmount: 250000, benefitPeriod: 'month', unit: 'household', maxDesil: 3 });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ code: 'BANSOS-X', rules: { maxDesil: 3 } });
    expect((await send('POST', '/api/v1/programs', linjamsos, { code: 'REH-Y', name: 'R', agency: 'D', bidang: 'Rehsos', funder: 'APBD', benefitType: 'cash', benefitPeriod: 'month', unit: 'person' })).status).toBe(422);
    const actions = (await database.db.select({ action: auditLog.action }).from(auditLog)).map((a) => a.action).filter((a) => a.startsWith('program.'));
    expect(actions.sort()).toEqual(['program.create', 'program.update']);
  });
});
