// The office's social-service indicators (issue 19 part 6): PPKS reported, reached and served per month,
// referrals by destination and outcome, and field tasks done and overdue per worker. Only counts, agency names
// and officers' names leave this module — never a resident — so, like the dashboard, reading them writes no
// audit row.
//
// Definitions (the page says each in one plain line; months are calendar months in the office's time zone):
// - PPKS reported in a month: complaints of category 'ppks' filed that month, split urgent / not urgent.
// - reached: of those, the ones the office verified — the status left 'received' (a status_change event to
//   'verified', or a status other than 'received' now) — at any time since filing. Counted by the month of
//   filing (a cohort), so a month's three numbers compare; a case served (below) counts as reached too, so
//   reported ≥ reached ≥ served always holds.
// - served: of those, the ones closed with an answer (closed, no close reason) or with a referral of the
//   complaint marked 'done'.
// - Duplicates and spam (a close reason) are left out of all three.
// - Referrals by destination and outcome: referrals created in the chosen month, per agency (name, kind), by
//   status now, and overdue: sent or accepted with a due date before today.
// - Field tasks per worker, for the chosen month: tasks done (status 'done', last changed in the month) by
//   their assignee, visits recorded (visited in the month) by the worker who made them, and open tasks overdue
//   today; tasks overdue with nobody assigned in a row of their own.
//
// Who: 'reports.read'. A kecamatan-scoped actor counts only their kecamatan: complaints through the
// complaints' own scope rule (kecamatan, and bidang for a bidang desk, as the dashboard), referrals and field
// tasks by their kecamatan. A referral without a kecamatan (city-wide) is only in a city-wide count.

import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencies, complaintEvents, complaints, fieldTasks, fieldVisits, referrals, staffUsers } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { REFERRAL_STATUSES, type AgencyKind, type ReferralStatus } from '../../domain/vocabulary.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { DEFAULT_TIME_ZONE, scopeWhere } from '../complaints/shared.ts';
import { overdueWhere } from '../field/view.ts';
import { startOfDay } from './dashboard.ts';

/** How many months the PPKS chart shows, ending with the chosen one. */
export const PPKS_MONTHS = 12;
/** The earliest month anyone may ask for: before it there is nothing, and a typo like 0202 gets a clear answer. */
export const FIRST_MONTH = '2000-01';

export interface PpksMonth {
  /** YYYY-MM */
  month: string;
  reported: number;
  reportedUrgent: number;
  reached: number;
  served: number;
}

export interface AgencyReferrals {
  agencyId: number;
  name: string;
  kind: AgencyKind;
  counts: Record<ReferralStatus, number>;
  total: number;
  overdue: number;
}

export interface WorkerFigures {
  staffId: number;
  name: string;
  tasksDone: number;
  visits: number;
  overdue: number;
}

