import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

// METRICS_TOKEN is checked at start-up like every other setting: one line naming it, nothing half-understood.

describe('METRICS_TOKEN', () => {
  it('is unset by default', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });

  it('takes a long token', () => {
    const token = 'Zm9vYmFyYmF6cXV4LXNjcmFwZQ==';
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
  });

  it.each([
    ['short-token', 'Invalid setting METRICS_TOKEN: must be at least 24 characters'],
    ['a token with spaces in it, long enough', 'Invalid setting METRICS_TOKEN: must be letters, digits or . _ ~ + / = - (no spaces)'],
    ['x'.repeat(257), 'Invalid setting METRICS_TOKEN: must be at most 256 characters'],
  ])('refuses %s with one line', (value, message) => {
    expect(() => loadConfig({ METRICS_TOKEN: value })).toThrow(message);
  });
});
