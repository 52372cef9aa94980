import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { households, kecamatan, kelurahan, members } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';

export interface AreaInScope {
  id: number;
  code: string;
  name: string;
  kelurahan: { id: number; name: string }[];
}

export interface Kecamatan {
  id: number;
  name: string;
}

/**
 * Every kecamatan of the city by name: for naming the area of a row and for the pickers that narrow it to
 * the actor's own. The city's public map, not personal data, so it needs no permission of its own.
 */
export async function kecamatanByName(db: Db): Promise<Kecamatan[]> {
  return db.select({ id: kecamatan.id, name: kecamatan.name }).from(kecamatan).orderBy(asc(kecamatan.name));
}

/**
 * The kecamatan an actor works in (all of them for city-wide staff) with their kelurahan, by name: for the
 * area pickers of every console page. Area names are the city's public reference data, so this needs no
 * permission of its own; each page checks its own before it asks.
 */
export async function areasInScope(db: Db, actor: Pick<Actor, 'kecamatanId'>): Promise<AreaInScope[]> {
  const kec = await db
    .select({ id: kecamatan.id, code: kecamatan.code, name: kecamatan.name })
    .from(kecamatan)
    .where(actor.kecamatanId !== null ? eq(kecamatan.id, actor.kecamatanId) : undefined)
    .orderBy(asc(kecamatan.name), asc(kecamatan.id));
  if (kec.length === 0) return [];
  const kel = await db
    .select({ id: kelurahan.id, name: kelurahan.name, kecamatanId: kelurahan.kecamatanId })
    .from(kelurahan)
    .where(inArray(kelurahan.kecamatanId, kec.map((k) => k.id)))
    .orderBy(asc(kelurahan.name));
  return kec.map((k) => ({ ...k, kelurahan: kel.filter((l) => l.kecamatanId === k.id).map(({ id, name }) => ({ id, name })) }));
}

/** The kecamatan a registry member lives in (their household's kelurahan's); null for no such member. */
export async function kecamatanOfMember(db: Db, memberId: number): Promise<number | null> {
  const [row] = await db
    .select({ kecamatanId: kelurahan.kecamatanId })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(eq(members.id, memberId));
  return row?.kecamatanId ?? null;
}
