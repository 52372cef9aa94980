// What an officer does to a complaint from the inbox, beside answering it: take it (verify, assign to self and
// start, in one step), correct where it was routed, close it without an answer (a duplicate, spam), and the
// same for many at once. Each is one transaction on the locked complaint, through the same scope rule as every
// other change (lifecycle.ts's change()).

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintEvents, complaints, kecamatan, staffUsers } from '../../db/schema/index.ts';
import { BIDANG, COMPLAINT_CATEGORIES, COMPLAINT_CLOSE_REASONS, type Bidang, type ComplaintCloseReason } from '../../domain/vocabulary.ts';
import { can } from '../access.ts';
import { inScope, type Actor } from '../actor.ts';
import type { ComplaintCategory } from './file.ts';
import { assignIn, change, setStatus, verifyIn } from './lifecycle.ts';
import { audit, DEFAULT_TIME_ZONE, loadVisible, refuse, staffIdOf, type ComplaintRow, type Result } from './shared.ts';

interface When {
  now?: Date;
  timeZone?: string;
}

export interface Routing {
  kecamatanId?: number;
  bidang?: Bidang;
  category?: ComplaintCategory;
}

function validRouting(r: Routing): boolean {
  if (r.bidang !== undefined && !(BIDANG as readonly string[]).includes(r.bidang)) return false;
  if (r.category !== undefined && !(COMPLAINT_CATEGORIES as readonly string[]).includes(r.category)) return false;
  if (r.kecamatanId !== undefined && !(Number.isSafeInteger(r.kecamatanId) && r.kecamatanId > 0)) return false;
  return true;
}

/**
 * "Tangani": whatever is left of verify → assign to me → start, in one step, so the reply box is one click away.
 * A received complaint is verified with the routing the officer corrected (or the usual route); one already
 * verified or reopened is started. A complaint another officer holds stays theirs unless the actor may assign.
 */
export async function takeComplaint(db: Db, actor: Actor, id: number, input: Routing & When = {}): Promise<Result> {
  const now = input.now ?? new Date();
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const me = staffIdOf(actor);
  if (me === null || !validRouting(input)) return refuse('invalid_input');
  return change(db, actor, id, async (tx, first) => {
    if (first.status === 'closed' || first.status === 'answered') return refuse('invalid_status');
    let c: ComplaintRow = first;
    const reload = async () => (c = (await loadVisible(tx, actor, id, true)) ?? c);
    if (c.status === 'received') {
      const verified = await verifyIn(tx, actor, c, input, now, timeZone);
      if (!verified.ok) return verified;
      await reload();
    }
    const assigned = await assignIn(tx, actor, c, me, now);
    if (!assigned.ok) return assigned;
    await reload();
    if (c.status === 'verified' || c.status === 'reopened') await setStatus(tx, actor, c, 'in_progress', now);
    return { ok: true };
  });
}

/**
 * Corrects where an open complaint was routed (kecamatan, bidang, kind) after verification. The answer deadline
 * stays: the resident has waited as long either way. Routing it out of the officer's own scope is the
 * supervisor's call, never an operator's way of making a complaint disappear from view.
 */
export async function rerouteComplaint(db: Db, actor: Actor, id: number, input: Routing & When): Promise<Result> {
  const now = input.now ?? new Date();
  if (!validRouting(input)) return refuse('invalid_input');
  return change(db, actor, id, async (tx, c) => {
    if (c.status === 'closed') return refuse('invalid_status');
    if (!can(actor, 'complaints.assign')) return refuse('forbidden');
    let kecamatanId = c.kecamatanId;
    if (input.kecamatanId !== undefined) {
      const [k] = await tx.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, input.kecamatanId));
      if (!k) return refuse('invalid_input');
      kecamatanId = k.id;
    }
    const next = { kecamatanId, bidang: input.bidang ?? c.bidang, category: input.category ?? c.category };
    if (!inScope(actor, next)) return refuse('invalid_input');
    const changed = Object.entries(next).filter(([k, v]) => c[k as keyof typeof next] !== v).map(([k]) => k);
    if (changed.length === 0) return { ok: true };
    // Whoever holds it may not cover the new area: then it goes back to the unassigned queue there.
    const keeps = c.assigneeId === null ? false : await holderCovers(tx, c.assigneeId, next);
    await tx.update(complaints).set({ ...next, ...(keeps ? {} : { assigneeId: null }), updatedAt: now }).where(eq(complaints.id, c.id));
    await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'routing', staffId: staffIdOf(actor), body: changed.join(','), createdAt: now });
    // Flat keys: the audit writer keeps only plain values (a nested object would be stored as redacted).
    await audit(tx, actor, 'complaint.reroute', c.id, {
      fromKecamatanId: c.kecamatanId,
      toKecamatanId: next.kecamatanId,
      fromBidang: c.bidang,
      toBidang: next.bidang,
      fromCategory: c.category,
      toCategory: next.category,
      unassigned: !keeps && c.assigneeId !== null,
    });
    return { ok: true };
  });
}

