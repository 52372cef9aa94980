// Field workers as the supervisor sees them (issue 19): who covers a kelurahan, and each worker's load. A field
// worker is an active staff account with a field role whose row grants 'field.work' (staff_roles are data: a
// role an admin made without it sends nobody to the door).

import { and, asc, count, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks, fieldVisits, kelurahan, staffKelurahan, staffRoles, staffUsers } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import type { Actor } from '../actor.ts';
import { zoneOf } from '../distribution/common.ts';
import type { FieldOptions } from './options.ts';
import { manageScope } from './scope.ts';
import { overdueWhere } from './view.ts';

/** The staff rows that are field workers today; join staffRoles on staffUsers.fieldRole before using it. */
export const isFieldWorker: SQL = and(eq(staffUsers.active, true), isNotNull(staffUsers.fieldRole), sql`'field.work' = any(${staffRoles.permissions})`)!;

export interface CoveringWorker {
  id: number;
  name: string;
  fieldRole: string;
  kelurahanId: number;
}

/** Every field worker covering one of these kelurahan, one row per (worker, kelurahan). */
export async function workersCovering(db: Db, kelurahanIds: readonly number[]): Promise<CoveringWorker[]> {
  if (kelurahanIds.length === 0) return [];
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, fieldRole: staffUsers.fieldRole, kelurahanId: staffKelurahan.kelurahanId })
    .from(staffKelurahan)
    .innerJoin(staffUsers, eq(staffUsers.id, staffKelurahan.staffId))
    .innerJoin(staffRoles, eq(staffRoles.key, staffUsers.fieldRole))
    .where(and(inArray(staffKelurahan.kelurahanId, [...kelurahanIds]), isFieldWorker))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  return rows.map((r) => ({ ...r, fieldRole: r.fieldRole ?? '' }));
}

/** Whether the account is a field worker at all, whatever kelurahan it covers. */
export async function isFieldWorkerAnywhere(db: Db, staffId: number): Promise<boolean> {
  const rows = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.key, staffUsers.fieldRole))
    .where(and(eq(staffUsers.id, staffId), isFieldWorker));
  return rows.length > 0;
}

/** A kelurahan within the supervisor's kecamatan (any, for the city-wide). */
export async function kelurahanInScope(db: Db, actor: Actor, kelurahanId: number): Promise<{ id: number; kecamatanId: number } | undefined> {
  if (!Number.isSafeInteger(kelurahanId)) return undefined;
  const [k] = await db
    .select({ id: kelurahan.id, kecamatanId: kelurahan.kecamatanId })
    .from(kelurahan)
    .where(and(eq(kelurahan.id, kelurahanId), actor.kecamatanId !== null ? eq(kelurahan.kecamatanId, actor.kecamatanId) : undefined));
  return k;
}

/** The field workers a supervisor may give a task of this kelurahan to; [] for a kelurahan outside their scope. */
export async function fieldWorkersFor(db: Db, actor: Actor, kelurahanId: number): Promise<{ id: number; name: string; fieldRole: string }[]> {
  manageScope(actor);
  if (!(await kelurahanInScope(db, actor, kelurahanId))) return [];
  return (await workersCovering(db, [kelurahanId])).map(({ id, name, fieldRole }) => ({ id, name, fieldRole }));
}

export interface WorkerLoad {
  staffId: number;
  name: string;
  fieldRole: string;
  /** The field role's name per language (staff_roles.names), as the office wrote it. */
  roleNames: Record<string, string>;
  kelurahan: string[];
  open: number;
  overdue: number;
  visitedThisMonth: number;
}

/**
 * Each field worker of the supervisor's kecamatan (one covering at least one of its kelurahan) with their open
 * and overdue tasks and the visits they recorded this calendar month (office's zone), counted within the
 * supervisor's scope only. Figures and staff names: not audited.
 */
export async function workerSummary(db: Db, actor: Actor, opts: FieldOptions): Promise<WorkerLoad[]> {
  const scope = manageScope(actor);
  const zone = zoneOf(opts);
  const today = todayIn(zone, opts.now);
  const areas = await db
    .select({ staffId: staffUsers.id, name: staffUsers.name, fieldRole: staffUsers.fieldRole, roleNames: staffRoles.names, kelurahanName: kelurahan.name, kecamatanId: kelurahan.kecamatanId })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.key, staffUsers.fieldRole))
    .innerJoin(staffKelurahan, eq(staffKelurahan.staffId, staffUsers.id))
    .innerJoin(kelurahan, eq(kelurahan.id, staffKelurahan.kelurahanId))
    .where(isFieldWorker)
    .orderBy(asc(staffUsers.name), asc(staffUsers.id), asc(kelurahan.name));
  const workers = new Map<number, WorkerLoad & { inScope: boolean }>();
  for (const a of areas) {
    const w = workers.get(a.staffId) ?? { staffId: a.staffId, name: a.name, fieldRole: a.fieldRole ?? '', roleNames: a.roleNames, kelurahan: [], open: 0, overdue: 0, visitedThisMonth: 0, inScope: false };
    w.kelurahan.push(a.kelurahanName);
    w.inScope ||= actor.kecamatanId === null || a.kecamatanId === actor.kecamatanId;
    workers.set(a.staffId, w);
  }
  const ids = [...workers.values()].filter((w) => w.inScope).map((w) => w.staffId);
  if (ids.length === 0) return [];
  const open = await db
    .select({ staffId: fieldTasks.assigneeId, n: count(), overdue: sql<number>`count(*) filter (where ${overdueWhere(today)})` })
    .from(fieldTasks)
    .where(and(scope, eq(fieldTasks.status, 'open'), inArray(fieldTasks.assigneeId, ids)))
    .groupBy(fieldTasks.assigneeId);
  const month = today.slice(0, 7);
  const visited = await db
    .select({ staffId: fieldVisits.staffId, n: count() })
    .from(fieldVisits)
    .innerJoin(fieldTasks, eq(fieldTasks.id, fieldVisits.taskId))
    .where(and(scope, inArray(fieldVisits.staffId, ids), sql`to_char(${fieldVisits.visitedAt} at time zone ${zone}, 'YYYY-MM') = ${month}`))
    .groupBy(fieldVisits.staffId);
  for (const o of open) {
    const w = workers.get(o.staffId!);
    if (w) Object.assign(w, { open: Number(o.n), overdue: Number(o.overdue) });
  }
  for (const v of visited) {
    const w = workers.get(v.staffId);
    if (w) w.visitedThisMonth = Number(v.n);
  }
  return ids.map((id) => {
    const { inScope: _inScope, ...load } = workers.get(id)!;
    return load;
  });
}
