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

const self = (r: DemoResident, relationship: DemoMember['relationship']): DemoMember => ({
  nik: r.nik,
  name: r.name,
  birthDate: r.birthDate,
  sex: r.sex,
  relationship,
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
      self(SITI, 'istri'),
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
      { nik: '2171065002900001', name: 'Nurhayati', birthDate: '1990-02-10', sex: 'P', relationship: 'anak' },
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
      self(BUDI, 'kepala'),
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
