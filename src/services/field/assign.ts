// A supervisor gives a field task to a worker, takes it from one worker to another, or back to nobody (issue
// 19). Only a task still to be visited moves: a visited one waits for the decision on its visit, a closed one
// is history. The worker must be a field worker covering the task's kelurahan, or they could not even see it.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import type { FieldOptions } from './options.ts';
import { manageScope } from './scope.ts';
import { isFieldWorkerAnywhere, workersCovering } from './workers.ts';

export type AssignRefusal = 'not_found' | 'not_field_worker' | 'outside_kelurahan' | 'invalid_status';

export async function assignFieldTask(
  db: Db,
  actor: Actor,
  taskId: number,
  assigneeId: number | null,
  opts: FieldOptions,
): Promise<{ ok: true } | { ok: false; reason: AssignRefusal }> {
  const scope = manageScope(actor);
  if (!Number.isSafeInteger(taskId)) return { ok: false, reason: 'not_found' };
  if (assigneeId !== null && !Number.isSafeInteger(assigneeId)) return { ok: false, reason: 'not_field_worker' };
  return db.transaction(async (tx) => {
    const [task] = await tx.select().from(fieldTasks).where(and(scope, eq(fieldTasks.id, taskId))).for('update');
    if (!task) return { ok: false, reason: 'not_found' } as const;
    if (task.status !== 'open') return { ok: false, reason: 'invalid_status' } as const;
    if (assigneeId !== null) {
      const covering = await workersCovering(tx, [task.kelurahanId]);
      if (!covering.some((w) => w.id === assigneeId)) {
        // Told apart so the supervisor knows what to fix: the account's role, or the kelurahan it covers.
        const elsewhere = await isFieldWorkerAnywhere(tx, assigneeId);
        return { ok: false, reason: elsewhere ? 'outside_kelurahan' : 'not_field_worker' } as const;
      }
    }
    if (task.assigneeId === assigneeId) return { ok: true } as const;
    await tx.update(fieldTasks).set({ assigneeId, updatedAt: opts.now }).where(eq(fieldTasks.id, taskId));
    await audit(tx, actor, { action: 'field_task.assign', entity: 'field_task', entityId: taskId, details: { fromStaffId: task.assigneeId, toStaffId: assigneeId }, at: opts.now });
    return { ok: true } as const;
  });
}
