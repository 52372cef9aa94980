// What a field worker's account adds to its built-in role (issue 19): the permissions its field role's row
// grants (staff_roles: TKSK, PSM, pendamping… are data) and the kelurahan it covers (staff_kelurahan). Read
// with the session on every request, like role and scope, so an admin's change applies at once.

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffKelurahan, staffRoles } from '../../db/schema/index.ts';
import { knownPermissions, type Permission } from '../access.ts';

export interface FieldScope {
  fieldRole: string;
  granted: Permission[];
  kelurahanIds: number[];
}

export async function fieldScopeOf(db: Db, staffId: number, fieldRole: string | null): Promise<FieldScope | null> {
  if (!fieldRole) return null;
  const [role] = await db.select({ permissions: staffRoles.permissions }).from(staffRoles).where(eq(staffRoles.key, fieldRole));
  const areas = await db.select({ id: staffKelurahan.kelurahanId }).from(staffKelurahan).where(eq(staffKelurahan.staffId, staffId));
  return { fieldRole, granted: knownPermissions(role?.permissions ?? []), kelurahanIds: areas.map((a) => a.id).sort((a, b) => a - b) };
}
