// When reminders go out, in the office's zone: three days and one day before at 09:00, and on the day at
// 06:30, before people leave for work or the sea. Nothing is sent between 21:00 and 06:00: a reminder that
// falls due in the night waits for the morning. Pure: no clock, no database.

import { addDays, zonedParts } from '../../domain/dates.ts';

export const REMINDER_PLAN = [
  { offset: 'H-3', days: -3, time: '09:00' },
  { offset: 'H-1', days: -1, time: '09:00' },
  { offset: 'H0', days: 0, time: '06:30' },
] as const;
export type ReminderOffset = (typeof REMINDER_PLAN)[number]['offset'];

export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL = '06:00';

/** A wall-clock time on a calendar day in `timeZone`, as an instant (two passes settle any DST edge). */
export function localInstant(day: string, time: string, timeZone: string): Date {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** The reminders of an event on `eventDate` that still lie ahead of `now`. */
export function reminderTimes(eventDate: string, timeZone: string, now: Date): { offset: ReminderOffset; dueAt: Date }[] {
  return REMINDER_PLAN.map((p) => ({ offset: p.offset, dueAt: localInstant(addDays(eventDate, p.days), p.time, timeZone) })).filter(
    (r) => r.dueAt.getTime() > now.getTime(),
  );
}

/** True between 21:00 and 06:00 local time. */
export function inQuietHours(now: Date, timeZone: string): boolean {
  const { hour } = zonedParts(now, timeZone);
  return hour >= QUIET_FROM_HOUR || hour < 6;
}

/** `now`, or the next 06:00 local when `now` lies in quiet hours. */
export function nextSendable(now: Date, timeZone: string): Date {
  if (!inQuietHours(now, timeZone)) return now;
  const p = zonedParts(now, timeZone);
  const today = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return localInstant(p.hour >= QUIET_FROM_HOUR ? addDays(today, 1) : today, QUIET_UNTIL, timeZone);
}
