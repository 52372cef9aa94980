import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  CODE_ALPHABET,
  CODE_BODY_LENGTH,
  CODE_LENGTH,
  formatInvitationCode,
  generateInvitationCode,
  isValidInvitationCode,
  normalizeInvitationCode,
} from '../../../src/domain/invitation-code.ts';
import { inflateSync } from 'node:zlib';
import { freshCodes } from '../../../src/services/distribution/codes.ts';
import { qrPng } from '../../../src/domain/qr-png.ts';
import { readQr } from '../../helpers/qr.ts';


/** Reads our own 1-bit greyscale PNG back into RGBA pixels (what a phone camera would see). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([1, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = Math.ceil(width / 8);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0);
    for (let x = 0; x < width; x++) {
      const bit = (raw[y * (stride + 1) + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1;
      rgba.fill(bit ? 255 : 0, (y * width + x) * 4, (y * width + x) * 4 + 3);
      rgba[(y * width + x) * 4 + 3] = 255;
    }
  }
  return { width, height, rgba };
}

const body = fc.array(fc.constantFrom(...CODE_ALPHABET), { minLength: CODE_BODY_LENGTH, maxLength: CODE_BODY_LENGTH }).map((a) => a.join(''));
const code = body.map((b) => b + checkCharacter(b));

describe('invitation codes', () => {
  it('use no character that is misread aloud or in handwriting', () => {
    for (const c of '0O1IL5S2Z8BUV') expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it('are eight characters of the alphabet with a valid check, and differ from each other', () => {
    const many = Array.from({ length: 2000 }, () => generateInvitationCode());
    for (const c of many) {
      expect(c).toHaveLength(CODE_LENGTH);
      expect([...c].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
      expect(isValidInvitationCode(c)).toBe(true);
    }
    expect(new Set(many).size).toBe(many.length);
    expect(new Set(freshCodes(5000)).size).toBe(5000);
  });

  it('are shown in two groups of four and read back from what people type', () => {
    expect(formatInvitationCode('K7MQ4XRT')).toBe('K7MQ-4XRT');
    expect(normalizeInvitationCode(' k7mq - 4xrt ')).toBe('K7MQ4XRT');
    expect(normalizeInvitationCode('k7mq.4xr_t')).toBe('K7MQ4XRT');
    fc.assert(
      fc.property(code, fc.constantFrom('', ' ', '-', ' - '), fc.boolean(), (c, sep, lower) => {
        const typed = `${c.slice(0, 4)}${sep}${c.slice(4)}`;
        const asTyped = lower ? typed.toLowerCase() : typed;
        expect(normalizeInvitationCode(asTyped)).toBe(c);
        expect(isValidInvitationCode(asTyped)).toBe(true);
        expect(normalizeInvitationCode(formatInvitationCode(c))).toBe(c);
      }),
    );
  });

  it('catch every single wrong character', () => {
    fc.assert(
      fc.property(code, fc.nat({ max: CODE_LENGTH - 1 }), fc.constantFrom(...CODE_ALPHABET), (c, at, ch) => {
        fc.pre(c[at] !== ch);
        const typo = c.slice(0, at) + ch + c.slice(at + 1);
        expect(isValidInvitationCode(typo)).toBe(false);
      }),
    );
  });

  it('catch two swapped characters of the body', () => {
    fc.assert(
      fc.property(code, fc.nat({ max: CODE_BODY_LENGTH - 1 }), fc.nat({ max: CODE_BODY_LENGTH - 1 }), (c, i, j) => {
        fc.pre(i !== j && c[i] !== c[j]);
        const chars = [...c];
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
        expect(isValidInvitationCode(chars.join(''))).toBe(false);
      }),
    );
  });

  it('refuse the wrong length, foreign characters and nonsense', () => {
    const c = generateInvitationCode();
    expect(isValidInvitationCode(c.slice(1))).toBe(false);
    expect(isValidInvitationCode(`${c}A`)).toBe(false);
    expect(isValidInvitationCode('O0O0-O0O0')).toBe(false);
    expect(isValidInvitationCode('')).toBe(false);
    fc.assert(fc.property(fc.string(), (s) => void isValidInvitationCode(s)));
  });

  it('become a QR image that a scanner reads back as the code', () => {
    for (const code of [...freshCodes(20), 'AB23CD']) {
      const { width, height, rgba } = decodePng(qrPng(code));
      expect(readQr(rgba, width, height)).toBe(code);
    }
  });

  it('draw from crypto random and spread over the whole alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) for (const ch of generateInvitationCode().slice(0, CODE_BODY_LENGTH)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(CODE_ALPHABET.length);
    // 21,000 draws over 23 characters: about 913 each; a broken generator would be far off.
    for (const n of counts.values()) expect(n).toBeGreaterThan(700);
  });
});
