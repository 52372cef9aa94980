import { addDays, dayName, todayIn, weekdayOf, zoneAbbreviation, zonedParts, type Locale } from './dates.ts';

// When the office's officers answer chats: a weekly schedule kept as data on the office (offices.schedule),
// minus public holidays (the holidays table). The handover tells a resident who writes at 21.38 when an
// officer will answer, and says it in their language ("Monday–Thursday 08:00–16:00"), which the free-text
// `hours` of an office cannot.

/** Days are ISO weekdays (1 = Monday … 7 = Sunday); times are the office's wall clock, "HH:MM". */
export interface OpeningSpan {
  days: number[];
  opens: string;
  closes: string;
}
export type WeeklySchedule = OpeningSpan[];

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A schedule as stored, checked; null when absent or malformed (the handover then names no time). */
export function parseSchedule(raw: unknown): WeeklySchedule | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const spans: WeeklySchedule = [];
  for (const s of raw) {
    if (typeof s !== 'object' || s === null) return null;
    const { days, opens, closes } = s as Record<string, unknown>;
    if (!Array.isArray(days) || days.length === 0 || !days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return null;
    if (typeof opens !== 'string' || typeof closes !== 'string' || !TIME.test(opens) || !TIME.test(closes)) return null;
    if (minutesOf(opens) >= minutesOf(closes)) return null;
    spans.push({ days: [...(days as number[])].sort((a, b) => a - b), opens, closes });
  }
  return spans;
}

const isoWeekday = (iso: string) => weekdayOf(iso) || 7;

/** The instant a wall-clock time of a calendar day is, in the zone (the zones here keep no daylight saving). */
function instantOf(day: string, hhmm: string, timeZone: string): Date {
  const guess = new Date(`${day}T${hhmm}:00Z`);
  const p = zonedParts(guess, timeZone);
  const shownMinutes = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) / 60_000;
  return new Date(guess.getTime() - (shownMinutes - guess.getTime() / 60_000) * 60_000);
}

function spansOn(schedule: WeeklySchedule, day: string, holidays: ReadonlySet<string>): OpeningSpan[] {
  if (holidays.has(day)) return [];
  const wd = isoWeekday(day);
  return schedule.filter((s) => s.days.includes(wd)).sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
}

export interface DeskState {
  open: boolean;
  /** When officers are next at work (now when open); null when the schedule names no day within 60 days. */
  nextOpening: Date | null;
}

export function deskState(schedule: WeeklySchedule, holidays: ReadonlySet<string>, now: Date, timeZone: string): DeskState {
  const today = todayIn(timeZone, now);
  for (let i = 0; i < 60; i++) {
    const day = addDays(today, i);
    for (const s of spansOn(schedule, day, holidays)) {
      const opens = instantOf(day, s.opens, timeZone);
      const closes = instantOf(day, s.closes, timeZone);
      if (now >= opens && now < closes) return { open: true, nextOpening: now };
      if (now < opens) return { open: false, nextOpening: opens };
    }
  }
  return { open: false, nextOpening: null };
}

/** "Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB" / "Monday–Thursday 08:00–16:00, Friday 08:00–16:30 WIB". */
export function describeSchedule(schedule: WeeklySchedule, locale: Locale, timeZone: string): string {
  const sep = locale === 'id' ? '.' : ':';
  const time = (hhmm: string) => hhmm.replace(':', sep);
  const name = (d: number) => dayName(d % 7, locale);
  const parts = schedule.map((s) => {
    // Runs of consecutive days read as a range: 1,2,3,4 → "Senin–Kamis"; 1,3 → "Senin, Rabu".
    const runs: number[][] = [];
    for (const d of s.days) {
      const last = runs[runs.length - 1];
      if (last && d === last[last.length - 1]! + 1) last.push(d);
      else runs.push([d]);
    }
    const days = runs.map((r) => (r.length > 2 ? `${name(r[0]!)}–${name(r[r.length - 1]!)}` : r.map(name).join(', '))).join(', ');
    return `${days} ${time(s.opens)}–${time(s.closes)}`;
  });
  return `${parts.join(', ')} ${zoneAbbreviation(timeZone)}`;
}


/**
 * A resident waiting this long for an officer, in office hours, with no officer's word, is offered to turn the
 * wait into a report (flows/handover.ts when they write, services/handover-desk/offer.ts when they do not).
 */
export const OFFER_REPORT_AFTER_MS = 2 * 60 * 60 * 1000;
