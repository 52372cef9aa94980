// The recipient list of a program and period as a decision (issue 20, part 2). A draft is read live from the
// enrollments; the head of the owning bidang (or the admin) locks it with the decree's number, which copies
// every row as it stands (recipient_list_items), with the count and the total, and supersedes the version
// locked before it. A locked list never changes: a correction is a new version, a draft again, locked in turn.
//
// Who is on it: the enrollments of the program and period that are proposed, verified or active — the SK
// names everyone who receives in that period, so a version made after payments began (those enrollments are
// active by then) still names the families already paid; suspended and ended ones are not on it.
//
// Reading a list names families, so every read and every export is audited. An officer of one kecamatan sees
// the rows of their kecamatan; locking takes someone whose scope is the whole city, as the SK is one decree
// for the city (a list locked from one kecamatan's rows would leave the others off it).

import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrollments, recipientLists, staffUsers } from '../../db/schema/index.ts';
import { rowsOf } from '../../db/rows.ts';
import { maskIdNumber } from '../../domain/mask.ts';
import type { RecipientListStatus } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { getProgram, type ProgramRow } from './read.ts';
import { holdsFor } from './scope.ts';

/** The statuses a list names (see above). */
export const LISTED_STATUSES = ['proposed', 'verified', 'active'] as const;
/** The same, for the raw queries below (our own words, never input). */
const LISTED_SQL = sql.raw(`(${LISTED_STATUSES.map((s) => `'${s}'`).join(', ')})`);
export const PERIOD = /^[0-9A-Za-z][0-9A-Za-z-]{0,19}$/;
export const DECREE_MAX = 100;
export const LIST_NOTE_MAX = 1000;
/** Rows shown on the list's page; the exports hold them all. */
export const PAGE_ROWS = 500;

export type ListRefusal =
  | 'not_found'
  | 'invalid_period'
  /** A version of the period is locked: a change needs a new version of it. */
  | 'locked'
  /** The period already has a draft: that one is worked on. */
  | 'draft_exists'
  /** Only a draft is locked; only the newest locked version gets a new one. */
  | 'not_draft'
  | 'not_latest'
  | 'decree_missing'
  | 'decree_too_long'
  | 'note_too_long'
  | 'empty'
  /** Locking takes a city-wide scope. */
  | 'citywide_only';
export type ListResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: ListRefusal };
const refuse = (reason: ListRefusal) => ({ ok: false as const, reason });

export interface ListVersion {
  id: number;
  version: number;
  status: RecipientListStatus;
  recipientCount: number | null;
  totalAmount: number | null;
  decreeNumber: string | null;
  lockedAt: Date | null;
  lockedByName: string | null;
  createdAt: Date;
}

export interface PeriodLists {
  period: string;
  /** Enrollments of the period a list would name now. */
  listed: number;
  versions: ListVersion[];
}

export interface RecipientRow {
  no: number;
  enrollmentId: number;
  /** The member's name (person programs) or the head of the family's (household programs), as the SK names them. */
  name: string | null;
  nikMasked: string | null;
  kkMasked: string;
  kelurahan: string;
  kecamatan: string;
  amount: number | null;
  status: string;
}

export interface RecipientListView {
  program: ProgramRow;
  list: ListVersion & { period: string; note: string | null; createdBy: number | null };
  /** For a draft: counted now; for a locked list: as locked. Within the reader's kecamatan when they have one. */
  count: number;
  total: number;
  rows: RecipientRow[];
  /** Whether this reader may lock it (the draft, a city-wide approver of the program's bidang). */
  mayLock: boolean;
  /** Whether this reader may start its next version (the newest locked version). */
  mayRevise: boolean;
  newest: boolean;
}

const validId = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647;

/** May read the program's lists: either permission for its bidang. */
function mayRead(actor: Actor, p: ProgramRow): boolean {
  return holdsFor(actor, 'programs.manage', p.bidang) || holdsFor(actor, 'recipients.approve', p.bidang);
}

async function programFor(db: Db, actor: Actor, programId: number): Promise<ProgramRow | null> {
  const p = await getProgram(db, actor, programId);
  return p && mayRead(actor, p) ? p : null;
}

