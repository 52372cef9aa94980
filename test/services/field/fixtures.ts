// A small field-work world for the services/field suites: the distribution fixtures' city (two kecamatan,
// three kelurahan), field workers made the way an admin's form ends up in the tables (a field_officer account,
// its field role, the kelurahan it covers), and findings inserted directly, as the scan would leave them.

import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { findings, staffKelurahan, staffUsers } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { makeArea, makeHousehold, makeProgram, type DistributionArea } from '../distribution/fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';

export { NOW, TZ } from '../distribution/fixtures.ts';

export interface FieldWorld {
  database: TestDatabase;
  db: Db;
  area: DistributionArea;
  personProgramId: number;
  householdProgramId: number;
  admin: Actor;
  /** Supervisor of kecA, and one of kecB. */
  supervisorA: Actor;
  supervisorB: Actor;
  operatorA: Actor;
}

export async function fieldWorld(): Promise<FieldWorld> {
  const database = await createTestDatabase();
  const db = database.db;
  const area = await makeArea(db);
  return {
    database,
    db,
    area,
    personProgramId: await makeProgram(db, { unit: 'person' }),
    householdProgramId: await makeProgram(db, { unit: 'household' }),
    admin: await staffActor(db, { role: 'admin' }),
    supervisorA: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecA }),
    supervisorB: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecB }),
    operatorA: await staffActor(db, { role: 'operator', kecamatanId: area.kecA }),
  };
}

/** A TKSK covering `kelurahanIds`, and the Actor a session would build for them (services/staff/field-scope.ts). */
export async function fieldWorker(db: Db, kelurahanIds: number[], opts: { active?: boolean; name?: string } = {}): Promise<Actor> {
  const base = await staffActor(db, { role: 'field_officer', name: opts.name ?? 'TKSK Uji' });
  await db.update(staffUsers).set({ fieldRole: 'tksk', active: opts.active ?? true }).where(eq(staffUsers.id, base.id));
  if (kelurahanIds.length > 0) await db.insert(staffKelurahan).values(kelurahanIds.map((kelurahanId) => ({ staffId: base.id, kelurahanId })));
  return { kind: 'staff', id: base.id, role: 'field_officer', kecamatanId: null, bidang: null, granted: ['field.work', 'checkin.record', 'distribution.read'], fieldRole: 'tksk', kelurahanIds };
}

let keys = 0;
/** A finding as the scan writes it: in the household's area, about `memberId` when given. */
export async function makeFinding(
  db: Db,
  f: { kind: 'reported_deceased' | 'reported_moved' | 'deceased_enrolled' | 'duplicate_nik' | 'phone_unusable'; kecamatanId: number; kelurahanId: number | null; householdId: number; memberId?: number | null; status?: 'open' | 'resolved' | 'accepted' },
): Promise<number> {
  const [row] = await db
    .insert(findings)
    .values({ kind: f.kind, key: `t${++keys}-${Math.random().toString(36).slice(2, 8)}`, kecamatanId: f.kecamatanId, kelurahanId: f.kelurahanId, householdId: f.householdId, memberId: f.memberId ?? null, status: f.status ?? 'open' })
    .returning({ id: findings.id });
  return row!.id;
}

export { makeHousehold };

/** The smallest bytes each photo type is recognised by (domain/attachments.ts sniffType). */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
export const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

let clientKeys = 0;
/** A phone's form key: 16–64 of [A-Za-z0-9_-]. */
export const clientKey = () => `form_${Date.now().toString(36)}_${++clientKeys}_${Math.random().toString(36).slice(2, 10)}`;
