// The complaint lifecycle on the SP4N-LAPOR! rhythm: received → verified (routed) → in_progress → answered →
// closed, reopened when the resident writes more than thanks after an answer, closed by itself 10 working days after an
// answer nobody replied to. Every staff-side change takes an Actor and checks scope here, so the console and
// the API cannot differ; a complaint out of scope is 'not_found', never 'forbidden', so ids cannot be probed.

import { and, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, complaintEvents, complaints, kecamatan, members, staffUsers } from '../../db/schema/index.ts';
import { BIDANG, COMPLAINT_CATEGORIES } from '../../domain/vocabulary.ts';
import { fillVariables, unknownVariables, type ReplyVariable } from '../../domain/reply-variables.ts';
import { maskIdNumbers } from '../../domain/mask.ts';
import { isAcknowledgement } from '../../domain/acknowledgement.ts';
import { addWorkingDays } from '../../domain/workdays.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { askRating } from '../satisfaction/ask.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Translator } from '../../i18n.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { inScope } from '../actor.ts';
import { tagMessage } from './conversation.ts';
import { routeFor, type ComplaintCategory, type ComplaintStatus } from './file.ts';
import { urgentDueAt, urgentHoursOf } from './urgent.ts';
import {
  ANSWER_WORKING_DAYS,
  AUTO_CLOSE_WORKING_DAYS,
  DEFAULT_TIME_ZONE,
  audit,
  canWrite,
  contactOf,
  holidaySet,
  loadVisible,
  refuse,
  replyBlocked,
  staffIdOf,
  type ComplaintRow,
  type ContactRow,
  type Result,
} from './shared.ts';

export type { Refusal, Result } from './shared.ts';

interface When {
  now?: Date;
  /** The office's zone: working days are counted on its calendar. */
  timeZone?: string;
}

/** Runs a change on one complaint the actor may write, locked for the transaction. */
export async function change<T extends object>(
  db: Db,
  actor: Actor,
  id: number,
  body: (tx: Db, c: ComplaintRow) => Promise<Result<T>>,
): Promise<Result<T>> {
  return db.transaction(async (tx) => {
    const c = await loadVisible(tx, actor, id, true);
    if (!c) return refuse('not_found');
    if (!canWrite(actor)) return refuse('forbidden');
    return body(tx, c);
  });
}

export async function setStatus(tx: Db, actor: Actor | null, c: ComplaintRow, to: ComplaintStatus, now: Date, extra: Partial<ComplaintRow> = {}) {
  await tx
    .update(complaints)
    .set({ ...extra, status: to, updatedAt: now })
    .where(eq(complaints.id, c.id));
  await tx.insert(complaintEvents).values({
    complaintId: c.id,
    kind: 'status_change',
    staffId: actor ? staffIdOf(actor) : null,
    fromStatus: c.status,
    toStatus: to,
    createdAt: now,
  });
}

export interface VerifyInput extends When {
  /** Overrides the route; otherwise complaint_routes by category and kecamatan, then category alone. */
  bidang?: Bidang;
  /** Corrects or fills in the resident's kecamatan before routing. */
  kecamatanId?: number;
  /** Corrects the kind of report the resident chose (a complaint about a late transfer filed as "other"). */
  category?: ComplaintCategory;
  /** PPKS_URGENT_HOURS for an urgent report's answer; absent: the hours it was given to be verified. */
  urgentHours?: number;
}

/** received → verified: routed to a bidang and kecamatan; the answer is due 5 working days from now (urgent: hours). */
export async function verifyComplaint(db: Db, actor: Actor, id: number, input: VerifyInput = {}): Promise<Result<{ bidang: Bidang | null; kecamatanId: number | null; answerDueAt: Date }>> {
  const now = input.now ?? new Date();
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  if (input.bidang !== undefined && !(BIDANG as readonly string[]).includes(input.bidang)) return refuse('invalid_input');
  if (input.category !== undefined && !(COMPLAINT_CATEGORIES as readonly string[]).includes(input.category)) return refuse('invalid_input');
  return change(db, actor, id, (tx, c) => verifyIn(tx, actor, c, input, now, timeZone));
}

