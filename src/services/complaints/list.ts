// The inbox's list of complaints: the queues (mine, waiting for me, unassigned, all in scope), its filters and
// order, the running deadline of each row, and the version the inbox's live stream watches. Scope is checked
// here: whatever the filters say, only what the actor may see is listed.

import { and, count, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';
import { zonedParts, addDays, todayIn } from '../../domain/dates.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import type { Actor } from '../actor.ts';
import type { ComplaintCategory, ComplaintStatus } from './file.ts';
import { DEFAULT_TIME_ZONE, scopeWhere, staffIdOf, type ComplaintRow } from './shared.ts';

/** The deadline that runs now: verification while received, the answer while verified, in progress or reopened. */
export interface SlaState {
  kind: 'verify' | 'answer';
  dueAt: Date;
  /** Negative when late. */
  msLeft: number;
  late: boolean;
}

export function slaState(c: Pick<ComplaintRow, 'status' | 'verifyDueAt' | 'answerDueAt'>, now: Date): SlaState | null {
  const kind = c.status === 'received' ? 'verify' : c.status === 'verified' || c.status === 'in_progress' || c.status === 'reopened' ? 'answer' : null;
  const dueAt = kind === 'verify' ? c.verifyDueAt : kind === 'answer' ? c.answerDueAt : null;
  if (!kind || !dueAt) return null;
  const msLeft = dueAt.getTime() - now.getTime();
  return { kind, dueAt, msLeft, late: msLeft < 0 };
}

const runningDue = sql`case when ${complaints.status} = 'received' then ${complaints.verifyDueAt}
  when ${complaints.status} in ('verified', 'in_progress', 'reopened') then ${complaints.answerDueAt} end`;

/**
 * The inbox's queues: mine, mine with the resident waiting for me, nobody's yet, everything in scope, and the
 * emergency queue (urgent reports not yet closed, whoever holds them: someone in danger now).
 */
export const QUEUES = ['mine', 'waiting', 'unassigned', 'all', 'urgent'] as const;
export type Queue = (typeof QUEUES)[number];

export interface ListQuery {
  queue: Queue;
  status?: ComplaintStatus;
  category?: ComplaintCategory;
  kecamatanId?: number;
  /** The officer holding it (a staff id), or 'none' for nobody. */
  officer?: number | 'none';
  /** The resident's channel. */
  channel?: Channel;
  /** Filed on or after / on or before these days (YYYY-MM-DD), on the office's calendar. */
  from?: string;
  to?: string;
  sla?: 'due_today' | 'late';
  /** A tracking ID in any spelling, or words of the summary. Always a bound parameter. */
  search?: string;
  limit?: number;
  offset?: number;
  /**
   * Cursor paging for other systems: newest first by id, only ids below `after` (the `nextAfter` of the page
   * before). Stable while complaints are filed and change, unlike offset pages over a deadline order.
   */
  after?: number;
  /** Newest first (by id) instead of the most urgent deadline first. Implied by `after`. */
  newestFirst?: boolean;
  now?: Date;
  timeZone?: string;
}

export interface ComplaintListRow {
  id: number;
  trackingId: string;
  category: ComplaintCategory;
  status: ComplaintStatus;
  kecamatanId: number | null;
  bidang: string | null;
  assigneeId: number | null;
  anonymous: boolean;
  summary: string;
  createdAt: Date;
  sla: SlaState | null;
  channel: Channel | null;
  assigneeName: string | null;
  /** The resident wrote after the office's last answer: the ball is in the office's court. */
  residentReplied: boolean;
  closeReason: string | null;
  /** Someone in danger now: the deadline is shown in hours. */
  urgent: boolean;
}

/**
 * The resident answered after the office's last answer (the filing message alone is not a reply: nothing was
 * answered yet). Over complaint_events_complaint_idx, per row of a page or of one officer's queue.
 */
// The outer row is named in full ("complaints"."id"): in a select list drizzle writes a column of a one-table
// query without its table, and inside the subquery a bare "id" would be the event's own id.
export const residentRepliedSql = sql<boolean>`coalesce((select max(e.id) from complaint_events e where e.complaint_id = "complaints"."id" and e.kind = 'message_in')
  > (select max(e.id) from complaint_events e where e.complaint_id = "complaints"."id" and e.kind = 'message_out'), false)`;

/** The emergency queue: urgent reports not yet closed (over complaints_urgent_open_idx). */
export const urgentOpenWhere = sql`${complaints.urgent} and ${complaints.status} <> 'closed'`;

/** "Waiting for me": the officer's own open complaints where the resident is waiting (replied, or reopened). */
export function waitingWhere(me: number | null): SQL {
  if (me === null) return sql`false`;
  return sql`${complaints.assigneeId} = ${me} and ${complaints.status} <> 'closed' and (${complaints.status} = 'reopened' or ${residentRepliedSql})`;
}

/** The inbox: Mine / Waiting / Unassigned / All in scope / Urgent, most pressing deadline first. */
export async function listComplaints(db: Db, actor: Actor, q: ListQuery): Promise<{ rows: ComplaintListRow[]; total: number; nextAfter: number | null }> {
  const now = q.now ?? new Date();
  const timeZone = q.timeZone ?? DEFAULT_TIME_ZONE;
  const where: (SQL | undefined)[] = [scopeWhere(actor, { queue: true })];
  const me = staffIdOf(actor);
  if (q.queue === 'mine') where.push(me === null ? sql`false` : eq(complaints.assigneeId, me));
  if (q.queue === 'unassigned') where.push(isNull(complaints.assigneeId));
  if (q.queue === 'waiting') where.push(waitingWhere(me));
  if (q.queue === 'urgent') where.push(urgentOpenWhere);
  if (q.officer === 'none') where.push(isNull(complaints.assigneeId));
  else if (q.officer !== undefined) where.push(eq(complaints.assigneeId, q.officer));
  if (q.channel) where.push(sql`exists (select 1 from contacts ct where ct.id = ${complaints.contactId} and ct.channel = ${q.channel})`);
  if (q.from && /^\d{4}-\d{2}-\d{2}$/.test(q.from)) where.push(sql`${complaints.createdAt} >= ${startOfDay(q.from, timeZone).toISOString()}::timestamptz`);
  if (q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to)) where.push(sql`${complaints.createdAt} < ${startOfDay(addDays(q.to, 1), timeZone).toISOString()}::timestamptz`);
  if (q.status) where.push(eq(complaints.status, q.status));
  if (q.category) where.push(eq(complaints.category, q.category));
  if (q.kecamatanId !== undefined) where.push(eq(complaints.kecamatanId, q.kecamatanId));
  const nowIso = now.toISOString();
  if (q.sla === 'late') where.push(sql`${runningDue} < ${nowIso}::timestamptz`);
  if (q.sla === 'due_today') {
    const endOfToday = startOfDay(addDays(todayIn(timeZone, now), 1), timeZone).toISOString();
    where.push(sql`${runningDue} >= ${nowIso}::timestamptz and ${runningDue} < ${endOfToday}::timestamptz`);
  }
  const search = q.search?.trim().slice(0, 200);
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const tracking = normalizeTrackingId(search);
    where.push(tracking ? or(eq(complaints.trackingId, tracking), ilike(complaints.summary, pattern)) : ilike(complaints.summary, pattern));
  }
  const total = and(...where);
  if (q.after !== undefined) where.push(sql`${complaints.id} < ${q.after}`);
  const condition = and(...where);
  const byId = q.newestFirst === true || q.after !== undefined;
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), 200);
  const offset = byId ? 0 : Math.max(Math.trunc(q.offset ?? 0), 0);

  const rows = await db
    .select({
      id: complaints.id,
      trackingId: complaints.trackingId,
      category: complaints.category,
      status: complaints.status,
      kecamatanId: complaints.kecamatanId,
      bidang: complaints.bidang,
      assigneeId: complaints.assigneeId,
      anonymous: complaints.anonymous,
      summary: complaints.summary,
      createdAt: complaints.createdAt,
      verifyDueAt: complaints.verifyDueAt,
      answerDueAt: complaints.answerDueAt,
      closeReason: complaints.closeReason,
      urgent: complaints.urgent,
      channel: sql<Channel | null>`(select ct.channel from contacts ct where ct.id = "complaints"."contact_id")`,
      assigneeName: sql<string | null>`(select s.name from staff_users s where s.id = "complaints"."assignee_id")`,
      residentReplied: residentRepliedSql,
    })
    .from(complaints)
    .where(condition)
    .orderBy(...(byId ? [desc(complaints.id)] : [sql`${runningDue} asc nulls last`, desc(complaints.id)]))
    .limit(limit)
    .offset(offset);
  // The total counts the whole filtered list, not what is left after the cursor.
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(complaints).where(total);
  return {
    total: Number(n),
    nextAfter: byId && rows.length === limit ? rows.at(-1)!.id : null,
    rows: rows.map(({ verifyDueAt, answerDueAt, ...r }) => ({ ...r, residentReplied: r.residentReplied === true, sla: slaState({ status: r.status, verifyDueAt, answerDueAt }, now) })),
  };
}

/** The instant a calendar day starts in a zone. */
function startOfDay(iso: string, timeZone: string): Date {
  const guess = new Date(`${iso}T00:00:00Z`);
  const p = zonedParts(guess, timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess.getTime();
  return new Date(guess.getTime() - offset);
}

/**
 * Changes whenever a complaint the actor's inbox could list is filed or changes (status, assignment, any
 * update): the inbox page refreshes its list on it. Whatever the filters, one cheap aggregate over the scope.
 */
export async function inboxVersion(db: Db, actor: Actor): Promise<string> {
  const [row] = await db
    .select({ n: count(), last: sql<string | null>`max(${complaints.updatedAt})::text`, newest: sql<string | null>`max(${complaints.id})::text` })
    .from(complaints)
    .where(scopeWhere(actor, { queue: true }));
  return `${row?.n ?? 0}:${row?.last ?? '-'}:${row?.newest ?? '-'}`;
}
