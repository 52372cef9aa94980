import { describe, expect, it } from 'vitest';
import { allocateSeats, siteOrder, type AllocationHousehold, type AllocationInput, type AllocationSite } from '../../src/domain/allocation.ts';
import { distanceKm, pointOf } from '../../src/domain/geo.ts';

// Batam-like points: Batam Kota's two demo sites and three kelurahan around them.
const CAMAT = { latitude: 1.13004, longitude: 104.05403 }; // Kantor Camat Batam Kota, Teluk Tering
const BELIAN_SITE = { latitude: 1.12002, longitude: 104.06205 }; // Kantor Lurah Belian
const TELUK_TERING = { latitude: 1.1335, longitude: 104.058 };
const BELIAN = { latitude: 1.1185, longitude: 104.0655 };
const SUKAJADI = { latitude: 1.1305, longitude: 104.0345 };

const KEC = 10;
const at = (h: number) => new Date(Date.UTC(2026, 11, 10, h));

function site(siteId: number, point: AllocationSite['point'], free: number[], kecamatanId = KEC): AllocationSite {
  return { siteId, kecamatanId, point, slots: free.map((f, i) => ({ slotId: siteId * 100 + i, startsAt: at(1 + i), free: f })) };
}

function households(kelurahanId: number, n: number, from: number, kecamatanId = KEC): AllocationHousehold[] {
  return Array.from({ length: n }, (_, i) => ({ householdId: from + i, kelurahanId, kecamatanId }));
}

function input(over: Partial<AllocationInput>): AllocationInput {
  return {
    households: [],
    kelurahanPoints: new Map([
      [1, TELUK_TERING],
      [2, BELIAN],
      [3, SUKAJADI],
    ]),
    sites: [site(1, CAMAT, [50, 50]), site(2, BELIAN_SITE, [50, 50])],
    overrides: new Map(),
    ...over,
  };
}

const sitesOf = (r: ReturnType<typeof allocateSeats>) => r.planned.map((p) => p.siteId);
const count = <T>(xs: T[], x: T) => xs.filter((y) => y === x).length;

describe('distanceKm', () => {
  it('measures great-circle kilometres', () => {
    expect(distanceKm(CAMAT, CAMAT)).toBe(0);
    // One degree of latitude is about 111.2 km; Batam Kota's two sites are about 1.4 km apart.
    expect(distanceKm({ latitude: 0, longitude: 104 }, { latitude: 1, longitude: 104 })).toBeCloseTo(111.2, 1);
    expect(distanceKm(CAMAT, BELIAN_SITE)).toBeGreaterThan(1.3);
    expect(distanceKm(CAMAT, BELIAN_SITE)).toBeLessThan(1.5);
    expect(distanceKm(CAMAT, BELIAN_SITE)).toBeCloseTo(distanceKm(BELIAN_SITE, CAMAT), 12);
  });

  it('reads a point only when both coordinates are real', () => {
    expect(pointOf('1.130040', '104.054030')).toEqual(CAMAT);
    expect(pointOf('1.13', null)).toBeNull();
    expect(pointOf(null, null)).toBeNull();
    expect(pointOf('91', '104')).toBeNull();
    expect(pointOf('x', '104')).toBeNull();
  });
});

