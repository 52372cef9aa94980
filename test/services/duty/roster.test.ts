import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, dutyRoster } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { dutyOfficerFor, eligibleDutyOfficers, listDuty, setDuty } from '../../../src/services/duty/roster.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { twoKecamatan } from '../staff/fixtures.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';

let database: TestDatabase;
let supervisor: Actor;
let admin: Actor;
let operator: Actor;
let viewer: Actor;
let kecamatanOperator: Actor;
let kecamatanSupervisor: Actor;
const db = () => database.db;
// Monday 7 December 2026, 10:00 WIB.
const when = { now: wib('2026-12-07T10:00:00'), timeZone: 'Asia/Jakarta' };

beforeAll(async () => {
  database = await createTestDatabase();
  const { nongsa } = await twoKecamatan(db());
  supervisor = await staff(db(), 'supervisor');
  admin = await staff(db(), 'admin');
  operator = await staff(db(), 'operator', { bidang: 'Rehsos' });
  viewer = await staff(db(), 'viewer');
  kecamatanOperator = await staff(db(), 'operator', { kecamatanId: nongsa });
  kecamatanSupervisor = await staff(db(), 'supervisor', { kecamatanId: nongsa });
});
afterAll(async () => {
  await database?.dispose();
});

const roster = () => db().select().from(dutyRoster).orderBy(dutyRoster.onDate);
const audits = () => db().select().from(auditLog).where(eq(auditLog.action, 'duty.set'));

describe('the duty roster', () => {
  it('sets, changes and clears a date, audited, and answers who is on duty', async () => {
    expect(await setDuty(db(), supervisor, '2026-12-12', operator.id, when)).toEqual({ ok: true, changed: true });
    expect(await dutyOfficerFor(db(), '2026-12-12')).toMatchObject({ id: operator.id });
    expect(await setDuty(db(), admin, '2026-12-12', supervisor.id, when)).toEqual({ ok: true, changed: true });
    expect(await setDuty(db(), admin, '2026-12-12', supervisor.id, when)).toEqual({ ok: true, changed: false });
    // Today may still be set: tonight is today's.
    expect(await setDuty(db(), supervisor, '2026-12-07', operator.id, when)).toEqual({ ok: true, changed: true });

    const days = await listDuty(db(), supervisor, '2026-12-07', 14);
    expect(days).toHaveLength(14);
    expect(days[0]).toEqual({ date: '2026-12-07', officer: { id: operator.id, name: 'Petugas operator' } });
    expect(days[5]).toEqual({ date: '2026-12-12', officer: { id: supervisor.id, name: 'Petugas supervisor' } });
    expect(days[1]).toEqual({ date: '2026-12-08', officer: null });

    expect(await setDuty(db(), supervisor, '2026-12-12', null, when)).toEqual({ ok: true, changed: true });
    expect(await dutyOfficerFor(db(), '2026-12-12')).toBeNull();
    const rows = await audits();
    expect(rows.map((r) => [r.entityId, r.details])).toEqual([
      ['2026-12-12', { from: null, to: operator.id }],
      ['2026-12-12', { from: operator.id, to: supervisor.id }],
      ['2026-12-07', { from: null, to: operator.id }],
      ['2026-12-12', { from: supervisor.id, to: null }],
    ]);
  });

  it('offers only active, city-wide staff who work complaints', async () => {
    const ids = (await eligibleDutyOfficers(db(), supervisor)).map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([supervisor.id, admin.id, operator.id]));
    expect(ids).not.toContain(viewer.id);
    expect(ids).not.toContain(kecamatanOperator.id);
  });

  it('refuses a past date, a bad date, an operator setting it, and a viewer or kecamatan officer on duty, changing nothing', async () => {
    const before = await roster();
    const auditsBefore = (await audits()).length;
    expect(await setDuty(db(), supervisor, '2026-12-06', operator.id, when)).toEqual({ ok: false, reason: 'past' });
    expect(await setDuty(db(), supervisor, '2026-02-30', operator.id, when)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(await setDuty(db(), supervisor, '12/12/2026', operator.id, when)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(await setDuty(db(), supervisor, '2026-12-13', viewer.id, when)).toEqual({ ok: false, reason: 'not_eligible' });
    expect(await setDuty(db(), supervisor, '2026-12-13', kecamatanOperator.id, when)).toEqual({ ok: false, reason: 'not_eligible' });
    expect(await setDuty(db(), supervisor, '2026-12-13', 999_999, when)).toEqual({ ok: false, reason: 'not_eligible' });
    await expect(setDuty(db(), operator, '2026-12-13', operator.id, when)).rejects.toBeInstanceOf(Forbidden);
    await expect(setDuty(db(), kecamatanSupervisor, '2026-12-13', operator.id, when)).rejects.toMatchObject({ permission: 'scope' });
    await expect(listDuty(db(), operator, '2026-12-07', 14)).rejects.toBeInstanceOf(Forbidden);
    expect(await roster()).toEqual(before);
    expect((await audits()).length).toBe(auditsBefore);
  });
});
