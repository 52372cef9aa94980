import { describe, expect, it } from 'vitest';
import { readIdNumber } from '../../src/domain/nik.ts';

// Where a NIK or a KK number is asked: the sixteen digits out of what a resident typed.
describe('readIdNumber', () => {
  it.each([
    ['2171105203850001', '2171105203850001'],
    ['2171 1052 0385 0001', '2171105203850001'],
    ['2171-1052-0385-0001', '2171105203850001'],
    ['2171.1052.0385.0001', '2171105203850001'],
    ['2171 - 1052 - 0385 - 0001', '2171105203850001'],
    ['217110 520385 0001', '2171105203850001'],
    ['nik saya 2171105203850001', '2171105203850001'],
    ['NIK saya 2171 1052 0385 0001 pak', '2171105203850001'],
    ['NIK:2171105203850001', '2171105203850001'],
    ['no. kk 2171 1002 0718 0005, terima kasih', '2171100207180005'],
    // A date after the number is not part of it.
    ['2171105203850001 12-03-1985', '2171105203850001'],
    ['NIK 2171105203850001, lahir 12 03 1985', '2171105203850001'],
  ])('%j → %s', (text, digits) => {
    expect(readIdNumber(text)).toEqual({ kind: 'number', digits });
  });

  it('prefers the number its label names when the text holds two', () => {
    const text = 'KK 2171100207180005 NIK 2171105203850001';
    expect(readIdNumber(text)).toEqual({ kind: 'number', digits: '2171100207180005' });
    expect(readIdNumber(text, /\bnik\b/i)).toEqual({ kind: 'number', digits: '2171105203850001' });
    expect(readIdNumber(text, /\bkk\b/i)).toEqual({ kind: 'number', digits: '2171100207180005' });
  });

  it.each([
    ['', { kind: 'none' }],
    ['tidak tahu', { kind: 'none' }],
    ['21711O5203850001', { kind: 'letter' }],
    ['nik saya 2171l05203850001', { kind: 'letter' }],
    ['2171 1052.0385-000', { kind: 'length', count: 15 }],
    ['nik saya 2171 1052 0385 000 pak', { kind: 'length', count: 15 }],
    // Seventeen digits in a row are not a NIK with one digit too many: a group is never cut.
    ['21711052038500011', { kind: 'length', count: 17 }],
    ['12345', { kind: 'length', count: 5 }],
    // A comma or a word ends a number: two halves are not one NIK.
    ['21711052, 03850001', { kind: 'length', count: 8 }],
    ['2171 1052 dan 0385 0001', { kind: 'length', count: 8 }],
  ] as const)('%j → %o', (text, reading) => {
    expect(readIdNumber(text)).toEqual(reading);
  });
});
