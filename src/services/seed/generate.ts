import type { ENROLLMENT_STATUSES, RELATIONSHIPS } from '../../domain/vocabulary.ts';
import { areaDigits, nikBirthPart, type Sex } from '../../domain/nik.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { addDays, ageOn } from './calendar.ts';
import type { CityDefinition, DemoHousehold, ProgramDefinition } from './city.ts';
import { FAMILY_NAMES, FEMALE_GIVEN, FEMALE_SECOND, MALE_GIVEN, MALE_SECOND } from './names.ts';
import { Random } from './random.ts';
import { SerialAllocator } from './serials.ts';

// Synthetic households for a demo city: pure and deterministic, so the same seed and day always give the
// same registry and a test can recompute exactly what was written. Shapes follow what a DTSEN export
// looks like: mostly couples with children, widows heading families, some elderly parents living in,
// a few members with a disability, a few deceased members still listed (a data-quality finding).

export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export interface GeneratedMember {
  nik: string;
  name: string;
  birthDate: string;
  sex: Sex;
  relationship: (typeof RELATIONSHIPS)[number];
  disability: boolean;
  deceased: boolean;
  phone: string | null;
}

export interface GeneratedEnrollment {
  programCode: string;
  /** Index into the household's members for person programs; null for household programs. */
  memberIndex: number | null;
  status: EnrollmentStatus;
}

export interface GeneratedHousehold {
  noKk: string;
  kecamatanCode: string;
  kelurahanCode: string;
  address: string;
  rt: string;
  rw: string;
  desil: number;
  members: GeneratedMember[];
  enrollments: GeneratedEnrollment[];
}

export type GeneratorCity = Pick<CityDefinition, 'kecamatan' | 'programs' | 'streets' | 'housingEstates' | 'demoHouseholds'>;

export interface GenerateOptions {
  households: number;
  seed: number;
  /** The seed day in the city's time zone; ages and enrollments are as of this day. */
  today: string;
}

// DTSEN desil 1–10, weighted toward the bottom: the registry mostly lists families that applied for aid.
const DESIL_WEIGHTS = [16, 15, 13, 12, 10, 9, 8, 7, 6, 4];
// Age brackets of a head of family: [youngest, oldest, weight].
const HEAD_AGES: [number, number, number][] = [
  [21, 29, 14],
  [30, 39, 25],
  [40, 49, 25],
  [50, 59, 17],
  [60, 69, 12],
  [70, 88, 7],
];
const CHILD_COUNT_WEIGHTS = [6, 16, 30, 26, 14, 8];
const PHONE_PREFIXES = ['0811', '0812', '0813', '0821', '0822', '0852', '0853', '0857', '0858', '0877', '0878', '0895', '0896', '0881'];
// Almost every listed enrollment is paying out; the rest show staff the other states.
const STATUS_WEIGHTS: [EnrollmentStatus, number][] = [
  ['active', 93],
  ['verified', 3],
  ['proposed', 3],
  ['suspended', 1],
];

export function* generateHouseholds(city: GeneratorCity, opts: GenerateOptions): Generator<GeneratedHousehold> {
  const rng = new Random(opts.seed);
  const niks = new SerialAllocator();
  const kks = new SerialAllocator();
  for (const h of city.demoHouseholds) {
    kks.reserve(h.noKk);
    for (const m of h.members) niks.reserve(m.nik);
  }
  const phones = reservedPhones(city.demoHouseholds);
  const kecamatanWeights = city.kecamatan.map((k) => k.weight);
  const statusWeights = STATUS_WEIGHTS.map(([, w]) => w);

  for (let i = 0; i < opts.households; i++) {
    const kecamatan = city.kecamatan[rng.weighted(kecamatanWeights)]!;
    const kelurahan = rng.pick(kecamatan.kelurahan);
    const area = areaDigits(kecamatan.code);
    const desil = rng.weighted(DESIL_WEIGHTS) + 1;
    const members = family(rng, opts.today, phones);
    for (const m of members) m.nik = niks.next(area + nikBirthPart(m.birthDate, m.sex));
    const household: GeneratedHousehold = {
      noKk: kks.next(area + kkIssuePart(rng, members, opts.today)),
      kecamatanCode: kecamatan.code,
      kelurahanCode: kelurahan.code,
      address: address(rng, city),
      rt: String(rng.int(1, 12)).padStart(3, '0'),
      rw: String(rng.int(1, 15)).padStart(3, '0'),
      desil,
      members,
      enrollments: [],
    };
    household.enrollments = enroll(rng, city.programs, household, opts.today, () => STATUS_WEIGHTS[rng.weighted(statusWeights)]![0]);
    yield household;
  }
}

