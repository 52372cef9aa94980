// A referral moves as the agency answers: sent → accepted or refused, accepted → done or refused; done and
// refused are final. Each move is an event with who and why, audited, and the reporter of a complaint told.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { referralEvents, referrals } from '../../db/schema/index.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { staffIdOf } from '../complaints/shared.ts';
import { MOVES, NOTE_MAX, refuse, validId, type ReferralOptions, type ReferralResult } from './shared.ts';
import { referralScope } from './sources.ts';
import { tellReporter } from './tell-resident.ts';

export async function setReferralStatus(
  db: Db,
  actor: Actor,
  id: number,
  status: string,
  note: string,
  opts: ReferralOptions,
): Promise<ReferralResult<{ status: ReferralStatus; notified: boolean }>> {
  referralScope(db, actor); // throws Forbidden for a role that may refer nothing, before anything else
  if (!validId(id)) return refuse('not_found');
  if (!(REFERRAL_STATUSES as readonly string[]).includes(status)) return refuse('invalid_input');
  const next = status as ReferralStatus;
  const text = note.trim();
  if (text.length > NOTE_MAX) return refuse('note_too_long');

  return db.transaction(async (tx): Promise<ReferralResult<{ status: ReferralStatus; notified: boolean }>> => {
    const [r] = await tx.select().from(referrals).where(and(eq(referrals.id, id), referralScope(tx, actor))).for('update');
    if (!r) return refuse('not_found');
    if (!MOVES[r.status].includes(next)) return refuse('invalid_move');
    const staffId = staffIdOf(actor);
    await tx.update(referrals).set({ status: next, updatedAt: opts.now }).where(eq(referrals.id, id));
    await tx.insert(referralEvents).values({ referralId: id, status: next, note: text === '' ? null : text, staffId, createdAt: opts.now });
    const notified = r.sourceKind === 'complaint' ? await tellReporter(tx, actor, { complaintId: r.sourceId, agencyId: r.agencyId, status: next, note: text }, opts) : false;
    await audit(tx, actor, { action: 'referral.status', entity: 'referral', entityId: id, details: { from: r.status, to: next, notified }, at: opts.now });
    return { ok: true, status: next, notified };
  });
}
