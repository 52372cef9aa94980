import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintRoutes, kecamatan } from '../../db/schema/index.ts';
import { BIDANG, COMPLAINT_CATEGORIES } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';

// The routing table admins edit: category × kecamatan → bidang. A row without kecamatan is the city-wide
// default of its category; a kecamatan row overrides it there (see routeFor in complaints.ts). Defaults can
// be changed but never deleted, so every category always lands somewhere.

export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export interface ComplaintRoute {
  id: number;
  category: ComplaintCategory;
  /** null: the city-wide default of the category. */
  kecamatanId: number | null;
  bidang: Bidang;
}

export type RouteRefusal = 'invalid_input' | 'kecamatan_unknown' | 'not_found' | 'city_default';

/** Every route the actor may manage, defaults first within each category. settings.manage. */
export async function listRoutes(db: Db, actor: Actor): Promise<ComplaintRoute[]> {
  requirePermission(actor, 'settings.manage');
  const rows = await db
    .select({ id: complaintRoutes.id, category: complaintRoutes.category, kecamatanId: complaintRoutes.kecamatanId, bidang: complaintRoutes.bidang })
    .from(complaintRoutes)
    .orderBy(asc(complaintRoutes.category), sql`${complaintRoutes.kecamatanId} nulls first`, asc(complaintRoutes.id));
  // A kecamatan-scoped admin sees the defaults (they apply in their kecamatan too) but may only edit their own rows.
  return rows.filter((r) => r.kecamatanId === null || actor.kecamatanId === null || r.kecamatanId === actor.kecamatanId);
}

/**
 * Sets where a category goes in a kecamatan (or city-wide when kecamatanId is null): changes the existing
 * row or adds one. Only an actor whose scope covers the route may set it, so a kecamatan admin cannot
 * redirect the whole city's complaints.
 */
export async function setRoute(
  db: Db,
  actor: Actor,
  input: { category: string; kecamatanId: number | null; bidang: string },
): Promise<{ ok: true; id: number } | { ok: false; reason: 'invalid_input' | 'kecamatan_unknown' }> {
  requirePermission(actor, 'settings.manage');
  if (!(COMPLAINT_CATEGORIES as readonly string[]).includes(input.category)) return { ok: false, reason: 'invalid_input' };
  if (!(BIDANG as readonly string[]).includes(input.bidang)) return { ok: false, reason: 'invalid_input' };
  const category = input.category as ComplaintCategory;
  const bidang = input.bidang as Bidang;
  const kecamatanId = input.kecamatanId;
  if (kecamatanId !== null && (!Number.isSafeInteger(kecamatanId) || kecamatanId <= 0)) return { ok: false, reason: 'invalid_input' };
  checkRouteScope(actor, { kecamatanId, bidang });

  return db.transaction(async (tx) => {
    if (kecamatanId !== null) {
      const [k] = await tx.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, kecamatanId));
      if (!k) return { ok: false as const, reason: 'kecamatan_unknown' as const };
    }
    // The unique index treats NULL kecamatan as distinct, so the default row is found and updated by hand.
    const [current] = await tx
      .select()
      .from(complaintRoutes)
      .where(and(eq(complaintRoutes.category, category), kecamatanId === null ? isNull(complaintRoutes.kecamatanId) : eq(complaintRoutes.kecamatanId, kecamatanId)))
      .orderBy(asc(complaintRoutes.id))
      .limit(1)
      .for('update');
    let id: number;
    if (current) {
      checkRouteScope(actor, current);
      await tx.update(complaintRoutes).set({ bidang }).where(eq(complaintRoutes.id, current.id));
      id = current.id;
    } else {
      const [row] = await tx.insert(complaintRoutes).values({ category, kecamatanId, bidang }).returning({ id: complaintRoutes.id });
      id = row!.id;
    }
    await audit(tx, actor, {
      action: 'complaint_route.set',
      entity: 'complaint_route',
      entityId: id,
      details: { category, kecamatanId, bidang, previousBidang: current?.bidang ?? null },
    });
    return { ok: true as const, id };
  });
}

/** Removes a kecamatan override; the kecamatan then follows the city-wide default again. */
export async function deleteRoute(db: Db, actor: Actor, id: number): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'city_default' }> {
  requirePermission(actor, 'settings.manage');
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(complaintRoutes).where(eq(complaintRoutes.id, id)).for('update');
    // Another kecamatan's route is answered like a missing one.
    if (!current || (actor.kecamatanId !== null && current.kecamatanId !== actor.kecamatanId)) return { ok: false as const, reason: 'not_found' as const };
    if (current.kecamatanId === null) return { ok: false as const, reason: 'city_default' as const };
    checkRouteScope(actor, current);
    await tx.delete(complaintRoutes).where(eq(complaintRoutes.id, id));
    await audit(tx, actor, {
      action: 'complaint_route.delete',
      entity: 'complaint_route',
      entityId: id,
      details: { category: current.category, kecamatanId: current.kecamatanId, bidang: current.bidang },
    });
    return { ok: true as const };
  });
}

function checkRouteScope(actor: Actor, route: { kecamatanId: number | null; bidang: string }) {
  if (!scopeWithin(route, actor)) throw new Forbidden('scope', 'this route lies outside your scope');
}