async function versionsOf(db: Db, programId: number, period?: string): Promise<(ListVersion & { period: string })[]> {
  const rows = await db
    .select({ l: recipientLists, lockedByName: staffUsers.name })
    .from(recipientLists)
    .leftJoin(staffUsers, eq(staffUsers.id, recipientLists.lockedBy))
    .where(and(eq(recipientLists.programId, programId), period !== undefined ? eq(recipientLists.period, period) : undefined))
    .orderBy(desc(recipientLists.period), desc(recipientLists.version));
  return rows.map((r) => ({
    id: r.l.id,
    period: r.l.period,
    version: r.l.version,
    status: r.l.status,
    recipientCount: r.l.recipientCount,
    totalAmount: r.l.totalAmount === null ? null : Number(r.l.totalAmount),
    decreeNumber: r.l.decreeNumber,
    lockedAt: r.l.lockedAt,
    lockedByName: r.lockedByName,
    createdAt: r.l.createdAt,
  }));
}

/** The program's periods (from its enrollments and its lists), newest first, with every version of each. */
export async function programLists(db: Db, actor: Actor, programId: number): Promise<{ program: ProgramRow; periods: PeriodLists[] } | null> {
  if (!validId(programId)) return null;
  const program = await programFor(db, actor, programId);
  if (!program) return null;
  const counts = await db
    .select({ period: enrollments.period, n: sql<number>`count(*)::int` })
    .from(enrollments)
    .where(and(eq(enrollments.programId, programId), inArray(enrollments.status, [...LISTED_STATUSES])))
    .groupBy(enrollments.period);
  const versions = await versionsOf(db, programId);
  const periods = [...new Set([...counts.map((c) => c.period), ...versions.map((v) => v.period)])].sort().reverse();
  return {
    program,
    periods: periods.map((period) => ({
      period,
      listed: Number(counts.find((c) => c.period === period)?.n ?? 0),
      versions: versions.filter((v) => v.period === period),
    })),
  };
}

/**
 * The period's draft: the one being worked on, or version 1 when the period has none. A period with a locked
 * version and no draft is refused ('locked'): its change is a new version of the locked one.
 */
export async function openDraft(db: Db, actor: Actor, programId: number, period: string, opts: { now: Date }): Promise<ListResult<{ listId: number }>> {
  if (!validId(programId)) return refuse('not_found');
  const program = await programFor(db, actor, programId);
  if (!program) return refuse('not_found');
  if (!PERIOD.test(period)) return refuse('invalid_period');
  return db.transaction(async (tx): Promise<ListResult<{ listId: number }>> => {
    // One writer per program at a time: two officers opening the same period make one draft.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('recipient_lists'), ${programId})`);
    const versions = await versionsOf(tx, programId, period);
    const draft = versions.find((v) => v.status === 'draft');
    if (draft) return { ok: true, listId: draft.id };
    if (versions.length > 0) return refuse('locked');
    const [made] = await tx
      .insert(recipientLists)
      .values({ programId, period, version: 1, status: 'draft', createdBy: actor.kind === 'staff' ? actor.id : null, createdAt: opts.now })
      .returning({ id: recipientLists.id });
    await audit(tx, actor, { action: 'recipients.draft', entity: 'recipient_list', entityId: made!.id, details: { programId, period, version: 1 }, at: opts.now });
    return { ok: true, listId: made!.id };
  });
}

