import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { holidays } from '../../db/schema/index.ts';
import { isRealDate } from '../../domain/dates.ts';
import { Forbidden, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

// The public holidays the office keeps (settings.manage). Working-day deadlines (complaints' SLA, the
// reports) and the handover's "when is an officer back" skip them; every one of those reads the table when
// it counts, so an added or removed day counts from the next deadline computed, with no restart or cache.
// The calendar is the whole city's: only a city-wide admin changes it, not one scoped to a kecamatan.

export interface Holiday {
  day: string;
  name: string;
}

export const HOLIDAY_NAME_MAX = 100;

export type HolidayProblem = 'day_invalid' | 'name_empty' | 'name_too_long';

/** What is wrong with a holiday as typed; empty when nothing. */
export function holidayProblems(input: Holiday): HolidayProblem[] {
  const problems: HolidayProblem[] = [];
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.day);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[1]) < 2000 || Number(m[1]) > 2100) problems.push('day_invalid');
  const name = input.name.trim();
  if (!name) problems.push('name_empty');
  else if ([...name].length > HOLIDAY_NAME_MAX) problems.push('name_too_long');
  return problems;
}

function requireCityWide(actor: Actor): void {
  requirePermission(actor, 'settings.manage');
  if (actor.kecamatanId !== null) throw new Forbidden('scope', 'the holiday calendar is city-wide');
}

/** Every holiday, oldest first. */
export async function listHolidays(db: Db, actor: Actor): Promise<Holiday[]> {
  requirePermission(actor, 'settings.manage');
  return db.select({ day: holidays.day, name: holidays.name }).from(holidays).orderBy(asc(holidays.day));
}

export type AddHolidayResult = { ok: true; past: boolean } | { ok: false; reason: 'invalid_input' | 'duplicate' };

/**
 * Adds a day. A day before `today` is allowed (a holiday entered late still corrects deadlines not yet
 * computed, and the reports' SLA) and said back as `past`, so the page can flag it.
 */
export async function addHoliday(db: Db, actor: Actor, input: Holiday, today: string): Promise<AddHolidayResult> {
  requireCityWide(actor);
  if (holidayProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  const name = input.name.trim();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(holidays).values({ day: input.day, name }).onConflictDoNothing().returning({ day: holidays.day });
    if (!row) return { ok: false as const, reason: 'duplicate' as const };
    const past = input.day < today;
    await audit(tx, actor, { action: 'holiday.add', entity: 'holiday', entityId: input.day, details: { past } });
    return { ok: true as const, past };
  });
}

/** True when the day was a holiday and is no longer. */
export async function removeHoliday(db: Db, actor: Actor, day: string): Promise<boolean> {
  requireCityWide(actor);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  return db.transaction(async (tx) => {
    const gone = await tx.delete(holidays).where(eq(holidays.day, day)).returning({ day: holidays.day });
    if (gone.length === 0) return false;
    await audit(tx, actor, { action: 'holiday.remove', entity: 'holiday', entityId: day });
    return true;
  });
}
