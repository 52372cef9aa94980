// Complaints (pengaduan) from residents, on the SP4N-LAPOR! rhythm: a tracking ID at once, routed to a
// bidang, verified within 3 working days. Staff work them in the console; residents ask for their status.

import { and, asc, desc, eq, gte, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintEvents, complaintRoutes, complaints, holidays, programs } from '../../db/schema/index.ts';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, type AgentProblem } from '../../domain/vocabulary.ts';
import { todayIn } from '../../domain/dates.ts';
import { formatTrackingId, normalizeTrackingId } from '../../domain/tracking-id.ts';
import { addWorkingDays } from '../../domain/workdays.ts';
import { kecamatanOfMember } from '../areas.ts';
import { bidangOf } from '../../domain/bidang.ts';
import { mediaOfDetails, recordAttachments } from './attachments.ts';
import { tagFilingDialogue } from './conversation.ts';
import { DEFAULT_PPKS_URGENT_HOURS, placeUrgent, urgentDueAt, type UrgentRouting, type WarnLog } from './urgent.ts';

export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** SP4N-LAPOR!: a report is verified and routed within 3 working days. */
export const VERIFY_WORKING_DAYS = 3;
const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

export interface FileComplaintInput {
  contactId: number;
  /** Set only when the contact has verified identity; links the complaint to the registry. */
  memberId?: number | null;
  category: ComplaintCategory;
  summary: string;
  details: Record<string, unknown>;
  anonymous: boolean;
  kecamatanId?: number | null;
  invitationId?: number | null;
  /** The program the report is about (services/programs/match.ts): its bidang answers it, not the category's. */
  programId?: number | null;
  /** The e-warong or agent the report is about, and what went wrong there; counted per agent. */
  agentId?: number | null;
  agentProblem?: AgentProblem | null;
  /**
   * The resident's message that began this report (messages.id): the chat from there on becomes the complaint's
   * conversation (conversation.ts). Absent for a report that has no dialogue of its own.
   */
  conversationFrom?: number;
  now: Date;
  /** The office's zone: the YYMM of the tracking ID, the working-day calendar and the duty date are read in it. */
  timeZone?: string;
  /**
   * Someone in danger now: deadlines in hours and, out of office hours, the duty officer (urgent.ts). Any
   * category may carry it; only PPKS reports set it today. Absent: the chat's `details.urgent === 'yes'`.
   */
  urgent?: boolean;
  /** PPKS_URGENT_HOURS; absent: its default. */
  urgentHours?: number;
  /** Where the warning goes when an urgent report finds nobody on duty. */
  log?: WarnLog;
}

export interface FiledComplaint {
  id: number;
  trackingId: string;
  /** For an urgent report: whether it went to the duty officer, waits for one, or came in office hours. */
  urgent?: UrgentRouting;
}

export async function fileComplaint(db: Db, input: FileComplaintInput): Promise<FiledComplaint> {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const summary = input.summary.trim();
  if (summary === '') throw new Error('a complaint needs a summary');
  const urgent = input.urgent ?? input.details.urgent === 'yes';
  const urgentHours = input.urgentHours ?? DEFAULT_PPKS_URGENT_HOURS;

  return db.transaction(async (tx) => {
    // The id is drawn from the sequence before the insert so the tracking ID can carry it: unique across
    // processes without a second counter, and the row is written once, complete.
    const id = await nextComplaintId(tx);
    const trackingId = formatTrackingId(input.now, id, timeZone);

    const kecamatanId = input.kecamatanId ?? (input.memberId ? await kecamatanOfMember(tx, input.memberId) : null);
    const bidang = (await programBidang(tx, input.programId ?? null)) ?? (await routeFor(tx, input.category, kecamatanId));
    const verifyDueAt = urgent
      ? urgentDueAt(input.now, urgentHours)
      : addWorkingDays(input.now, VERIFY_WORKING_DAYS, await holidaysFrom(tx, todayIn(timeZone, input.now)), timeZone);

    await tx.insert(complaints).values({
      id,
      trackingId,
      category: input.category,
      status: 'received',
      contactId: input.contactId,
      memberId: input.memberId ?? null,
      invitationId: input.invitationId ?? null,
      programId: input.programId ?? null,
      agentId: input.agentId ?? null,
      // Kept when the resident did not know the agent too: a goods complaint is one, counted against nobody.
      agentProblem: input.agentProblem ?? null,
      kecamatanId,
      bidang,
      anonymous: input.anonymous,
      urgent,
      summary,
      details: input.details,
      verifyDueAt,
      createdAt: input.now,
      updatedAt: input.now,
    });
    await tx.insert(complaintEvents).values({ complaintId: id, kind: 'message_in', body: summary, createdAt: input.now });
    // The photos' bytes are fetched later by a job; the rows saying they exist are saved with the complaint.
    await recordAttachments(tx, { complaintId: id }, input.contactId, mediaOfDetails(input.details), input.now);
    if (input.conversationFrom !== undefined) await tagFilingDialogue(tx, id, input.contactId, input.conversationFrom);
    // After the filing event, so the history reads: the report, then who it went to.
    if (!urgent) return { id, trackingId };
    const routing = await placeUrgent(tx, { id, kecamatanId, bidang }, { now: input.now, timeZone, ...(input.log ? { log: input.log } : {}) });
    return { id, trackingId, urgent: routing };
  });
}

