// After the day: whoever did not collect is a no-show. Offices summon them again — a second, then a third
// invitation to a later event — and after the third, staff follow them up in person (moved, died, too ill
// to come, never knew). Each new invitation points at the one it follows (previousInvitationId).

import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { distributionEvents, invitations } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { maskName } from '../../domain/mask.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { OPEN_INVITATION_STATUSES } from './invitations.ts';
import { canManage, eventInScope, refuse, zoneOf, type DistributionOptions, type Outcome } from './common.ts';
import { inviteWithin, type NotInvited } from './invite.ts';
import { skipPending } from './reminders.ts';

export const MAX_ROUND = 3;

/** Closes an event on or after its day: open invitations become no-shows and check-in is refused from now on. */
export async function closeEvent(db: Db, actor: Actor, eventId: number, opts: DistributionOptions): Promise<Outcome<{ noShows: number }>> {
  canManage(actor);
  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, eventId, true);
    if (!event) return refuse('not_found');
    if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
    if (todayIn(zoneOf(opts), opts.now) < event.eventDate) return refuse('invalid_status', 'before_event_date');
    const noShows = await tx
      .update(invitations)
      .set({ status: 'no_show', updatedAt: opts.now })
      .where(and(eq(invitations.eventId, event.id), inArray(invitations.status, [...OPEN_INVITATION_STATUSES])))
      .returning({ id: invitations.id });
    await skipPending(tx, { eventId: event.id });
    await tx.update(distributionEvents).set({ status: 'done', closedAt: opts.now, updatedAt: opts.now }).where(eq(distributionEvents.id, event.id));
    await audit(tx, actor, { action: 'distribution.event.close', entity: 'distribution_event', entityId: event.id, details: { noShowCount: noShows.length }, at: opts.now });
    return { ok: true, noShows: noShows.length };
  });
}

export interface NextRoundResult {
  invited: number;
  invitationIds: number[];
  notInvited: NotInvited[];
  queuedChats: number;
  withoutChat: number;
  /** How many invited households each path reaches. */
  reach: { chat: number; whatsapp: number; paper: number };
  /** No-shows already at round 3: they are on the follow-up list instead. */
  atMaxRound: number;
}

/**
 * Invites the no-shows of a closed event into a later event of the same program, one round higher.
 * No-shows of round 3 are not invited again (see followUpList).
 */
export async function nextRound(db: Db, actor: Actor, input: { fromEventId: number; toEventId: number }, opts: DistributionOptions): Promise<Outcome<NextRoundResult>> {
  canManage(actor);
  if (input.fromEventId === input.toEventId) return refuse('invalid_input', 'same_event');
  return db.transaction(async (tx) => {
    const from = await eventInScope(tx, actor, input.fromEventId);
    const to = await eventInScope(tx, actor, input.toEventId, true);
    if (!from || !to) return refuse('not_found');
    if (from.status !== 'done') return refuse('invalid_status', 'from_not_closed');
    if (to.status === 'cancelled' || to.status === 'done') return refuse('invalid_status', 'to_closed');
    if (to.programId !== from.programId) return refuse('invalid_input', 'other_program');
    if (to.eventDate <= from.eventDate) return refuse('invalid_input', 'not_later');

    const noShows = await tx
      .select({ id: invitations.id, householdId: invitations.householdId, round: invitations.round })
      .from(invitations)
      .where(and(eq(invitations.eventId, from.id), eq(invitations.status, 'no_show')))
      .orderBy(invitations.id);
    const atMaxRound = noShows.filter((n) => n.round >= MAX_ROUND).length;
    const out: NextRoundResult = { invited: 0, invitationIds: [], notInvited: [], queuedChats: 0, withoutChat: 0, reach: { chat: 0, whatsapp: 0, paper: 0 }, atMaxRound };
    for (const round of [2, 3]) {
      const group = noShows.filter((n) => n.round + 1 === round);
      if (group.length === 0) continue;
      const r = await inviteWithin(tx, actor, to, group.map((n) => ({ householdId: n.householdId, previousInvitationId: n.id })), round, opts);
      if (!r.ok) return r;
      out.invited += r.invited;
      out.invitationIds.push(...r.invitationIds);
      out.notInvited.push(...r.notInvited);
      out.queuedChats += r.queuedChats;
      out.withoutChat += r.withoutChat;
      out.reach.chat += r.reach.chat;
      out.reach.whatsapp += r.reach.whatsapp;
      out.reach.paper += r.reach.paper;
    }
    await audit(tx, actor, {
      action: 'distribution.next_round',
      entity: 'distribution_event',
      entityId: to.id,
      details: { fromEventId: from.id, invitedCount: out.invited, atMaxRoundCount: atMaxRound },
      at: opts.now,
    });
    return { ok: true, ...out };
  });
}

export interface FollowUp {
  invitationId: number;
  householdId: number;
  eventId: number;
  eventTitle: string;
  eventDate: string;
  code: string;
  address: string;
  rt: string | null;
  rw: string | null;
  kelurahan: string;
  headName: string;
}

/** Households that missed a third summons, in the actor's area (optionally one program or event). Audited. */
export async function followUpList(
  db: Db,
  actor: Actor,
  input: { programId?: number; eventId?: number },
  opts: { now: Date },
): Promise<Outcome<{ rows: FollowUp[] }>> {
  canManage(actor);
  if (input.eventId !== undefined && !(await eventInScope(db, actor, input.eventId))) return refuse('not_found');
  const result = await db.execute(sql`
    select i.id as invitation_id, i.household_id, i.code, d.id as event_id, d.title, d.event_date::text as event_date, h.address, h.rt, h.rw, k.name as kelurahan,
      (select m.name from members m where m.household_id = h.id order by (m.relationship = 'kepala') desc, m.id limit 1) as head_name
    from invitations i
    join distribution_events d on d.id = i.event_id
    join households h on h.id = i.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where i.status = 'no_show' and i.round >= ${MAX_ROUND}
      ${actor.kecamatanId === null ? sql`` : sql`and k.kecamatan_id = ${actor.kecamatanId}`}
      ${input.programId === undefined ? sql`` : sql`and d.program_id = ${input.programId}`}
      ${input.eventId === undefined ? sql`` : sql`and d.id = ${input.eventId}`}
    order by d.event_date, k.name, h.address, i.id`);
  const rows = rowsOf<Record<string, string | number | null>>(result).map((r) => ({
    invitationId: Number(r.invitation_id),
    householdId: Number(r.household_id),
    eventId: Number(r.event_id),
    eventTitle: String(r.title),
    eventDate: String(r.event_date).slice(0, 10),
    code: formatInvitationCode(String(r.code)),
    address: String(r.address),
    rt: (r.rt as string | null) ?? null,
    rw: (r.rw as string | null) ?? null,
    kelurahan: String(r.kelurahan),
    headName: maskName(String(r.head_name ?? '')),
  }));
  await audit(db, actor, { action: 'distribution.follow_up.read', entity: 'invitation', details: { rowCount: rows.length }, at: opts.now });
  return { ok: true, rows };
}
