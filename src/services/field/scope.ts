// Who sees which field task (issue 19). Two ways in, checked here so every read and write of services/field
// narrows the same way:
//   - 'field.manage' (a supervisor; the admin has everything): the tasks of their kecamatan, or the whole city.
//   - 'field.work' (a TKSK, PSM, pendamping… through their field role's row): the tasks of the kelurahan they
//     cover, when assigned to them or to nobody yet. Another worker's task is none of theirs, even next door.
// A task outside the scope is answered as missing (not_found), never as forbidden, so ids cannot be probed.

import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { fieldTasks } from '../../db/schema/index.ts';
import { can, Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';

/** The supervisor's view; throws Forbidden without 'field.manage'. */
export function manageScope(actor: Actor): SQL | undefined {
  if (!can(actor, 'field.manage')) throw new Forbidden('field.manage');
  return actor.kecamatanId !== null ? eq(fieldTasks.kecamatanId, actor.kecamatanId) : undefined;
}

/** The worker's own view; throws Forbidden without 'field.work'. A worker who covers no kelurahan sees nothing. */
export function workScope(actor: Actor): SQL {
  if (!can(actor, 'field.work')) throw new Forbidden('field.work');
  const areas = actor.kelurahanIds ?? [];
  if (areas.length === 0) return sql`false`;
  return and(inArray(fieldTasks.kelurahanId, [...areas]), or(eq(fieldTasks.assigneeId, actor.id), isNull(fieldTasks.assigneeId)))!;
}

/** Either view, the wider first: an admin (who also holds 'field.work') reads as a supervisor. */
export function readScope(actor: Actor): SQL | undefined {
  if (can(actor, 'field.manage')) return manageScope(actor);
  if (can(actor, 'field.work')) return workScope(actor);
  throw new Forbidden('field.work');
}
