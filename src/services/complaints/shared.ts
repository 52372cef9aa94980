// What the staff-side complaint use cases share: who may see a complaint, the audit row, the holiday
// calendar, and whether a reply can reach the resident now (the window itself is messages/window.ts).

import { and, eq, gte, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints, contacts, holidays } from '../../db/schema/index.ts';
import { onlyTemplates } from '../../messages/window.ts';
import { todayIn } from '../../domain/dates.ts';
import { can } from '../access.ts';
import { inScope, type Actor } from '../actor.ts';
import { audit as writeAudit } from '../audit.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';
/** SP4N-LAPOR!: a follow-up answer within 5 working days of verification. */
export const ANSWER_WORKING_DAYS = 5;
/** SP4N-LAPOR!: an answered report closes itself 10 working days later when nobody replies. */
export const AUTO_CLOSE_WORKING_DAYS = 10;

export type ComplaintRow = typeof complaints.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

export type Refusal =
  | 'not_found'
  | 'forbidden'
  | 'invalid_status'
  | 'invalid_input'
  | 'outside_24h_window'
  | 'no_channel'
  | 'unreachable'
  | 'already_rated'
  /** A reply with a {{placeholder}} we cannot fill: the resident would receive it as written. */
  | 'unknown_variable';
export type Result<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: Refusal };

export const refuse = (reason: Refusal) => ({ ok: false as const, reason });

/** Reply, note, verify, change status: the permission table in access.ts decides who. */
export function canWrite(actor: Actor): boolean {
  return can(actor, 'complaints.work');
}

export function staffIdOf(actor: Actor): number | null {
  return actor.kind === 'staff' ? actor.id : null;
}

/**
 * Whether the actor may know this complaint exists: every complaint of their scope ('complaints.read_scope'),
 * or only their own and the unassigned ones ('complaints.read_queue', operators). A complaint with no
 * kecamatan yet is only in a city-wide scope.
 */
export function canSee(actor: Actor, c: Pick<ComplaintRow, 'kecamatanId' | 'bidang' | 'assigneeId'>): boolean {
  if (!inScope(actor, c)) return false;
  if (can(actor, 'complaints.read_scope')) return true;
  return can(actor, 'complaints.read_queue') && (c.assigneeId === null || c.assigneeId === staffIdOf(actor));
}

/**
 * The same rule as canSee, as SQL over `complaints`. `queue: false` is for figures (IKM, SLA) that anyone
 * with `reports.read` or `dashboard.read` sees over their whole scope.
 */
export function scopeWhere(actor: Actor, { queue }: { queue: boolean }): SQL | undefined {
  const reads = queue
    ? can(actor, 'complaints.read_scope') || can(actor, 'complaints.read_queue')
    : can(actor, 'reports.read') || can(actor, 'dashboard.read');
  if (!reads) return sql`false`;
  const parts: SQL[] = [];
  if (actor.kecamatanId !== null) parts.push(eq(complaints.kecamatanId, actor.kecamatanId));
  if (actor.bidang !== null) parts.push(eq(complaints.bidang, actor.bidang));
  if (queue && !can(actor, 'complaints.read_scope')) {
    const me = staffIdOf(actor);
    parts.push(me === null ? isNull(complaints.assigneeId) : or(isNull(complaints.assigneeId), eq(complaints.assigneeId, me))!);
  }
  return parts.length > 0 ? and(...parts) : undefined;
}

/** Loads a complaint the actor may see, optionally locking it for the change that follows. */
export async function loadVisible(tx: Db, actor: Actor, id: number, lock: boolean): Promise<ComplaintRow | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const q = tx.select().from(complaints).where(eq(complaints.id, id));
  const [c] = lock ? await q.for('update') : await q;
  if (!c || !canSee(actor, c)) return null;
  return c;
}

export async function contactOf(tx: Db, contactId: number | null): Promise<ContactRow | null> {
  if (contactId === null) return null;
  const [c] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
  return c ?? null;
}

/** Why free text cannot reach this contact now, or null when it can. */
export function replyBlocked(contact: ContactRow | null, now: Date): 'no_channel' | 'unreachable' | 'outside_24h_window' | null {
  if (!contact) return 'no_channel';
  if (contact.unreachableAt) return 'unreachable';
  if (onlyTemplates(contact, now)) return 'outside_24h_window';
  return null;
}

export async function holidaySet(tx: Db, now: Date, timeZone: string): Promise<Set<string>> {
  // A year back covers reports that count from a past instant (SLA compliance of last year's complaints).
  const from = todayIn(timeZone, new Date(now.getTime() - 400 * 86_400_000));
  const rows = await tx.select({ day: holidays.day }).from(holidays).where(gte(holidays.day, from));
  return new Set(rows.map((r) => r.day));
}

/** One audit row about a complaint, through the shared audit writer (which scrubs personal data from details). */
export async function audit(tx: Db, actor: Actor, action: string, complaintId: number, details?: Record<string, unknown>): Promise<void> {
  await writeAudit(tx, actor, { action, entity: 'complaint', entityId: complaintId, ...(details ? { details } : {}) });
}
