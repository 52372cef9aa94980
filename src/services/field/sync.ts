// Tasks from data-quality findings (issue 19, step 1): a finding a visit can settle (someone reported dead or
// moved, a dead person still paid, a NIK in two families) becomes a task for the field worker who covers its
// kelurahan, due in ten working days. Run by the jobs after each findings scan; safe in several processes at
// once: the partial unique index field_tasks_open_source_uq lets one task per finding be open (or visited) at a
// time, and a second process's insert of the same finding does nothing.

import { and, asc, eq, gt, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks, findings, kelurahan } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { addWorkingDays } from '../../domain/workdays.ts';
import { audit } from '../audit.ts';
import { holidaySet } from '../complaints/shared.ts';
import { zoneOf } from '../distribution/common.ts';
import type { FieldOptions } from './options.ts';
import { workersCovering } from './workers.ts';
import { TASK_SOURCES, type TaskSource } from './sources.ts';
import { rowsOf } from '../../db/rows.ts';

/** The kinds of finding a look at the door can settle; the others are desk work (a phone, a desil ceiling). */
export const VISIT_FINDING_KINDS = ['reported_deceased', 'reported_moved', 'deceased_enrolled', 'duplicate_nik'] as const;
export type VisitFindingKind = (typeof VISIT_FINDING_KINDS)[number];

export const DUE_WORKING_DAYS = 10;
const BATCH = 500;

/**
 * A finding needs a task unless one is under way (open, visited) or one was done since the finding last
 * opened: a duplicate NIK stays open for the registry desk after the visit, and must not send a worker
 * again every six hours. A finding the scan opened again after that (details.reopenedAt) gets a new task.
 */
const noTaskYet = notExists(
  sql`(select 1 from ${fieldTasks} t where t.kind = 'finding' and t.source_id = ${findings.id} and (
    t.status in ('open', 'visited')
    or (t.status = 'done' and (${findings.details} ->> 'reopenedAt' is null or (${findings.details} ->> 'reopenedAt')::timestamptz <= t.updated_at))))`,
);

/** Open findings a visit can settle, with no task under way (noTaskYet), as the other sources' rows. */
const findingSource: TaskSource = {
  kind: 'finding',
  async due(tx, after, _today, limit) {
    const rows = await tx
      .select({ id: findings.id, kind: findings.kind, kelurahanId: findings.kelurahanId, kecamatanId: kelurahan.kecamatanId, householdId: findings.householdId, memberId: findings.memberId })
      .from(findings)
      .innerJoin(kelurahan, eq(kelurahan.id, findings.kelurahanId))
      .where(and(eq(findings.status, 'open'), inArray(findings.kind, [...VISIT_FINDING_KINDS]), isNotNull(findings.kelurahanId), gt(findings.id, after), noTaskYet))
      .orderBy(asc(findings.id))
      .limit(limit);
    return rows.map((f) => ({ sourceId: f.id, kecamatanId: f.kecamatanId, kelurahanId: f.kelurahanId!, householdId: f.householdId, memberId: f.memberId, details: { findingKind: f.kind } }));
  },
  // Staff closed the finding at the desk (resolved or accepted): nothing left to look at. A visited task waits
  // for its decision whatever the desk did, so only open ones are cancelled.
  settled: () => sql`not exists (select 1 from findings f where f.id = t.source_id and f.status = 'open')`,
};

const SOURCES: readonly TaskSource[] = [findingSource, ...TASK_SOURCES];

export async function syncFieldTasks(db: Db, opts: FieldOptions): Promise<{ created: number; cancelled: number }> {
  const created = await makeTasks(db, opts);
  const cancelled = await cancelSettled(db, opts);
  if (created + cancelled > 0) {
    await audit(db, { kind: 'system' }, { action: 'field_task.sync', entity: 'field_task', details: { created, cancelled }, at: opts.now });
  }
  return { created, cancelled };
}

