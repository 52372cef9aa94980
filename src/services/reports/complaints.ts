// Dashboard figures over the complaints in the actor's scope: satisfaction (IKM/SKM) and SLA compliance.

import { and, eq, gte, lt, min } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintEvents, complaints } from '../../db/schema/index.ts';
import { addWorkingDays } from '../../domain/workdays.ts';
import type { Actor } from '../actor.ts';
import { VERIFY_WORKING_DAYS } from '../complaints/file.ts';
import { ANSWER_WORKING_DAYS, DEFAULT_TIME_ZONE, holidaySet, scopeWhere } from '../complaints/shared.ts';

// The IKM reads the one satisfaction store of every service (services/satisfaction/ikm.ts); the dashboard
// and the monthly report keep importing it from here.
export { ikm, mutuOf, type IkmFigure, type Mutu, type Period } from '../satisfaction/ikm.ts';
import type { Period } from '../satisfaction/ikm.ts';

export interface SlaCompliance {
  /** Complaints filed in the period whose verification outcome is known (verified, or overdue unverified). */
  verifyDue: number;
  verifiedOnTime: number;
  /** verifiedOnTime / verifyDue; null when none. */
  verifyRate: number | null;
  /** Verified complaints whose first answer outcome is known (answered, or overdue unanswered). */
  answerDue: number;
  answeredOnTime: number;
  answerRate: number | null;
}

/**
 * Over complaints filed in the period: the share verified within 3 working days of filing, and the share
 * first answered within 5 working days of verification. Deadlines are recomputed from the events, since a
 * reopen moves answerDueAt; complaints not yet due count for neither side.
 */
export async function slaCompliance(db: Db, actor: Actor, period: Period & { now?: Date; timeZone?: string }): Promise<SlaCompliance> {
  const now = period.now ?? new Date();
  const timeZone = period.timeZone ?? DEFAULT_TIME_ZONE;
  const verifiedAt = db
    .select({ complaintId: complaintEvents.complaintId, at: min(complaintEvents.createdAt).as('verified_at') })
    .from(complaintEvents)
    .where(and(eq(complaintEvents.kind, 'status_change'), eq(complaintEvents.toStatus, 'verified')))
    .groupBy(complaintEvents.complaintId)
    .as('v');
  const rows = await db
    .select({ createdAt: complaints.createdAt, answeredAt: complaints.answeredAt, verifiedAt: verifiedAt.at })
    .from(complaints)
    .leftJoin(verifiedAt, eq(verifiedAt.complaintId, complaints.id))
    .where(and(scopeWhere(actor, { queue: false }), gte(complaints.createdAt, period.from), lt(complaints.createdAt, period.to)));
  const holidays = await holidaySet(db, period.from, timeZone);
  const out = { verifyDue: 0, verifiedOnTime: 0, answerDue: 0, answeredOnTime: 0 };
  for (const r of rows) {
    const verifyBy = addWorkingDays(r.createdAt, VERIFY_WORKING_DAYS, holidays, timeZone);
    const verified = r.verifiedAt ? new Date(r.verifiedAt) : null;
    if (verified || verifyBy < now) out.verifyDue++;
    if (verified && verified <= verifyBy) out.verifiedOnTime++;
    if (!verified) continue;
    const answerBy = addWorkingDays(verified, ANSWER_WORKING_DAYS, holidays, timeZone);
    if (r.answeredAt || answerBy < now) out.answerDue++;
    if (r.answeredAt && r.answeredAt <= answerBy) out.answeredOnTime++;
  }
  const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
  return { ...out, verifyRate: rate(out.verifiedOnTime, out.verifyDue), answerRate: rate(out.answeredOnTime, out.answerDue) };
}