/** The verification itself, inside a caller's transaction on a locked complaint (verify, and verify-and-take). */
export async function verifyIn(
  tx: Db,
  actor: Actor,
  c: ComplaintRow,
  input: VerifyInput,
  now: Date,
  timeZone: string,
): Promise<Result<{ bidang: Bidang | null; kecamatanId: number | null; answerDueAt: Date }>> {
  if (c.status !== 'received') return refuse('invalid_status');
  let kecamatanId = c.kecamatanId;
  if (input.kecamatanId !== undefined) {
    const [k] = await tx.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, input.kecamatanId));
    if (!k) return refuse('invalid_input');
    kecamatanId = k.id;
  }
  const category = input.category ?? c.category;
  const bidang = input.bidang ?? (await routeFor(tx, category, kecamatanId)) ?? c.bidang;
  // A scoped officer cannot route a complaint out of their own scope and keep working it unseen.
  if (!inScope(actor, { kecamatanId, bidang })) return refuse('invalid_input');
  // Someone in danger now is answered in hours, like they were verified, not in working days.
  const answerDueAt = c.urgent
    ? urgentDueAt(now, input.urgentHours ?? urgentHoursOf(c))
    : addWorkingDays(now, ANSWER_WORKING_DAYS, await holidaySet(tx, now, timeZone), timeZone);
  await setStatus(tx, actor, c, 'verified', now, { kecamatanId, bidang, category, answerDueAt });
  await audit(tx, actor, 'complaint.verify', c.id, { bidang, kecamatanId, category, ...(category !== c.category ? { fromCategory: c.category } : {}) });
  return { ok: true, bidang, kecamatanId, answerDueAt };
}

/**
 * Gives a complaint to a staff member whose scope covers it. Supervisors and admins assign anyone; an
 * operator may only take an unassigned complaint for themselves.
 */
export async function assignComplaint(db: Db, actor: Actor, id: number, staffId: number, when: When = {}): Promise<Result> {
  const now = when.now ?? new Date();
  return change(db, actor, id, (tx, c) => assignIn(tx, actor, c, staffId, now));
}

/** The assignment itself, inside a caller's transaction on a locked complaint. */
export async function assignIn(tx: Db, actor: Actor, c: ComplaintRow, staffId: number, now: Date): Promise<Result> {
  if (c.status === 'closed') return refuse('invalid_status');
  if (c.assigneeId === staffId) return { ok: true };
  // Without 'complaints.assign' (operators), only taking an unassigned complaint for oneself.
  if (!can(actor, 'complaints.assign') && (staffId !== staffIdOf(actor) || c.assigneeId !== null)) return refuse('forbidden');
  const [s] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  const works = s && s.active && can(s, 'complaints.work');
  if (!works || !inScope(s, c)) return refuse('invalid_input');
  await tx.update(complaints).set({ assigneeId: staffId, updatedAt: now }).where(eq(complaints.id, c.id));
  await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'assignment', staffId: staffIdOf(actor), body: String(staffId), createdAt: now });
  await audit(tx, actor, 'complaint.assign', c.id, { from: c.assigneeId, to: staffId });
  return { ok: true };
}

/** verified or reopened → in_progress. */
export async function startWork(db: Db, actor: Actor, id: number, when: When = {}): Promise<Result> {
  const now = when.now ?? new Date();
  return change(db, actor, id, async (tx, c) => {
    if (c.status !== 'verified' && c.status !== 'reopened') return refuse('invalid_status');
    await setStatus(tx, actor, c, 'in_progress', now);
    return { ok: true };
  });
}

export interface ReplyInput extends When {
  text: string;
  /** The reply carries the officer's name in the resident's language, as in a live chat ("Rina, petugas Dinas Sosial:"). */
  i18n?: Pick<Translator, 't'>;
}

const REPLYABLE: readonly ComplaintStatus[] = ['verified', 'in_progress', 'reopened', 'answered'];

/**
 * Sends staff's answer to the resident on their own channel, through the outbox in the same transaction,
 * and marks the complaint answered: answeredAt keeps the first answer (time to first answer), autoCloseAt
 * counts 10 working days from the latest. Refused with the reason when free text cannot reach the resident.
 */