/** A demo household in the generator's shape, so one writer stores both. */
export function fromDemoHousehold(h: DemoHousehold, kecamatanCode: string): GeneratedHousehold {
  const members = h.members.map((m) => ({
    ...m,
    disability: m.disability ?? false,
    deceased: m.deceased ?? false,
    phone: m.phone ?? null,
  }));
  return {
    noKk: h.noKk,
    kecamatanCode,
    kelurahanCode: h.kelurahanCode,
    address: h.address,
    rt: h.rt,
    rw: h.rw,
    desil: h.desil,
    members,
    enrollments: h.enrollments.map((e) => {
      const memberIndex = e.memberNik === undefined ? null : members.findIndex((m) => m.nik === e.memberNik);
      if (memberIndex === -1) throw new Error(`demo enrollment names a NIK not in household ${h.noKk}`);
      return { programCode: e.programCode, memberIndex, status: e.status };
    }),
  };
}

function family(rng: Random, today: string, phones: ReadonlySet<string>): GeneratedMember[] {
  const shape = rng.weighted([80, 14, 6]); // couple, single parent, person living alone
  const [youngest, oldest] = HEAD_AGES[rng.weighted(HEAD_AGES.map(([, , w]) => w))]!;
  const headAge = rng.int(youngest, oldest);
  const headSex: Sex = shape === 0 ? 'L' : shape === 1 ? (rng.chance(0.85) ? 'P' : 'L') : rng.chance(0.5) ? 'P' : 'L';
  const familyName = rng.chance(0.28) ? rng.pick(FAMILY_NAMES) : null;
  const members: GeneratedMember[] = [person(rng, today, phones, headAge, headSex, 'kepala', familyName)];

  let motherAge = headSex === 'P' ? headAge : headAge - 3;
  if (shape === 0) {
    const wifeAge = Math.max(18, headAge - rng.int(-2, 8));
    motherAge = wifeAge;
    members.push(person(rng, today, phones, wifeAge, 'P', 'istri', familyName && rng.chance(0.5) ? rng.pick(FAMILY_NAMES) : null));
  }

  const wanted = shape === 2 ? (rng.chance(0.3) ? 1 : 0) : rng.weighted(CHILD_COUNT_WEIGHTS);
  const childAges: number[] = [];
  for (let c = 0; c < wanted; c++) {
    const age = motherAge - rng.int(19, 38);
    // Grown children over 30 have usually left for a family card of their own.
    if (age >= 0 && age <= 30) childAges.push(age);
  }
  childAges.sort((a, b) => b - a);
  for (const age of childAges) members.push(person(rng, today, phones, age, rng.chance(0.5) ? 'L' : 'P', 'anak', familyName));

  if (headAge < 55 && rng.chance(0.07)) {
    members.push(person(rng, today, phones, Math.min(95, headAge + rng.int(22, 32)), rng.chance(0.7) ? 'P' : 'L', 'lainnya', null));
  }
  return members;
}

function person(
  rng: Random,
  today: string,
  phones: ReadonlySet<string>,
  age: number,
  sex: Sex,
  relationship: GeneratedMember['relationship'],
  familyName: string | null,
): GeneratedMember {
  const elderly = age >= 60;
  const deceased = rng.chance(elderly ? 0.04 : 0.003);
  const phoneShare = relationship === 'kepala' ? 0.65 : relationship === 'istri' ? 0.35 : age >= 17 ? 0.15 : 0;
  return {
    nik: '', // given by the caller, which knows the area and which serials are taken
    name: personName(rng, sex, familyName),
    birthDate: birthDateAt(rng, today, age),
    sex,
    relationship,
    disability: rng.chance(elderly ? 0.07 : 0.025),
    deceased,
    phone: !deceased && rng.chance(phoneShare) ? freshPhone(rng, phones) : null,
  };
}

function personName(rng: Random, sex: Sex, familyName: string | null): string {
  const given = rng.pick(sex === 'L' ? MALE_GIVEN : FEMALE_GIVEN);
  if (familyName) return `${given} ${familyName}`;
  if (!rng.chance(sex === 'L' ? 0.7 : 0.65)) return given;
  const second = rng.pick(sex === 'L' ? MALE_SECOND : FEMALE_SECOND);
  return second === given ? given : `${given} ${second}`;
}

