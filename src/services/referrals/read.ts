// Reading referrals: the list with its filters (status, agency, overdue) and one referral with its history,
// both narrowed by sources.ts to the cases the actor may refer. A referral names its case by a tracking ID
// or a number, never by the reporter: an anonymous reporter stays anonymous here too.

import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencies, complaints, referralEvents, referrals, staffUsers } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { REFERRAL_SOURCES, REFERRAL_STATUSES, type AgencyKind, type ReferralSource, type ReferralStatus } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { MOVES, OPEN_STATUSES, validId } from './shared.ts';
import { loadCase, referralScope, type ReferralCase } from './sources.ts';

/** A page of the list holds this many; the office's open referrals are tens, not thousands. */
export const LIST_LIMIT = 300;

export interface ReferralFilter {
  status?: ReferralStatus;
  agencyId?: number;
  /** Only those still with the agency past their due date. */
  overdue?: boolean;
}

export interface ReferralSourceRef {
  kind: ReferralSource;
  id: number;
  /** A complaint's tracking ID (ADU-…); null for a field task or a finding, which are named by number. */
  trackingId: string | null;
}

export interface ReferralRow {
  id: number;
  source: ReferralSourceRef;
  agency: { id: number; name: string; kind: AgencyKind };
  status: ReferralStatus;
  dueOn: string;
  /** Still sent or accepted after its due date (the office's today). */
  overdue: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReferralEventRow {
  status: ReferralStatus;
  note: string | null;
  staffName: string | null;
  at: Date;
}

export interface ReferralDetail extends ReferralRow {
  note: string | null;
  agencyContact: { phone: string | null; email: string | null; address: string | null; services: string | null; active: boolean };
  events: ReferralEventRow[];
  /** The statuses it may move to now; empty once done or refused. */
  moves: readonly ReferralStatus[];
}

export function parseFilter(q: { status?: string | undefined; agency?: string | undefined; overdue?: string | undefined }): ReferralFilter {
  const f: ReferralFilter = {};
  if (q.status && (REFERRAL_STATUSES as readonly string[]).includes(q.status)) f.status = q.status as ReferralStatus;
  if (q.agency && /^[1-9]\d{0,9}$/.test(q.agency)) f.agencyId = Number(q.agency);
  if (q.overdue === '1') f.overdue = true;
  return f;
}

const open = () => inArray(referrals.status, [...OPEN_STATUSES]);

function select(db: Db, where: SQL | undefined, today: string) {
  return db
    .select({
      r: referrals,
      agencyName: agencies.name,
      agencyKind: agencies.kind,
      agencyPhone: agencies.phone,
      agencyEmail: agencies.email,
      agencyAddress: agencies.address,
      agencyServices: agencies.services,
      agencyActive: agencies.active,
      trackingId: complaints.trackingId,
      overdue: sql<boolean>`(${referrals.status} in ('sent', 'accepted') and ${referrals.dueOn} < ${today})`,
    })
    .from(referrals)
    .innerJoin(agencies, eq(agencies.id, referrals.agencyId))
    .leftJoin(complaints, and(eq(referrals.sourceKind, 'complaint'), eq(complaints.id, referrals.sourceId)))
    .where(where);
}

type Selected = Awaited<ReturnType<typeof select>>[number];

function rowOf(x: Selected): ReferralRow {
  return {
    id: x.r.id,
    source: { kind: x.r.sourceKind, id: x.r.sourceId, trackingId: x.r.sourceKind === 'complaint' ? x.trackingId : null },
    agency: { id: x.r.agencyId, name: x.agencyName, kind: x.agencyKind },
    status: x.r.status,
    dueOn: x.r.dueOn,
    overdue: x.overdue === true,
    createdAt: x.r.createdAt,
    updatedAt: x.r.updatedAt,
  };
}

/** The referrals of the actor's cases, open ones first by due date, then the closed ones, newest first. */
export async function listReferrals(db: Db, actor: Actor, filter: ReferralFilter, opts: { now: Date; timeZone: string }): Promise<ReferralRow[]> {
  const today = todayIn(opts.timeZone, opts.now);
  const where = and(
    referralScope(db, actor),
    filter.status ? eq(referrals.status, filter.status) : undefined,
    filter.agencyId !== undefined ? eq(referrals.agencyId, filter.agencyId) : undefined,
    filter.overdue ? and(open(), lt(referrals.dueOn, today)) : undefined,
  );
  const rows = await select(db, where, today)
    .orderBy(desc(sql`${referrals.status} in ('sent', 'accepted')`), asc(referrals.dueOn), desc(referrals.id))
    .limit(LIST_LIMIT);
  return rows.map(rowOf);
}

/** One referral with its agency's contact details and its history; null when missing or outside the scope. */
export async function getReferral(db: Db, actor: Actor, id: number, opts: { now: Date; timeZone: string }): Promise<ReferralDetail | null> {
  const scope = referralScope(db, actor);
  if (!validId(id)) return null;
  const [x] = await select(db, and(eq(referrals.id, id), scope), todayIn(opts.timeZone, opts.now));
  if (!x) return null;
  const events = await db
    .select({ status: referralEvents.status, note: referralEvents.note, staffName: staffUsers.name, at: referralEvents.createdAt })
    .from(referralEvents)
    .leftJoin(staffUsers, eq(staffUsers.id, referralEvents.staffId))
    .where(eq(referralEvents.referralId, id))
    .orderBy(asc(referralEvents.createdAt), asc(referralEvents.id));
  return {
    ...rowOf(x),
    note: x.r.note,
    agencyContact: { phone: x.agencyPhone, email: x.agencyEmail, address: x.agencyAddress, services: x.agencyServices, active: x.agencyActive },
    events,
    moves: MOVES[x.r.status],
  };
}

/**
 * The case a new referral would be made for, as the form names it at the top; null when the kind is unknown
 * or the case is missing or outside the actor's scope. Throws Forbidden when the role may not refer this kind.
 */
export async function caseToRefer(db: Db, actor: Actor, kind: string, id: number): Promise<ReferralCase | null> {
  if (!(REFERRAL_SOURCES as readonly string[]).includes(kind) || !validId(id)) return null;
  return loadCase(db, actor, kind as ReferralSource, id, false);
}