describe('allocateSeats (domain)', () => {
  it('sends each kelurahan to its nearest site', () => {
    const r = allocateSeats(input({ households: [...households(1, 3, 100), ...households(2, 3, 200), ...households(3, 2, 300)] }));
    expect(r.noCapacity).toEqual([]);
    expect(r.planned.map((p) => p.householdId)).toEqual([100, 101, 102, 200, 201, 202, 300, 301]);
    expect(sitesOf(r)).toEqual([1, 1, 1, 2, 2, 2, 1, 1]);
  });

  it('overflows to the next nearest site, and reports the households no site has room for', () => {
    const r = allocateSeats(input({ sites: [site(1, CAMAT, [2, 1]), site(2, BELIAN_SITE, [1, 1])], households: households(1, 6, 100) }));
    expect(sitesOf(r)).toEqual([1, 1, 1, 2, 2]);
    expect(r.noCapacity).toEqual([105]);
  });

  it('spreads a site’s households over its slots, the slot with most seats left first, earlier slot on a tie', () => {
    // Listed out of time order: slot 10 (first hour, 3 free), 11 (second, 3 free), 12 (third, 5 free).
    const camat: AllocationSite = {
      siteId: 1,
      kecamatanId: KEC,
      point: CAMAT,
      slots: [
        { slotId: 12, startsAt: at(3), free: 5 },
        { slotId: 11, startsAt: at(2), free: 3 },
        { slotId: 10, startsAt: at(1), free: 3 },
      ],
    };
    const r = allocateSeats(input({ sites: [camat], households: households(1, 11, 100) }));
    // 5 → slot 12 twice (5,4 > 3), then 10 (earlier of the tied 3s), 11, 12, 10, 11, 12, 10, 11, 12.
    expect(r.planned.map((p) => p.slotId)).toEqual([12, 12, 10, 11, 12, 10, 11, 12, 10, 11, 12]);
    expect(r.noCapacity).toEqual([]);
    const slots = r.planned.map((p) => p.slotId);
    expect([count(slots, 10), count(slots, 11), count(slots, 12)]).toEqual([3, 3, 5]);
  });

  it('honours a kelurahan moved to another site while it has room, then the next nearest', () => {
    const overrides = new Map([[1, 2]]); // Teluk Tering's households sent to Belian
    const r = allocateSeats(input({ sites: [site(1, CAMAT, [10]), site(2, BELIAN_SITE, [2])], overrides, households: [...households(1, 4, 100), ...households(3, 1, 300)] }));
    expect(sitesOf(r)).toEqual([2, 2, 1, 1, 1]);
    // A move to a site that is not in the event (inactive, no slot) is no move.
    const stale = allocateSeats(input({ overrides: new Map([[1, 99]]), households: households(1, 2, 100) }));
    expect(sitesOf(stale)).toEqual([1, 1]);
  });

  it('without a point, a kelurahan prefers its own kecamatan’s sites, then any; sites without a point come last', () => {
    const sites = [site(1, CAMAT, [1], 10), site(2, BELIAN_SITE, [1], 20), site(3, null, [1], 20), site(4, null, [5], 30)];
    // Kelurahan 7 (kecamatan 20) has no point: its own kecamatan's sites (2, then 3 by id), then 1 (with a point), then 4.
    const r = allocateSeats(input({ sites, households: households(7, 5, 700, 20) }));
    expect(sitesOf(r)).toEqual([2, 3, 1, 4, 4]);
    // A kelurahan with a point tries sites with a point by distance, then those without (own kecamatan first).
    const withPoint = allocateSeats(input({ sites, households: households(2, 5, 200, 30) }));
    expect(sitesOf(withPoint)).toEqual([2, 1, 4, 4, 4]);
  });

  it('breaks ties by site id and gives the same seats whatever order sites and slots come in', () => {
    const twins = [site(5, CAMAT, [1, 1]), site(3, CAMAT, [1, 1])];
    const r = allocateSeats(input({ sites: twins, households: households(1, 3, 100) }));
    expect(sitesOf(r)).toEqual([3, 3, 5]);
    const place = { kecamatanId: KEC, point: TELUK_TERING };
    expect(siteOrder(place, twins).map((s) => s.siteId)).toEqual([3, 5]);

    const hhs = [...households(1, 40, 100), ...households(2, 40, 200), ...households(3, 40, 300), ...households(9, 10, 900)];
    const sites = [site(1, CAMAT, [20, 15, 10]), site(2, BELIAN_SITE, [10, 30]), site(4, null, [7])];
    const a = allocateSeats(input({ sites, households: hhs }));
    const reversed = sites.map((s) => ({ ...s, slots: [...s.slots].reverse() })).reverse();
    const b = allocateSeats(input({ sites: reversed, households: hhs }));
    expect(b).toEqual(a);
    expect(a.planned.length + a.noCapacity.length).toBe(hhs.length);
  });

  it('never gives more seats than a slot has free', () => {
    const sites = [site(1, CAMAT, [3, 0, -2]), site(2, BELIAN_SITE, [1])];
    const r = allocateSeats(input({ sites, households: households(1, 10, 100) }));
    expect(r.planned.map((p) => p.slotId)).toEqual([100, 100, 100, 200]);
    expect(r.noCapacity).toEqual([104, 105, 106, 107, 108, 109]);
  });

  it('allocates 100,000 households in well under a second', () => {
    const points = new Map<number, { latitude: number; longitude: number } | null>();
    for (let k = 1; k <= 64; k++) points.set(k, k % 9 === 0 ? null : { latitude: 0.8 + (k % 8) * 0.05, longitude: 103.9 + Math.floor(k / 8) * 0.04 });
    const sites: AllocationSite[] = Array.from({ length: 24 }, (_, i) =>
      site(i + 1, i % 7 === 6 ? null : { latitude: 0.82 + (i % 6) * 0.07, longitude: 103.92 + Math.floor(i / 6) * 0.08 }, [1000, 1000, 1000, 1000, 1000], 1 + (i % 12)),
    );
    const hhs: AllocationHousehold[] = Array.from({ length: 100_000 }, (_, i) => ({ householdId: i + 1, kelurahanId: 1 + (i % 64), kecamatanId: 1 + (i % 12) }));
    const started = performance.now();
    const r = allocateSeats({ households: hhs, kelurahanPoints: points, sites, overrides: new Map([[5, 3]]) });
    const ms = performance.now() - started;
    expect(r.planned).toHaveLength(100_000);
    // About 40 ms warm and 250 ms cold on one shared core; the bound leaves room for a busy CI machine.
    expect(ms).toBeLessThan(1000);
  });
});
