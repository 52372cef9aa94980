import type { AgentDefinition, CityDefinition, KecamatanDefinition } from './city.ts';
import { BATAM_DEMO_HOUSEHOLDS } from './batam-residents.ts';
import { INDONESIA_HOLIDAYS } from './holidays-id.ts';

// Kota Batam as data: the reference deployment. Kecamatan codes are Kemendagri's; kelurahan take the
// 1xxx range used for urban villages, numbered in alphabetical order within each kecamatan. Sites are
// the usual distribution points (kantor camat, kantor lurah); their coordinates are approximate.

// Each kelurahan with an approximate centre (latitude, longitude), for sending households to the nearest
// distribution site; read off the map to about a kilometre, which is all the allocation needs.
const kelurahan = (kecamatanCode: string, rows: [name: string, latitude: number, longitude: number][]) =>
  rows.map(([name, latitude, longitude], i) => ({ code: `${kecamatanCode}.${1001 + i}`, name, latitude, longitude }));

const KECAMATAN: KecamatanDefinition[] = [
  {
    code: '21.71.01',
    name: 'Belakang Padang',
    weight: 20,
    kelurahan: kelurahan('21.71.01', [
      ['Kasu', 1.117, 103.868],
      ['Pecong', 1.100, 103.835],
      ['Pemping', 1.172, 103.822],
      ['Pulau Terong', 1.060, 103.878],
      ['Sekanak Raya', 1.156, 103.895],
      ['Tanjung Sari', 1.151, 103.901],
    ]),
    sites: [
      { name: 'Kantor Camat Belakang Padang', address: 'Jl. Hang Jebat No. 1, Sekanak Raya, Belakang Padang', kelurahanCode: '21.71.01.1005', latitude: 1.15525, longitude: 103.89682 },
      { name: 'Kantor Lurah Tanjung Sari', address: 'Jl. Pelabuhan Rakyat, Tanjung Sari, Belakang Padang', kelurahanCode: '21.71.01.1006', latitude: 1.15204, longitude: 103.89951 },
    ],
  },
  {
    code: '21.71.02',
    name: 'Batu Ampar',
    weight: 60,
    kelurahan: kelurahan('21.71.02', [
      ['Batu Merah', 1.157, 104.018],
      ['Kampung Seraya', 1.163, 104.005],
      ['Sungai Jodoh', 1.149, 104.009],
      ['Tanjung Sengkuang', 1.155, 104.032],
    ]),
    sites: [
      { name: 'Kantor Camat Batu Ampar', address: 'Jl. Raja Ali Haji, Sungai Jodoh, Batu Ampar', kelurahanCode: '21.71.02.1003', latitude: 1.15302, longitude: 104.00604 },
      { name: 'Kantor Lurah Tanjung Sengkuang', address: 'Jl. Tanjung Sengkuang, Batu Ampar', kelurahanCode: '21.71.02.1004', latitude: 1.15401, longitude: 104.02703 },
    ],
  },
  {
    code: '21.71.03',
    name: 'Sekupang',
    weight: 120,
    kelurahan: kelurahan('21.71.03', [
      ['Patam Lestari', 1.103, 103.943],
      ['Sungai Harapan', 1.124, 103.944],
      ['Tanjung Pinggir', 1.143, 103.933],
      ['Tanjung Riau', 1.142, 103.956],
      ['Tiban Baru', 1.108, 103.966],
      ['Tiban Indah', 1.115, 103.960],
      ['Tiban Lama', 1.120, 103.972],
    ]),
    sites: [
      { name: 'Kantor Camat Sekupang', address: 'Jl. R.E. Martadinata, Sungai Harapan, Sekupang', kelurahanCode: '21.71.03.1002', latitude: 1.12303, longitude: 103.94305 },
      { name: 'Kantor Lurah Tiban Indah', address: 'Jl. Tiban Indah Permai, Tiban Indah, Sekupang', kelurahanCode: '21.71.03.1006', latitude: 1.11502, longitude: 103.96001 },
    ],
  },
  {
    code: '21.71.04',
    name: 'Nongsa',
    weight: 75,
    kelurahan: kelurahan('21.71.04', [
      ['Batu Besar', 1.138, 104.108],
      ['Kabil', 1.077, 104.098],
      ['Ngenang', 1.100, 104.152],
      ['Sambau', 1.168, 104.080],
    ]),
    sites: [
      { name: 'Kantor Camat Nongsa', address: 'Jl. Hang Lekir, Batu Besar, Nongsa', kelurahanCode: '21.71.04.1001', latitude: 1.13904, longitude: 104.10502 },
      { name: 'Kantor Lurah Kabil', address: 'Jl. Hang Kesturi, Kabil, Nongsa', kelurahanCode: '21.71.04.1002', latitude: 1.07703, longitude: 104.09805 },
    ],
  },
  {
    code: '21.71.05',
    name: 'Bulang',
    weight: 11,
    kelurahan: kelurahan('21.71.05', [
      ['Batu Legong', 0.996, 103.920],
      ['Bulang Lintang', 1.020, 103.948],
      ['Pantai Gelam', 1.048, 103.903],
      ['Pulau Buluh', 1.078, 103.946],
      ['Setokok', 1.033, 104.025],
      ['Temoyong', 1.006, 103.972],
    ]),
    sites: [
      { name: 'Kantor Camat Bulang', address: 'Jl. Pelabuhan Pulau Buluh, Pulau Buluh, Bulang', kelurahanCode: '21.71.05.1004', latitude: 1.07801, longitude: 103.94602 },
      { name: 'Balai Kelurahan Setokok', address: 'Jl. Trans Barelang, Setokok, Bulang', kelurahanCode: '21.71.05.1005', latitude: 1.03304, longitude: 104.02501 },
    ],
  },
  {
    code: '21.71.06',
    name: 'Lubuk Baja',
    weight: 90,
    kelurahan: kelurahan('21.71.06', [
      ['Baloi Indah', 1.135, 104.019],
      ['Batu Selicin', 1.141, 104.026],
      ['Kampung Pelita', 1.149, 104.014],
      ['Lubuk Baja Kota', 1.146, 104.009],
      ['Tanjung Uma', 1.154, 103.996],
    ]),
    sites: [
      { name: 'Kantor Camat Lubuk Baja', address: 'Jl. Raden Patah, Lubuk Baja Kota, Lubuk Baja', kelurahanCode: '21.71.06.1004', latitude: 1.14602, longitude: 104.01003 },
      { name: 'Kantor Lurah Baloi Indah', address: 'Jl. Imam Bonjol, Baloi Indah, Lubuk Baja', kelurahanCode: '21.71.06.1001', latitude: 1.13504, longitude: 104.01802 },
    ],
  },
  {
    code: '21.71.07',
    name: 'Sei Beduk',
    weight: 140,
    kelurahan: kelurahan('21.71.07', [
      ['Duriangkang', 1.058, 104.060],
      ['Mangsang', 1.052, 104.046],
      ['Muka Kuning', 1.068, 104.038],
      ['Tanjung Piayu', 1.040, 104.066],
    ]),
    sites: [
      { name: 'Kantor Camat Sei Beduk', address: 'Jl. Letjen Suprapto, Muka Kuning, Sei Beduk', kelurahanCode: '21.71.07.1003', latitude: 1.06803, longitude: 104.03805 },
      { name: 'Kantor Lurah Tanjung Piayu', address: 'Jl. Trans Barelang, Tanjung Piayu, Sei Beduk', kelurahanCode: '21.71.07.1004', latitude: 1.04002, longitude: 104.06504 },
    ],
  },
  {
    code: '21.71.08',
    name: 'Galang',
    weight: 17,
    kelurahan: kelurahan('21.71.08', [
      ['Air Raja', 0.966, 104.124],
      ['Galang Baru', 0.762, 104.252],
      ['Karas', 0.760, 104.330],
      ['Pulau Abang', 0.560, 104.255],
      ['Rempang Cate', 0.985, 104.098],
      ['Sembulang', 0.930, 104.128],
      ['Sijantung', 0.820, 104.190],
      ['Subang Mas', 0.877, 104.165],
    ]),
    sites: [
      { name: 'Kantor Camat Galang', address: 'Jl. Trans Barelang, Sembulang, Pulau Rempang, Galang', kelurahanCode: '21.71.08.1006', latitude: 0.93002, longitude: 104.13005 },
      { name: 'Kantor Lurah Sijantung', address: 'Jl. Trans Barelang, Sijantung, Pulau Galang, Galang', kelurahanCode: '21.71.08.1007', latitude: 0.82005, longitude: 104.19003 },
    ],
  },
  {
    code: '21.71.09',
    name: 'Bengkong',
    weight: 110,
    kelurahan: kelurahan('21.71.09', [
      ['Bengkong Indah', 1.148, 104.045],
      ['Bengkong Laut', 1.157, 104.043],
      ['Sadai', 1.141, 104.050],
      ['Tanjung Buntung', 1.150, 104.035],
    ]),
    sites: [
      { name: 'Kantor Camat Bengkong', address: 'Jl. Bengkong Laut, Bengkong Laut, Bengkong', kelurahanCode: '21.71.09.1002', latitude: 1.15603, longitude: 104.04102 },
      { name: 'Kantor Lurah Sadai', address: 'Jl. Bengkong Sadai, Sadai, Bengkong', kelurahanCode: '21.71.09.1003', latitude: 1.14005, longitude: 104.05004 },
    ],
  },
  {
    code: '21.71.10',
    name: 'Batam Kota',
    weight: 150,
    kelurahan: kelurahan('21.71.10', [
      ['Baloi Permai', 1.125, 104.040],
      ['Belian', 1.119, 104.066],
      ['Sukajadi', 1.131, 104.035],
      ['Sungai Panas', 1.128, 104.046],
      ['Taman Baloi', 1.118, 104.052],
      ['Teluk Tering', 1.133, 104.058],
    ]),
    sites: [
      { name: 'Kantor Camat Batam Kota', address: 'Jl. Raja Haji Fisabilillah, Teluk Tering, Batam Kota', kelurahanCode: '21.71.10.1006', latitude: 1.13004, longitude: 104.05403 },
      { name: 'Kantor Lurah Belian', address: 'Jl. Ahmad Yani, Belian, Batam Kota', kelurahanCode: '21.71.10.1002', latitude: 1.12002, longitude: 104.06205 },
    ],
  },
  {
    code: '21.71.11',
    name: 'Sagulung',
    weight: 200,
    kelurahan: kelurahan('21.71.11', [
      ['Sagulung Kota', 1.045, 103.976],
      ['Sungai Binti', 1.055, 103.987],
      ['Sungai Langkai', 1.040, 103.986],
      ['Sungai Lekop', 1.030, 103.968],
      ['Sungai Pelunggut', 1.027, 103.990],
      ['Tembesi', 1.060, 103.999],
    ]),
    sites: [
      { name: 'Kantor Camat Sagulung', address: 'Jl. Letjen R. Soeprapto, Sagulung Kota, Sagulung', kelurahanCode: '21.71.11.1001', latitude: 1.04503, longitude: 103.97504 },
      { name: 'Kantor Lurah Tembesi', address: 'Jl. Tembesi Raya, Tembesi, Sagulung', kelurahanCode: '21.71.11.1006', latitude: 1.05802, longitude: 103.99803 },
    ],
  },
  {
    code: '21.71.12',
    name: 'Batu Aji',
    weight: 125,
    kelurahan: kelurahan('21.71.12', [
      ['Bukit Tempayan', 1.066, 103.955],
      ['Buliang', 1.057, 103.967],
      ['Kibing', 1.062, 103.978],
      ['Tanjung Uncang', 1.045, 103.938],
    ]),
    sites: [
      { name: 'Kantor Camat Batu Aji', address: 'Jl. Brigjen Katamso, Buliang, Batu Aji', kelurahanCode: '21.71.12.1002', latitude: 1.05804, longitude: 103.96802 },
      { name: 'Kantor Lurah Tanjung Uncang', address: 'Jl. Brigjen Katamso, Tanjung Uncang, Batu Aji', kelurahanCode: '21.71.12.1004', latitude: 1.04502, longitude: 103.94003 },
    ],
  },
];

