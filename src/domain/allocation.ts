// Which seat each invited household gets: the nearest distribution site that still has room, then the slot
// of that site with the most seats left, so a site's slots fill evenly instead of the first hour filling
// before the second is touched (19% of complaints in one study were "the site is too far"; a queue at
// 08:00 and an empty hall at 11:00 is the other half of the same problem).
//
// The order of preference is decided once per kelurahan, not per household: every household of a kelurahan
// stands at the same point, so 100,000 households of 64 kelurahan sort sites 64 times, not 100,000.
//
// Pure and deterministic: the same input gives the same seats, whatever the order sites or slots come in.

import { distanceKm, type Point } from './geo.ts';

export interface AllocationHousehold {
  householdId: number;
  kelurahanId: number;
  kecamatanId: number;
}

export interface AllocationSlot {
  slotId: number;
  startsAt: Date;
  /** Seats still free in this slot (capacity − booked). */
  free: number;
}

export interface AllocationSite {
  siteId: number;
  kecamatanId: number;
  point: Point | null;
  slots: readonly AllocationSlot[];
}

export interface AllocationInput {
  /** In invitation order: when seats run short, the first ones get them. */
  households: readonly AllocationHousehold[];
  /** A kelurahan's approximate centre; absent or null when unknown. */
  kelurahanPoints: ReadonlyMap<number, Point | null>;
  sites: readonly AllocationSite[];
  /** Staff's choice of site for a kelurahan (kelurahanId → siteId), tried before the nearest. */
  overrides: ReadonlyMap<number, number>;
}

export interface PlannedSeat {
  householdId: number;
  slotId: number;
  siteId: number;
}

export interface Allocation {
  /** In input order. */
  planned: PlannedSeat[];
  /** Households no site had room for, in input order. */
  noCapacity: number[];
}

/** Where a kelurahan stands, as far as choosing a site goes. */
export interface AreaPlace {
  kecamatanId: number;
  point: Point | null;
}

/**
 * The sites of `sites` in the order a kelurahan's households try them:
 * - the site staff moved the kelurahan to, first (when it is one of `sites`);
 * - a kelurahan with a point: sites with a point by distance, then sites without one (own kecamatan first);
 * - a kelurahan without a point: sites of its own kecamatan, then the others (with a point before without);
 * - ties by site id, so the order never depends on the order the database returned rows in.
 */
export function siteOrder<S extends Pick<AllocationSite, 'siteId' | 'kecamatanId' | 'point'>>(place: AreaPlace, sites: readonly S[], overrideSiteId?: number): S[] {
  const keyed = sites.map((site) => {
    const own = site.kecamatanId === place.kecamatanId ? 0 : 1;
    const pointless = site.point === null ? 1 : 0;
    const key =
      place.point !== null
        ? [pointless, site.point === null ? 0 : distanceKm(place.point, site.point), own]
        : [own, pointless, 0];
    return { site, key: [site.siteId === overrideSiteId ? 0 : 1, ...key, site.siteId] };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return 0;
  });
  return keyed.map((k) => k.site);
}

/** A site's slots while seats are handed out. */
class SiteSeats {
  readonly siteId: number;
  private readonly slotIds: number[];
  private readonly free: number[];
  private left: number;

  constructor(site: AllocationSite) {
    this.siteId = site.siteId;
    // Earlier slot first, so "earlier slot" wins a tie by being met first.
    const slots = [...site.slots].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.slotId - b.slotId);
    this.slotIds = slots.map((s) => s.slotId);
    this.free = slots.map((s) => Math.max(0, Math.trunc(s.free)));
    this.left = this.free.reduce((a, b) => a + b, 0);
  }

  get hasRoom(): boolean {
    return this.left > 0;
  }

  /** The slot with the most seats left (the earlier one on a tie), one seat taken. Only when hasRoom. */
  take(): number {
    let best = 0;
    for (let i = 1; i < this.free.length; i++) if (this.free[i]! > this.free[best]!) best = i;
    this.free[best]!--;
    this.left--;
    return this.slotIds[best]!;
  }
}

export function allocateSeats(input: AllocationInput): Allocation {
  // A site listed twice counts once (its first listing).
  const seats = new Map<number, SiteSeats>();
  const sites: AllocationSite[] = [];
  for (const site of input.sites) {
    if (seats.has(site.siteId)) continue;
    seats.set(site.siteId, new SiteSeats(site));
    sites.push(site);
  }

  // Per kelurahan: its sites in order of preference and how far down the list room is left. A site only
  // ever loses room, so the cursor never moves back.
  const queues = new Map<number, { order: SiteSeats[]; at: number }>();
  const queueOf = (h: AllocationHousehold) => {
    let q = queues.get(h.kelurahanId);
    if (!q) {
      const place = { kecamatanId: h.kecamatanId, point: input.kelurahanPoints.get(h.kelurahanId) ?? null };
      q = { order: siteOrder(place, sites, input.overrides.get(h.kelurahanId)).map((s) => seats.get(s.siteId)!), at: 0 };
      queues.set(h.kelurahanId, q);
    }
    return q;
  };

  const planned: PlannedSeat[] = [];
  const noCapacity: number[] = [];
  for (const h of input.households) {
    const q = queueOf(h);
    while (q.at < q.order.length && !q.order[q.at]!.hasRoom) q.at++;
    const site = q.order[q.at];
    if (!site) {
      noCapacity.push(h.householdId);
      continue;
    }
    planned.push({ householdId: h.householdId, slotId: site.take(), siteId: site.siteId });
  }
  return { planned, noCapacity };
}
