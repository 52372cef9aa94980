// Small fixtures for the staff suites: two kecamatan without the cost of seeding a whole demo city.

import type { Db } from '../../../src/db/client.ts';
import { cities, kecamatan, kelurahan } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { createStaffUser, type NewStaffUser } from '../../../src/services/staff/users.ts';

export async function twoKecamatan(db: Db): Promise<{ sagulung: number; nongsa: number }> {
  const [city] = await db.insert(cities).values({ code: '99.71', name: 'Kota Uji', province: 'Uji' }).returning({ id: cities.id });
  const rows = await db
    .insert(kecamatan)
    .values([
      { cityId: city!.id, code: '99.71.01', name: 'Sagulung' },
      { cityId: city!.id, code: '99.71.02', name: 'Nongsa' },
    ])
    .returning({ id: kecamatan.id });
  return { sagulung: rows[0]!.id, nongsa: rows[1]!.id };
}

/** Kelurahan of a kecamatan by name, for the field-worker suites: { Tembesi: 12, … }. */
export async function kelurahanIn(db: Db, kecamatanId: number, names: readonly string[]): Promise<Record<string, number>> {
  const rows = await db
    .insert(kelurahan)
    .values(names.map((name) => ({ kecamatanId, code: `99.71.${kecamatanId}.${name}`, name })))
    .returning({ id: kelurahan.id, name: kelurahan.name });
  return Object.fromEntries(rows.map((r) => [r.name, r.id]));
}

let n = 0;
/** A staff user made by the system, returned with the Actor the session layer would build for them. */
export async function staffActor(db: Db, input: Partial<NewStaffUser> & Pick<NewStaffUser, 'role'>): Promise<Actor & { password: string; email: string }> {
  const email = input.email ?? `staff${++n}-${Math.random().toString(36).slice(2, 8)}@dinsos.test`;
  const { id, password } = await createStaffUser(db, 'system', { name: 'Petugas Uji', ...input, email });
  return { kind: 'staff', id, role: input.role, kecamatanId: input.kecamatanId ?? null, bidang: input.bidang ?? null, password, email };
}
