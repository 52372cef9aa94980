// A visit recorded on the phone (issue 19): the worker's own task, checked whole, stored in one transaction
// with its photos, and sent twice after a reconnect still one visit (the phone's clientKey). The outcome's
// effect on the task: outcome.ts; the registry changes only when a supervisor approves (review.ts).

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { attachmentBlobs, fieldTasks, fieldVisitPhotos, fieldVisits, kelurahan, members } from '../../db/schema/index.ts';
import { createHash } from 'node:crypto';
import type { FieldReview, FieldTaskStatus } from '../../domain/vocabulary.ts';
import { can, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { zoneOf } from '../distribution/common.ts';
import { checklistFor } from './checklist.ts';
import type { FieldOptions } from './options.ts';
import { visitEffect } from './outcome.ts';
import { manageScope, workScope } from './scope.ts';
import { checkVisitInput, validClientKey, type VisitInput, type VisitRefusal } from './visit-input.ts';
import { reasonOf } from './view.ts';

export { MAX_PHOTOS, MAX_PHOTO_BYTES, MAX_VISIT_NOTE, type VisitInput, type VisitRefusal } from './visit-input.ts';

export type VisitResult =
  | { ok: true; visitId: number; duplicate: boolean; review: FieldReview; taskStatus: FieldTaskStatus }
  | { ok: false; reason: VisitRefusal };

type Visit = typeof fieldVisits.$inferSelect;

/**
 * Records a visit to one of the worker's tasks (field.work: assigned to them, or unassigned in a kelurahan they
 * cover — it becomes theirs). Refusals change nothing. The same clientKey again answers the first visit with
 * duplicate: true, also when the two sends race each other.
 */
export async function recordVisit(db: Db, actor: Actor, taskId: number, input: VisitInput, opts: FieldOptions): Promise<VisitResult> {
  const scope = workScope(actor);
  if (!Number.isSafeInteger(taskId)) return { ok: false, reason: 'not_found' };
  if (!validClientKey(input.clientKey)) return { ok: false, reason: 'client_key_invalid' };
  return db.transaction(async (tx): Promise<VisitResult> => {
    // The task's row lock makes a resend of the same form wait for the first and then find it below.
    const [task] = await tx.select().from(fieldTasks).where(and(scope, eq(fieldTasks.id, taskId))).for('update');
    if (!task) return { ok: false, reason: 'not_found' };
    const [prior] = await tx.select().from(fieldVisits).where(eq(fieldVisits.clientKey, input.clientKey));
    if (prior) return sameForm(prior, taskId, actor, task.status);
    if (task.status !== 'open') return { ok: false, reason: 'task_closed' };

    const checked = checkVisitInput(input, { checklist: await checklistFor(tx, task.kind), taskMemberId: task.memberId, now: opts.now, timeZone: zoneOf(opts) });
    if (!checked.ok) return checked;
    const v = checked.visit;
    if (v.memberId !== null) {
      const [m] = task.householdId === null ? [] : await tx.select({ id: members.id }).from(members).where(and(eq(members.id, v.memberId), eq(members.householdId, task.householdId)));
      if (!m) return { ok: false, reason: 'member_invalid' };
    }
    if (v.movedKelurahanId !== null) {
      const [k] = await tx.select({ id: kelurahan.id }).from(kelurahan).where(eq(kelurahan.id, v.movedKelurahanId));
      if (!k) return { ok: false, reason: 'moved_kelurahan_invalid' };
    }

    const effect = visitEffect(v.outcome, reasonOf(task));
    // The first write: when another send of this form to another task won the race for the key, nothing
    // else has been written yet and the answer is that send's.
    const [visit] = await tx
      .insert(fieldVisits)
      .values({
        taskId,
        staffId: actor.id,
        clientKey: input.clientKey,
        outcome: v.outcome,
        memberId: v.memberId,
        movedTo: v.movedTo,
        movedKelurahanId: v.movedKelurahanId,
        diedOn: v.diedOn,
        checklist: v.checklist,
        note: v.note,
        latitude: v.gps?.latitude ?? null,
        longitude: v.gps?.longitude ?? null,
        accuracyM: v.gps?.accuracyM ?? null,
        visitedAt: v.visitedAt,
        review: effect.review,
        createdAt: opts.now,
      })
      .onConflictDoNothing({ target: fieldVisits.clientKey })
      .returning({ id: fieldVisits.id });
    if (!visit) {
      const [winner] = await tx.select().from(fieldVisits).where(eq(fieldVisits.clientKey, input.clientKey));
      return winner ? sameForm(winner, taskId, actor, task.status) : { ok: false, reason: 'client_key_invalid' };
    }

    for (const p of v.photos) {
      const sha256 = createHash('sha256').update(p.bytes).digest('hex');
      await tx.insert(attachmentBlobs).values({ sha256, bytes: p.bytes, createdAt: opts.now }).onConflictDoNothing();
      await tx.insert(fieldVisitPhotos).values({ visitId: visit.id, sha256, mimeType: p.mimeType, size: p.bytes.byteLength }).onConflictDoNothing();
    }
    const claimed = task.assigneeId === null;
    await tx
      .update(fieldTasks)
      .set({ status: effect.taskStatus, assigneeId: task.assigneeId ?? actor.id, updatedAt: opts.now })
      .where(eq(fieldTasks.id, taskId));
    await audit(tx, actor, {
      action: 'field_visit.record',
      entity: 'field_visit',
      entityId: visit.id,
      details: { taskId, outcome: v.outcome, review: effect.review, memberId: v.memberId, photoCount: v.photos.length, gps: v.gps !== null, claimed },
      at: opts.now,
    });
    return { ok: true, visitId: visit.id, duplicate: false, review: effect.review, taskStatus: effect.taskStatus };
  });
}

/** The form was sent before: the first send's answer, when it was this worker's and this task's. */
function sameForm(prior: Visit, taskId: number, actor: Actor, taskStatus: FieldTaskStatus): VisitResult {
  if (prior.taskId !== taskId || prior.staffId !== actor.id) return { ok: false, reason: 'client_key_invalid' };
  return { ok: true, visitId: prior.id, duplicate: true, review: prior.review, taskStatus };
}

/**
 * One photo of a visit, as stored (its type is what its bytes are). For a supervisor in scope, or the worker
 * who made the visit; anyone else gets nothing, as if it did not exist. Audited: it shows a family's home.
 */
export async function getVisitPhoto(db: Db, actor: Actor, visitId: number, sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
  const manages = can(actor, 'field.manage');
  if (!manages) requirePermission(actor, 'field.work');
  if (!Number.isSafeInteger(visitId) || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  const [row] = await db
    .select({ bytes: attachmentBlobs.bytes, mimeType: fieldVisitPhotos.mimeType, taskId: fieldVisits.taskId })
    .from(fieldVisitPhotos)
    .innerJoin(fieldVisits, eq(fieldVisits.id, fieldVisitPhotos.visitId))
    .innerJoin(fieldTasks, eq(fieldTasks.id, fieldVisits.taskId))
    .innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, fieldVisitPhotos.sha256))
    .where(and(eq(fieldVisitPhotos.visitId, visitId), eq(fieldVisitPhotos.sha256, sha256), manages ? manageScope(actor) : eq(fieldVisits.staffId, actor.id)));
  if (!row) return undefined;
  await audit(db, actor, { action: 'field_visit.photo', entity: 'field_visit', entityId: visitId, details: { taskId: row.taskId } });
  return { bytes: Buffer.from(row.bytes), mimeType: row.mimeType };
}
