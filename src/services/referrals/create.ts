// A case handed to an agency: checked (who may refer it, the agency still active, a due date from today in the
// office's zone, a short note), written with its first event ('sent'), audited, and the reporter of a
// complaint told, all in one transaction. The case is locked while it is referred, so two officers referring
// it to the same agency at once make one referral and one "already referred".

import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencies, referralEvents, referrals } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { REFERRAL_SOURCES } from '../../domain/vocabulary.ts';
import { requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { staffIdOf } from '../complaints/shared.ts';
import { isDay, NOTE_MAX, OPEN_STATUSES, refuse, validId, type NewReferral, type ReferralOptions, type ReferralResult } from './shared.ts';
import { loadCase, SOURCE_PERMISSION } from './sources.ts';
import { tellReporter } from './tell-resident.ts';

export async function createReferral(db: Db, actor: Actor, input: NewReferral, opts: ReferralOptions): Promise<ReferralResult<{ id: number; notified: boolean }>> {
  if (!(REFERRAL_SOURCES as readonly string[]).includes(input.sourceKind)) return refuse('invalid_input');
  // The role first: someone who may not refer this kind of case hears so before anything about their input.
  requirePermission(actor, SOURCE_PERMISSION[input.sourceKind]);
  if (!validId(input.sourceId)) return refuse('not_found');
  if (!validId(input.agencyId)) return refuse('invalid_input');
  if (!isDay(input.dueOn)) return refuse('invalid_date');
  if (input.dueOn < todayIn(opts.timeZone, opts.now)) return refuse('due_in_past');
  const note = input.note.trim();
  if (note.length > NOTE_MAX) return refuse('note_too_long');

  return db.transaction(async (tx): Promise<ReferralResult<{ id: number; notified: boolean }>> => {
    const source = await loadCase(tx, actor, input.sourceKind, input.sourceId);
    if (!source) return refuse('not_found');
    const [agency] = await tx.select({ id: agencies.id, active: agencies.active }).from(agencies).where(eq(agencies.id, input.agencyId));
    if (!agency) return refuse('invalid_input');
    if (!agency.active) return refuse('agency_inactive');
    const [open] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.sourceKind, source.kind), eq(referrals.sourceId, source.id), eq(referrals.agencyId, agency.id), inArray(referrals.status, [...OPEN_STATUSES])));
    if (open) return refuse('already_referred');

    const staffId = staffIdOf(actor);
    const [made] = await tx
      .insert(referrals)
      .values({
        sourceKind: source.kind,
        sourceId: source.id,
        agencyId: agency.id,
        kecamatanId: source.kecamatanId,
        status: 'sent',
        dueOn: input.dueOn,
        note: note === '' ? null : note,
        createdBy: staffId,
        createdAt: opts.now,
        updatedAt: opts.now,
      })
      .returning({ id: referrals.id });
    const id = made!.id;
    await tx.insert(referralEvents).values({ referralId: id, status: 'sent', note: note === '' ? null : note, staffId, createdAt: opts.now });
    const notified = source.kind === 'complaint' ? await tellReporter(tx, actor, { complaintId: source.id, agencyId: agency.id, status: 'sent', note: '' }, opts) : false;
    await audit(tx, actor, {
      action: 'referral.create',
      entity: 'referral',
      entityId: id,
      details: { sourceKind: source.kind, sourceId: source.id, agencyId: agency.id, dueOn: input.dueOn, notified },
      at: opts.now,
    });
    return { ok: true, id, notified };
  });
}
