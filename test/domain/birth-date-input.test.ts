import { describe, expect, it } from 'vitest';
import { parseBirthDate } from '../../src/domain/dates.ts';

// 10:00 WIB on 15 June 2026.
const today = new Date('2026-06-15T03:00:00Z');

describe('parseBirthDate: the forms of issue 17', () => {
  it.each([
    ['12-3-85', '1985-03-12'],
    ['12 mrt 1985', '1985-03-12'],
    ['12 Mrt 85', '1985-03-12'],
    ['12 Mar 1985', '1985-03-12'],
    ['12/03/1985', '1985-03-12'],
    ['12.03.1985', '1985-03-12'],
    ['17 ags 1990', '1990-08-17'],
    ['17 Agst 1990', '1990-08-17'],
    // The KTP's "Tempat/Tgl Lahir": the place before a comma.
    ['Batam, 12-03-1985', '1985-03-12'],
    ['BATAM, 12 MARET 1985', '1985-03-12'],
    ['Tanjung Pinang,12-03-1985', '1985-03-12'],
    ['Tempat/Tgl Lahir: Batam, 12-03-1985', '1985-03-12'],
    ['tgl lahir 12 mrt 1985', '1985-03-12'],
    ['12-03-1985 pak', '1985-03-12'],
  ])('%j → %s', (text, iso) => {
    expect(parseBirthDate(text, today)).toBe(iso);
  });

  it.each([
    // Two-digit years: this century when that day has come, else the last.
    ['30-12-05', '2005-12-30'],
    ['15-06-26', '2026-06-15'],
    ['16-06-26', '1926-06-16'],
    ['01-01-00', '2000-01-01'],
    ['12-03-85', '1985-03-12'],
    ['31-12-99', '1999-12-31'],
  ])('two-digit year %j → %s', (text, iso) => {
    expect(parseBirthDate(text, today)).toBe(iso);
  });

  it.each([['Batam'], ['Batam, 12-03'], ['Batam, 31-02-1985'], ['rt 03 rw 05'], ['umur 40'], ['Batam, 12 Foo 1985'], ['2171105203850001'], ['lahir tahun 1985']])(
    'rejects %j',
    (text) => {
      expect(parseBirthDate(text, today)).toBeNull();
    },
  );
});
