// The supervisor's decision on visits that would change the registry (issue 19): a move, a death, a person
// found alive against a report. Approve applies it (approval.ts) and closes the task; reject (with the reason,
// which the worker reads) sends the task back to be visited again.

import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks, fieldVisitPhotos, fieldVisits, kelurahan, members, staffUsers } from '../../db/schema/index.ts';
import { maskName } from '../../domain/mask.ts';
import type { FieldOutcome } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { translatorOf, zoneOf } from '../distribution/common.ts';
import { applyApproval } from './approval.ts';
import type { FieldOptions } from './options.ts';
import { manageScope } from './scope.ts';
import { MAX_VISIT_NOTE } from './visit-input.ts';
import { selectTaskViews, type FieldTaskView } from './view.ts';

export interface PendingVisitView {
  visitId: number;
  task: FieldTaskView;
  staffName: string;
  outcome: FieldOutcome;
  /** The member the visit is about. */
  memberMasked: string | null;
  movedTo: string | null;
  movedKelurahanName: string | null;
  diedOn: string | null;
  checklist: Record<string, boolean>;
  note: string | null;
  latitude: number | null;
  longitude: number | null;
  accuracyM: number | null;
  visitedAt: Date;
  photos: { sha256: string; mimeType: string; size: number }[];
}

export type ReviewRefusal = 'not_found' | 'not_pending' | 'note_required' | 'note_too_long';

/** A page of decisions, oldest visit first (it has waited longest). */
export const MAX_PENDING = 200;

/** Visits waiting for a decision in the supervisor's scope. Audited: they show what was seen at families' doors. */
export async function listPendingVisits(db: Db, actor: Actor, opts: FieldOptions): Promise<PendingVisitView[]> {
  const scope = manageScope(actor);
  const rows = await db
    .select({ v: fieldVisits, staffName: staffUsers.name, memberName: members.name, movedKelurahanName: kelurahan.name })
    .from(fieldVisits)
    .innerJoin(fieldTasks, eq(fieldTasks.id, fieldVisits.taskId))
    .innerJoin(staffUsers, eq(staffUsers.id, fieldVisits.staffId))
    .leftJoin(members, eq(members.id, fieldVisits.memberId))
    .leftJoin(kelurahan, eq(kelurahan.id, fieldVisits.movedKelurahanId))
    .where(and(scope, eq(fieldVisits.review, 'pending')))
    .orderBy(asc(fieldVisits.visitedAt), asc(fieldVisits.id))
    .limit(MAX_PENDING);
  if (rows.length === 0) return [];
  const taskIds = [...new Set(rows.map((r) => r.v.taskId))];
  const tasks = new Map((await selectTaskViews(db, inArray(fieldTasks.id, taskIds), { now: opts.now, timeZone: zoneOf(opts), limit: taskIds.length })).map((t) => [t.id, t]));
  const photos = await db
    .select({ visitId: fieldVisitPhotos.visitId, sha256: fieldVisitPhotos.sha256, mimeType: fieldVisitPhotos.mimeType, size: fieldVisitPhotos.size })
    .from(fieldVisitPhotos)
    .where(inArray(fieldVisitPhotos.visitId, rows.map((r) => r.v.id)))
    .orderBy(asc(fieldVisitPhotos.sha256));
  await audit(db, actor, { action: 'field_visit.list', entity: 'field_visit', details: { review: 'pending', count: rows.length }, at: opts.now });
  return rows.map((r) => {
    const task = tasks.get(r.v.taskId)!;
    return {
      visitId: r.v.id,
      task,
      staffName: r.staffName,
      outcome: r.v.outcome,
      // The visit names the member when the task did not; else it is the task's own.
      memberMasked: r.memberName ? maskName(r.memberName) : task.memberId !== null ? task.personMasked : null,
      movedTo: r.v.movedTo,
      movedKelurahanName: r.movedKelurahanName,
      diedOn: r.v.diedOn,
      checklist: Object.fromEntries(Object.entries(r.v.checklist).filter((e): e is [string, boolean] => typeof e[1] === 'boolean')),
      note: r.v.note,
      latitude: r.v.latitude,
      longitude: r.v.longitude,
      accuracyM: r.v.accuracyM,
      visitedAt: r.v.visitedAt,
      photos: photos.filter((p) => p.visitId === r.v.id).map(({ sha256, mimeType, size }) => ({ sha256, mimeType, size })),
    };
  });
}

/**
 * Approves (the registry changes: approval.ts; the task is done) or rejects (a note is required; the task is
 * open again for another visit) a pending visit in the supervisor's scope. One transaction.
 */
export async function reviewVisit(
  db: Db,
  actor: Actor,
  visitId: number,
  decision: 'approve' | 'reject',
  note: string | undefined,
  opts: FieldOptions,
): Promise<{ ok: true } | { ok: false; reason: ReviewRefusal }> {
  const scope = manageScope(actor);
  if (!Number.isSafeInteger(visitId) || (decision !== 'approve' && decision !== 'reject')) return { ok: false, reason: 'not_found' };
  const text = (note ?? '').trim();
  const t = await translatorOf(opts);
  return db.transaction(async (tx) => {
    const [v] = await tx.select().from(fieldVisits).where(eq(fieldVisits.id, visitId)).for('update');
    const [task] = v ? await tx.select().from(fieldTasks).where(and(scope, eq(fieldTasks.id, v.taskId))).for('update') : [];
    if (!v || !task) return { ok: false, reason: 'not_found' } as const;
    if (v.review !== 'pending') return { ok: false, reason: 'not_pending' } as const;
    if (decision === 'reject' && text.length === 0) return { ok: false, reason: 'note_required' } as const;
    if (text.length > MAX_VISIT_NOTE) return { ok: false, reason: 'note_too_long' } as const;

    const approved = decision === 'approve';
    await tx
      .update(fieldVisits)
      .set({ review: approved ? 'approved' : 'rejected', reviewedBy: actor.kind === 'staff' ? actor.id : null, reviewedAt: opts.now, reviewNote: text || null })
      .where(eq(fieldVisits.id, visitId));
    if (approved) {
      // Written once, in the office's language, on the finding: what the desk reads when it opens it later.
      const closingNote = [
        t.t('field:reasons.closed_by_visit', { visitId, outcome: t.t(`field:reasons.outcomes.${v.outcome}`) }),
        v.note,
        text || null,
      ]
        .filter((s): s is string => !!s)
        .join(' ');
      await applyApproval(tx, actor, task, v, closingNote, opts.now);
    }
    await tx
      .update(fieldTasks)
      .set({ status: approved ? 'done' : 'open', updatedAt: opts.now })
      .where(eq(fieldTasks.id, task.id));
    await audit(tx, actor, {
      action: approved ? 'field_visit.approve' : 'field_visit.reject',
      entity: 'field_visit',
      entityId: visitId,
      details: { taskId: task.id, outcome: v.outcome, noteLength: text.length },
      at: opts.now,
    });
    return { ok: true } as const;
  });
}