/** A birth date that makes the person exactly `age` years old on `today`. */
function birthDateAt(rng: Random, today: string, age: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls 29 February of a non-leap year to 1 March; the check below pulls such a day back.
  const anniversary = new Date(Date.UTC(y - age, m - 1, d)).toISOString().slice(0, 10);
  const birth = addDays(anniversary, -rng.int(0, 364));
  return ageOn(birth, today) === age ? birth : addDays(birth, -1);
}

/** The KK's issue date (DDMMYY, no +40): after its youngest member was born and before today. */
function kkIssuePart(rng: Random, members: GeneratedMember[], today: string): string {
  let earliest = '2005-01-01';
  for (const m of members) if (m.relationship === 'anak' && m.birthDate > earliest) earliest = m.birthDate;
  const span = Math.max(0, (Date.parse(today) - Date.parse(earliest)) / 86_400_000 - 7);
  const issued = addDays(earliest, rng.int(0, Math.floor(span)));
  return issued.slice(8, 10) + issued.slice(5, 7) + issued.slice(2, 4);
}

function address(rng: Random, city: GeneratorCity): string {
  if (city.housingEstates.length > 0 && rng.chance(0.3)) {
    const block = 'ABCDEFGH'[rng.int(0, 7)];
    return `${rng.pick(city.housingEstates)} Blok ${block}${rng.int(1, 12)} No. ${rng.int(1, 40)}`;
  }
  return `Jl. ${rng.pick(city.streets)} No. ${rng.int(1, 150)}`;
}

/**
 * A synthetic mobile number (national digits, "0812…") that is none of `reserved`. The demo households'
 * numbers are proof of who holds them only while no other household lists them (a number in two households
 * proves neither), so the draw is repeated on the rare hit; every other draw is as before, and a seed still
 * gives the same city.
 */
export function freshPhone(rng: Random, reserved: ReadonlySet<string>): string {
  for (;;) {
    let digits = rng.pick(PHONE_PREFIXES);
    const length = rng.int(11, 12);
    while (digits.length < length) digits += String(rng.int(0, 9));
    if (!reserved.has(digits)) return digits;
  }
}

/** The demo households' phones in the generator's form (national digits), which it must never draw. */
export function reservedPhones(demoHouseholds: readonly DemoHousehold[]): Set<string> {
  const taken = new Set<string>();
  for (const h of demoHouseholds) {
    for (const m of h.members) {
      const normal = normalizePhone(m.phone);
      if (normal?.startsWith('62')) taken.add(`0${normal.slice(2)}`);
    }
  }
  return taken;
}

/** Which programs this household and its members receive, following each program's rules. */
function enroll(
  rng: Random,
  programs: ProgramDefinition[],
  household: GeneratedHousehold,
  today: string,
  status: () => EnrollmentStatus,
): GeneratedEnrollment[] {
  const result: GeneratedEnrollment[] = [];
  const householdPrograms = new Set<string>();
  const memberPrograms = household.members.map(() => new Set<string>());
  const excluded = (codes: string[] | undefined, held: Set<string>[]) =>
    (codes ?? []).some((c) => held.some((s) => s.has(c)));

  for (const p of programs) {
    const { rules, demoShare } = p;
    if (rules.maxDesil !== undefined && household.desil > rules.maxDesil) continue;
    const byDesil = demoShare.byDesil;
    let share = byDesil[Math.min(household.desil, byDesil.length) - 1] ?? 0;
    if (demoShare.withProgram && householdPrograms.has(demoShare.withProgram.code)) share = demoShare.withProgram.share;

    if (p.unit === 'household') {
      if (excluded(rules.excludedWith, [householdPrograms])) continue;
      if (rules.requiresDisability && !household.members.some((m) => m.disability && !m.deceased)) continue;
      if (!rng.chance(share)) continue;
      householdPrograms.add(p.code);
      result.push({ programCode: p.code, memberIndex: null, status: status() });
      continue;
    }

    const eligible = household.members
      .map((m, i) => ({ m, i }))
      .filter(
        ({ m, i }) =>
          !m.deceased &&
          (rules.minAge === undefined || ageOn(m.birthDate, today) >= rules.minAge) &&
          (!rules.requiresDisability || m.disability) &&
          !excluded(rules.excludedWith, [householdPrograms, memberPrograms[i]!]),
      );
    const together = demoShare.wholeHousehold ? rng.chance(share) : false;
    for (const { i } of eligible) {
      if (demoShare.wholeHousehold ? !together : !rng.chance(share)) continue;
      memberPrograms[i]!.add(p.code);
      result.push({ programCode: p.code, memberIndex: i, status: status() });
    }
  }
  return result;
}
