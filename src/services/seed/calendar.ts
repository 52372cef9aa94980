// Calendar arithmetic on plain YYYY-MM-DD strings. Dates here are days in the city's own time zone;
// only slot times become instants, with the zone's offset on that day.

/** The calendar day of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The first day on or after `day` that is neither a weekend nor in `holidays`. */
export function nextWorkingDay(day: string, holidays: ReadonlySet<string>): string {
  let d = day;
  while (weekday(d) === 0 || weekday(d) === 6 || holidays.has(d)) d = addDays(d, 1);
  return d;
}

/** The offset of `timeZone` at noon on `day`, as '+07:00'. */
export function utcOffset(day: string, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${day}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT([+-]\d{2}:\d{2})$/.exec(name ?? '');
  return m ? m[1]! : '+00:00'; // 'GMT' alone means UTC
}

/** A local wall-clock time on `day` as an instant. */
export function localInstant(day: string, time: string, timeZone: string): Date {
  return new Date(`${day}T${time}:00${utcOffset(day, timeZone)}`);
}

/** Whole years between `birthDate` and `day`. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** The quarterly tranche a distribution day belongs to, as offices name it: '2026 Tahap IV'. */
export function trancheOf(day: string): string {
  const quarter = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  return `${day.slice(0, 4)} Tahap ${ROMAN[quarter]}`;
}

/** "2026 Tahap IV" as English readers say it: "2026 stage IV". */
export function trancheEn(tranche: string): string {
  return tranche.replace(/\bTahap\b/, 'stage');
}

/** The enrollment period label for a day: '2026-11', '2026-Q4' or '2026'. */
export function periodOf(day: string, period: 'month' | 'quarter' | 'year' | 'once'): string {
  const year = day.slice(0, 4);
  if (period === 'month') return day.slice(0, 7);
  if (period === 'quarter') return `${year}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
  return year;
}
