import type { HolidayDefinition } from './city.ts';

// Indonesia's national holidays (hari libur nasional) and collective leave (cuti bersama). Government
// offices close on both, so both stop the working-day clock of complaint deadlines.
//
// 2026: SKB Menteri Agama, Menteri Ketenagakerjaan and Menteri PANRB No. 1497/2025, 2/2025, 5/2025.
// 2027: projected from the Hijri, Chinese, Saka and Easter calendars; no cuti bersama yet. Replace with the
// SKB for 2027 (admins can edit the table) — the Islamic dates may move by a day after sighting.

const SKB_2026: HolidayDefinition[] = [
  { day: '2026-01-01', name: 'Tahun Baru 2026 Masehi' },
  { day: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW' },
  { day: '2026-02-16', name: 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili' },
  { day: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili' },
  { day: '2026-03-18', name: 'Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948' },
  { day: '2026-03-19', name: 'Hari Suci Nyepi Tahun Baru Saka 1948' },
  { day: '2026-03-20', name: 'Cuti Bersama Idul Fitri 1447 Hijriah' },
  { day: '2026-03-21', name: 'Idul Fitri 1447 Hijriah' },
  { day: '2026-03-22', name: 'Idul Fitri 1447 Hijriah' },
  { day: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 Hijriah' },
  { day: '2026-03-24', name: 'Cuti Bersama Idul Fitri 1447 Hijriah' },
  { day: '2026-04-03', name: 'Wafat Yesus Kristus' },
  { day: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { day: '2026-05-01', name: 'Hari Buruh Internasional' },
  { day: '2026-05-14', name: 'Kenaikan Yesus Kristus' },
  { day: '2026-05-15', name: 'Cuti Bersama Kenaikan Yesus Kristus' },
  { day: '2026-05-27', name: 'Idul Adha 1447 Hijriah' },
  { day: '2026-05-28', name: 'Cuti Bersama Idul Adha 1447 Hijriah' },
  { day: '2026-05-31', name: 'Hari Raya Waisak 2570 BE' },
  { day: '2026-06-01', name: 'Hari Lahir Pancasila' },
  { day: '2026-06-16', name: '1 Muharam Tahun Baru Islam 1448 Hijriah' },
  { day: '2026-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia' },
  { day: '2026-08-25', name: 'Maulid Nabi Muhammad SAW' },
  { day: '2026-12-24', name: 'Cuti Bersama Kelahiran Yesus Kristus' },
  { day: '2026-12-25', name: 'Kelahiran Yesus Kristus' },
];

const PROJECTED_2027: HolidayDefinition[] = [
  { day: '2027-01-01', name: 'Tahun Baru 2027 Masehi' },
  { day: '2027-01-05', name: 'Isra Mikraj Nabi Muhammad SAW' },
  { day: '2027-02-06', name: 'Tahun Baru Imlek 2578 Kongzili' },
  { day: '2027-03-09', name: 'Hari Suci Nyepi Tahun Baru Saka 1949' },
  { day: '2027-03-10', name: 'Idul Fitri 1448 Hijriah' },
  { day: '2027-03-11', name: 'Idul Fitri 1448 Hijriah' },
  { day: '2027-03-26', name: 'Wafat Yesus Kristus' },
  { day: '2027-03-28', name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { day: '2027-05-01', name: 'Hari Buruh Internasional' },
  { day: '2027-05-06', name: 'Kenaikan Yesus Kristus' },
  { day: '2027-05-17', name: 'Idul Adha 1448 Hijriah' },
  { day: '2027-05-20', name: 'Hari Raya Waisak 2571 BE' },
  { day: '2027-06-01', name: 'Hari Lahir Pancasila' },
  { day: '2027-06-06', name: '1 Muharam Tahun Baru Islam 1449 Hijriah' },
  { day: '2027-08-15', name: 'Maulid Nabi Muhammad SAW' },
  { day: '2027-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia' },
  { day: '2027-12-25', name: 'Kelahiran Yesus Kristus' },
];

export const INDONESIA_HOLIDAYS: HolidayDefinition[] = [...SKB_2026, ...PROJECTED_2027];