export interface ComplaintStatusView {
  trackingId: string;
  category: ComplaintCategory;
  status: ComplaintStatus;
  createdAt: Date;
  updatedAt: Date;
  /** The latest message staff sent the resident, if any. */
  lastStaffMessage?: string;
  verifyDueAt: Date | null;
  answerDueAt: Date | null;
}

/**
 * The status of a complaint for the person asking. Null when there is no such complaint and when it is
 * someone else's: the same answer, so tracking IDs cannot be probed. It is theirs when filed from this chat,
 * or when the chat is verified as the member the complaint was filed about/by.
 */
export async function complaintStatus(
  db: Db,
  trackingId: string,
  who: { contactId: number; memberId?: number | null },
): Promise<ComplaintStatusView | null> {
  const normalized = normalizeTrackingId(trackingId);
  if (!normalized) return null;
  const [c] = await db
    .select({
      id: complaints.id,
      trackingId: complaints.trackingId,
      category: complaints.category,
      status: complaints.status,
      contactId: complaints.contactId,
      memberId: complaints.memberId,
      createdAt: complaints.createdAt,
      updatedAt: complaints.updatedAt,
      verifyDueAt: complaints.verifyDueAt,
      answerDueAt: complaints.answerDueAt,
    })
    .from(complaints)
    .where(eq(complaints.trackingId, normalized));
  if (!c) return null;
  const fromThisChat = c.contactId === who.contactId;
  const aboutThisMember = who.memberId != null && c.memberId === who.memberId;
  if (!fromThisChat && !aboutThisMember) return null;

  const [last] = await db
    .select({ body: complaintEvents.body })
    .from(complaintEvents)
    .where(and(eq(complaintEvents.complaintId, c.id), eq(complaintEvents.kind, 'message_out')))
    .orderBy(desc(complaintEvents.createdAt), desc(complaintEvents.id))
    .limit(1);

  const view: ComplaintStatusView = {
    trackingId: c.trackingId,
    category: c.category,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    verifyDueAt: c.verifyDueAt,
    answerDueAt: c.answerDueAt,
  };
  if (last?.body) view.lastStaffMessage = last.body;
  return view;
}

export interface OwnComplaint {
  trackingId: string;
  category: ComplaintCategory;
  status: ComplaintStatus;
  createdAt: Date;
}

/**
 * The latest reports filed from this chat, newest first: what "Cek status" lists for a resident who no longer
 * has the tracking ID. Only this chat's own, the same rule as complaintStatus's "from this chat", so nothing
 * filed elsewhere is shown to whoever holds this phone.
 */
export async function recentComplaints(db: Db, who: { contactId: number }, limit = 5): Promise<OwnComplaint[]> {
  return db
    .select({ trackingId: complaints.trackingId, category: complaints.category, status: complaints.status, createdAt: complaints.createdAt })
    .from(complaints)
    .where(eq(complaints.contactId, who.contactId))
    .orderBy(desc(complaints.createdAt), desc(complaints.id))
    .limit(Math.max(1, Math.min(limit, 20)));
}

async function nextComplaintId(tx: Db): Promise<number> {
  const result = await tx.execute(sql`select nextval(pg_get_serial_sequence('complaints', 'id'))::text as id`);
  // postgres.js answers with an array of rows, PGlite with { rows }.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: string }[];
  const id = Number(rows[0]?.id);
  if (!Number.isSafeInteger(id)) throw new Error('complaints id sequence gave no number');
  return id;
}

/**
 * The bidang that answers for the program a report names (issue 20): a complaint about LANSIA goes to Rehsos
 * whatever its category's route says. Null when no program is named or it has no bidang of the office's list.
 */
async function programBidang(tx: Db, programId: number | null) {
  if (programId === null) return null;
  const [p] = await tx.select({ bidang: programs.bidang }).from(programs).where(eq(programs.id, programId));
  return bidangOf(p?.bidang ?? null);
}

/** A route for this category in this kecamatan wins over the city-wide route for the category. */
export async function routeFor(tx: Db, category: ComplaintCategory, kecamatanId: number | null) {
  const [route] = await tx
    .select({ bidang: complaintRoutes.bidang })
    .from(complaintRoutes)
    .where(
      and(
        eq(complaintRoutes.category, category),
        kecamatanId === null ? isNull(complaintRoutes.kecamatanId) : or(eq(complaintRoutes.kecamatanId, kecamatanId), isNull(complaintRoutes.kecamatanId)),
      ),
    )
    .orderBy(sql`${complaintRoutes.kecamatanId} nulls last`, asc(complaintRoutes.id))
    .limit(1);
  return route?.bidang ?? null;
}

async function holidaysFrom(tx: Db, fromDay: string): Promise<Set<string>> {
  const rows = await tx.select({ day: holidays.day }).from(holidays).where(gte(holidays.day, fromDay));
  return new Set(rows.map((r) => r.day));
}
