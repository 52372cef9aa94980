import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaDigits, isValidNik, makeNik, nikAgrees, nikBirthPart, parseNik, type Sex } from '../../src/domain/nik.ts';

describe('nikBirthPart', () => {
  it('writes DDMMYY, adding 40 to the day for women', () => {
    expect(nikBirthPart('1985-03-12', 'P')).toBe('520385');
    expect(nikBirthPart('1952-01-05', 'L')).toBe('050152');
    expect(nikBirthPart('2000-12-31', 'P')).toBe('711200');
  });

  it('refuses impossible dates', () => {
    expect(() => nikBirthPart('1985-02-30', 'L')).toThrow(RangeError);
    expect(() => nikBirthPart('12-03-1985', 'L')).toThrow(RangeError);
  });
});

describe('parseNik', () => {
  it('reads area, birth date, sex and serial', () => {
    expect(parseNik('2171105203850001')).toEqual({
      areaCode: '217110',
      provinceCode: '21',
      cityCode: '71',
      kecamatanCode: '10',
      birthDay: 12,
      birthMonth: 3,
      birthYearTwoDigits: 85,
      sex: 'P',
      serial: '0001',
    });
    expect(parseNik('2171060501520002')?.sex).toBe('L');
  });

  it.each([
    ['too short', '217110520385000'],
    ['too long', '21711052038500011'],
    ['letters', '21711052038500O1'],
    ['spaces', '2171 105203850001'],
    ['serial 0000', '2171105203850000'],
    ['month 13', '2171101213850001'],
    ['day 0', '2171100003850001'],
    ['day 32', '2171103203850001'],
    ['day 40 (neither reading)', '2171104003850001'],
    ['day 72', '2171107203850001'],
    ['31 April', '2171103104850001'],
    ['30 February', '2171103002850001'],
    ['area 00', '0071105203850001'],
  ])('rejects %s', (_, nik) => {
    expect(parseNik(nik)).toBeNull();
    expect(isValidNik(nik)).toBe(false);
  });

  it('accepts 29 February, since the century is unknown', () => {
    expect(parseNik('2171106902000001')?.birthDay).toBe(29);
  });
});

describe('nikAgrees', () => {
  it('matches the four demo residents', () => {
    expect(nikAgrees('2171105203850001', '1985-03-12', 'P')).toBe(true);
    expect(nikAgrees('2171060501520002', '1952-01-05', 'L')).toBe(true);
    expect(nikAgrees('2171112007900003', '1990-07-20', 'L')).toBe(true);
    expect(nikAgrees('2171034110780004', '1978-10-01', 'P')).toBe(true);
  });

  it('accepts either sex when it is not known', () => {
    expect(nikAgrees('2171105203850001', '1985-03-12')).toBe(true);
    expect(nikAgrees('2171060501520002', '1952-01-05')).toBe(true);
  });

  it('rejects a wrong date, a wrong sex, or a malformed NIK', () => {
    expect(nikAgrees('2171105203850001', '1985-03-13')).toBe(false);
    expect(nikAgrees('2171105203850001', '1985-04-12')).toBe(false);
    expect(nikAgrees('2171105203850001', '1995-03-12')).toBe(false);
    expect(nikAgrees('2171105203850001', '1985-03-12', 'L')).toBe(false);
    expect(nikAgrees('2171105203850000', '1985-03-12')).toBe(false);
    expect(nikAgrees('2171105203850001', 'not a date')).toBe(false);
  });

  it('compares only the last two digits of the year', () => {
    expect(nikAgrees('2171105203850001', '1885-03-12')).toBe(true);
  });
});

describe('makeNik', () => {
  it('builds a NIK from a kecamatan code', () => {
    expect(makeNik('21.71.10', '1985-03-12', 'P', 1)).toBe('2171105203850001');
    expect(makeNik('21.71.03', '1978-10-01', 'P', 4)).toBe('2171034110780004');
    expect(areaDigits('21.71.10')).toBe('217110');
  });

  it('refuses a bad area code or serial', () => {
    expect(() => makeNik('21.71', '1985-03-12', 'P', 1)).toThrow(RangeError);
    expect(() => makeNik('21.71.10', '1985-03-12', 'P', 0)).toThrow(RangeError);
    expect(() => makeNik('21.71.10', '1985-03-12', 'P', 10_000)).toThrow(RangeError);
  });

  it('always gives a NIK that parses back and agrees with its birth date and sex', () => {
    const date = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.constantFrom<Sex>('L', 'P'), fc.integer({ min: 1, max: 9999 }), (birthDate, sex, serial) => {
        const nik = makeNik('21.71.10', birthDate, sex, serial);
        const parts = parseNik(nik);
        expect(parts?.sex).toBe(sex);
        expect(parts?.areaCode).toBe('217110');
        expect(nikAgrees(nik, birthDate, sex)).toBe(true);
        expect(nikAgrees(nik, birthDate)).toBe(true);
      }),
    );
  });
});