/** The rows of a list: live from the enrollments for a draft, from its own copy once locked. */
function rowsSql(list: { id: number; programId: number; period: string; status: RecipientListStatus }, kecamatanId: number | null): SQL {
  const source =
    list.status === 'draft'
      ? sql`select e.id as enrollment_id, e.household_id, e.member_id, e.status, coalesce(e.amount, p.benefit_amount) as amount
            from enrollments e join programs p on p.id = e.program_id
            where e.program_id = ${list.programId} and e.period = ${list.period} and e.status in ${LISTED_SQL}`
      : sql`select i.enrollment_id, i.household_id, i.member_id, i.status, i.amount from recipient_list_items i where i.list_id = ${list.id}`;
  return sql`
    with src as (${source})
    select s.enrollment_id, s.status, s.amount, coalesce(pm.name, head.name) as name, coalesce(pm.nik, head.nik) as nik,
      h.no_kk, kl.name as kelurahan, kc.name as kecamatan
    from src s
    left join members pm on pm.id = s.member_id
    join households h on h.id = coalesce(s.household_id, pm.household_id)
    left join lateral (
      select m.name, m.nik from members m where m.household_id = h.id and s.member_id is null
      order by (m.relationship = 'kepala') desc, m.deceased, m.id limit 1
    ) head on true
    join kelurahan kl on kl.id = h.kelurahan_id
    join kecamatan kc on kc.id = kl.kecamatan_id
    ${kecamatanId !== null ? sql`where kc.id = ${kecamatanId}` : sql``}
    order by kc.name, kl.name, coalesce(pm.name, head.name), s.enrollment_id`;
}

type RawRow = { enrollment_id: number | string; status: string; amount: number | string | null; name: string | null; nik: string | null; no_kk: string; kelurahan: string; kecamatan: string };

async function readRows(db: Db, list: Parameters<typeof rowsSql>[0], kecamatanId: number | null): Promise<RecipientRow[]> {
  const raw = rowsOf<RawRow>(await db.execute(rowsSql(list, kecamatanId)));
  return raw.map((r, i) => ({
    no: i + 1,
    enrollmentId: Number(r.enrollment_id),
    name: r.name,
    nikMasked: r.nik === null ? null : maskIdNumber(r.nik),
    kkMasked: maskIdNumber(r.no_kk),
    kelurahan: r.kelurahan,
    kecamatan: r.kecamatan,
    amount: r.amount === null ? null : Number(r.amount),
    status: r.status,
  }));
}

/** A list with every row the reader may see (all of them: the exports use this), audited as `action`. */
export async function readList(db: Db, actor: Actor, listId: number, opts: { now: Date; action?: string; format?: string }): Promise<RecipientListView | null> {
  if (!validId(listId)) return null;
  const [l] = await db.select().from(recipientLists).where(eq(recipientLists.id, listId));
  if (!l) return null;
  const program = await programFor(db, actor, l.programId);
  if (!program) return null;
  const versions = await versionsOf(db, l.programId, l.period);
  const version = versions.find((v) => v.id === l.id);
  const newestVersion = versions[0];
  const rows = await readRows(db, l, actor.kecamatanId);
  const total = rows.reduce((s, r) => s + (r.amount ?? 0), 0);
  await audit(db, actor, {
    action: opts.action ?? 'recipients.read',
    entity: 'recipient_list',
    entityId: l.id,
    details: { programId: l.programId, version: l.version, rowCount: rows.length, ...(opts.format ? { format: opts.format } : {}) },
    at: opts.now,
  });
  const approver = holdsFor(actor, 'recipients.approve', program.bidang) && actor.kecamatanId === null;
  return {
    program,
    list: { ...version!, period: l.period, note: l.note, createdBy: l.createdBy },
    count: rows.length,
    total,
    rows,
    mayLock: approver && l.status === 'draft' && rows.length > 0,
    mayRevise: mayRead(actor, program) && l.status === 'locked' && newestVersion?.id === l.id,
    newest: newestVersion?.id === l.id,
  };
}

/**
 * Locks a draft with the SK's number: copies its rows, records the count and the total, supersedes the locked
 * version before it, audited as `recipients.lock`. The head of the owning bidang or the admin, city-wide.
 */
