import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { inQuietHours } from '../src/services/distribution/reminder-times.ts';
import { zonedParts } from '../src/domain/dates.ts';
import { daytimeZone } from './reliability/helpers.ts';

// The reliability suite runs its service processes in a zone where it is about noon, so that a broadcast
// queued at any hour of the CI machine's day goes out at once instead of waiting out quiet hours.
describe('daytimeZone (test/reliability)', () => {
  it('gives, at every hour of the UTC day, a zone the service accepts where it is midday', () => {
    for (let hour = 0; hour < 24; hour++) {
      const now = new Date(Date.UTC(2026, 10, 24, hour, 30));
      const zone = daytimeZone(now);
      expect(loadConfig({ APP_TIMEZONE: zone }).timezone).toBe(zone);
      expect(zonedParts(now, zone).hour).toBe(12);
      expect(inQuietHours(now, zone)).toBe(false);
    }
  });
});
