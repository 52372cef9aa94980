import { describe, expect, it } from 'vitest';
import { deskState, describeSchedule, parseSchedule } from '../../src/domain/office-hours.ts';

const TZ = 'Asia/Jakarta';
const BATAM = parseSchedule([
  { days: [1, 2, 3, 4], opens: '08:00', closes: '16:00' },
  { days: [5], opens: '08:00', closes: '16:30' },
])!;
// 2026-12-07 is a Monday. WIB is UTC+7.
const at = (local: string) => new Date(`${local}+07:00`);

describe('office hours', () => {
  it('is open inside a span and closed outside it', () => {
    expect(deskState(BATAM, new Set(), at('2026-12-07T08:00:00'), TZ)).toEqual({ open: true, nextOpening: at('2026-12-07T08:00:00') });
    expect(deskState(BATAM, new Set(), at('2026-12-11T16:15:00'), TZ).open).toBe(true); // Friday till 16.30
    expect(deskState(BATAM, new Set(), at('2026-12-10T16:00:00'), TZ)).toEqual({ open: false, nextOpening: at('2026-12-11T08:00:00') });
  });

  it('names the next opening after a night, a weekend and a holiday', () => {
    // Tuesday 21.38 → Wednesday 08.00.
    expect(deskState(BATAM, new Set(), at('2026-12-08T21:38:00'), TZ).nextOpening).toEqual(at('2026-12-09T08:00:00'));
    // Friday evening → Monday.
    expect(deskState(BATAM, new Set(), at('2026-12-11T18:00:00'), TZ).nextOpening).toEqual(at('2026-12-14T08:00:00'));
    // Friday evening with Monday a holiday → Tuesday.
    expect(deskState(BATAM, new Set(['2026-12-14']), at('2026-12-11T18:00:00'), TZ).nextOpening).toEqual(at('2026-12-15T08:00:00'));
    // Before opening on a working day → the same morning.
    expect(deskState(BATAM, new Set(), at('2026-12-07T06:30:00'), TZ).nextOpening).toEqual(at('2026-12-07T08:00:00'));
  });

  it('reads the schedule in either language', () => {
    expect(describeSchedule(BATAM, 'id', TZ)).toBe('Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB');
    expect(describeSchedule(BATAM, 'en', TZ)).toBe('Monday–Thursday 08:00–16:00, Friday 08:00–16:30 WIB');
    expect(describeSchedule(parseSchedule([{ days: [1, 3], opens: '09:00', closes: '12:00' }, { days: [6, 7], opens: '10:00', closes: '11:00' }])!, 'id', TZ)).toBe(
      'Senin, Rabu 09.00–12.00, Sabtu, Minggu 10.00–11.00 WIB',
    );
  });

  it('refuses a malformed schedule rather than guessing', () => {
    for (const bad of [null, [], [{ days: [0], opens: '08:00', closes: '16:00' }], [{ days: [1], opens: '8:00', closes: '16:00' }], [{ days: [1], opens: '16:00', closes: '08:00' }], 'Senin–Kamis']) {
      expect(parseSchedule(bad)).toBeNull();
    }
  });
});