export async function replyToResident(db: Db, actor: Actor, id: number, input: ReplyInput): Promise<Result<{ outboxIds: number[]; autoCloseAt: Date }>> {
  const now = input.now ?? new Date();
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const text = input.text.trim();
  if (text === '' || text.length > 4000) return refuse('invalid_input');
  if (unknownVariables(text).length > 0) return refuse('unknown_variable');
  return change(db, actor, id, async (tx, c) => {
    if (!REPLYABLE.includes(c.status)) return refuse('invalid_status');
    const contact = await contactOf(tx, c.contactId);
    const blocked = replyBlocked(contact, now);
    if (blocked) return refuse(blocked);
    const staffId = staffIdOf(actor);
    // The resident receives the filled text; the complaint's history keeps what the officer wrote.
    const values = await replyValues(tx, actor, c, contact!);
    const filled = fillVariables(text, values);
    // The resident sees who answers, not "Pintu": a person they can name when they call or come in.
    // A reply that already carries the officer's name (a canned text signed with {{petugas}}) is not signed twice.
    // Only what the officer wrote counts: a resident who shares the officer's name ({{nama}}) is no signature.
    const signedAlready = !values.petugas || text.includes('{{petugas}}') || text.includes(values.petugas);
    const sent = input.i18n && !signedAlready ? `${input.i18n.t('handover:officerSays', { name: values.petugas, ...(contact!.language ? { lng: contact!.language } : {}) })}\n${filled}` : filled;
    const outboxIds = await enqueue(tx, {
      contactId: contact!.id,
      channel: contact!.channel,
      messages: [{ text: sent }],
      priority: 'reply',
      complaintId: c.id,
      ...(staffId !== null ? { staffId } : {}),
    });
    await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'message_out', staffId, body: text, createdAt: now });
    const autoCloseAt = addWorkingDays(now, AUTO_CLOSE_WORKING_DAYS, await holidaySet(tx, now, timeZone), timeZone);
    const extra = { answeredAt: c.answeredAt ?? now, autoCloseAt };
    if (c.status === 'answered') await tx.update(complaints).set({ ...extra, updatedAt: now }).where(eq(complaints.id, c.id));
    else await setStatus(tx, actor, c, 'answered', now, extra);
    return { ok: true, outboxIds, autoCloseAt };
  });
}

async function replyValues(tx: Db, actor: Actor, c: ComplaintRow, contact: ContactRow): Promise<Partial<Record<ReplyVariable, string | null>>> {
  const [member] = c.memberId === null ? [] : await tx.select({ name: members.name }).from(members).where(eq(members.id, c.memberId));
  const [area] = c.kecamatanId === null ? [] : await tx.select({ name: kecamatan.name }).from(kecamatan).where(eq(kecamatan.id, c.kecamatanId));
  const [officer] =
    actor.kind === 'staff'
      ? await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, actor.id))
      : await tx.select({ name: apiTokens.name }).from(apiTokens).where(eq(apiTokens.id, actor.id));
  return {
    // Registry names are in capitals (SITI AMINAH); a letter reads better as Siti Aminah.
    nama: member ? titleCase(member.name) : (contact.displayName ?? null),
    nomor_tiket: c.trackingId,
    kecamatan: area?.name ?? null,
    petugas: officer?.name ?? null,
  };
}

function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase()); // not after an apostrophe: Syafi'i, Ma'ruf
}

/** An internal note: kept with the complaint, never sent to the resident. */
export async function addNote(db: Db, actor: Actor, id: number, input: { text: string; now?: Date }): Promise<Result<{ eventId: number }>> {
  const now = input.now ?? new Date();
  const text = input.text.trim();
  if (text === '' || text.length > 10_000) return refuse('invalid_input');
  return change(db, actor, id, async (tx, c) => {
    const [e] = await tx
      .insert(complaintEvents)
      .values({ complaintId: c.id, kind: 'note', staffId: staffIdOf(actor), body: text, createdAt: now })
      .returning({ id: complaintEvents.id });
    return { ok: true, eventId: e!.id };
  });
}

/** answered → closed, then the resident is asked for a 1–5 rating (when they can be reached at all). */
export async function closeComplaint(db: Db, actor: Actor, id: number, when: When = {}): Promise<Result<{ csatAsked: boolean }>> {
  const now = when.now ?? new Date();
  return change(db, actor, id, async (tx, c) => {
    if (c.status !== 'answered') return refuse('invalid_status');
    await setStatus(tx, actor, c, 'closed', now, { closedAt: now, autoCloseAt: null });
    await audit(tx, actor, 'complaint.close', c.id);
    return { ok: true, csatAsked: await askCsat(tx, c, now, 'reply') };
  });
}

