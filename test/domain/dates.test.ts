import { describe, expect, it } from 'vitest';
import { addDays, ageOn, formatDate, formatDateTime, formatTime, parseBirthDate, todayIn } from '../../src/domain/dates.ts';

// 10:00 WIB on 15 June 2026.
const today = new Date('2026-06-15T03:00:00Z');

describe('parseBirthDate', () => {
  it.each([
    ['12-03-1985', '1985-03-12'],
    ['12/3/1985', '1985-03-12'],
    ['12.03.1985', '1985-03-12'],
    ['1985-03-12', '1985-03-12'],
    ['1985/3/12', '1985-03-12'],
    ['12 03 1985', '1985-03-12'],
    ['12 Maret 1985', '1985-03-12'],
    ['12 march 1985', '1985-03-12'],
    ['12 Mar 1985', '1985-03-12'],
    ['12 Mar. 1985', '1985-03-12'],
    ['12-mar-1985', '1985-03-12'],
    ['12maret1985', '1985-03-12'],
    ['  12   MARET   1985. ', '1985-03-12'],
    ['12 - 03 - 1985', '1985-03-12'],
    ['12-03-1985.', '1985-03-12'],
    ['5 Jan 1952', '1952-01-05'],
    ['1 Februari 1990', '1990-02-01'],
    ['1 Peb 1990', '1990-02-01'],
    ['1 Pebruari 1990', '1990-02-01'],
    ['1 Apr 1990', '1990-04-01'],
    ['1 Mei 1990', '1990-05-01'],
    ['1 May 1990', '1990-05-01'],
    ['1 Jun 1990', '1990-06-01'],
    ['1 Juli 1990', '1990-07-01'],
    ['20 Agustus 1990', '1990-08-20'],
    ['20 Agu 1990', '1990-08-20'],
    ['20 Agt 1990', '1990-08-20'],
    ['20 Aug 1990', '1990-08-20'],
    ['1 Sep 1978', '1978-09-01'],
    ['1 Sept 1978', '1978-09-01'],
    ['1 Okt 1978', '1978-10-01'],
    ['1 Oct 1978', '1978-10-01'],
    ['1 Nop 1978', '1978-11-01'],
    ['1 Nov 1978', '1978-11-01'],
    ['1 Des 1978', '1978-12-01'],
    ['1 Dec 1978', '1978-12-01'],
    ['1 December 1978', '1978-12-01'],
    ['120385', '1985-03-12'],
    ['12031985', '1985-03-12'],
    ['19850312', '1985-03-12'],
    ['29-02-2000', '2000-02-29'],
    ['010100', '2000-01-01'],
    // DDMMYY: 20xx when not after today, else 19xx.
    ['150626', '2026-06-15'],
    ['160626', '1926-06-16'],
    ['010130', '1930-01-01'],
    ['12-03-85', '1985-03-12'],
    ['1 Jan 1900', '1900-01-01'],
  ])('%j → %s', (text, iso) => {
    expect(parseBirthDate(text, today)).toBe(iso);
  });

  it.each([
    [''],
    ['   '],
    ['31-02-1985'],
    ['29-02-2001'],
    ['31 April 1990'],
    ['00-01-1990'],
    ['12-13-1985'],
    ['16-06-2026'], // tomorrow
    ['1 Jan 2030'],
    ['31-12-1899'],
    ['12 Foo 1985'],
    ['hello'],
    ['1985'],
    ['12-03'],
    ['1234567'],
    ['123456789'],
    ['320185'],
  ])('rejects %j', (text) => {
    expect(parseBirthDate(text, today)).toBeNull();
  });

  it('takes today in the given zone: 23:30 UTC on 14 June is already 15 June in Jakarta', () => {
    const lateUtc = new Date('2026-06-14T23:30:00Z');
    expect(parseBirthDate('15-06-2026', lateUtc)).toBe('2026-06-15');
    expect(parseBirthDate('15-06-2026', lateUtc, 'UTC')).toBeNull();
  });
});

describe('formatDate', () => {
  it.each([
    ['2026-12-07', 'id', 'Senin, 7 Desember 2026'],
    ['2026-12-07', 'en', 'Monday, 7 December 2026'],
    ['2026-08-17', 'id', 'Senin, 17 Agustus 2026'],
    ['2026-01-02', 'id', 'Jumat, 2 Januari 2026'],
    ['2026-05-31', 'id', 'Minggu, 31 Mei 2026'],
    ['2024-02-29', 'en', 'Thursday, 29 February 2024'],
  ] as const)('%s (%s) → %s', (iso, locale, text) => {
    expect(formatDate(iso, locale)).toBe(text);
  });
});

describe('formatDateTime and formatTime', () => {
  const at9Wib = new Date('2026-12-07T02:00:00Z');
  it.each([
    ['id', 'Asia/Jakarta', 'Senin, 7 Desember 2026 pukul 09.00 WIB', '09.00 WIB'],
    ['en', 'Asia/Jakarta', 'Monday, 7 December 2026 at 09:00 WIB', '09:00 WIB'],
    ['id', 'Asia/Pontianak', 'Senin, 7 Desember 2026 pukul 09.00 WIB', '09.00 WIB'],
    ['id', 'Asia/Makassar', 'Senin, 7 Desember 2026 pukul 10.00 WITA', '10.00 WITA'],
    ['en', 'Asia/Jayapura', 'Monday, 7 December 2026 at 11:00 WIT', '11:00 WIT'],
    ['en', 'Europe/Amsterdam', 'Monday, 7 December 2026 at 03:00 Europe/Amsterdam', '03:00 Europe/Amsterdam'],
    ['en', 'UTC', 'Monday, 7 December 2026 at 02:00 UTC', '02:00 UTC'],
  ] as const)('%s in %s', (locale, tz, dateTime, time) => {
    expect(formatDateTime(at9Wib, locale, tz)).toBe(dateTime);
    expect(formatTime(at9Wib, locale, tz)).toBe(time);
  });

  it('crosses midnight into the next day in the zone', () => {
    const late = new Date('2026-12-06T17:30:00Z'); // 00:30 WIB on the 7th
    expect(formatDateTime(late, 'id', 'Asia/Jakarta')).toBe('Senin, 7 Desember 2026 pukul 00.30 WIB');
  });
});

describe('ageOn', () => {
  it.each([
    ['1985-03-12', '2026-03-11', 40],
    ['1985-03-12', '2026-03-12', 41],
    ['1952-01-05', '2026-06-15', 74],
    ['1966-06-15', '2026-06-15', 60],
    ['1966-06-16', '2026-06-15', 59],
    ['2000-02-29', '2023-02-28', 22],
    ['2000-02-29', '2023-03-01', 23],
    ['2000-02-29', '2024-02-29', 24],
    ['2026-06-15', '2026-06-15', 0],
  ])('born %s, on %s → %d', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe('todayIn and addDays', () => {
  it('reads the calendar day in the zone', () => {
    const t = new Date('2026-06-14T18:00:00Z');
    expect(todayIn('Asia/Jakarta', t)).toBe('2026-06-15');
    expect(todayIn('UTC', t)).toBe('2026-06-14');
    expect(todayIn('America/New_York', t)).toBe('2026-06-14');
  });
  it('adds calendar days across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
