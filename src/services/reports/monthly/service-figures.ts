// The services page's figures per kecamatan: complaints and SLA, findings, field visits, PPKS, IKM.
//
// SLA, IKM and PPKS are the dashboard's and the social page's own functions (reports/complaints.ts,
// reports/social.ts), asked once for the whole scope and once per kecamatan as that kecamatan's officer
// would ask: the same definitions everywhere, so the report agrees with those pages to the unit. That is a
// few small queries per kecamatan (a city has about a dozen), each over one month's rows. The plain counts
// (complaints filed and closed, findings, visits) are one query each, grouped by kecamatan.

import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { complaints, fieldTasks, fieldVisits, findings } from '../../../db/schema/index.ts';
import type { Actor } from '../../actor.ts';
import { scopeWhere } from '../../complaints/shared.ts';
import { ikm, slaCompliance } from '../complaints.ts';
import { ppksMonths } from '../social.ts';
import type { MonthBounds } from './program-figures.ts';
import type { ServiceAreaFigures } from './types.ts';

type Counts = Pick<ServiceAreaFigures, 'complaintsFiled' | 'complaintsClosed' | 'findingsOpened' | 'findingsResolved' | 'fieldVisits'>;

const ZERO_COUNTS: Counts = { complaintsFiled: 0, complaintsClosed: 0, findingsOpened: 0, findingsResolved: 0, fieldVisits: 0 };

export async function serviceFigures(
  db: Db,
  actor: Actor,
  month: string,
  areaIds: readonly number[],
  b: MonthBounds & { now: Date; timeZone: string },
): Promise<{ total: ServiceAreaFigures; areas: ServiceAreaFigures[] }> {
  const counts = await countsByKecamatan(db, actor, b);
  // One area's functions, as its officer: the actor narrowed to the kecamatan (bidang kept).
  const figuresOf = async (kecamatanId: number | null, who: Actor): Promise<ServiceAreaFigures> => {
    const [sla, rating, ppks] = await Promise.all([
      slaCompliance(db, who, { from: b.from, to: b.to, now: b.now, timeZone: b.timeZone }),
      ikm(db, who, { from: b.from, to: b.to }),
      ppksMonths(db, who, month, b.timeZone),
    ]);
    const p = ppks.at(-1)!;
    const c = kecamatanId === null ? sumCounts([...counts.values()]) : (counts.get(kecamatanId) ?? ZERO_COUNTS);
    return { kecamatanId, ...c, sla, ikm: rating, ppks: { reported: p.reported, reached: p.reached, served: p.served } };
  };
  const total = await figuresOf(null, actor);
  const areas: ServiceAreaFigures[] = [];
  for (const id of areaIds) areas.push(await figuresOf(id, { ...actor, kecamatanId: id }));
  return { total, areas };
}

function sumCounts(rows: readonly Counts[]): Counts {
  const t = { ...ZERO_COUNTS };
  for (const r of rows) for (const k of Object.keys(t) as (keyof Counts)[]) t[k] += r[k];
  return t;
}

/** Counts keyed by kecamatan (the key null for rows of none), within the actor's scope. */
async function countsByKecamatan(db: Db, actor: Actor, b: MonthBounds): Promise<Map<number | null, Counts>> {
  const out = new Map<number | null, Counts>();
  const of = (k: number | null) => {
    let c = out.get(k);
    if (!c) out.set(k, (c = { ...ZERO_COUNTS }));
    return c;
  };
  const inMonth = (col: Parameters<typeof gte>[0]) => and(gte(col, b.from), lt(col, b.to))!;
  const filedOrClosed = await db
    .select({
      kecamatanId: complaints.kecamatanId,
      filed: sql<number>`count(*) filter (where ${inMonth(complaints.createdAt)})::int`,
      closed: sql<number>`count(*) filter (where ${inMonth(complaints.closedAt)})::int`,
    })
    .from(complaints)
    .where(and(scopeWhere(actor, { queue: false }), sql`(${inMonth(complaints.createdAt)} or ${inMonth(complaints.closedAt)})`))
    .groupBy(complaints.kecamatanId);
  for (const r of filedOrClosed) Object.assign(of(r.kecamatanId), { complaintsFiled: Number(r.filed), complaintsClosed: Number(r.closed) });

  // A finding is resolved when closed in the month: fixed, or accepted as right (a reason given); a scan
  // that opens a fixed one again makes it open, so it leaves this count.
  // Findings and field work are the registry's and the field desk's, not a bidang's: a bidang desk sees its
  // kecamatan's counts (they name nobody).
  const area = actor.kecamatanId === null ? undefined : eq(findings.kecamatanId, actor.kecamatanId);
  const found = await db
    .select({
      kecamatanId: findings.kecamatanId,
      opened: sql<number>`count(*) filter (where ${inMonth(findings.firstSeenAt)})::int`,
      resolved: sql<number>`count(*) filter (where ${findings.status} in ('resolved', 'accepted') and ${inMonth(findings.resolvedAt)})::int`,
    })
    .from(findings)
    .where(and(area, sql`(${inMonth(findings.firstSeenAt)} or ${inMonth(findings.resolvedAt)})`))
    .groupBy(findings.kecamatanId);
  for (const r of found) Object.assign(of(r.kecamatanId), { findingsOpened: Number(r.opened), findingsResolved: Number(r.resolved) });

  const visits = await db
    .select({ kecamatanId: fieldTasks.kecamatanId, n: sql<number>`count(*)::int` })
    .from(fieldVisits)
    .innerJoin(fieldTasks, eq(fieldTasks.id, fieldVisits.taskId))
    .where(and(actor.kecamatanId === null ? undefined : eq(fieldTasks.kecamatanId, actor.kecamatanId), inMonth(fieldVisits.visitedAt)))
    .groupBy(fieldTasks.kecamatanId);
  for (const r of visits) of(r.kecamatanId).fieldVisits = Number(r.n);
  return out;
}
