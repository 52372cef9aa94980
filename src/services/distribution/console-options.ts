// The choices the distribution forms of the console offer: the areas an invitation can target (only the
// actor's kecamatan for scoped staff) and the programs an event can be for. Names and ids only, no residents.

import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { programs } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { canRead, programInScope } from './common.ts';
import { areasInScope } from '../areas.ts';

export interface AreaChoice {
  kecamatanId: number;
  kecamatan: string;
  kelurahan: { id: number; name: string }[];
}

export async function areaChoices(db: Db, actor: Actor): Promise<AreaChoice[]> {
  canRead(actor);
  return (await areasInScope(db, actor)).map((k) => ({ kecamatanId: k.id, kecamatan: k.name, kelurahan: k.kelurahan }));
}

export async function programChoices(db: Db, actor: Actor): Promise<{ id: number; code: string; name: string }[]> {
  canRead(actor);
  // A bidang-scoped officer picks only among their bidang's programs (common.ts programInScope).
  const rows = await db.select({ id: programs.id, code: programs.code, name: programs.name, bidang: programs.bidang }).from(programs).orderBy(asc(programs.name), asc(programs.id));
  return rows.filter((p) => programInScope(actor, p.bidang)).map(({ id, code, name }) => ({ id, code, name }));
}
