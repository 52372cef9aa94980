// The field suites' world: one kecamatan with two kelurahan (A1 with a map centre, A2 without), households
// reported deceased in the chat (findings inserted directly, as the quality scan or the chat would leave
// them), a TKSK covering A1 only, a supervisor of the kecamatan and an operator, and the tasks the sync makes.
// The TKSK is made field worker by hand (staff_users.field_role, staff_kelurahan), not through the admin
// page, so these suites test the field pages only.

import { eq } from 'drizzle-orm';
import { findings, kelurahan, staffKelurahan, staffUsers } from '../../../src/db/schema/index.ts';
import type { Db } from '../../../src/db/client.ts';
import { syncFieldTasks } from '../../../src/services/field/index.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { fieldTasks } from '../../../src/db/schema/index.ts';
import { makeArea, makeHousehold, type DistributionArea, type MadeHousehold } from '../../services/distribution/fixtures.ts';

export const PASSWORD = 'kata-sandi-yang-panjang-1';

/** A real 1×1 PNG (red pixel): what a phone's photo is, to the magic-byte check. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

export interface FieldWorld {
  area: DistributionArea;
  tksk: { id: number; email: string };
  supervisor: { id: number; email: string };
  operator: { email: string };
  /** Households in A1 reported deceased, each with its task (the worker's), in the order made. */
  inA1: { household: MadeHousehold; findingId: number; taskId: number }[];
  /** A household in A2, outside the TKSK's kelurahan. */
  inA2: { household: MadeHousehold; findingId: number; taskId: number };
}

async function reportedDeceased(db: Db, area: DistributionArea, kelurahanId: number): Promise<{ household: MadeHousehold; findingId: number }> {
  const household = await makeHousehold(db, { kelurahanId, extraMembers: 1 });
  const [f] = await db
    .insert(findings)
    .values({ kind: 'reported_deceased', key: `reported_deceased:${household.householdId}`, kecamatanId: area.kecA, kelurahanId, householdId: household.householdId, details: {} })
    .returning({ id: findings.id });
  return { household, findingId: f!.id };
}

export async function fieldWorld(db: Db, now: Date, opts: { inA1?: number; tag?: string } = {}): Promise<FieldWorld> {
  const tag = opts.tag ?? Math.random().toString(36).slice(2, 8);
  const area = await makeArea(db);
  await db.update(kelurahan).set({ latitude: '1.045600', longitude: '104.030500' }).where(eq(kelurahan.id, area.kelA1));

  const tksk = await createStaffUser(db, 'system', { email: `tksk-${tag}@field.test`, name: 'Tono TKSK', role: 'field_officer', kecamatanId: area.kecA, password: PASSWORD });
  await db.update(staffUsers).set({ fieldRole: 'tksk' }).where(eq(staffUsers.id, tksk.id));
  await db.insert(staffKelurahan).values({ staffId: tksk.id, kelurahanId: area.kelA1 });
  const supervisor = await createStaffUser(db, 'system', { email: `spv-${tag}@field.test`, name: 'Sri Supervisor', role: 'supervisor', kecamatanId: area.kecA, password: PASSWORD });
  await createStaffUser(db, 'system', { email: `op-${tag}@field.test`, name: 'Oki Operator', role: 'operator', kecamatanId: area.kecA, password: PASSWORD });

  const made: { household: MadeHousehold; findingId: number }[] = [];
  for (let i = 0; i < (opts.inA1 ?? 3); i++) made.push(await reportedDeceased(db, area, area.kelA1));
  const outside = await reportedDeceased(db, area, area.kelA2);
  await syncFieldTasks(db, { now, timeZone: 'Asia/Jakarta' });

  const tasks = await db.select({ id: fieldTasks.id, sourceId: fieldTasks.sourceId }).from(fieldTasks);
  const taskOf = (findingId: number) => {
    const task = tasks.find((t) => t.sourceId === findingId);
    if (!task) throw new Error(`no task for finding ${findingId}`);
    return task.id;
  };
  return {
    area,
    tksk: { id: tksk.id, email: `tksk-${tag}@field.test` },
    supervisor: { id: supervisor.id, email: `spv-${tag}@field.test` },
    operator: { email: `op-${tag}@field.test` },
    inA1: made.map((m) => ({ ...m, taskId: taskOf(m.findingId) })),
    inA2: { ...outside, taskId: taskOf(outside.findingId) },
  };
}