export async function lockList(db: Db, actor: Actor, listId: number, input: { decreeNumber: string; note: string }, opts: { now: Date }): Promise<ListResult<{ count: number; total: number }>> {
  requirePermission(actor, 'recipients.approve');
  if (!validId(listId)) return refuse('not_found');
  const decree = input.decreeNumber.trim();
  const note = input.note.trim();
  return db.transaction(async (tx): Promise<ListResult<{ count: number; total: number }>> => {
    const [l] = await tx.select().from(recipientLists).where(eq(recipientLists.id, listId)).for('update');
    if (!l) return refuse('not_found');
    const program = await programFor(tx, actor, l.programId);
    if (!program) return refuse('not_found');
    if (!holdsFor(actor, 'recipients.approve', program.bidang)) throw new Forbidden('scope');
    if (actor.kecamatanId !== null) return refuse('citywide_only');
    if (l.status !== 'draft') return refuse('not_draft');
    if (decree === '') return refuse('decree_missing');
    if (decree.length > DECREE_MAX) return refuse('decree_too_long');
    if (note.length > LIST_NOTE_MAX) return refuse('note_too_long');
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('recipient_lists'), ${l.programId})`);
    // Every enrollment of the period is held while it is copied, so a status changed at this moment is either
    // in the copy as it was or waits for the lock.
    await tx.execute(sql`select id from enrollments where program_id = ${l.programId} and period = ${l.period} for share`);
    // The SK is the decision on the proposals it names: a proposed enrollment on the list is verified by it (the
    // bank's result file and the aid check then count it as received), and the copy below records it so.
    const promoted = rowsOf<{ id: number }>(
      await tx.execute(sql`update enrollments set status = 'verified', updated_at = ${opts.now.toISOString()}
        where program_id = ${l.programId} and period = ${l.period} and status = 'proposed' returning id`),
    ).length;
    const inserted = rowsOf<{ amount: number | string | null }>(
      await tx.execute(sql`
        insert into recipient_list_items (list_id, enrollment_id, household_id, member_id, status, amount)
        select ${l.id}, e.id, e.household_id, e.member_id, e.status, coalesce(e.amount, p.benefit_amount)
        from enrollments e join programs p on p.id = e.program_id
        where e.program_id = ${l.programId} and e.period = ${l.period} and e.status in ${LISTED_SQL}
        returning amount`),
    );
    // Nothing to decree (the copy above wrote nothing either).
    if (inserted.length === 0) return refuse('empty');
    const total = inserted.reduce((s, r) => s + (r.amount === null ? 0 : Number(r.amount)), 0);
    await tx
      .update(recipientLists)
      .set({ status: 'superseded' })
      .where(and(eq(recipientLists.programId, l.programId), eq(recipientLists.period, l.period), eq(recipientLists.status, 'locked')));
    await tx
      .update(recipientLists)
      .set({ status: 'locked', recipientCount: inserted.length, totalAmount: total, decreeNumber: decree, note: note === '' ? null : note, lockedBy: actor.kind === 'staff' ? actor.id : null, lockedAt: opts.now })
      .where(eq(recipientLists.id, l.id));
    await audit(tx, actor, {
      action: 'recipients.lock',
      entity: 'recipient_list',
      entityId: l.id,
      details: { programId: l.programId, period: l.period, version: l.version, recipientCount: inserted.length, totalAmount: total, decree, verified: promoted },
      at: opts.now,
    });
    return { ok: true, count: inserted.length, total };
  });
}

/** Starts version v+1 of the newest locked list of a period, as a draft; the locked one stands until it is locked. */
export async function newVersion(db: Db, actor: Actor, listId: number, opts: { now: Date }): Promise<ListResult<{ listId: number }>> {
  if (!validId(listId)) return refuse('not_found');
  const [l] = await db.select().from(recipientLists).where(eq(recipientLists.id, listId));
  if (!l) return refuse('not_found');
  const program = await programFor(db, actor, l.programId);
  if (!program) return refuse('not_found');
  return db.transaction(async (tx): Promise<ListResult<{ listId: number }>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('recipient_lists'), ${l.programId})`);
    const versions = await versionsOf(tx, l.programId, l.period);
    const draft = versions.find((v) => v.status === 'draft');
    if (draft) return refuse('draft_exists');
    if (l.status !== 'locked') return refuse('not_latest');
    const version = (versions[0]?.version ?? l.version) + 1;
    const [made] = await tx
      .insert(recipientLists)
      .values({ programId: l.programId, period: l.period, version, status: 'draft', createdBy: actor.kind === 'staff' ? actor.id : null, createdAt: opts.now })
      .returning({ id: recipientLists.id });
    await audit(tx, actor, { action: 'recipients.draft', entity: 'recipient_list', entityId: made!.id, details: { programId: l.programId, period: l.period, version, after: l.id }, at: opts.now });
    return { ok: true, listId: made!.id };
  });
}
