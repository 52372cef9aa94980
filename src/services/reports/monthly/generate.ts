// Keeping the monthly report (monthly_reports): generating it (the job on the first working day, or city-wide
// staff with "Buat ulang", which replaces it), reading what is kept, and the files a reader downloads.
//
// Who sees what (issue 20 part 6):
// - The kept report is the city's: all programs, all kecamatan. Only the job and city-wide staff (no kecamatan,
//   no bidang) generate it, and only they download the kept files.
// - A kecamatan office or a bidang desk gets the same report for its own scope, counted and drawn when it asks
//   (never kept: the table holds one report per month, the city's). Its figures are the same functions'.
// Every download is audited (report.monthly.download), as is every generation (report.monthly.generate).

import { eq, sql } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import type { Db } from '../../../db/client.ts';
import { rowsOf } from '../../../db/rows.ts';
import { holidays, monthlyReports, staffUsers } from '../../../db/schema/index.ts';
import { addDays, todayIn } from '../../../domain/dates.ts';
import { isWorkingDay } from '../../../domain/workdays.ts';
import { Forbidden, requirePermission } from '../../access.ts';
import type { Actor } from '../../actor.ts';
import { audit } from '../../audit.ts';
import { DEFAULT_TIME_ZONE } from '../../complaints/shared.ts';
import type { MonthProblem } from '../social.ts';
import { checkMonth, monthlyFigures, previousMonth } from './figures.ts';
import { renderMonthlyPdf } from './pdf.ts';
import { isEmptyMonth, type MonthlyFigures } from './types.ts';

export interface RenderOptions {
  now?: Date;
  timeZone?: string;
  /** The language the files are written in, and its translator (i18n.getFixedT(locale)). */
  locale: string;
  t: TFunction;
}

/** Why a month has no report: a bad or future month, or nothing happened in it. */
export type MonthlyRefusal = { ok: false; reason: MonthProblem | 'empty' };

export interface MonthlyFiles {
  figures: MonthlyFigures;
  pdf: Buffer;
  xlsx: Buffer;
}

/** The job's reader: the whole city, every bidang, as the kept report is. Never signs anything in. */
const CITY_READER: Actor = { kind: 'api', id: 0, role: 'admin', kecamatanId: null, bidang: null };

/** Two-key advisory lock, beside the scan's (727, 17): one process generates a month at a time. */
const GENERATE_LOCK = [727, 20] as const;

export const isCityWide = (actor: Actor) => actor.kecamatanId === null && actor.bidang === null;

/** Figures and both files for the actor's scope, or why there are none. Writes nothing. */
export async function renderMonthly(db: Db, actor: Actor, monthText: string, opts: RenderOptions): Promise<{ ok: true; files: MonthlyFiles } | MonthlyRefusal> {
  const checked = checkMonth(monthText, opts);
  if (!checked.ok) return { ok: false, reason: checked.problem };
  const figures = await monthlyFigures(db, actor, checked.month, opts);
  if (isEmptyMonth(figures)) return { ok: false, reason: 'empty' };
  const pdf = await renderMonthlyPdf(figures, opts.t, opts.locale);
  // exceljs takes most of a second to load: paid only when a report is written (services/exports/file.ts).
  const { renderMonthlyXlsx } = await import('./xlsx.ts');
  const xlsx = Buffer.from(await renderMonthlyXlsx(figures, opts.t));
  return { ok: true, files: { figures, pdf, xlsx } };
}

/**
 * Generates the city's report of `month` and keeps it, replacing one kept before. `actor` null: the job.
 * Refused for a bad, future or empty month; Forbidden for staff who are not city-wide.
 */
export async function generateMonthlyReport(db: Db, actor: Actor | null, monthText: string, opts: RenderOptions): Promise<{ ok: true; month: string; figures: MonthlyFigures } | MonthlyRefusal> {
  if (actor) {
    requirePermission(actor, 'reports.read');
    if (!isCityWide(actor)) throw new Forbidden('scope', 'only city-wide staff generate the city report');
  }
  const rendered = await renderMonthly(db, actor ?? CITY_READER, monthText, opts);
  if (!rendered.ok) return rendered;
  const { figures, pdf, xlsx } = rendered.files;
  const at = opts.now ?? new Date();
  const generatedBy = actor?.kind === 'staff' ? actor.id : null;
  await db.transaction(async (tx) => {
    await tx
      .insert(monthlyReports)
      .values({ month: figures.month, figures: figures as unknown as Record<string, unknown>, pdf, xlsx, generatedBy, generatedAt: at })
      .onConflictDoUpdate({ target: monthlyReports.month, set: { figures: figures as unknown as Record<string, unknown>, pdf, xlsx, generatedBy, generatedAt: at } });
    await audit(tx, actor ?? { kind: 'system' }, { action: 'report.monthly.generate', entity: 'monthly_report', entityId: figures.month, details: { programCount: figures.programs.length }, at });
  });
  return { ok: true, month: figures.month, figures };
}

