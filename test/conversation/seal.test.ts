import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealData, unsealData } from '../../src/conversation/seal.ts';

const key = randomBytes(32);
const NIK = '2171105203850001';

describe('sealing session data', () => {
  it('seals every string holding a NIK or KK number, wherever it is, and opens it again', () => {
    const data = { nik: NIK, noKk: '2171 0000 0000 0001', answers: { nik: NIK, name: 'Rahmat', what: `NIK saya ${NIK}` }, list: [NIK, 'x'], candidate: 12, mode: 'nik' };
    const sealed = sealData(data, key, 7);
    const raw = JSON.stringify(sealed);
    expect(raw).not.toMatch(/\d{4}\D?\d{4}\D?\d{4}\D?\d{4}/);
    expect(sealed).toMatchObject({ answers: { name: 'Rahmat' }, candidate: 12, mode: 'nik' });
    expect(unsealData(sealed, key, 7)).toEqual(data);
  });

  it('drops what does not open: another chat, another key, a damaged value', () => {
    const sealed = sealData({ nik: NIK, keep: 'ok', list: [NIK] }, key, 7);
    expect(unsealData(sealed, key, 8)).toEqual({ keep: 'ok', list: [] });
    expect(unsealData(sealed, randomBytes(32), 7)).toEqual({ keep: 'ok', list: [] });
    expect(unsealData({ nik: 'sealed:v1:AAAA', keep: 'ok' }, key, 7)).toEqual({ keep: 'ok' });
  });

  it('keeps a resident’s own text that only looks sealed', () => {
    const data = { what: 'sealed:v1:hello' };
    expect(unsealData(sealData(data, key, 7), key, 7)).toEqual(data);
  });
});
