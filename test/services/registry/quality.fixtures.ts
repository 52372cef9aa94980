// A crafted registry for the data-quality suites: two kecamatan, three families, three programs, and two
// residents' reports, arranged so the scan finds each kind of finding a known number of times, and several
// near-misses (ended or suspended enrollments, a second period, a name correction) that must not count.

import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { enrollments, households, kelurahan, members, programs } from '../../../src/db/schema/index.ts';
import type { ProgramRules } from '../../../src/db/schema/index.ts';
import { fileProposal, residentContact } from './proposals.fixtures.ts';
import { twoKecamatan } from '../staff/fixtures.ts';

export const SHARED_NIK = '2171015203850001';
export const HEAD_NAME = 'SITI AMINAH';

/** How many findings of each kind the world holds. */
export const EXPECTED = {
  duplicate_nik: 2, // one per family listing the shared NIK
  // Family 1: PKH and BLT (two PKH periods count once); Siti's LANSIA with the family's BLT, and with her own
  // PBI. Budi's PBI beside Siti's LANSIA is two different people: not a finding.
  exclusive_programs: 3,
  deceased_enrolled: 1, // Darto (family 2) still in PBI
  above_desil_ceiling: 1, // family 2 (desil 6) in PKH (desil ≤ 4)
  reported_moved: 1, // a verified member of family 1
  reported_deceased: 1, // a verified member of family 2
} as const;

export interface QualityWorld {
  sagulung: number;
  nongsa: number;
  kelA: number;
  kelB: number;
  hh1: number;
  hh2: number;
  hh3: number;
  siti: number;
  budi: number;
  citra: number;
  darto: number;
  eko: number;
  pkh: number;
  blt: number;
  pbi: number;
  lansia: number;
  dartoPbi: number;
}

export async function qualityWorld(db: Db, filedAt: Date): Promise<QualityWorld> {
  const { sagulung, nongsa } = await twoKecamatan(db);
  const [kelA] = await db.insert(kelurahan).values({ kecamatanId: sagulung, code: '99.71.01.1001', name: 'Sungai Langkai' }).returning({ id: kelurahan.id });
  const [kelB] = await db.insert(kelurahan).values({ kecamatanId: nongsa, code: '99.71.02.1001', name: 'Batu Besar' }).returning({ id: kelurahan.id });

  const program = async (code: string, unit: 'household' | 'person', rules: ProgramRules) => {
    const [p] = await db
      .insert(programs)
      .values({ code, name: code, agency: 'Kementerian Sosial', funder: 'APBN', benefitType: 'cash', benefitPeriod: 'quarter', unit, rules })
      .returning({ id: programs.id });
    return p!.id;
  };
  const pkh = await program('PKH', 'household', { maxDesil: 4 });
  const blt = await program('BLT', 'household', { excludedWith: ['PKH'] });
  const pbi = await program('PBI', 'person', {});
  const lansia = await program('LANSIA', 'person', { excludedWith: ['PBI', 'BLT'] });

  const family = async (noKk: string, kelurahanId: number, desil: number | null) => {
    const [h] = await db.insert(households).values({ noKk, address: 'Jl. Uji', kelurahanId, desil, source: 'test' }).returning({ id: households.id });
    return h!.id;
  };
  const person = async (householdId: number, nik: string, name: string, relationship: 'kepala' | 'anak', deceased = false) => {
    const [m] = await db.insert(members).values({ householdId, nik, name, birthDate: '1985-03-12', sex: 'P', relationship, deceased }).returning({ id: members.id });
    return m!.id;
  };
  const hh1 = await family('2171010101010001', kelA!.id, 2);
  const hh2 = await family('2171020202020002', kelB!.id, 6);
  const hh3 = await family('2171010303030003', kelA!.id, 1);
  const siti = await person(hh1, SHARED_NIK, HEAD_NAME, 'kepala');
  const budi = await person(hh1, '2171010000000011', 'BUDI SANTOSO', 'anak');
  const citra = await person(hh2, SHARED_NIK, 'CITRA LESTARI', 'kepala');
  const darto = await person(hh2, '2171020000000021', 'DARTO', 'anak', true);
  const eko = await person(hh3, '2171010000000031', 'EKO PRASETYO', 'kepala', true);

  const enrol = async (programId: number, target: { householdId: number } | { memberId: number }, status: 'active' | 'ended' | 'suspended', period = '2026-Q4') => {
    const [e] = await db.insert(enrollments).values({ programId, ...target, period, status, source: 'test' }).returning({ id: enrollments.id });
    return e!.id;
  };
  await enrol(pkh, { householdId: hh1 }, 'active', '2026-Q3');
  await enrol(pkh, { householdId: hh1 }, 'active');
  await enrol(blt, { householdId: hh1 }, 'active');
  await enrol(pkh, { householdId: hh2 }, 'active');
  const dartoPbi = await enrol(pbi, { memberId: darto }, 'active');
  await enrol(lansia, { memberId: siti }, 'active');
  await enrol(pbi, { memberId: siti }, 'active');
  await enrol(pbi, { memberId: budi }, 'active');
  // Near-misses: not active, so nothing.
  await enrol(pbi, { memberId: eko }, 'ended');
  await enrol(pkh, { householdId: hh3 }, 'active');
  await enrol(blt, { householdId: hh3 }, 'suspended');

  const report = async (memberId: number, what: string) => {
    const contactId = await residentContact(db, { memberId });
    return fileProposal(db, { contactId, category: 'wrong_data', memberId, details: { what, detail: 'keterangan warga' }, now: filedAt });
  };
  await report(budi, 'moved');
  await report(citra, 'died');
  await report(budi, 'name'); // a name correction is not a finding

  return { sagulung, nongsa, kelA: kelA!.id, kelB: kelB!.id, hh1, hh2, hh3, siti, budi, citra, darto, eko, pkh, blt, pbi, lansia, dartoPbi };
}

export async function setEnrollmentStatus(db: Db, id: number, status: 'active' | 'ended') {
  await db.update(enrollments).set({ status }).where(eq(enrollments.id, id));
}