async function holderCovers(tx: Db, staffId: number, area: { kecamatanId: number | null; bidang: string | null }): Promise<boolean> {
  const [s] = await tx.select({ kecamatanId: staffUsers.kecamatanId, bidang: staffUsers.bidang }).from(staffUsers).where(eq(staffUsers.id, staffId));
  return !!s && inScope(s, area);
}

/**
 * Closes a complaint without answering it: a duplicate of another report, or spam. Nothing is sent to the
 * resident and no rating is asked (there was no service to rate); the reason is kept on the complaint and
 * the officer's words in its history.
 */
export async function dismissComplaint(db: Db, actor: Actor, id: number, input: { reason: ComplaintCloseReason; note: string } & When): Promise<Result> {
  const now = input.now ?? new Date();
  const note = input.note.trim();
  if (!(COMPLAINT_CLOSE_REASONS as readonly string[]).includes(input.reason) || note === '' || note.length > 500) return refuse('invalid_input');
  return change(db, actor, id, async (tx, c) => {
    if (c.status === 'closed') return refuse('invalid_status');
    await setStatus(tx, actor, c, 'closed', now, { closedAt: now, autoCloseAt: null, closeReason: input.reason });
    await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'note', staffId: staffIdOf(actor), body: note, createdAt: now });
    await audit(tx, actor, 'complaint.dismiss', c.id, { reason: input.reason });
    return { ok: true };
  });
}

/** What a bulk action did: how many it changed, and how many it left with why (not in scope, wrong status). */
export interface BulkOutcome {
  done: number;
  refused: Partial<Record<string, number>>;
}

/** Runs one action on each complaint, each in its own transaction: one refusal never undoes the others. */
export async function forEachComplaint(ids: readonly number[], run: (id: number) => Promise<Result>): Promise<BulkOutcome> {
  const out: BulkOutcome = { done: 0, refused: {} };
  for (const id of [...new Set(ids)].slice(0, 200)) {
    const r = await run(id);
    if (r.ok) out.done += 1;
    else out.refused[r.reason] = (out.refused[r.reason] ?? 0) + 1;
  }
  return out;
}

export const bulkAssign = (db: Db, actor: Actor, ids: readonly number[], staffId: number, when: When = {}) =>
  forEachComplaint(ids, (id) => change(db, actor, id, (tx, c) => assignIn(tx, actor, c, staffId, when.now ?? new Date())));

export const bulkDismiss = (db: Db, actor: Actor, ids: readonly number[], input: { reason: ComplaintCloseReason; note: string } & When) =>
  forEachComplaint(ids, (id) => dismissComplaint(db, actor, id, input));

/** The tracking IDs of the complaints among `ids` the actor may see, for a confirmation that names them. */
export async function visibleTrackingIds(db: Db, actor: Actor, ids: readonly number[]): Promise<{ id: number; trackingId: string }[]> {
  const out: { id: number; trackingId: string }[] = [];
  for (const id of [...new Set(ids)].slice(0, 200)) {
    const c = await loadVisible(db, actor, id, false);
    if (c) out.push({ id: c.id, trackingId: c.trackingId });
  }
  return out;
}
