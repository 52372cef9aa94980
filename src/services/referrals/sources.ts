// What may be referred, and who may see it: each kind of case keeps the rule of the desk it comes from, so a
// referral is never a way round a scope.
//   - a complaint (a PPKS report is one): 'complaints.work', and the complaint visible to the actor the way
//     services/complaints decides (its kecamatan and bidang; an operator's queue);
//   - a field task: 'field.manage', the task in the supervisor's kecamatan (services/field/scope.ts);
//   - a data-quality finding: 'complaints.assign', the finding in the actor's kecamatan (a finding with no
//     area is for the city-wide desk only, as on the findings page).
// A case outside the scope is answered as missing (not_found), never as forbidden, so ids cannot be probed.

import { and, eq, exists, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints, fieldTasks, findings, referrals } from '../../db/schema/index.ts';
import type { ReferralSource } from '../../domain/vocabulary.ts';
import { can, Forbidden, type Permission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { loadVisible, scopeWhere as complaintScope } from '../complaints/shared.ts';
import { manageScope } from '../field/scope.ts';

export const SOURCE_PERMISSION: Record<ReferralSource, Permission> = {
  complaint: 'complaints.work',
  field_task: 'field.manage',
  finding: 'complaints.assign',
};

/** The case as a referral needs it: its area (the referral's scope) and, for a complaint, who to tell. */
export interface ReferralCase {
  kind: ReferralSource;
  id: number;
  kecamatanId: number | null;
  /** A complaint's tracking ID; null for a task or a finding. */
  trackingId: string | null;
}

/** Whether the actor may refer anything at all: the console shows the referrals page to them. */
export function mayRefer(actor: Actor): boolean {
  return Object.values(SOURCE_PERMISSION).some((p) => can(actor, p));
}

/**
 * The case when the actor may refer it, locked for the referral that follows when `lock`; null when it is
 * missing or outside their scope. Throws Forbidden when the actor's role may not refer this kind of case at all.
 */
export async function loadCase(tx: Db, actor: Actor, kind: ReferralSource, id: number, lock = true): Promise<ReferralCase | null> {
  const permission = SOURCE_PERMISSION[kind];
  if (!can(actor, permission)) throw new Forbidden(permission);
  if (kind === 'complaint') {
    const c = await loadVisible(tx, actor, id, lock);
    return c ? { kind, id: c.id, kecamatanId: c.kecamatanId, trackingId: c.trackingId } : null;
  }
  if (kind === 'field_task') {
    const q = tx
      .select({ id: fieldTasks.id, kecamatanId: fieldTasks.kecamatanId })
      .from(fieldTasks)
      .where(and(eq(fieldTasks.id, id), manageScope(actor)));
    const [task] = lock ? await q.for('update') : await q;
    return task ? { kind, id: task.id, kecamatanId: task.kecamatanId, trackingId: null } : null;
  }
  const q = tx
    .select({ id: findings.id, kecamatanId: findings.kecamatanId })
    .from(findings)
    .where(and(eq(findings.id, id), actor.kecamatanId !== null ? eq(findings.kecamatanId, actor.kecamatanId) : undefined));
  const [f] = lock ? await q.for('update') : await q;
  return f ? { kind, id: f.id, kecamatanId: f.kecamatanId, trackingId: null } : null;
}

/**
 * The referrals the actor may see and change, as SQL over `referrals`: for each kind of case they may refer,
 * the referrals of the cases in their scope. Throws Forbidden for someone who may refer nothing (a viewer).
 */
export function referralScope(db: Db, actor: Actor): SQL {
  if (!mayRefer(actor)) throw new Forbidden('complaints.work');
  const parts: SQL[] = [];
  if (can(actor, SOURCE_PERMISSION.complaint)) {
    // Visible exactly when the complaint is: the same rule as the complaint pages, queue included.
    const visible = db
      .select({ one: sql`1` })
      .from(complaints)
      .where(and(eq(complaints.id, referrals.sourceId), complaintScope(actor, { queue: true })));
    parts.push(and(eq(referrals.sourceKind, 'complaint'), exists(visible))!);
  }
  // A task's and a finding's area was copied onto the referral when it was made, and a case does not move
  // kecamatan while it is referred, so the referral's own column answers without a join.
  const inKecamatan = actor.kecamatanId !== null ? eq(referrals.kecamatanId, actor.kecamatanId) : undefined;
  if (can(actor, SOURCE_PERMISSION.field_task)) parts.push(and(eq(referrals.sourceKind, 'field_task'), inKecamatan)!);
  if (can(actor, SOURCE_PERMISSION.finding)) parts.push(and(eq(referrals.sourceKind, 'finding'), inKecamatan)!);
  return or(...parts)!;
}
