import { describe, expect, it } from 'vitest';
import { formatTrackingId, normalizeTrackingId } from '../../src/domain/tracking-id.ts';

describe('formatTrackingId', () => {
  it.each([
    ['2026-11-03T03:00:00Z', 42, 'Asia/Jakarta', 'ADU-2611-00042'],
    ['2026-11-30T18:00:00Z', 7, 'Asia/Jakarta', 'ADU-2612-00007'], // 01:00 WIB on 1 December
    ['2026-11-30T18:00:00Z', 7, 'UTC', 'ADU-2611-00007'],
    ['2030-01-01T00:00:00Z', 123456, 'Asia/Jakarta', 'ADU-3001-123456'],
  ])('%s #%d in %s → %s', (at, id, tz, expected) => {
    expect(formatTrackingId(new Date(at), id, tz)).toBe(expected);
  });
});

describe('normalizeTrackingId', () => {
  it.each([
    ['ADU-2611-00042', 'ADU-2611-00042'],
    ['adu-2611-00042', 'ADU-2611-00042'],
    ['adu 2611 00042', 'ADU-2611-00042'],
    ['  ADU 2611-00042 ', 'ADU-2611-00042'],
    ['ADU261100042', 'ADU-2611-00042'],
    ['ADU-2611-42', 'ADU-2611-00042'],
    ['2611-00042', 'ADU-2611-00042'],
    ['ADU.2611.00042', 'ADU-2611-00042'],
    ['ADU-3001-123456', 'ADU-3001-123456'],
  ])('%j → %s', (text, expected) => {
    expect(normalizeTrackingId(text)).toBe(expected);
  });

  it.each([[''], ['ADU'], ['hello'], ['ADU-26-00042'], ['ADU-2611'], ['ADU-2611-00000'], ['ADU-2611-00042-1'], ['ADU-26X1-00042']])(
    'rejects %j',
    (text) => {
      expect(normalizeTrackingId(text)).toBeNull();
    },
  );
});
