import type { ProgramRules } from '../../db/schema/index.ts';
import type { AGENT_KINDS, BENEFIT_PERIODS, BENEFIT_TYPES, BIDANG, COMPLAINT_CATEGORIES, ENROLLMENT_STATUSES, PROGRAM_UNITS, RELATIONSHIPS } from '../../domain/vocabulary.ts';
import type { Sex } from '../../domain/nik.ts';

// The shape of a city's reference data. The seed code reads only this, so a deployment for another city
// writes one data file like batam.ts and reuses everything else.

export interface CityDefinition {
  code: string; // Kemendagri code, e.g. 21.71
  name: string;
  province: string;
  timezone: string; // IANA, e.g. Asia/Jakarta; slot times and "today" are read in it
  kecamatan: KecamatanDefinition[];
  offices: OfficeDefinition[];
  programs: ProgramDefinition[];
  /** E-warong and agents where non-cash families collect their aid (issue 20); absent: none. */
  agents?: AgentDefinition[];
  complaintRoutes: { category: (typeof COMPLAINT_CATEGORIES)[number]; bidang: Bidang }[];
  holidays: HolidayDefinition[];
  upcomingEvent: UpcomingEventDefinition;
  /** Households with known facts that demos, tests and the README rely on. */
  demoHouseholds: DemoHousehold[];
  /** Street and housing-estate names for synthetic addresses. */
  streets: string[];
  housingEstates: string[];
}

export type Bidang = (typeof BIDANG)[number];

export interface KecamatanDefinition {
  code: string; // e.g. 21.71.10
  name: string;
  /** Rough share of the city's residents; only spreads synthetic households realistically. */
  weight: number;
  /** With an approximate centre when known: households are allocated to the distribution site nearest it. */
  kelurahan: { code: string; name: string; latitude?: number; longitude?: number }[];
  sites: SiteDefinition[];
}

export interface SiteDefinition {
  name: string;
  address: string;
  kelurahanCode?: string;
  latitude: number;
  longitude: number;
}

export interface AgentDefinition {
  name: string;
  kind: (typeof AGENT_KINDS)[number];
  kelurahanCode: string;
  address: string;
  latitude: number;
  longitude: number;
  /** Program codes it serves. */
  programs: string[];
  hours: string;
}

export interface OfficeDefinition {
  name: string;
  /** The name and hours as English-reading residents see them (absent: the Indonesian serves both). */
  nameEn?: string;
  address: string;
  hours: string; // printed as is by the FAQ
  hoursEn?: string;
  /** When officers answer chats (domain/office-hours.ts); the handover names the next opening from it. */
  schedule?: { days: number[]; opens: string; closes: string }[];
  phone?: string;
  kecamatanCode?: string;
}

export interface ProgramDefinition {
  code: string;
  name: string;
  /** The name as English-reading residents see it (absent: the Indonesian name serves both). */
  nameEn?: string;
  agency: string;
  bidang: Bidang;
  funder: string;
  benefitType: (typeof BENEFIT_TYPES)[number];
  benefitAmount: number | null;
  benefitPeriod: (typeof BENEFIT_PERIODS)[number];
  unit: (typeof PROGRAM_UNITS)[number];
  rules: ProgramRules;
  /** Recipients the office means to reach in a year (issue 20). */
  targetPerYear?: number;
  /** What the chat's FAQ says beside the facts: what to bring, whom to ask; when it is paid (id, en). */
  requirements?: string;
  requirementsEn?: string;
  schedule?: string;
  scheduleEn?: string;
  /** How often synthetic households that meet the rules receive it. */
  demoShare: DemoShare;
}

export interface DemoShare {
  /** Probability by desil, index 0 = desil 1; desils past the end use the last value. */
  byDesil: number[];
  /** A household already in this program receives it with this probability instead (PKH families get Sembako). */
  withProgram?: { code: string; share: number };
  /** Person programs: the decision is taken once per family and covers every living member (PBI-JK). */
  wholeHousehold?: boolean;
}

export interface HolidayDefinition {
  day: string; // YYYY-MM-DD
  name: string;
}

export interface UpcomingEventDefinition {
  programCode: string;
  /** Every active site of this kecamatan gets the slots. */
  kecamatanCode: string;
  daysAhead: number;
  slots: { start: string; end: string }[]; // HH:MM local time
  capacity: number; // per slot
  /** Share of all slot capacity filled with synthetic invitations, leaving room to reschedule. */
  fill: number;
}

export interface DemoMember {
  nik: string;
  name: string;
  birthDate: string;
  sex: Sex;
  relationship: (typeof RELATIONSHIPS)[number];
  disability?: boolean;
  deceased?: boolean;
  phone?: string;
}

export interface DemoHousehold {
  noKk: string;
  kelurahanCode: string;
  address: string;
  rt: string;
  rw: string;
  desil: number;
  members: DemoMember[];
  /** Household programs name no member; person programs name the member by NIK. */
  enrollments: { programCode: string; memberNik?: string; status: (typeof ENROLLMENT_STATUSES)[number] }[];
  /** Invited, round 1, to the upcoming event. */
  invited?: boolean;
}
