import { describe, expect, it } from 'vitest';
import { matchByName, nameScore } from '../../src/domain/name-match.ts';

// Which one a resident meant: the code, part of a name, a typo; none when two fit equally well.

const GENERIC = new Set(['program', 'bantuan', 'bansos', 'kota', 'batam']);
const PROGRAMS = [
  { item: 'PKH', names: ['PKH', 'Program Keluarga Harapan', 'Family Hope Program (PKH)'] },
  { item: 'SEMBAKO', names: ['SEMBAKO', 'Program Sembako (BPNT)', null] },
  { item: 'LANSIA', names: ['LANSIA', 'Bansos Lansia Kota Batam', 'Batam City Aid for the Elderly'] },
  { item: 'BKK', names: ['BKK', 'Bantuan Kesejahteraan Keluarga Kota Batam', null] },
];

describe('matchByName', () => {
  it.each([
    ['PKH', 'PKH'],
    ['pkh saya belum cair', 'PKH'],
    ['sembako', 'SEMBAKO'],
    ['BPNT', 'SEMBAKO'],
    ['sembakko', 'SEMBAKO'],
    ['Bansos Lansia', 'LANSIA'],
    ['elderly', 'LANSIA'],
    ['keluarga harapan', 'PKH'],
  ])('reads %j as %s', (typed, code) => {
    expect(matchByName(typed, PROGRAMS, GENERIC)).toBe(code);
  });

  it('names none when nothing fits, when only generic words are typed, or when two fit equally well', () => {
    expect(matchByName('tidak tahu', PROGRAMS, GENERIC)).toBeNull();
    expect(matchByName('bantuan kota', PROGRAMS, GENERIC)).toBeNull();
    // "Keluarga" is in PKH's name and BKK's.
    expect(matchByName('keluarga', PROGRAMS, GENERIC)).toBeNull();
    expect(matchByName('', PROGRAMS, GENERIC)).toBeNull();
  });

  it('scores the very name above a part of it, and a part above a typo', () => {
    expect(nameScore('sembako', 'SEMBAKO')).toBe(4);
    expect(nameScore('sembako', 'Program Sembako (BPNT)')).toBe(3);
    expect(nameScore('sembako bulan ini', 'SEMBAKO')).toBe(2);
    expect(nameScore('sembakko', 'SEMBAKO')).toBe(1);
    expect(nameScore('pkh', 'SEMBAKO')).toBe(0);
  });
});
