// Indonesian names for synthetic residents, mixed the way a migrant city like Batam is: Melayu, Jawa,
// Minang and Bugis names without a family name, and Batak, Tionghoa, Flores and Manado families that pass
// a family name to their children. Invented combinations; any match with a real person is chance.

export const MALE_GIVEN = [
  'Ahmad', 'Muhammad', 'Budi', 'Agus', 'Andi', 'Rahmat', 'Hendra', 'Joko', 'Dedi', 'Eko', 'Fajar', 'Hadi',
  'Imam', 'Irfan', 'Rizki', 'Yusuf', 'Arif', 'Bambang', 'Dani', 'Doni', 'Faisal', 'Gilang', 'Hasan',
  'Ilham', 'Indra', 'Joni', 'Kurniawan', 'Lukman', 'Made', 'Nanda', 'Nur', 'Putra', 'Raden', 'Rudi',
  'Samsul', 'Slamet', 'Sugeng', 'Syahrul', 'Taufik', 'Teguh', 'Wahyu', 'Yoga', 'Zainal', 'Abdul', 'Aldi',
  'Bayu', 'Dimas', 'Edi', 'Firman', 'Haris', 'Iwan', 'Jefri', 'Khairul', 'Mulyadi', 'Rizal', 'Sandi',
  'Yohanes', 'Petrus', 'Fransiskus', 'Robert', 'Daniel', 'Michael', 'Stefanus', 'Hendrik', 'Wilson', 'Riko',
];

export const FEMALE_GIVEN = [
  'Siti', 'Nur', 'Dewi', 'Sri', 'Rina', 'Wati', 'Yuli', 'Ani', 'Lestari', 'Fitri', 'Putri', 'Ayu', 'Dian',
  'Eka', 'Fatimah', 'Indah', 'Lina', 'Maya', 'Nia', 'Novi', 'Ratna', 'Rini', 'Sari', 'Tuti', 'Wulan',
  'Yanti', 'Aisyah', 'Ainun', 'Anisa', 'Citra', 'Desi', 'Endang', 'Erna', 'Hartini', 'Ida', 'Juliana',
  'Kartika', 'Lia', 'Mega', 'Nurul', 'Puspita', 'Rahma', 'Ratih', 'Rosmawati', 'Suryani', 'Tina', 'Umi',
  'Vina', 'Yenni', 'Zahra', 'Maria', 'Theresia', 'Agustina', 'Elisabeth', 'Yohana', 'Meiliana', 'Susanti',
];

export const MALE_SECOND = [
  'Santoso', 'Hidayat', 'Saputra', 'Pratama', 'Setiawan', 'Gunawan', 'Wijaya', 'Kurniawan', 'Hakim',
  'Ramadhan', 'Firmansyah', 'Nugroho', 'Prasetyo', 'Siregar', 'Syahputra', 'Hermawan', 'Susanto', 'Yusuf',
  'Fauzi', 'Rahman', 'Maulana', 'Wibowo', 'Kusuma', 'Purnomo', 'Sutrisno', 'Hasibuan', 'Effendi', 'Ali',
];

export const FEMALE_SECOND = [
  'Aminah', 'Lestari', 'Wahyuni', 'Rahmawati', 'Handayani', 'Susanti', 'Safitri', 'Anggraini', 'Puspitasari',
  'Permata', 'Ramadhani', 'Kartini', 'Wulandari', 'Sulistyowati', 'Marlina', 'Hasanah', 'Nurhaliza',
  'Maharani', 'Oktaviani', 'Yuliana', 'Sartika', 'Utami', 'Fitriani', 'Agustina', 'Rohani', 'Syafitri',
];

/** Family names passed from father to children. */
export const FAMILY_NAMES = [
  'Simanjuntak', 'Siregar', 'Nainggolan', 'Sitompul', 'Hutapea', 'Sinaga', 'Manurung', 'Pardede', 'Tambunan',
  'Lubis', 'Harahap', 'Nasution', 'Tanoto', 'Halim', 'Salim', 'Tanjaya', 'Sutanto', 'Lewar', 'Da Costa',
  'Fernandez', 'Sumual', 'Wenas', 'Lumban Gaol', 'Ginting', 'Tarigan', 'Sembiring', 'Purba', 'Saragih',
];
