// The supervisor's dashboard: figures over the complaints the actor may see, for the last N days in the
// office's time zone. Only counts, rates and area names leave this module — never a resident's data.

import { and, desc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../domain/vocabulary.ts';
import { complaintEvents, complaints, kecamatan } from '../../db/schema/index.ts';
import { addDays, todayIn, zonedParts } from '../../domain/dates.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { ikm, slaCompliance, type IkmFigure, type SlaCompliance } from './complaints.ts';
import { DEFAULT_TIME_ZONE, scopeWhere } from '../complaints/shared.ts';
import { IKM_BREAKDOWNS, ikmBreakdown, type IkmBreakdown, type IkmGroup } from '../satisfaction/ikm.ts';

export const DASHBOARD_PERIODS = [7, 30, 90] as const;
export type DashboardDays = (typeof DASHBOARD_PERIODS)[number];

type Category = (typeof COMPLAINT_CATEGORIES)[number];
type Status = (typeof COMPLAINT_STATUSES)[number];

export interface Dashboard {
  days: DashboardDays;
  /** First calendar day of the period (ISO, in the time zone) and the instant it starts. */
  fromDay: string;
  toDay: string;
  from: Date;
  to: Date;
  total: number;
  /** One entry per calendar day of the period, oldest first, with a count per category. */
  perDay: { day: string; counts: Record<Category, number>; total: number }[];
  /** Complaints filed in the period by their current status. */
  byStatus: Record<Status, number>;
  sla: SlaCompliance;
  /** Median hours from filing to the first answer, over complaints filed in the period that were answered. */
  firstAnswer: { medianHours: number | null; count: number };
  ikm: IkmFigure;
  /** The period's IKM by service, bidang, site and month (services/satisfaction/ikm.ts). */
  ikmBy: Record<IkmBreakdown, IkmGroup[]>;
  /** The five kecamatan with the most complaints filed in the period. */
  busiestKecamatan: { id: number; name: string; count: number }[];
}

/** The instant a calendar day starts in a time zone. */
export function startOfDay(iso: string, timeZone: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const p = zonedParts(new Date(utc), timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - utc;
  // A second pass settles zones whose offset differs at the guess and at the answer (DST).
  const guess = utc - offset;
  const q = zonedParts(new Date(guess), timeZone);
  const offset2 = Date.UTC(q.year, q.month - 1, q.day, q.hour, q.minute, q.second) - guess;
  return new Date(utc - offset2);
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export async function dashboard(
  db: Db,
  actor: Actor,
  opts: { days: DashboardDays; now?: Date; timeZone?: string },
): Promise<Dashboard> {
  const now = opts.now ?? new Date();
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const toDay = todayIn(timeZone, now);
  const fromDay = addDays(toDay, -(opts.days - 1));
  const from = startOfDay(fromDay, timeZone);
  const to = startOfDay(addDays(toDay, 1), timeZone);
  const period = { from, to };

  // Nobody without the permission gets figures, whatever the scope helper would say.
  const allowed = can(actor, 'dashboard.read') || can(actor, 'reports.read');
  const scope = allowed ? scopeWhere(actor, { queue: false }) : sql`false`;
  const filed = and(scope, gte(complaints.createdAt, from), lt(complaints.createdAt, to));

  const dayExpr = sql<string>`to_char(${complaints.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const dayRows = await db
    .select({ day: dayExpr, category: complaints.category, n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(filed)
    .groupBy(sql`1`, sql`2`);
  const perDayMap = new Map<string, Record<Category, number>>();
  for (let d = fromDay; d <= toDay; d = addDays(d, 1)) perDayMap.set(d, zeros(COMPLAINT_CATEGORIES));
  for (const r of dayRows) {
    const bucket = perDayMap.get(r.day);
    if (bucket) bucket[r.category] += Number(r.n);
  }
  const perDay = [...perDayMap].map(([day, counts]) => ({ day, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }));

  const statusRows = await db
    .select({ status: complaints.status, n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(filed)
    .groupBy(complaints.status);
  const byStatus = zeros(COMPLAINT_STATUSES);
  for (const r of statusRows) byStatus[r.status] += Number(r.n);
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);

  // The first answer: the earliest message to the resident, or answeredAt when the events say nothing.
  const firstOut = db
    .select({ complaintId: complaintEvents.complaintId, at: sql<Date>`min(${complaintEvents.createdAt})`.as('first_out') })
    .from(complaintEvents)
    .where(eq(complaintEvents.kind, 'message_out'))
    .groupBy(complaintEvents.complaintId)
    .as('fo');
  const answeredExpr = sql`least(${firstOut.at}, ${complaints.answeredAt})`;
  const [median] = await db
    .select({
      hours: sql<string | null>`percentile_cont(0.5) within group (order by extract(epoch from (${answeredExpr} - ${complaints.createdAt})) / 3600.0)`,
      n: sql<number>`count(${answeredExpr})::int`,
    })
    .from(complaints)
    .leftJoin(firstOut, eq(firstOut.complaintId, complaints.id))
    .where(filed);
  const medianHours = median?.hours === null || median?.hours === undefined ? null : Math.round(Number(median.hours) * 10) / 10;

  const areaRows = await db
    .select({ id: kecamatan.id, name: kecamatan.name, n: sql<number>`count(*)::int` })
    .from(complaints)
    .innerJoin(kecamatan, eq(kecamatan.id, complaints.kecamatanId))
    .where(and(filed, isNotNull(complaints.kecamatanId)))
    .groupBy(kecamatan.id, kecamatan.name)
    .orderBy(desc(sql`count(*)`), kecamatan.name)
    .limit(5);

  const [sla, ikmFigure] = allowed
    ? await Promise.all([slaCompliance(db, actor, { ...period, now, timeZone }), ikm(db, actor, period)])
    : [
        { verifyDue: 0, verifiedOnTime: 0, verifyRate: null, answerDue: 0, answeredOnTime: 0, answerRate: null },
        { ikm: null, mutu: null, count: 0, distribution: [0, 0, 0, 0, 0] as IkmFigure['distribution'] },
      ];

  const ikmBy = Object.fromEntries(
    await Promise.all(IKM_BREAKDOWNS.map(async (by) => [by, allowed ? await ikmBreakdown(db, actor, period, by, { timeZone }) : []] as const)),
  ) as Record<IkmBreakdown, IkmGroup[]>;

  return {
    days: opts.days,
    fromDay,
    toDay,
    from,
    to,
    total,
    perDay,
    byStatus,
    sla,
    firstAnswer: { medianHours, count: Number(median?.n ?? 0) },
    ikm: ikmFigure,
    ikmBy,
    busiestKecamatan: areaRows.map((r) => ({ id: r.id, name: r.name, count: Number(r.n) })),
  };
}
