import type { Sex } from '../../domain/nik.ts';
import type { DemoHousehold, DemoMember } from './city.ts';

// Four residents whose facts never change between seeds: demos, tests and the README use them to show
// each answer the bot can give (receives and is invited; elderly aid; above the desil line; registered
// but receiving nothing yet). Their families are invented; every NIK agrees with its birth date and sex.

export interface DemoResident {
  nik: string;
  noKk: string;
  name: string;
  birthDate: string;
  sex: Sex;
  kecamatanCode: string;
  kecamatan: string;
  kelurahan: string;
  desil: number;
  /** Programs received while active: household programs of the family and person programs of the resident. */
  receives: string[];
  invited: boolean;
}

const SITI: DemoResident = {
  nik: '2171105203850001',
  noKk: '2171100207180005',
  name: 'Siti Aminah',
  birthDate: '1985-03-12',
  sex: 'P',
  kecamatanCode: '21.71.10',
  kecamatan: 'Batam Kota',
  kelurahan: 'Belian',
  desil: 1,
  receives: ['PKH', 'SEMBAKO'],
  invited: true,
};

const AHMAD: DemoResident = {
  nik: '2171060501520002',
  noKk: '2171062105120003',
  name: 'Ahmad Yusuf',
  birthDate: '1952-01-05',
  sex: 'L',
  kecamatanCode: '21.71.06',
  kecamatan: 'Lubuk Baja',
  kelurahan: 'Tanjung Uma',
  desil: 2,
  receives: ['LANSIA'],
  invited: false,
};

const BUDI: DemoResident = {
  nik: '2171112007900003',
  noKk: '2171111006190008',
  name: 'Budi Santoso',
  birthDate: '1990-07-20',
  sex: 'L',
  kecamatanCode: '21.71.11',
  kecamatan: 'Sagulung',
  kelurahan: 'Sungai Langkai',
  desil: 5,
  receives: [],
  invited: false,
};

const DEWI: DemoResident = {
  nik: '2171034110780004',
  noKk: '2171030509160002',
  name: 'Dewi Lestari',
  birthDate: '1978-10-01',
  sex: 'P',
  kecamatanCode: '21.71.03',
  kecamatan: 'Sekupang',
  kelurahan: 'Tiban Lama',
  desil: 3,
  receives: [],
  invited: false,
};

export const DEMO_RESIDENTS: readonly DemoResident[] = [SITI, AHMAD, BUDI, DEWI];

// Their registry phones, as a registry writes them: one place that the seed, the README's table, the demo
// phone page and the tests all read. Each shows one way a chat proves who it is (DESIGN.md "Identity").
// The numbers are synthetic; the generated population never draws them (generate.ts), so each is listed for
// exactly one household, which is what makes it proof.

/** What a demo phone lets a newcomer try; its text is demo_phone:shows.<key>. */
export type DemoPhoneShows = 'ownPhone' | 'familyPhone' | 'aboveLine' | 'inPerson';

export interface DemoPhone {
  /** The demo resident this row is about (DEMO_RESIDENTS). */
  resident: string;
  /** As the registry holds it; null: the household lists no phone at all. */
  phone: string | null;
  /** Whose phone it is, when not the resident's own: a registry often lists one number per family. */
  holder: string | null;
  shows: DemoPhoneShows;
}

export const DEMO_PHONES: readonly DemoPhone[] = [
  // Her own number: "cek bansos" written from it links at once (registry phone); from the web chat a code goes to it.
  { resident: SITI.name, phone: '0812-7700-1001', holder: null, shows: 'ownPhone' },
  // The family's number, held by his daughter: Ahmad's code arrives on her phone, and her phone speaks for the household.
  { resident: AHMAD.name, phone: '0812-7700-1002', holder: 'Nurhayati', shows: 'familyPhone' },
  // His own number; once linked, he hears what knowledge alone never shows: desil 5, above the line.
  { resident: BUDI.name, phone: '0812-7700-1003', holder: null, shows: 'aboveLine' },
  // No phone in the registry: only an officer who sees her KTP can link her chat.
  { resident: DEWI.name, phone: null, holder: null, shows: 'inPerson' },
];

