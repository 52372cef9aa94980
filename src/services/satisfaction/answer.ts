// A resident's answer to the satisfaction question: a button ("csat:<id>:<score>"), a typed digit the engine
// maps to that button, or an old button ("csat:<score>") from a complaint's question sent before issue 20.
// Each asked row is answered once. A complaint's rating is also kept on the complaint, which its page shows.

import { and, desc, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints, satisfaction } from '../../db/schema/index.ts';
import type { SatisfactionService } from '../../domain/vocabulary.ts';
import { tagMessage } from '../complaints/conversation.ts';

export interface PendingRating {
  /** The asked row; null for a complaint whose question went out before the satisfaction store existed. */
  satisfactionId: number | null;
  service: SatisfactionService;
  complaintId: number | null;
  /** Already answered: a second press is thanked, not counted. */
  answered: boolean;
}

/**
 * What a press answers. Named (`satisfactionId`): that row, when it is this chat's. Unnamed (an old
 * "csat:4"): those buttons were only ever sent after a closed complaint, so the chat's latest unanswered
 * complaint question, else its latest closed complaint asked before issue 20 and never rated.
 */
export async function pendingRating(db: Db, contactId: number, satisfactionId?: number): Promise<PendingRating | null> {
  const cols = { satisfactionId: satisfaction.id, service: satisfaction.service, complaintId: satisfaction.complaintId, score: satisfaction.score };
  if (satisfactionId !== undefined) {
    const [row] = await db.select(cols).from(satisfaction).where(and(eq(satisfaction.id, satisfactionId), eq(satisfaction.contactId, contactId)));
    return row ? { satisfactionId: row.satisfactionId, service: row.service, complaintId: row.complaintId, answered: row.score !== null } : null;
  }
  const [open] = await db
    .select(cols)
    .from(satisfaction)
    .where(and(eq(satisfaction.contactId, contactId), eq(satisfaction.service, 'complaint'), isNull(satisfaction.score)))
    .orderBy(desc(satisfaction.askedAt), desc(satisfaction.id))
    .limit(1);
  if (open) return { satisfactionId: open.satisfactionId, service: 'complaint', complaintId: open.complaintId, answered: false };
  const [legacy] = await db
    .select({ id: complaints.id })
    .from(complaints)
    // A complaint closed as a duplicate or spam was never answered nor asked for a rating: a rating is not its.
    .where(
      and(
        eq(complaints.contactId, contactId),
        eq(complaints.status, 'closed'),
        isNull(complaints.csat),
        isNull(complaints.closeReason),
        notExists(db.select({ one: sql`1` }).from(satisfaction).where(eq(satisfaction.complaintId, complaints.id))),
      ),
    )
    .orderBy(desc(complaints.closedAt), desc(complaints.id))
    .limit(1);
  return legacy ? { satisfactionId: null, service: 'complaint', complaintId: legacy.id, answered: false } : null;
}

export interface RatingInput {
  /** Only the chat that was asked may answer. */
  contactId: number;
  /** The asked row (from the button); or, for a question sent before issue 20, the complaint alone. */
  satisfactionId?: number | null;
  complaintId?: number | null;
  score: number;
  comment?: string;
  now: Date;
  /** The resident's message that gave the rating (messages.id): a complaint's rating joins its conversation. */
  messageId?: number;
}

export type RatingResult = { ok: true } | { ok: false; reason: 'invalid_input' | 'not_found' | 'already_rated' };

/** Records a 1–5 rating (and an optional comment) once per asked row. Another chat's row is 'not_found'. */
export async function recordRating(db: Db, input: RatingInput): Promise<RatingResult> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) return { ok: false, reason: 'invalid_input' };
  const comment = input.comment?.trim().slice(0, 2000) || null;
  return db.transaction(async (tx) => {
    let complaintId: number | null;
    if (input.satisfactionId != null) {
      const [row] = await tx
        .select({ id: satisfaction.id, score: satisfaction.score, complaintId: satisfaction.complaintId })
        .from(satisfaction)
        .where(and(eq(satisfaction.id, input.satisfactionId), eq(satisfaction.contactId, input.contactId)))
        .for('update');
      if (!row) return { ok: false as const, reason: 'not_found' as const };
      if (row.score !== null) return { ok: false as const, reason: 'already_rated' as const };
      await tx.update(satisfaction).set({ score: input.score, comment, answeredAt: input.now }).where(eq(satisfaction.id, row.id));
      complaintId = row.complaintId;
    } else if (input.complaintId != null) {
      // Asked before issue 20: the row is written now, dated when the complaint was closed (when it was asked).
      const [c] = await tx
        .select()
        .from(complaints)
        .where(and(eq(complaints.id, input.complaintId), eq(complaints.contactId, input.contactId), eq(complaints.status, 'closed'), isNull(complaints.closeReason)))
        .for('update');
      if (!c) return { ok: false as const, reason: 'not_found' as const };
      if (c.csat !== null) return { ok: false as const, reason: 'already_rated' as const };
      await tx.insert(satisfaction).values({
        contactId: input.contactId,
        service: 'complaint',
        bidang: c.bidang,
        kecamatanId: c.kecamatanId,
        complaintId: c.id,
        score: input.score,
        comment,
        askedAt: c.closedAt ?? input.now,
        answeredAt: input.now,
      });
      complaintId = c.id;
    } else {
      return { ok: false as const, reason: 'not_found' as const };
    }
    if (complaintId !== null) {
      await tx.update(complaints).set({ csat: input.score, csatComment: comment }).where(and(eq(complaints.id, complaintId), isNull(complaints.csat)));
      if (input.messageId !== undefined) await tagMessage(tx, complaintId, input.contactId, input.messageId);
    }
    return { ok: true as const };
  });
}
