// Reading field tasks (issue 19): the worker's own list on the phone, one task opened (audited: it shows a
// family's members), and the supervisor's list with filters. Scope: scope.ts.

import { and, eq, inArray, isNull, not, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import type { FieldTaskStatus } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { zoneOf } from '../distribution/common.ts';
import type { FieldOptions } from './options.ts';
import { manageScope, readScope, workScope } from './scope.ts';
import { livingMembers, overdueWhere, selectTaskViews, type FieldTaskView } from './view.ts';

export type { FieldTaskView } from './view.ts';

/** A phone shows one worker's tasks; a supervisor's page one screen of them. Filters narrow further. */
export const MAX_LIST = 200;

export interface FieldTaskFilter {
  status?: FieldTaskStatus;
  assigneeId?: number | 'none';
  kelurahanId?: number;
  overdue?: boolean;
}

/** The worker's tasks still to do or waiting for a decision (open, visited), the nearest due date first. */
export async function listMyTasks(db: Db, actor: Actor, opts: FieldOptions): Promise<FieldTaskView[]> {
  const scope = workScope(actor);
  return selectTaskViews(db, and(scope, inArray(fieldTasks.status, ['open', 'visited'])), { now: opts.now, timeZone: zoneOf(opts), limit: MAX_LIST });
}

/** One task with the household's living members, for a worker or a supervisor in scope; every opening audited. */
export async function getFieldTask(db: Db, actor: Actor, id: number, opts: FieldOptions): Promise<FieldTaskView | undefined> {
  const scope = readScope(actor);
  if (!Number.isSafeInteger(id)) return undefined;
  const [task] = await selectTaskViews(db, and(scope, eq(fieldTasks.id, id)), { now: opts.now, timeZone: zoneOf(opts), limit: 1 });
  if (!task) return undefined;
  if (task.householdId !== null) task.members = await livingMembers(db, task.householdId);
  await audit(db, actor, { action: 'field_task.read', entity: 'field_task', entityId: id, details: { householdId: task.householdId, memberCount: task.members.length }, at: opts.now });
  return task;
}

/** The supervisor's list under a filter, the nearest due date first, at most MAX_LIST. */
export async function listFieldTasks(db: Db, actor: Actor, filter: FieldTaskFilter, opts: FieldOptions): Promise<FieldTaskView[]> {
  const scope = manageScope(actor);
  const today = todayIn(zoneOf(opts), opts.now);
  const where: (SQL | undefined)[] = [
    scope,
    filter.status ? eq(fieldTasks.status, filter.status) : undefined,
    filter.assigneeId === 'none' ? isNull(fieldTasks.assigneeId) : filter.assigneeId !== undefined ? eq(fieldTasks.assigneeId, filter.assigneeId) : undefined,
    filter.kelurahanId !== undefined ? eq(fieldTasks.kelurahanId, filter.kelurahanId) : undefined,
    filter.overdue === true ? overdueWhere(today) : filter.overdue === false ? not(overdueWhere(today)) : undefined,
  ];
  return selectTaskViews(db, and(...where), { now: opts.now, timeZone: zoneOf(opts), limit: MAX_LIST });
}