/** The demo phone of a resident (by the name in DEMO_PHONES), for writing it into the registry. */
function phoneOf(resident: DemoResident): string {
  const phone = DEMO_PHONES.find((p) => p.resident === resident.name)?.phone;
  if (!phone) throw new Error(`no demo phone for ${resident.name}`);
  return phone;
}

const self = (r: DemoResident, relationship: DemoMember['relationship'], phone?: string): DemoMember => ({
  nik: r.nik,
  name: r.name,
  birthDate: r.birthDate,
  sex: r.sex,
  relationship,
  ...(phone ? { phone } : {}),
});

export const BATAM_DEMO_HOUSEHOLDS: DemoHousehold[] = [
  {
    noKk: SITI.noKk,
    kelurahanCode: '21.71.10.1002', // Belian
    address: 'Jl. Ahmad Yani Gg. Melati No. 12',
    rt: '003',
    rw: '007',
    desil: 1,
    members: [
      { nik: '2171100306820001', name: 'Rahmat Hidayat', birthDate: '1982-06-03', sex: 'L', relationship: 'kepala' },
      self(SITI, 'istri', phoneOf(SITI)),
      { nik: '2171105508090001', name: 'Nur Aisyah', birthDate: '2009-08-15', sex: 'P', relationship: 'anak' },
      { nik: '2171102204130001', name: 'Muhammad Rizki', birthDate: '2013-04-22', sex: 'L', relationship: 'anak' },
      { nik: '2171104806180001', name: 'Putri Ramadhani', birthDate: '2018-06-08', sex: 'P', relationship: 'anak' },
    ],
    enrollments: [
      { programCode: 'PKH', status: 'active' },
      { programCode: 'SEMBAKO', status: 'active' },
    ],
    invited: true,
  },
  {
    noKk: AHMAD.noKk,
    kelurahanCode: '21.71.06.1005', // Tanjung Uma
    address: 'Jl. Tanjung Uma Gg. Pelita No. 7',
    rt: '002',
    rw: '004',
    desil: 2,
    members: [
      self(AHMAD, 'kepala'),
      { nik: '2171065708550001', name: 'Siti Rohani', birthDate: '1955-08-17', sex: 'P', relationship: 'istri' },
      { nik: '2171065002900001', name: 'Nurhayati', birthDate: '1990-02-10', sex: 'P', relationship: 'anak', phone: phoneOf(AHMAD) },
    ],
    enrollments: [{ programCode: 'LANSIA', memberNik: AHMAD.nik, status: 'active' }],
  },
  {
    noKk: BUDI.noKk,
    kelurahanCode: '21.71.11.1003', // Sungai Langkai
    address: 'Perumahan Griya Permata Blok D No. 21',
    rt: '005',
    rw: '012',
    desil: 5,
    members: [
      self(BUDI, 'kepala', phoneOf(BUDI)),
      { nik: '2171114311920001', name: 'Rina Wati', birthDate: '1992-11-03', sex: 'P', relationship: 'istri' },
      { nik: '2171111405190001', name: 'Arka Pratama', birthDate: '2019-05-14', sex: 'L', relationship: 'anak' },
    ],
    enrollments: [],
  },
  {
    noKk: DEWI.noKk,
    kelurahanCode: '21.71.03.1007', // Tiban Lama
    address: 'Jl. Tiban Lama Blok B No. 3',
    rt: '004',
    rw: '002',
    desil: 3,
    members: [
      self(DEWI, 'kepala'),
      { nik: '2171032503010001', name: 'Andi Saputra', birthDate: '2001-03-25', sex: 'L', relationship: 'anak' },
      { nik: '2171037012050001', name: 'Sri Wahyuni', birthDate: '2005-12-30', sex: 'P', relationship: 'anak' },
    ],
    enrollments: [],
  },
];