/** The rating question after a close: the one satisfaction path (services/satisfaction), its weekly rule included. */
async function askCsat(tx: Db, c: Pick<ComplaintRow, 'id' | 'contactId' | 'bidang' | 'kecamatanId'>, now: Date, priority: 'reply' | 'bulk'): Promise<boolean> {
  if (c.contactId === null) return false;
  const asked = await askRating(tx, { contactId: c.contactId, service: 'complaint', bidang: c.bidang, kecamatanId: c.kecamatanId, complaintId: c.id, now, priority });
  return asked.asked;
}

/**
 * Closes every answered complaint whose 10 working days have passed without a reply (a reply reopens it,
 * so its status is no longer 'answered'; a mere thanks leaves it answered, and it closes on time), and asks each resident for a rating. Safe in several processes:
 * rows are claimed with SKIP LOCKED, in batches. Returns how many it closed.
 */
export async function autoCloseDue(db: Db, now: Date, opts: { batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 200;
  let total = 0;
  for (;;) {
    const closed = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: complaints.id, contactId: complaints.contactId, bidang: complaints.bidang, kecamatanId: complaints.kecamatanId })
        .from(complaints)
        .where(and(eq(complaints.status, 'answered'), lte(complaints.autoCloseAt, now)))
        .orderBy(complaints.autoCloseAt)
        .limit(batch)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      const ids = due.map((d) => d.id);
      await tx.update(complaints).set({ status: 'closed', closedAt: now, autoCloseAt: null, updatedAt: now }).where(inArray(complaints.id, ids));
      await tx
        .insert(complaintEvents)
        .values(ids.map((complaintId) => ({ complaintId, kind: 'status_change' as const, body: 'auto_close', fromStatus: 'answered' as const, toStatus: 'closed' as const, createdAt: now })));
      for (const d of due) await askCsat(tx, d, now, 'bulk');
      return due.length;
    });
    total += closed;
    if (closed < batch) return total;
  }
}

/**
 * A resident wrote while they have an open or answered complaint: the message joins that complaint, and an
 * answered complaint is reopened with a fresh 5-working-day answer deadline, unless the message only thanks
 * or acknowledges the answer (domain/acknowledgement.ts): then it joins and the report stays answered. Null when the contact has no
 * complaint that is not closed. With several open, it joins the one the office last wrote to this chat about
 * (what the resident is most likely answering), else the latest filed: a named report's answer must not land
 * in the same resident's anonymous sanggahan, nor the other way round, more often than the chat forces.
 */
export async function residentReplied(
  db: Db,
  input: {
    contactId: number;
    text: string;
    now: Date;
    timeZone?: string;
    /** The resident's message (messages.id): it joins the complaint's conversation too. */
    messageId?: number;
  },
): Promise<{ complaintId: number; trackingId: string; reopened: boolean; acknowledged?: true } | null> {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  return db.transaction(async (tx) => {
    const lastWritten = sql`(select max(m.id) from messages m where m.complaint_id = ${complaints.id} and m.direction = 'out')`;
    const [c] = await tx
      .select()
      .from(complaints)
      .where(and(eq(complaints.contactId, input.contactId), ne(complaints.status, 'closed')))
      .orderBy(sql`${lastWritten} desc nulls last`, desc(complaints.createdAt), desc(complaints.id))
      .limit(1)
      .for('update');
    if (!c) return null;
    // Stored like the chat history: a NIK or KK typed in the message is kept masked.
    await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'message_in', body: maskIdNumbers(input.text), createdAt: input.now });
    if (input.messageId !== undefined) await tagMessage(tx, c.id, input.contactId, input.messageId);
    if (c.status !== 'answered') {
      await tx.update(complaints).set({ updatedAt: input.now }).where(eq(complaints.id, c.id));
      return { complaintId: c.id, trackingId: c.trackingId, reopened: false };
    }
    // "Baik pak, terima kasih infonya" says the answer arrived; it asks for nothing. It stays with the report
    // for staff to read, and the report stays answered: no new deadline, the auto-close still runs, and the
    // officer can still close it. A question or "belum selesai" is something more, and reopens it.
    if (isAcknowledgement(input.text)) return { complaintId: c.id, trackingId: c.trackingId, reopened: false, acknowledged: true };
    const answerDueAt = addWorkingDays(input.now, ANSWER_WORKING_DAYS, await holidaySet(tx, input.now, timeZone), timeZone);
    await setStatus(tx, null, c, 'reopened', input.now, { answerDueAt, autoCloseAt: null });
    return { complaintId: c.id, trackingId: c.trackingId, reopened: true };
  });
}
