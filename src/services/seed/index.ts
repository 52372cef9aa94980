import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { cities, households } from '../../db/schema/index.ts';
import { BATAM } from './batam.ts';
import { writeHouseholds, type WriteCounts } from './bulk.ts';
import { localDate, periodOf } from './calendar.ts';
import type { CityDefinition } from './city.ts';
import { writeUpcomingEvent } from './event.ts';
import { fromDemoHousehold, generateHouseholds, type GeneratedHousehold } from './generate.ts';
import { writeReference } from './reference.ts';

// Seeding a city: reference data, the demo households, synthetic households, one upcoming distribution.
// All in one transaction: a crash halfway leaves nothing, so "the city exists" reliably means "seeded".

export const DEFAULT_HOUSEHOLDS = 2000;
export const DEFAULT_SEED = 1;
/** households.source and enrollments.source of the seed: never mistaken for a DTSEN import. */
export const DEMO_SOURCE = 'demo';
// Any fixed number; it only has to be the same in every process that may seed at start-up.
const SEED_LOCK = 727_002;

export interface SeedOptions {
  /** Synthetic households on top of the demo ones. */
  households?: number;
  /** PRNG seed: the same seed and day give the same registry. */
  seed?: number;
  /** The seed's "now"; dates are read in the city's time zone. */
  today?: Date;
  batchSize?: number;
  onProgress?: (written: number, total: number) => void;
}

export type SeedResult =
  | { skipped: true }
  | (WriteCounts & { skipped: false; city: string; invitations: number; eventDate: string; tranche: string });

export function seedDemoCity(database: Database, opts: SeedOptions = {}): Promise<SeedResult> {
  return seedCity(database, BATAM, opts);
}

/** Seeds `city` unless a city with its code is already there, in which case nothing changes. */
export async function seedCity(database: Database, city: CityDefinition, opts: SeedOptions = {}): Promise<SeedResult> {
  const total = opts.households ?? DEFAULT_HOUSEHOLDS;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`households must be a whole number ≥ 0, got ${total}`);
  const seed = opts.seed ?? DEFAULT_SEED;
  const today = localDate(opts.today ?? new Date(), city.timezone);

  return database.db.transaction(async (tx) => {
    // Two processes starting together on an empty database: the second waits here, then sees the city.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const existing = await tx.select({ id: cities.id }).from(cities).where(eq(cities.code, city.code));
    if (existing.length > 0) return { skipped: true } as const;

    const refs = await writeReference(tx, city);
    const programs = new Map(
      city.programs.map((p) => [p.code, { id: refs.programIds.get(p.code)!, period: periodOf(today, p.benefitPeriod) }]),
    );

    const event = city.upcomingEvent;
    const invitees: { householdId: number; always: boolean }[] = [];
    const demoKks = new Set(city.demoHouseholds.filter((h) => h.invited).map((h) => h.noKk));
    const onHousehold = (householdId: number, h: GeneratedHousehold) => {
      if (demoKks.has(h.noKk)) invitees.push({ householdId, always: true });
      else if (h.kecamatanCode === event.kecamatanCode && receivesActive(h, event.programCode)) {
        invitees.push({ householdId, always: false });
      }
    };

    const counts = await writeHouseholds(tx, allHouseholds(city, { households: total, seed, today }), {
      kelurahanIds: refs.kelurahanIds,
      programs,
    }, {
      source: DEMO_SOURCE,
      snapshotDate: quarterStart(today),
      batchSize: opts.batchSize,
      pipelined: database.kind === 'postgres',
      onHousehold,
      onProgress: opts.onProgress ? (written) => opts.onProgress!(written, total + city.demoHouseholds.length) : undefined,
    });

    // Demo households come first in `invitees`, so the fill share never pushes them out.
    invitees.sort((a, b) => Number(b.always) - Number(a.always));
    const upcoming = await writeUpcomingEvent(tx, city, refs, today, invitees, seed);
    return {
      skipped: false,
      city: city.name,
      ...counts,
      invitations: upcoming.invitations,
      eventDate: upcoming.eventDate,
      tranche: upcoming.tranche,
    } as const;
  });
}

/** True when no city and no household is stored: a first start, where a demo seed is welcome. */
export async function isEmpty(database: Database): Promise<boolean> {
  const [city] = await database.db.select({ id: cities.id }).from(cities).limit(1);
  if (city) return false;
  const [household] = await database.db.select({ id: households.id }).from(households).limit(1);
  return !household;
}

function* allHouseholds(city: CityDefinition, opts: { households: number; seed: number; today: string }): Generator<GeneratedHousehold> {
  const kecamatanOf = new Map(city.kecamatan.flatMap((k) => k.kelurahan.map((l) => [l.code, k.code] as const)));
  for (const h of city.demoHouseholds) {
    const kecamatanCode = kecamatanOf.get(h.kelurahanCode);
    if (!kecamatanCode) throw new Error(`demo household in unknown kelurahan ${h.kelurahanCode}`);
    yield fromDemoHousehold(h, kecamatanCode);
  }
  yield* generateHouseholds(city, opts);
}

function receivesActive(h: GeneratedHousehold, programCode: string): boolean {
  return h.enrollments.some((e) => e.programCode === programCode && e.memberIndex === null && e.status === 'active');
}

/** DTSEN is refreshed quarterly; a snapshot is dated by the quarter it belongs to. */
function quarterStart(day: string): string {
  const month = Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${day.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

export { BATAM, DEMO_PHONES, DEMO_RESIDENTS } from './batam.ts';
export type { CityDefinition } from './city.ts';
