// Dashboard figures over the complaints in the actor's scope: satisfaction (IKM/SKM) and SLA compliance.

import { and, eq, gte, isNotNull, lt, min, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintEvents, complaints } from '../../db/schema/index.ts';
import { addWorkingDays } from '../../domain/workdays.ts';
import type { Actor } from '../actor.ts';
import { VERIFY_WORKING_DAYS } from '../complaints/file.ts';
import { ANSWER_WORKING_DAYS, DEFAULT_TIME_ZONE, holidaySet, scopeWhere } from '../complaints/shared.ts';

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** Permenpan RB 14/2017's quality bands on the 25–100 scale. */
export type Mutu = 'A' | 'B' | 'C' | 'D';

export interface IkmFigure {
  /** 0–100 with two decimals; null when nobody rated in the period. */
  ikm: number | null;
  mutu: Mutu | null;
  count: number;
  /** Ratings per score, index 0 = score 1. */
  distribution: [number, number, number, number, number];
}

/**
 * IKM (Indeks Kepuasan Masyarakat) from the residents' 1–5 ratings of complaints closed in the period.
 *
 * Formula: IKM = mean score / 5 × 100 (a linear rescale of the 1–5 rating to 100). Permenpan RB 14/2017
 * computes SKM as the mean on its 1–4 scale × 25; we ask one question on a 1–5 scale, so the same idea —
 * mean over the top of the scale, times 100 — gives 20–100. The quality band uses the regulation's intervals
 * (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99).
 */
export async function ikm(db: Db, actor: Actor, period: Period): Promise<IkmFigure> {
  const rows = await db
    .select({ score: complaints.csat, n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(and(scopeWhere(actor, { queue: false }), isNotNull(complaints.csat), gte(complaints.closedAt, period.from), lt(complaints.closedAt, period.to)))
    .groupBy(complaints.csat);
  const distribution: IkmFigure['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    const count = Number(r.n);
    distribution[r.score! - 1] = count;
    sum += r.score! * count;
    n += count;
  }
  if (n === 0) return { ikm: null, mutu: null, count: 0, distribution };
  const value = Math.round((sum / n / 5) * 100 * 100) / 100;
  return { ikm: value, mutu: mutuOf(value), count: n, distribution };
}

export function mutuOf(value: number): Mutu {
  if (value >= 88.31) return 'A';
  if (value >= 76.61) return 'B';
  if (value >= 65) return 'C';
  return 'D';
}

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