export interface KeptReport {
  month: string;
  generatedAt: Date;
  /** The officer who pressed "Buat ulang"; null when the job made it. */
  generatedBy: string | null;
  figures: MonthlyFigures;
}

/** The kept city report of a month, without its files; null when none is kept or the actor is not city-wide. */
export async function keptReport(db: Db, actor: Actor, month: string): Promise<KeptReport | null> {
  requirePermission(actor, 'reports.read');
  if (!isCityWide(actor)) return null;
  const [row] = await db
    .select({ month: monthlyReports.month, generatedAt: monthlyReports.generatedAt, generatedBy: staffUsers.name, figures: monthlyReports.figures })
    .from(monthlyReports)
    .leftJoin(staffUsers, eq(staffUsers.id, monthlyReports.generatedBy))
    .where(eq(monthlyReports.month, month));
  return row ? { ...row, figures: row.figures as unknown as MonthlyFigures } : null;
}

export type MonthlyFormat = 'pdf' | 'xlsx';

/**
 * A file to download: the kept one for city-wide staff when there is one, otherwise drawn now for the actor's
 * scope (a kecamatan office's, or a month not kept yet). Audited either way.
 */
export async function monthlyFile(
  db: Db,
  actor: Actor,
  monthText: string,
  format: MonthlyFormat,
  opts: RenderOptions,
): Promise<{ ok: true; bytes: Uint8Array; kept: boolean; month: string } | MonthlyRefusal> {
  requirePermission(actor, 'reports.read');
  const checked = checkMonth(monthText, opts);
  if (!checked.ok) return { ok: false, reason: checked.problem };
  const month = checked.month;
  let bytes: Uint8Array | null = null;
  if (isCityWide(actor)) {
    const [row] = await db.select({ pdf: monthlyReports.pdf, xlsx: monthlyReports.xlsx }).from(monthlyReports).where(eq(monthlyReports.month, month));
    if (row) bytes = row[format];
  }
  const kept = bytes !== null;
  if (!bytes) {
    const rendered = await renderMonthly(db, actor, month, opts);
    if (!rendered.ok) return rendered;
    bytes = rendered.files[format];
  }
  await audit(db, actor, { action: 'report.monthly.download', entity: 'monthly_report', entityId: month, details: { format, kept, kecamatanId: actor.kecamatanId } });
  return { ok: true, bytes, kept, month };
}

/** Whether `day` (ISO) is the first working day of its month, on the office's calendar (weekends, holidays). */
export async function isFirstWorkingDay(db: Db, day: string): Promise<boolean> {
  const rows = await db.select({ day: holidays.day }).from(holidays).where(sql`${holidays.day} >= ${`${day.slice(0, 7)}-01`} and ${holidays.day} <= ${day}`);
  const off = new Set(rows.map((r) => r.day));
  if (!isWorkingDay(day, off)) return false;
  for (let d = `${day.slice(0, 7)}-01`; d < day; d = addDays(d, 1)) if (isWorkingDay(d, off)) return false;
  return true;
}

/**
 * The job: on the first working day of a month, the past month's report, if none is kept yet. Safe in several
 * processes: one holds the advisory lock and generates; the others see it held, or see the month kept. A
 * past month with no data is not kept (nothing to report); 'skipped' says why nothing was done.
 */
export async function generateDueMonthlyReport(
  db: Db,
  opts: RenderOptions,
): Promise<{ generated: string | null; skipped?: 'not_first_working_day' | 'kept' | 'busy' | 'empty' }> {
  const now = opts.now ?? new Date();
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  if (!(await isFirstWorkingDay(db, todayIn(timeZone, now)))) return { generated: null, skipped: 'not_first_working_day' };
  const month = previousMonth(now, timeZone);
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql.raw(`select pg_try_advisory_xact_lock(${GENERATE_LOCK[0]}, ${GENERATE_LOCK[1]}) as ok`)));
    if (!lock?.ok) return { generated: null, skipped: 'busy' as const };
    const [kept] = await tx.select({ month: monthlyReports.month }).from(monthlyReports).where(eq(monthlyReports.month, month));
    if (kept) return { generated: null, skipped: 'kept' as const };
    const r = await generateMonthlyReport(tx, null, month, { ...opts, now, timeZone });
    return r.ok ? { generated: r.month } : { generated: null, skipped: 'empty' as const };
  });
}
