// Working days for SLA deadlines (SP4N-LAPOR!: verify within 3 working days, follow up within 5, ...).
// Weekends and public holidays do not count; the deadline keeps the wall-clock time the count started at.

import { addDays, todayIn, weekdayOf, zonedParts } from './dates.ts';

export function isWorkingDay(iso: string, holidays: ReadonlySet<string>): boolean {
  const wd = weekdayOf(iso);
  return wd !== 0 && wd !== 6 && !holidays.has(iso);
}

/**
 * The instant `days` working days after `start`, counted on the calendar of `timeZone`. A complaint filed
 * on Friday 10:00 is due on Wednesday 10:00 with 3 working days; one filed on Saturday is due on Wednesday
 * too, at the time of day it was filed, because Saturday itself never counts.
 */
export function addWorkingDays(start: Date, days: number, holidays: ReadonlySet<string>, timeZone: string): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
  let day = todayIn(timeZone, start);
  let calendarDays = 0;
  for (let counted = 0; counted < days; ) {
    day = addDays(day, 1);
    calendarDays++;
    if (isWorkingDay(day, holidays)) counted++;
  }
  const naive = new Date(start.getTime() + calendarDays * 86_400_000);
  // Indonesian zones have no daylight saving; elsewhere, keep the wall-clock time across a change of offset.
  return new Date(naive.getTime() + offsetMs(start, timeZone) - offsetMs(naive, timeZone));
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}
