// The dashboard's trends (issue 18): complaints by status over the chosen period, SLA compliance per week,
// IKM per month, and the open complaints each officer holds. Scoped like every dashboard figure (the
// complaints helper's scopeWhere: a kecamatan supervisor sees their kecamatan, a bidang desk its bidang), and
// only counts, rates, area and officer names leave this module — never a resident.

import { and, asc, eq, gte, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints, staffUsers } from '../../db/schema/index.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { COMPLAINT_STATUSES } from '../../domain/vocabulary.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { DEFAULT_TIME_ZONE, scopeWhere } from '../complaints/shared.ts';
import { ikm, slaCompliance, type IkmFigure } from './complaints.ts';
import { startOfDay, type DashboardDays } from './dashboard.ts';

type Status = (typeof COMPLAINT_STATUSES)[number];

/** How far back the trends that do not follow the period picker look: enough weeks and months to see a turn. */
export const SLA_WEEKS = 12;
export const IKM_MONTHS = 6;

export interface StatusBucket {
  /** First day of the bucket (ISO) and its last day, inclusive, both within the period. */
  from: string;
  to: string;
  counts: Record<Status, number>;
  total: number;
}

export interface SlaWeek {
  /** Monday of the week and its Sunday (ISO). */
  from: string;
  to: string;
  /** Verified complaints filed that week whose answer deadline has passed or that were answered. */
  answerDue: number;
  answeredOnTime: number;
  /** answeredOnTime / answerDue; null when none was due. */
  answerRate: number | null;
  verifyDue: number;
  verifiedOnTime: number;
  verifyRate: number | null;
}

export interface IkmMonth {
  /** YYYY-MM, and its first and last day (ISO). */
  month: string;
  from: string;
  to: string;
  ikm: IkmFigure;
}

export interface OfficerLoad {
  staffId: number;
  name: string;
  open: number;
}

export interface Trends {
  /** 'day' for the 7- and 30-day periods, 'week' (Monday to Sunday) for 90 days. */
  bucket: 'day' | 'week';
  statusOverTime: StatusBucket[];
  slaWeekly: SlaWeek[];
  ikmMonthly: IkmMonth[];
  /** Complaints not closed, per officer holding them, most first; `unassigned` holds nobody's. */
  workload: { officers: OfficerLoad[]; unassigned: number };
}

const zeros = () => Object.fromEntries(COMPLAINT_STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** Monday on or before an ISO day (weeks in Indonesia's offices run Monday to Sunday). */
export function mondayOf(iso: string): string {
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(iso, -((dow + 6) % 7));
}

const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;
function addMonths(firstOfMonth: string, n: number): string {
  const [y, m] = firstOfMonth.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

export async function trends(db: Db, actor: Actor, opts: { days: DashboardDays; now?: Date; timeZone?: string }): Promise<Trends> {
  const now = opts.now ?? new Date();
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const allowed = can(actor, 'dashboard.read') || can(actor, 'reports.read');
  // Nobody without the permission gets figures, whatever the scope helper would say (as dashboard.ts).
  const scope = allowed ? scopeWhere(actor, { queue: false }) : sql`false`;
  const toDay = todayIn(timeZone, now);
  const fromDay = addDays(toDay, -(opts.days - 1));
  const bucket = opts.days > 30 ? 'week' : 'day';

  // Complaints filed in the period by their status now, per day; weeks are summed from the days.
  const dayExpr = sql<string>`to_char(${complaints.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const rows = await db
    .select({ day: dayExpr, status: complaints.status, n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(and(scope, gte(complaints.createdAt, startOfDay(fromDay, timeZone)), lt(complaints.createdAt, startOfDay(addDays(toDay, 1), timeZone))))
    .groupBy(sql`1`, sql`2`);
  const buckets = new Map<string, StatusBucket>();
  for (let d = fromDay; d <= toDay; d = addDays(d, 1)) {
    const key = bucket === 'week' ? mondayOf(d) : d;
    const b = buckets.get(key);
    if (b) b.to = d;
    else buckets.set(key, { from: d, to: d, counts: zeros(), total: 0 });
  }
  for (const r of rows) {
    const b = buckets.get(bucket === 'week' ? mondayOf(r.day) : r.day);
    if (!b) continue;
    b.counts[r.status] += Number(r.n);
    b.total += Number(r.n);
  }

  const slaWeekly: SlaWeek[] = [];
  const ikmMonthly: IkmMonth[] = [];
  if (allowed) {
    const thisMonday = mondayOf(toDay);
    for (let i = SLA_WEEKS - 1; i >= 0; i--) {
      const from = addDays(thisMonday, -7 * i);
      const to = addDays(from, 6);
      const s = await slaCompliance(db, actor, { from: startOfDay(from, timeZone), to: startOfDay(addDays(to, 1), timeZone), now, timeZone });
      slaWeekly.push({ from, to, ...s });
    }
    const thisMonth = monthStart(toDay);
    for (let i = IKM_MONTHS - 1; i >= 0; i--) {
      const from = addMonths(thisMonth, -i);
      const next = addMonths(from, 1);
      const figure = await ikm(db, actor, { from: startOfDay(from, timeZone), to: startOfDay(next, timeZone) });
      ikmMonthly.push({ month: from.slice(0, 7), from, to: addDays(next, -1), ikm: figure });
    }
  }

  const open = and(scope, ne(complaints.status, 'closed'));
  const loads = await db
    .select({ staffId: staffUsers.id, name: staffUsers.name, n: sql<number>`count(*)::int` })
    .from(complaints)
    .innerJoin(staffUsers, eq(staffUsers.id, complaints.assigneeId))
    .where(and(open, isNotNull(complaints.assigneeId)))
    .groupBy(staffUsers.id, staffUsers.name)
    .orderBy(sql`count(*) desc`, asc(staffUsers.name));
  const [none] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(and(open, sql`${complaints.assigneeId} is null`));

  return {
    bucket,
    statusOverTime: [...buckets.values()],
    slaWeekly,
    ikmMonthly,
    workload: { officers: loads.map((l) => ({ staffId: l.staffId, name: l.name, open: Number(l.n) })), unassigned: Number(none?.n ?? 0) },
  };
}
