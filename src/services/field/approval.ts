// What an approved visit changes in the registry (issue 19), inside the review's transaction. The worker saw
// it at the door; the supervisor agreed; now the office's records say so, each change audited with old and new.
//
//   deceased   → the member is marked deceased, their own (person) enrollments that were active are
//                suspended for review (a household's program goes on: the family still lives), the finding closed.
//   moved      → with a kelurahan known, the household moves there; without, it stays where it is and the
//                finding is closed with the worker's words for the registry desk. The finding closed either way.
//   found      → the person is there and alive: the report or the record was wrong, the finding accepted.
//   duplicate_nik, any outcome → recorded only: which of the two families the person really belongs to is the
//                registry desk's decision (it may need the Dukcapil record), so the finding stays open for them.
//                Kept simple on purpose; the visit and its approval are on the finding's task for the desk to read.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrollments, findings, households, members } from '../../db/schema/index.ts';
import type { FindingStatus } from '../registry/quality/findings.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import type { FieldTaskRow } from './view.ts';
import { reasonOf } from './view.ts';

type Visit = {
  id: number;
  outcome: 'found' | 'moved' | 'deceased' | 'not_found' | 'refused';
  memberId: number | null;
  movedKelurahanId: number | null;
  note: string | null;
};

/**
 * How a finding the visit settled is closed. A report from the chat (reported_deceased, reported_moved) is
 * found by every scan for as long as the resident's complaint exists, and the scan opens a *resolved* finding
 * again (services/registry/quality/scan.ts, issue 18): once the field has looked and the office decided, the
 * report is answered, so it is closed as 'accepted', which the scan leaves closed. A registry record that was
 * fixed (deceased_enrolled: the enrollment is suspended now) is 'resolved', and the scan checks the fix.
 * A person found alive: the record stays as it is, 'accepted'.
 */
export function closingStatus(reason: string, outcome: Visit['outcome']): FindingStatus {
  if (outcome === 'found') return 'accepted';
  return reason.startsWith('reported_') ? 'accepted' : 'resolved';
}

export async function applyApproval(tx: Db, actor: Actor, task: FieldTaskRow, visit: Visit, closingNote: string, now: Date): Promise<void> {
  const reason = reasonOf(task);
  if (reason === 'duplicate_nik') return;
  if (visit.outcome === 'deceased') {
    const memberId = visit.memberId ?? task.memberId;
    if (memberId !== null) await markDeceased(tx, actor, memberId, visit.id, now);
  }
  if (visit.outcome === 'moved' && visit.movedKelurahanId !== null && task.householdId !== null) {
    await moveHousehold(tx, actor, task.householdId, visit.movedKelurahanId, visit.id, now);
  }
  if (task.kind === 'finding' && (visit.outcome === 'deceased' || visit.outcome === 'moved' || visit.outcome === 'found')) {
    await closeFinding(tx, actor, task.sourceId, closingStatus(reason, visit.outcome), closingNote, visit.id, now);
  }
}

async function markDeceased(tx: Db, actor: Actor, memberId: number, visitId: number, now: Date): Promise<void> {
  const marked = await tx
    .update(members)
    .set({ deceased: true, updatedAt: now })
    .where(and(eq(members.id, memberId), eq(members.deceased, false)))
    .returning({ id: members.id });
  if (marked.length > 0) {
    await audit(tx, actor, { action: 'member.mark_deceased', entity: 'member', entityId: memberId, details: { visitId, from: false, to: true }, at: now });
  }
  // Stopped for review, not ended: the desk checks the date of death against what was paid since.
  const suspended = await tx
    .update(enrollments)
    .set({ status: 'suspended', updatedAt: now })
    .where(and(eq(enrollments.memberId, memberId), eq(enrollments.status, 'active')))
    .returning({ id: enrollments.id });
  if (suspended.length > 0) {
    await audit(tx, actor, {
      action: 'enrollment.suspend',
      entity: 'member',
      entityId: memberId,
      details: { visitId, enrollmentIds: suspended.map((e) => e.id), from: 'active', to: 'suspended' },
      at: now,
    });
  }
}

async function moveHousehold(tx: Db, actor: Actor, householdId: number, toKelurahanId: number, visitId: number, now: Date): Promise<void> {
  const [h] = await tx.select({ kelurahanId: households.kelurahanId }).from(households).where(eq(households.id, householdId)).for('update');
  if (!h || h.kelurahanId === toKelurahanId) return;
  await tx.update(households).set({ kelurahanId: toKelurahanId, updatedAt: now }).where(eq(households.id, householdId));
  await audit(tx, actor, { action: 'household.move', entity: 'household', entityId: householdId, details: { visitId, fromKelurahanId: h.kelurahanId, toKelurahanId }, at: now });
}

/** Only a finding still open: a note a colleague wrote at the desk meanwhile is never overwritten. */
async function closeFinding(tx: Db, actor: Actor, findingId: number, status: FindingStatus, note: string, visitId: number, now: Date): Promise<void> {
  const closed = await tx
    .update(findings)
    .set({ status, resolutionNote: note, resolvedBy: actor.kind === 'staff' ? actor.id : null, resolvedAt: now })
    .where(and(eq(findings.id, findingId), eq(findings.status, 'open')))
    .returning({ kind: findings.kind });
  if (closed.length > 0) {
    await audit(tx, actor, {
      action: status === 'accepted' ? 'finding.accept' : 'finding.resolve',
      entity: 'finding',
      entityId: findingId,
      details: { kind: closed[0]!.kind, visitId, noteLength: note.length },
      at: now,
    });
  }
}
