import { and, arrayOverlaps, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agents, kelurahan } from '../../db/schema/index.ts';
import { distanceKm, pointOf } from '../../domain/geo.ts';
import type { AgentKind } from '../../domain/vocabulary.ts';
import { familyPrograms } from '../programs/family.ts';

// "Where can I collect my Sembako?": the e-warong and agents nearest a family, for its own verified chat (the
// aid check's button, and the buttons of a report about an agent). Only agents serving a program the family
// receives, active ones. Those in the family's own kelurahan come first — the one the neighbours use, even when
// the kelurahan's centre is nearer another — then the rest by distance from the kelurahan's centre (the
// registry keeps no point per house; domain/geo.ts). An agent with no coordinates outside the family's
// kelurahan is left out: nobody can say how far it is.

export const NEARBY_MAX = 3;

export interface NearbyAgent {
  id: number;
  name: string;
  kind: AgentKind;
  kelurahanName: string;
  address: string | null;
  hours: string | null;
  phone: string | null;
  /** From the family's kelurahan centre, in km; null when either point is unknown. */
  distanceKm: number | null;
  sameKelurahan: boolean;
}

export async function nearbyAgents(db: Db, memberId: number, opts: { limit?: number } = {}): Promise<NearbyAgent[]> {
  const family = await familyPrograms(db, memberId);
  if (!family || family.programs.length === 0) return [];
  const centre = pointOf(family.kelurahanPoint.latitude, family.kelurahanPoint.longitude);
  const rows = await db
    .select({ a: agents, kelurahanName: kelurahan.name })
    .from(agents)
    .innerJoin(kelurahan, eq(kelurahan.id, agents.kelurahanId))
    .where(and(eq(agents.active, true), arrayOverlaps(agents.programs, family.programs.map((p) => p.code))))
    .orderBy(asc(agents.id));
  const found: NearbyAgent[] = [];
  for (const r of rows) {
    const at = pointOf(r.a.latitude, r.a.longitude);
    const distance = centre && at ? distanceKm(centre, at) : null;
    const sameKelurahan = r.a.kelurahanId === family.kelurahanId;
    if (!sameKelurahan && distance === null) continue;
    found.push({ id: r.a.id, name: r.a.name, kind: r.a.kind, kelurahanName: r.kelurahanName, address: r.a.address, hours: r.a.hours, phone: r.a.phone, distanceKm: distance, sameKelurahan });
  }
  const far = (a: NearbyAgent) => a.distanceKm ?? Number.POSITIVE_INFINITY;
  found.sort((a, b) => Number(b.sameKelurahan) - Number(a.sameKelurahan) || far(a) - far(b) || a.id - b.id);
  return found.slice(0, Math.max(1, Math.min(opts.limit ?? NEARBY_MAX, NEARBY_MAX)));
}
