import { describe, expect, it } from 'vitest';
import { formatRupiah } from '../../src/domain/money.ts';

describe('formatRupiah', () => {
  it.each([
    [0, 'Rp0'],
    [500, 'Rp500'],
    [1000, 'Rp1.000'],
    [200000, 'Rp200.000'],
    [300000, 'Rp300.000'],
    [2400000, 'Rp2.400.000'],
    [1234567890, 'Rp1.234.567.890'],
    [-75000, '-Rp75.000'],
    [1999.6, 'Rp2.000'],
  ])('%d → %s', (amount, text) => {
    expect(formatRupiah(amount)).toBe(text);
  });
});

describe('formatRupiah in English', () => {
  it.each([
    [0, 'Rp0'],
    [750000, 'Rp750,000'],
    [2400000, 'Rp2,400,000'],
    [-75000, '-Rp75,000'],
  ])('%d → %s', (amount, text) => {
    expect(formatRupiah(amount, 'en')).toBe(text);
  });
});
