// What closing or cancelling an event, or summoning its no-shows to a later one, would do, counted before
// staff confirm (issue 18, "Guards"): each is irreversible and touches every invitation of the event, so the
// console asks first with these numbers. The
// checks are the actions' own (role, area, the event's status), so a confirmation is never shown for an
// action the service would refuse. Reads only.

import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invitations } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import type { Actor } from '../actor.ts';
import { countPaths, reachHouseholds } from '../outreach/recipients.ts';
import { canManage, eventInScope, refuse, zoneOf, type DistributionOptions, type Outcome } from './common.ts';
import { OPEN_INVITATION_STATUSES } from './invitations.ts';
import { MAX_ROUND } from './rounds.ts';

export interface ClosePreview {
  /** Every invitation of the event that was not cancelled (a declined one was invited all the same). */
  invited: number;
  collected: number;
  /** Still open: these become no-shows when the event is closed. */
  notCollected: number;
}

export interface CancelPreview {
  /** Open invitations that become cancelled. */
  invitations: number;
  /** Their households reached by a chat or a registry phone: told of the cancellation. */
  told: number;
  /** Their households reached by neither: the office must tell them another way. */
  notReached: number;
}

export async function closePreview(db: Db, actor: Actor, eventId: number, opts: Pick<DistributionOptions, 'now' | 'timeZone'>): Promise<Outcome<{ preview: ClosePreview }>> {
  canManage(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
  if (todayIn(zoneOf(opts), opts.now) < event.eventDate) return refuse('invalid_status', 'before_event_date');
  const rows = await db
    .select({ status: invitations.status, n: sql<number>`count(*)::int` })
    .from(invitations)
    .where(eq(invitations.eventId, event.id))
    .groupBy(invitations.status);
  const count = (statuses: readonly string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((a, r) => a + Number(r.n), 0);
  const collected = count(['collected']);
  const notCollected = count(OPEN_INVITATION_STATUSES);
  const invited = rows.filter((r) => r.status !== 'cancelled').reduce((a, r) => a + Number(r.n), 0);
  return { ok: true, preview: { invited, collected, notCollected } };
}

export async function cancelPreview(db: Db, actor: Actor, eventId: number, opts: Pick<DistributionOptions, 'outreach'>): Promise<Outcome<{ preview: CancelPreview }>> {
  canManage(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
  const open = await db
    .select({ householdId: invitations.householdId })
    .from(invitations)
    .where(and(eq(invitations.eventId, event.id), inArray(invitations.status, [...OPEN_INVITATION_STATUSES])));
  const paths = countPaths(await reachHouseholds(db, [...new Set(open.map((r) => r.householdId))], opts.outreach));
  return { ok: true, preview: { invitations: open.length, told: paths.chat + paths.whatsapp, notReached: paths.paper } };
}

export interface NextRoundPreview {
  targetTitle: string;
  targetDate: string;
  /** No-shows below the last round: invited to the target event. */
  invite: number;
  /** No-shows already at the last round: left for the follow-up list. */
  atMaxRound: number;
}

/** The same checks as nextRound, in the same words; the counts of whom it would invite. */
export async function nextRoundPreview(db: Db, actor: Actor, input: { fromEventId: number; toEventId: number }): Promise<Outcome<{ preview: NextRoundPreview }>> {
  canManage(actor);
  if (input.fromEventId === input.toEventId) return refuse('invalid_input', 'same_event');
  const from = await eventInScope(db, actor, input.fromEventId);
  const to = await eventInScope(db, actor, input.toEventId);
  if (!from || !to) return refuse('not_found');
  if (from.status !== 'done') return refuse('invalid_status', 'from_not_closed');
  if (to.status === 'cancelled' || to.status === 'done') return refuse('invalid_status', 'to_closed');
  if (to.programId !== from.programId) return refuse('invalid_input', 'other_program');
  if (to.eventDate <= from.eventDate) return refuse('invalid_input', 'not_later');
  const noShows = await db.select({ round: invitations.round }).from(invitations).where(and(eq(invitations.eventId, from.id), eq(invitations.status, 'no_show')));
  const atMaxRound = noShows.filter((n) => n.round >= MAX_ROUND).length;
  return { ok: true, preview: { targetTitle: to.title, targetDate: to.eventDate, invite: noShows.length - atMaxRound, atMaxRound } };
}
