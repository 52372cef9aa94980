import { and, eq, gt, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog, households, kecamatan, kelurahan } from '../../db/schema/index.ts';
import type { Permission } from '../access.ts';
import { inScope, type Actor } from '../actor.ts';

// What every read of the resident lookup shares: the permission, the area rule and "has this officer opened
// this household lately". Registry rows carry no bidang, so only the kecamatan narrows (as the in-person link
// does): an officer of one kecamatan finds the families of that kecamatan, city-wide staff every family.

export const RESIDENTS_PERMISSION: Permission = 'residents.read';

/** The audit action of an opening; its row is also what lets the page be read again without a new reason. */
export const OPEN_ACTION = 'resident.household_open';

/**
 * How long one opening (with its reason) lets the officer come back to the page, reload it or start the
 * in-person link from it, without choosing a reason again: a counter visit rarely takes longer. A reload is
 * not a new opening, so it writes no audit row (issue 18: reads are logged when a person opens something).
 */
export const OPENING_VALID_MS = 30 * 60_000;

/** The SQL condition "this household's kelurahan lies in the actor's kecamatan"; undefined for city-wide staff. */
export function householdInScope(actor: Pick<Actor, 'kecamatanId'>): SQL | undefined {
  return actor.kecamatanId === null ? undefined : eq(kelurahan.kecamatanId, actor.kecamatanId);
}

export interface ScopedHousehold {
  id: number;
  noKk: string;
  address: string;
  rt: string | null;
  rw: string | null;
  desil: number | null;
  kelurahanId: number;
  kelurahan: string;
  kecamatanId: number;
  kecamatan: string;
}

/** The household if it exists and lies in the actor's scope; one outside it is exactly as missing. */
export async function scopedHousehold(db: Db, actor: Actor, householdId: number): Promise<ScopedHousehold | undefined> {
  const [h] = await db
    .select({
      id: households.id,
      noKk: households.noKk,
      address: households.address,
      rt: households.rt,
      rw: households.rw,
      desil: households.desil,
      kelurahanId: kelurahan.id,
      kelurahan: kelurahan.name,
      kecamatanId: kecamatan.id,
      kecamatan: kecamatan.name,
    })
    .from(households)
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .where(eq(households.id, householdId));
  if (!h || !inScope({ kecamatanId: actor.kecamatanId, bidang: null }, { kecamatanId: h.kecamatanId, bidang: null })) return undefined;
  return h;
}

/** Whether this actor opened this household, with a reason, within OPENING_VALID_MS before now. */
export async function openedLately(db: Db, actor: Actor, householdId: number, now: Date): Promise<boolean> {
  const who = actor.kind === 'staff' ? eq(auditLog.staffId, actor.id) : eq(auditLog.apiTokenId, actor.id);
  // The (entity, entity_id) index finds the household's rows; the rest filters those few.
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'household'), eq(auditLog.entityId, String(householdId)), eq(auditLog.action, OPEN_ACTION), who, gt(auditLog.createdAt, new Date(now.getTime() - OPENING_VALID_MS))))
    .limit(1);
  return row !== undefined;
}
