// monthlyFigures: the monthly report's numbers for the actor's scope (types.ts says the grain). Who:
// 'reports.read'. A kecamatan office counts its kecamatan only; a bidang desk its bidang's programs (and the
// complaints of its bidang). Only counts and names of programs and areas leave here, so reading them writes no
// audit row, like the dashboard; the downloads of the files are audited (generate.ts).

import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { kecamatan, programs } from '../../../db/schema/index.ts';
import { todayIn } from '../../../domain/dates.ts';
import { requirePermission } from '../../access.ts';
import type { Actor } from '../../actor.ts';
import { DEFAULT_TIME_ZONE } from '../../complaints/shared.ts';
import { startOfDay } from '../dashboard.ts';
import { monthStart, parseMonth, type MonthProblem } from '../social.ts';
import { keyOf, programAreaFigures, totalOf, zeroProgramArea, type MonthBounds } from './program-figures.ts';
import { serviceFigures } from './service-figures.ts';
import type { MonthlyFigures, ProgramFigures } from './types.ts';

export interface MonthlyOptions {
  now?: Date;
  timeZone?: string;
}

/**
 * A month someone asked for, checked: YYYY-MM, not in the future (the current month is allowed: its figures
 * so far). Unlike the social page, nothing is not "this month": the caller picks its own default.
 */
export function checkMonth(text: string, opts: MonthlyOptions = {}): { ok: true; month: string } | { ok: false; problem: MonthProblem } {
  if (text.trim() === '') return { ok: false, problem: 'format' };
  return parseMonth(text, todayIn(opts.timeZone ?? DEFAULT_TIME_ZONE, opts.now ?? new Date()));
}

/** The month before the one `now` falls in, in the office's zone: what the job keeps and the page opens on. */
export function previousMonth(now: Date, timeZone: string): string {
  return monthStart(todayIn(timeZone, now).slice(0, 7), -1).slice(0, 7);
}

export function boundsOf(month: string, timeZone: string): MonthBounds {
  const fromDay = monthStart(month);
  const toDay = monthStart(month, 1);
  return { from: startOfDay(fromDay, timeZone), to: startOfDay(toDay, timeZone), fromDay, toDay };
}

/** `month`: YYYY-MM as checkMonth gives it (a bad one is a programming error here). */
export async function monthlyFigures(db: Db, actor: Actor, month: string, opts: MonthlyOptions = {}): Promise<MonthlyFigures> {
  requirePermission(actor, 'reports.read');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const now = opts.now ?? new Date();
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const b = boundsOf(month, timeZone);

  const areas = await db
    .select({ id: kecamatan.id, name: kecamatan.name })
    .from(kecamatan)
    .where(actor.kecamatanId === null ? undefined : eq(kecamatan.id, actor.kecamatanId))
    .orderBy(asc(kecamatan.name), asc(kecamatan.id));
  const programRows = await db
    .select({ id: programs.id, code: programs.code, name: programs.name, target: programs.targetPerYear, activeFrom: programs.activeFrom, activeUntil: programs.activeUntil })
    .from(programs)
    .where(actor.bidang === null ? undefined : eq(programs.bidang, actor.bidang))
    .orderBy(asc(programs.name), asc(programs.id));

  const { byArea, events } = await programAreaFigures(
    db,
    actor,
    programRows.map((p) => p.id),
    b,
  );
  const programFigures: ProgramFigures[] = [];
  for (const p of programRows) {
    const rows = areas.map((a) => byArea.get(keyOf(p.id, a.id)) ?? zeroProgramArea(a.id));
    const total = totalOf([...rows, byArea.get(keyOf(p.id, null)) ?? zeroProgramArea(null)]);
    // A program neither running in the month nor with anything to count has no page.
    const running = (p.activeFrom === null || p.activeFrom < b.toDay) && (p.activeUntil === null || p.activeUntil >= b.fromDay);
    const counted = total.enrolled + total.newInMonth + total.invited + total.complaints > 0;
    if (!running && !counted) continue;
    programFigures.push({ programId: p.id, code: p.code, name: p.name, targetPerYear: p.target, events: events.get(p.id) ?? 0, total, areas: rows });
  }

  const services = await serviceFigures(
    db,
    actor,
    month,
    areas.map((a) => a.id),
    { ...b, now, timeZone },
  );
  return {
    month,
    from: b.fromDay,
    to: new Date(Date.parse(`${b.toDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
    countedAt: now.toISOString(),
    timeZone,
    scope: { kecamatanId: actor.kecamatanId, kecamatan: actor.kecamatanId === null ? null : (areas[0]?.name ?? null), bidang: actor.bidang },
    areas,
    programs: programFigures,
    services,
  };
}