/** Every source, batch by batch; each row's task given to the covering worker with the fewest open tasks. */
async function makeTasks(db: Db, opts: FieldOptions): Promise<number> {
  const zone = zoneOf(opts);
  const today = todayIn(zone, opts.now);
  let created = 0;
  for (const source of SOURCES) {
    // The cursor (the source id) makes every round move on, whatever another process inserted meanwhile.
    for (let after = 0; ; ) {
      const round = await db.transaction(async (tx) => {
        const due = await source.due(tx, after, today, BATCH);
        if (due.length === 0) return { seen: 0, last: after, made: 0 };
        const usual = todayIn(zone, addWorkingDays(opts.now, DUE_WORKING_DAYS, await holidaySet(tx, opts.now, zone), zone));
        const pick = await assigner(tx, due.map((r) => r.kelurahanId));
        const made = await tx
          .insert(fieldTasks)
          .values(
            due.map((r) => ({
              kind: source.kind,
              sourceId: r.sourceId,
              kecamatanId: r.kecamatanId,
              kelurahanId: r.kelurahanId,
              householdId: r.householdId,
              memberId: r.memberId,
              details: r.details,
              assigneeId: pick(r.kelurahanId),
              dueOn: r.dueOn ?? usual,
              createdAt: opts.now,
              updatedAt: opts.now,
            })),
          )
          .onConflictDoNothing({ target: [fieldTasks.kind, fieldTasks.sourceId], where: sql`status in ('open', 'visited')` })
          .returning({ id: fieldTasks.id });
        return { seen: due.length, last: due.at(-1)!.sourceId, made: made.length };
      });
      created += round.made;
      after = round.last;
      if (round.seen < BATCH) break;
    }
  }
  return created;
}

/** Open tasks whose reason went away meanwhile, of every source. */
async function cancelSettled(db: Db, opts: FieldOptions): Promise<number> {
  const today = todayIn(zoneOf(opts), opts.now);
  let n = 0;
  for (const source of SOURCES) {
    const rows = rowsOf(
      await db.execute(sql`update field_tasks t set status = 'cancelled', updated_at = ${opts.now.toISOString()}::timestamptz
        where t.kind = ${source.kind} and t.status = 'open' and ${source.settled(today)} returning t.id`),
    );
    n += rows.length;
  }
  return n;
}

/**
 * Who gets each new task of a batch: nobody when no field worker covers the kelurahan (the supervisor sees it
 * unassigned), else the covering worker with the fewest open tasks, counting the ones this batch already gave
 * out; ties go to the lowest id, so two runs decide alike.
 */
async function assigner(db: Db, kelurahanIds: number[]): Promise<(kelurahanId: number) => number | null> {
  const covering = await workersCovering(db, [...new Set(kelurahanIds)]);
  if (covering.length === 0) return () => null;
  const ids = [...new Set(covering.map((w) => w.id))];
  const counts = await db
    .select({ staffId: fieldTasks.assigneeId, n: sql<number>`count(*)::int` })
    .from(fieldTasks)
    .where(and(eq(fieldTasks.status, 'open'), inArray(fieldTasks.assigneeId, ids)))
    .groupBy(fieldTasks.assigneeId);
  const load = new Map<number, number>(ids.map((id) => [id, 0]));
  for (const c of counts) load.set(c.staffId!, Number(c.n));
  const byKelurahan = new Map<number, number[]>();
  for (const w of covering) byKelurahan.set(w.kelurahanId, [...(byKelurahan.get(w.kelurahanId) ?? []), w.id]);
  return (kelurahanId) => {
    const candidates = byKelurahan.get(kelurahanId) ?? [];
    if (candidates.length === 0) return null;
    const chosen = candidates.reduce((best, id) => (load.get(id)! < load.get(best)! || (load.get(id) === load.get(best) && id < best) ? id : best));
    load.set(chosen, load.get(chosen)! + 1);
    return chosen;
  };
}
