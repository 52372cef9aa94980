import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskIdNumbers, maskName, maskNumber } from '../../src/domain/mask.ts';

describe('maskName', () => {
  it('keeps the first letter of each word and at most four stars, so long names do not stand out', () => {
    expect(maskName('Siti Aminah')).toBe('S*** A****');
    expect(maskName('Budi')).toBe('B***');
    expect(maskName('Muhammad Rizki Pratama')).toBe('M**** R**** P****');
  });

  it('collapses extra spaces and handles odd input', () => {
    expect(maskName('  Ahmad   Yusuf ')).toBe('A**** Y****');
    expect(maskName('')).toBe('');
    expect(maskName('H. Ahmad')).toBe('H* A****');
    expect(maskName('Ni Luh Ayu Ésa')).toBe('N* L** A** É**');
  });
});

describe('maskIdNumber', () => {
  it('keeps the area (province, city, kecamatan) and the serial of a NIK or KK, and hides the birth date', () => {
    expect(maskIdNumber('2171105203850001')).toBe('217110******0001');
    expect(maskIdNumber('2171105203850001')).not.toContain('520385');
  });

  it('hides both ends of anything that is not sixteen digits', () => {
    expect(maskIdNumber('21711052038500')).toBe('2171******8500');
  });
});

describe('maskNumber', () => {
  it('keeps the first and last four digits by default', () => {
    expect(maskNumber('2171105203850001')).toBe('2171********0001');
  });

  it('hides everything when too short to keep both ends', () => {
    expect(maskNumber('12345678')).toBe('********');
    expect(maskNumber('')).toBe('');
  });

  it('takes other widths, e.g. for phone numbers', () => {
    expect(maskNumber('081234567890', 4, 3)).toBe('0812*****890');
    expect(maskNumber('081234567890', 0, 0)).toBe('************');
  });
});

describe('maskIdNumbers', () => {
  it('masks a NIK or KK wherever it stands in a message, typed whole or in groups', () => {
    expect(maskIdNumbers('2171105203850001')).toBe('217110******0001');
    expect(maskIdNumbers('NIK saya 2171 1052 0385 0001 ya')).toBe('NIK saya 217110******0001 ya');
    expect(maskIdNumbers('KK 2171.1001.0110.0001, HP 081234567890')).toBe('KK 217110******0001, HP 081234567890');
  });

  it('leaves shorter and longer digit runs alone', () => {
    expect(maskIdNumbers('lahir 12-03-1985, kode ABC123')).toBe('lahir 12-03-1985, kode ABC123');
    expect(maskIdNumbers('12345678901234567')).toBe('12345678901234567');
  });
});
