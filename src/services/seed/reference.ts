import type { Tx } from '../../db/client.ts';
import { agents, cities, complaintRoutes, holidays, kecamatan, kelurahan, offices, programs, sites } from '../../db/schema/index.ts';
import { writeDemoCannedResponses } from './canned.ts';
import type { CityDefinition } from './city.ts';

// The city's reference data: areas, offices, programs, distribution sites, e-warong and agents, complaint
// routing, holidays.
// Small, so plain drizzle inserts; the ids come back for the registry writer.

export interface ReferenceIds {
  cityId: number;
  kecamatanIds: Map<string, number>;
  kelurahanIds: Map<string, number>;
  programIds: Map<string, number>;
  /** Sites by kecamatan code, in the order the definition lists them. */
  siteIds: Map<string, number[]>;
}

export async function writeReference(tx: Tx, city: CityDefinition): Promise<ReferenceIds> {
  const [cityRow] = await tx
    .insert(cities)
    .values({ code: city.code, name: city.name, province: city.province })
    .returning({ id: cities.id });
  const cityId = cityRow!.id;

  const kecRows = await tx
    .insert(kecamatan)
    .values(city.kecamatan.map((k) => ({ cityId, code: k.code, name: k.name })))
    .returning({ id: kecamatan.id, code: kecamatan.code });
  const kecamatanIds = new Map(kecRows.map((r) => [r.code, r.id]));

  const kelRows = await tx
    .insert(kelurahan)
    .values(
      city.kecamatan.flatMap((k) =>
        k.kelurahan.map((l) => ({
          kecamatanId: kecamatanIds.get(k.code)!,
          code: l.code,
          name: l.name,
          // Half a point is no point: both or neither.
          latitude: l.latitude !== undefined && l.longitude !== undefined ? l.latitude.toFixed(6) : null,
          longitude: l.latitude !== undefined && l.longitude !== undefined ? l.longitude.toFixed(6) : null,
        })),
      ),
    )
    .returning({ id: kelurahan.id, code: kelurahan.code });
  const kelurahanIds = new Map(kelRows.map((r) => [r.code, r.id]));

  if (city.offices.length > 0) {
    await tx.insert(offices).values(
      city.offices.map((o) => ({
        cityId,
        kecamatanId: o.kecamatanCode ? required(kecamatanIds, o.kecamatanCode) : null,
        name: o.name,
        nameEn: o.nameEn ?? null,
        address: o.address,
        hours: o.hours,
        hoursEn: o.hoursEn ?? null,
        schedule: o.schedule ?? null,
        phone: o.phone ?? null,
      })),
    );
  }

  const programRows = await tx
    .insert(programs)
    .values(
      city.programs.map((p) => ({
        code: p.code,
        name: p.name,
        nameEn: p.nameEn ?? null,
        agency: p.agency,
        bidang: p.bidang,
        funder: p.funder,
        benefitType: p.benefitType,
        benefitAmount: p.benefitAmount,
        benefitPeriod: p.benefitPeriod,
        unit: p.unit,
        rules: p.rules,
        targetPerYear: p.targetPerYear ?? null,
        requirements: p.requirements ?? null,
        requirementsEn: p.requirementsEn ?? null,
        schedule: p.schedule ?? null,
        scheduleEn: p.scheduleEn ?? null,
      })),
    )
    .returning({ id: programs.id, code: programs.code });
  const programIds = new Map(programRows.map((r) => [r.code, r.id]));

  const siteIds = new Map<string, number[]>();
  for (const k of city.kecamatan) {
    if (k.sites.length === 0) continue;
    const rows = await tx
      .insert(sites)
      .values(
        k.sites.map((s) => ({
          kecamatanId: required(kecamatanIds, k.code),
          kelurahanId: s.kelurahanCode ? required(kelurahanIds, s.kelurahanCode) : null,
          name: s.name,
          address: s.address,
          latitude: s.latitude.toFixed(6),
          longitude: s.longitude.toFixed(6),
        })),
      )
      .returning({ id: sites.id });
    siteIds.set(
      k.code,
      rows.map((r) => r.id),
    );
  }

  if (city.agents && city.agents.length > 0) {
    await tx.insert(agents).values(
      city.agents.map((a) => ({
        name: a.name,
        kind: a.kind,
        kelurahanId: required(kelurahanIds, a.kelurahanCode),
        address: a.address,
        latitude: a.latitude.toFixed(6),
        longitude: a.longitude.toFixed(6),
        programs: a.programs,
        hours: a.hours,
      })),
    );
  }

  if (city.complaintRoutes.length > 0) {
    // City-wide defaults (no kecamatan); admins add per-kecamatan overrides later.
    await tx.insert(complaintRoutes).values(city.complaintRoutes.map((r) => ({ category: r.category, bidang: r.bidang })));
  }
  await writeDemoCannedResponses(tx);
  if (city.holidays.length > 0) {
    // National holidays may already be there from another city on the same database.
    await tx.insert(holidays).values(city.holidays).onConflictDoNothing();
  }

  return { cityId, kecamatanIds, kelurahanIds, programIds, siteIds };
}

function required<V>(map: ReadonlyMap<string, V>, key: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`city definition refers to unknown code ${key}`);
  return v;
}