export interface SocialFigures {
  /** The chosen month (YYYY-MM), its first and last day, and today, all in the office's zone. */
  month: string;
  from: string;
  to: string;
  today: string;
  /** The PPKS_MONTHS months ending with the chosen one, oldest first. */
  ppks: PpksMonth[];
  /** Agencies with a referral created in the chosen month, most referrals first. */
  referrals: AgencyReferrals[];
  field: { workers: WorkerFigures[]; unassignedOverdue: number };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export type MonthProblem = 'format' | 'future';

/**
 * The month a person asked for: absent or empty means this month; otherwise YYYY-MM, not before FIRST_MONTH
 * and not after this month (a month still to come has no figures, and asking for one is a typo).
 */
export function parseMonth(text: string | undefined, today: string): { ok: true; month: string } | { ok: false; problem: MonthProblem } {
  const current = today.slice(0, 7);
  if (text === undefined || text.trim() === '') return { ok: true, month: current };
  const m = text.trim();
  if (!MONTH.test(m) || m < FIRST_MONTH) return { ok: false, problem: 'format' };
  if (m > current) return { ok: false, problem: 'future' };
  return { ok: true, month: m };
}

/** The first day (ISO) of the month `n` months from a YYYY-MM month. */
export function monthStart(month: string, n = 0): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

const count = (where: SQL) => sql<number>`count(*) filter (where ${where})::int`;

/** `month`: YYYY-MM, as parseMonth gives it (the routes answer a bad one before they get here). */
export async function socialFigures(db: Db, actor: Actor, opts: { month: string; now?: Date; timeZone?: string }): Promise<SocialFigures> {
  requirePermission(actor, 'reports.read');
  if (!MONTH.test(opts.month)) throw new RangeError(`not a month (YYYY-MM): ${opts.month}`);
  const now = opts.now ?? new Date();
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const today = todayIn(timeZone, now);
  const from = startOfDay(monthStart(opts.month), timeZone);
  const to = startOfDay(monthStart(opts.month, 1), timeZone);
  const ppks = await ppksMonths(db, actor, opts.month, timeZone);
  const byAgency = await referralsByAgency(db, actor, { from, to, today });
  const field = await fieldByWorker(db, actor, { from, to, today });
  return { month: opts.month, from: monthStart(opts.month), to: lastDayOf(opts.month), today, ppks, referrals: byAgency, field };
}

function lastDayOf(month: string): string {
  const next = new Date(`${monthStart(month, 1)}T00:00:00Z`);
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export async function ppksMonths(db: Db, actor: Actor, month: string, timeZone: string): Promise<PpksMonth[]> {
  const months = Array.from({ length: PPKS_MONTHS }, (_, i) => monthStart(month, i - (PPKS_MONTHS - 1)).slice(0, 7));
  const verified = sql`exists (select 1 from ${complaintEvents} where ${complaintEvents.complaintId} = ${complaints.id} and ${complaintEvents.kind} = 'status_change' and ${complaintEvents.toStatus} = 'verified')`;
  const referredDone = sql`exists (select 1 from ${referrals} where ${referrals.sourceKind} = 'complaint' and ${referrals.sourceId} = ${complaints.id} and ${referrals.status} = 'done')`;
  // closeReason is null for every row counted, so 'closed' here is closed with an answer.
  const served = sql`(${complaints.status} = 'closed' or ${referredDone})`;
  const reached = sql`(${complaints.status} <> 'received' or ${verified} or ${served})`;
  const monthExpr = sql<string>`to_char(${complaints.createdAt} at time zone ${timeZone}, 'YYYY-MM')`;
  const rows = await db
    .select({
      month: monthExpr,
      reported: sql<number>`count(*)::int`,
      urgent: count(sql`${complaints.urgent}`),
      reached: count(reached),
      served: count(served),
    })
    .from(complaints)
    .where(
      and(
        scopeWhere(actor, { queue: false }),
        eq(complaints.category, 'ppks'),
        isNull(complaints.closeReason),
        gte(complaints.createdAt, startOfDay(`${months[0]}-01`, timeZone)),
        lt(complaints.createdAt, startOfDay(monthStart(month, 1), timeZone)),
      ),
    )
    .groupBy(sql`1`);
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return months.map((m) => {
    const r = byMonth.get(m);
    return { month: m, reported: Number(r?.reported ?? 0), reportedUrgent: Number(r?.urgent ?? 0), reached: Number(r?.reached ?? 0), served: Number(r?.served ?? 0) };
  });
}

async function referralsByAgency(db: Db, actor: Actor, p: { from: Date; to: Date; today: string }): Promise<AgencyReferrals[]> {
  const overdue = sql`${referrals.status} in ('sent', 'accepted') and ${referrals.dueOn} < ${p.today}`;
  const rows = await db
    .select({
      agencyId: agencies.id,
      name: agencies.name,
      kind: agencies.kind,
      total: sql<number>`count(*)::int`,
      overdue: count(overdue),
      ...Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, count(sql`${referrals.status} = ${s}`)])),
    })
    .from(referrals)
    .innerJoin(agencies, eq(agencies.id, referrals.agencyId))
    .where(and(actor.kecamatanId !== null ? eq(referrals.kecamatanId, actor.kecamatanId) : undefined, gte(referrals.createdAt, p.from), lt(referrals.createdAt, p.to)))
    .groupBy(agencies.id, agencies.name, agencies.kind)
    .orderBy(sql`count(*) desc`, asc(agencies.name), asc(agencies.id));
  return rows.map((r) => {
    const row = r as typeof r & Record<ReferralStatus, number>;
    return {
      agencyId: r.agencyId,
      name: r.name,
      kind: r.kind,
      counts: Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, Number(row[s])])) as Record<ReferralStatus, number>,
      total: Number(r.total),
      overdue: Number(r.overdue),
    };
  });
}

async function fieldByWorker(db: Db, actor: Actor, p: { from: Date; to: Date; today: string }): Promise<SocialFigures['field']> {
  const scope = actor.kecamatanId !== null ? eq(fieldTasks.kecamatanId, actor.kecamatanId) : undefined;
  // A done task's last change is the one that made it done (the review that approved the visit, or the visit).
  const doneInMonth = and(eq(fieldTasks.status, 'done'), gte(fieldTasks.updatedAt, p.from), lt(fieldTasks.updatedAt, p.to))!;
  const tasks = await db
    .select({
      staffId: fieldTasks.assigneeId,
      done: count(doneInMonth),
      overdue: count(overdueWhere(p.today)),
    })
    .from(fieldTasks)
    .where(scope)
    .groupBy(fieldTasks.assigneeId);
  const visits = await db
    .select({ staffId: fieldVisits.staffId, n: sql<number>`count(*)::int` })
    .from(fieldVisits)
    .innerJoin(fieldTasks, eq(fieldTasks.id, fieldVisits.taskId))
    .where(and(scope, gte(fieldVisits.visitedAt, p.from), lt(fieldVisits.visitedAt, p.to)))
    .groupBy(fieldVisits.staffId);

  const figures = new Map<number, Omit<WorkerFigures, 'name'>>();
  const of = (staffId: number) => {
    let f = figures.get(staffId);
    if (!f) figures.set(staffId, (f = { staffId, tasksDone: 0, visits: 0, overdue: 0 }));
    return f;
  };
  let unassignedOverdue = 0;
  for (const r of tasks) {
    if (r.staffId === null) {
      unassignedOverdue = Number(r.overdue);
      continue;
    }
    // A worker with nothing done this month and nothing overdue has no row of tasks to show.
    if (Number(r.done) === 0 && Number(r.overdue) === 0) continue;
    Object.assign(of(r.staffId), { tasksDone: Number(r.done), overdue: Number(r.overdue) });
  }
  for (const v of visits) of(v.staffId).visits = Number(v.n);
  const ids = [...figures.keys()];
  const names = ids.length === 0 ? [] : await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, ids));
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const workers = ids
    .map((id) => ({ ...figures.get(id)!, name: nameOf.get(id) ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name, 'id') || a.staffId - b.staffId)
    .map(({ staffId, name, tasksDone, visits: v, overdue }) => ({ staffId, name, tasksDone, visits: v, overdue }));
  return { workers, unassignedOverdue };
}
