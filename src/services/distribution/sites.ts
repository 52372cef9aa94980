// Distribution sites: a kelurahan office, a post office, a school hall. Kecamatan-scoped staff create and
// list only their own kecamatan's sites.

import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { kecamatan, kelurahan, sites } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManage, canRead, kecamatanInScope, refuse, type Outcome } from './common.ts';

export interface NewSite {
  kecamatanId: number;
  kelurahanId?: number | null;
  name: string;
  address: string;
  latitude?: number | null;
  longitude?: number | null;
}

export type SiteRow = typeof sites.$inferSelect;

export async function createSite(db: Db, actor: Actor, input: NewSite, opts: { now: Date }): Promise<Outcome<{ siteId: number }>> {
  canManage(actor);
  const name = input.name?.trim() ?? '';
  const address = input.address?.trim() ?? '';
  if (name.length < 3 || name.length > 200 || address.length < 5 || address.length > 500) return refuse('invalid_input', 'name_or_address');
  const lat = input.latitude ?? null;
  const lng = input.longitude ?? null;
  if ((lat === null) !== (lng === null)) return refuse('invalid_input', 'coordinates');
  if (lat !== null && (!Number.isFinite(lat) || lat < -90 || lat > 90 || !Number.isFinite(lng) || lng! < -180 || lng! > 180)) {
    return refuse('invalid_input', 'coordinates');
  }
  if (!Number.isSafeInteger(input.kecamatanId) || !kecamatanInScope(actor, input.kecamatanId)) return refuse('not_found', 'kecamatan');
  return db.transaction(async (tx) => {
    const [kec] = await tx.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, input.kecamatanId));
    if (!kec) return refuse('not_found', 'kecamatan');
    if (input.kelurahanId != null) {
      const [kel] = await tx
        .select({ id: kelurahan.id })
        .from(kelurahan)
        .where(and(eq(kelurahan.id, input.kelurahanId), eq(kelurahan.kecamatanId, input.kecamatanId)));
      if (!kel) return refuse('invalid_input', 'kelurahan');
    }
    const [row] = await tx
      .insert(sites)
      .values({
        kecamatanId: input.kecamatanId,
        kelurahanId: input.kelurahanId ?? null,
        name,
        address,
        latitude: lat === null ? null : lat.toFixed(6),
        longitude: lng === null ? null : lng!.toFixed(6),
        createdAt: opts.now,
      })
      .returning({ id: sites.id });
    await audit(tx, actor, { action: 'distribution.site.create', entity: 'site', entityId: row!.id, details: { kecamatanId: input.kecamatanId }, at: opts.now });
    return { ok: true, siteId: row!.id };
  });
}

/** Active sites in the actor's scope, by kecamatan then name. */
export async function listSites(db: Db, actor: Actor, q: { kecamatanId?: number; after?: number; limit?: number } = {}): Promise<SiteRow[]> {
  canRead(actor);
  const paged = q.after !== undefined || q.limit !== undefined;
  return db
    .select()
    .from(sites)
    .where(
      and(
        eq(sites.active, true),
        actor.kecamatanId === null ? undefined : eq(sites.kecamatanId, actor.kecamatanId),
        q.kecamatanId === undefined ? undefined : eq(sites.kecamatanId, q.kecamatanId),
        q.after === undefined ? undefined : gt(sites.id, q.after),
      ),
    )
    // Pages (the API) go by id, a stable cursor; the console lists them by area and name.
    .orderBy(...(paged ? [asc(sites.id)] : [asc(sites.kecamatanId), asc(sites.name)]))
    .limit(Math.min(Math.max(Math.trunc(q.limit ?? 1000), 1), 1000));
}
