// The choices the distribution forms of the console offer: the areas an invitation can target (only the
// actor's kecamatan for scoped staff) and the programs an event can be for. Names and ids only, no residents.

import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { kecamatan, kelurahan, programs } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { canRead } from './common.ts';

export interface AreaChoice {
  kecamatanId: number;
  kecamatan: string;
  kelurahan: { id: number; name: string }[];
}

export async function areaChoices(db: Db, actor: Actor): Promise<AreaChoice[]> {
  canRead(actor);
  const rows = await db
    .select({ kecamatanId: kecamatan.id, kecamatan: kecamatan.name, kelurahanId: kelurahan.id, kelurahan: kelurahan.name })
    .from(kecamatan)
    .leftJoin(kelurahan, eq(kelurahan.kecamatanId, kecamatan.id))
    .where(actor.kecamatanId === null ? undefined : eq(kecamatan.id, actor.kecamatanId))
    .orderBy(asc(kecamatan.name), asc(kecamatan.id), asc(kelurahan.name));
  const out = new Map<number, AreaChoice>();
  for (const r of rows) {
    const k = out.get(r.kecamatanId) ?? { kecamatanId: r.kecamatanId, kecamatan: r.kecamatan, kelurahan: [] };
    out.set(r.kecamatanId, k);
    if (r.kelurahanId !== null && r.kelurahan !== null) k.kelurahan.push({ id: r.kelurahanId, name: r.kelurahan });
  }
  return [...out.values()];
}

export async function programChoices(db: Db, actor: Actor): Promise<{ id: number; code: string; name: string }[]> {
  canRead(actor);
  return db.select({ id: programs.id, code: programs.code, name: programs.name }).from(programs).orderBy(asc(programs.name), asc(programs.id));
}