/**
 * Demo e-warong: one in each of the first three kelurahan of every kecamatan, a few hundred metres from the
 * kelurahan's centre, serving Sembako. Invented like the demo families, so every chat has some nearby.
 */
function demoAgents(all: KecamatanDefinition[]): AgentDefinition[] {
  const streets = ['Jl. Pasar Baru', 'Jl. Merdeka', 'Jl. Kenanga'];
  return all.flatMap((k) =>
    k.kelurahan.slice(0, 3).flatMap((l, i) => (l.latitude === undefined || l.longitude === undefined ? [] : [{
      name: `E-Warong KUBE ${l.name}`,
      kind: 'e_warong' as const,
      kelurahanCode: l.code,
      address: `${streets[i]} No. ${i + 7}, ${l.name}, ${k.name}`,
      latitude: Number((l.latitude + 0.0015 * (i + 1)).toFixed(6)),
      longitude: Number((l.longitude + 0.001).toFixed(6)),
      programs: ['SEMBAKO'],
      hours: 'Senin–Sabtu 08.00–17.00',
    }])),
  );
}

const DINSOS = 'Dinas Sosial dan Pemberdayaan Masyarakat Kota Batam';

export const BATAM: CityDefinition = {
  code: '21.71',
  name: 'Kota Batam',
  province: 'Kepulauan Riau',
  timezone: 'Asia/Jakarta',
  kecamatan: KECAMATAN,
  offices: [
    {
      name: DINSOS,
      nameEn: 'Social Affairs Office of Batam City (Dinas Sosial)',
      address: 'Jl. Engku Putri No. 1, Batam Centre (Gedung Pemko Batam)',
      hours: 'Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB',
      hoursEn: 'Monday–Thursday 08:00–16:00, Friday 08:00–16:30 WIB',
      schedule: [
        { days: [1, 2, 3, 4], opens: '08:00', closes: '16:00' },
        { days: [5], opens: '08:00', closes: '16:30' },
      ],
      kecamatanCode: '21.71.10',
    },
  ],
  programs: [
    // Order matters to the synthetic data: a program is decided after those it depends on (BKK after PKH).
    {
      code: 'PKH',
      name: 'Program Keluarga Harapan',
      nameEn: 'Family Hope Program (PKH)',
      agency: 'Kementerian Sosial',
      bidang: 'Linjamsos',
      funder: 'APBN',
      benefitType: 'cash',
      benefitAmount: 750_000,
      benefitPeriod: 'quarter',
      unit: 'household',
      // A family's PKH is the sum of its components (at most four, up to Rp3.000.000 a year each): at most
      // Rp3.000.000 a quarter. An imported amount above that is refused (domain/benefit.ts).
      rules: { maxDesil: 4, maxAmount: 3_000_000 },
      targetPerYear: 48000,
      requirements: 'Terdaftar di DTSEN desil 1–4 dan punya komponen PKH (ibu hamil, anak usia sekolah, lansia, atau penyandang disabilitas berat). Bawa KTP dan KK ke pendamping PKH di kelurahan.',
      requirementsEn: 'Listed in DTSEN decile 1–4 with a PKH component (pregnant mother, school-age child, elderly or severely disabled member). Bring your KTP and KK to the PKH facilitator at the kelurahan.',
      schedule: 'Disalurkan per triwulan lewat rekening bank Himbara atau PT Pos, biasanya pada bulan kedua triwulan.',
      scheduleEn: 'Paid every quarter into a state-bank account or through PT Pos, usually in the second month of the quarter.',
      demoShare: { byDesil: [0.55, 0.42, 0.3, 0.18] },
    },
    {
      code: 'SEMBAKO',
      name: 'Program Sembako (BPNT)',
      nameEn: 'Food Aid Program (Sembako/BPNT)',
      agency: 'Kementerian Sosial',
      bidang: 'Linjamsos',
      funder: 'APBN',
      benefitType: 'cash',
      benefitAmount: 200_000,
      benefitPeriod: 'month',
      unit: 'household',
      rules: { maxDesil: 4 },
      targetPerYear: 62000,
      requirements: 'Terdaftar di DTSEN desil 1–4. Bawa KTP dan KK saat mengambil bantuan.',
      requirementsEn: 'Listed in DTSEN decile 1–4. Bring your KTP and KK when you collect the aid.',
      schedule: 'Disalurkan setiap bulan; undangan dan tempat penyaluran dikirim lewat chat ini.',
      scheduleEn: 'Handed out every month; the invitation and the place are sent through this chat.',
      demoShare: { byDesil: [0.6, 0.5, 0.4, 0.3], withProgram: { code: 'PKH', share: 0.9 } },
    },
    {
      code: 'PBI-JK',
      name: 'Penerima Bantuan Iuran Jaminan Kesehatan',
      nameEn: 'Free national health insurance (PBI-JK)',
      agency: 'Kementerian Sosial',
      bidang: 'Linjamsos',
      funder: 'APBN',
      benefitType: 'insurance',
      benefitAmount: null,
      benefitPeriod: 'month',
      unit: 'person',
      // Desil 1–4 like the other demo programs, so the demo shows one clear line (Budi at desil 5 is above it).
      rules: { maxDesil: 4 },
      targetPerYear: 150000,
      requirements: 'Terdaftar di DTSEN desil 1–4. Kartu KIS dipakai di puskesmas dan rumah sakit mitra BPJS Kesehatan.',
      requirementsEn: 'Listed in DTSEN decile 1–4. The KIS card is used at puskesmas and hospitals that work with BPJS Kesehatan.',
      schedule: 'Iuran dibayar pemerintah setiap bulan. Tidak ada pengambilan.',
      scheduleEn: 'The government pays the premium every month. There is nothing to collect.',
      demoShare: { byDesil: [0.85, 0.8, 0.7, 0.6], wholeHousehold: true },
    },
    {
      code: 'LANSIA',
      name: 'Bansos Lansia Kota Batam',
      nameEn: 'Batam City Aid for the Elderly',
      agency: DINSOS,
      bidang: 'Rehsos',
      funder: 'APBD',
      benefitType: 'cash',
      benefitAmount: 300_000,
      benefitPeriod: 'month',
      unit: 'person',
      rules: { minAge: 60, maxDesil: 4 },
      targetPerYear: 6000,
      requirements: 'Berusia 60 tahun ke atas dan terdaftar di DTSEN desil 1–4. Bawa KTP dan KK ke kantor kelurahan.',
      requirementsEn: 'Aged 60 or over and listed in DTSEN decile 1–4. Bring your KTP and KK to the kelurahan office.',
      schedule: 'Dibayar setiap bulan lewat rekening bank. Pemberitahuan dikirim lewat chat ini.',
      scheduleEn: 'Paid every month into a bank account. You are told through this chat.',
      demoShare: { byDesil: [0.45, 0.35, 0.25, 0.15] },
    },
    {
      code: 'BKK',
      name: 'Bantuan Kesejahteraan Keluarga Kota Batam',
      nameEn: 'Batam City Family Welfare Aid',
      agency: DINSOS,
      bidang: 'Linjamsos',
      funder: 'APBD',
      benefitType: 'cash',
      benefitAmount: 1_000_000,
      benefitPeriod: 'year',
      unit: 'household',
      rules: { maxDesil: 4, excludedWith: ['PKH'] },
      targetPerYear: 4000,
      requirements: 'Terdaftar di DTSEN desil 1–4 dan tidak menerima PKH. Bawa KTP dan KK ke kantor kelurahan.',
      requirementsEn: 'Listed in DTSEN decile 1–4 and not receiving PKH. Bring your KTP and KK to the kelurahan office.',
      schedule: 'Dibayar sekali setahun, biasanya pada bulan November.',
      scheduleEn: 'Paid once a year, usually in November.',
      demoShare: { byDesil: [0.25, 0.2, 0.15, 0.1] },
    },
  ],
  agents: demoAgents(KECAMATAN),
  complaintRoutes: [
    { category: 'usulan', bidang: 'Linjamsos' },
    { category: 'sanggahan', bidang: 'Linjamsos' },
    { category: 'not_received', bidang: 'Linjamsos' },
    { category: 'site_too_far', bidang: 'Linjamsos' },
    { category: 'wrong_data', bidang: 'Linjamsos' },
    { category: 'service', bidang: 'PM' },
    { category: 'other', bidang: 'PM' },
    { category: 'ppks', bidang: 'Rehsos' },
  ],
  holidays: INDONESIA_HOLIDAYS,
  upcomingEvent: {
    programCode: 'SEMBAKO',
    kecamatanCode: '21.71.10',
    daysAhead: 14,
    slots: [
      { start: '09:00', end: '11:00' },
      { start: '11:00', end: '13:00' },
    ],
    capacity: 200,
    fill: 0.5,
  },
  demoHouseholds: BATAM_DEMO_HOUSEHOLDS,
  streets: [
    'Ahmad Yani', 'Engku Putri', 'Raja Haji Fisabilillah', 'Raja Ali Haji', 'Sudirman', 'Gajah Mada',
    'Laksamana Bintan', 'Hang Tuah', 'Hang Jebat', 'Hang Kasturi', 'Hang Lekir', 'Yos Sudarso', 'Diponegoro',
    'Imam Bonjol', 'Teuku Umar', 'Brigjen Katamso', 'Letjen Suprapto', 'R.E. Martadinata', 'Duyung',
    'Bunga Raya', 'Kenanga', 'Melati', 'Mawar', 'Cempaka', 'Anggrek', 'Flamboyan', 'Merpati', 'Rajawali',
    'Pelabuhan', 'Pasar Baru', 'Pemuda', 'Merdeka', 'Pahlawan', 'Nusantara', 'Kartini', 'Cendrawasih',
    'Kuda Laut', 'Pattimura', 'Sultan Mahmud', 'Tun Abdul Jamal',
  ],
  housingEstates: [
    'Perumahan Griya Permata', 'Perumahan Bida Asri', 'Perumahan Cipta Asri', 'Perumahan Puri Legenda',
    'Perumahan Villa Pesona Asri', 'Perumahan Taman Lestari', 'Perumahan Mitra Raya', 'Perumahan Putra Jaya',
    'Perumahan Tiban Mas', 'Perumahan Pondok Mutiara', 'Perumahan Griya Batu Aji Asri', 'Perumahan Central Raya',
  ],
};

export { BATAM_DEMO_HOUSEHOLDS, DEMO_PHONES, DEMO_RESIDENTS } from './batam-residents.ts';
