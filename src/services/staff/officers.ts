// The officers a person may hand complaints to or filter the inbox by: active staff who work complaints and
// whose area overlaps the person's (a kecamatan officer sees their kecamatan's and the city-wide ones). Staff
// names are the office's own, not residents' data; whether one complaint may go to one officer is still
// checked on the complaint itself (lifecycle.ts assignIn: the officer's scope must cover it).

import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffUsers } from '../../db/schema/index.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';

export interface Officer {
  id: number;
  name: string;
  kecamatanId: number | null;
}

export async function officersInScope(db: Db, actor: Actor): Promise<Officer[]> {
  if (!can(actor, 'complaints.read_queue') && !can(actor, 'complaints.read_scope')) return [];
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role, kecamatanId: staffUsers.kecamatanId })
    .from(staffUsers)
    .where(and(eq(staffUsers.active, true), actor.kecamatanId === null ? undefined : or(isNull(staffUsers.kecamatanId), eq(staffUsers.kecamatanId, actor.kecamatanId))))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  return rows.filter((r) => can(r, 'complaints.work')).map(({ role: _role, ...r }) => r);
}
