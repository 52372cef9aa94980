// Data-quality findings as work (issue 7): listed per kecamatan and kelurahan, assigned, closed, exported.
// Closing comes in two kinds (issue 18, scan.ts): "resolved" (the data was fixed; a scan that still finds the
// problem opens it again) and "accepted" (the record is right as it is, with a reason; the scan leaves it). The same calls serve the console and the API, so scope and audit cannot differ.
//
// Who: reading needs 'reports.read' (admin, supervisor: those who read the office's figures); assigning and
// resolving need 'complaints.assign' (the same people who hand out complaints). Both narrowed to the actor's
// kecamatan; a finding of another kecamatan is told apart from a missing one by nobody (not_found).
// Names, NIK and KK are masked on every read and in the CSV; every read of a list or the CSV is audited.

import { and, asc, count, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { findings, households, kecamatan, kelurahan, members, programs, staffUsers } from '../../../db/schema/index.ts';
import { FINDING_KINDS, FINDING_STATUSES } from '../../../domain/vocabulary.ts';
import { maskIdNumbers, maskIdNumber, maskName } from '../../../domain/mask.ts';
import { csvOf, type Sheet } from '../../../domain/csv.ts';
import { can, Forbidden, type Permission } from '../../access.ts';
import type { Actor } from '../../actor.ts';
import { audit } from '../../audit.ts';
import type { FindingKind } from './scan.ts';
import { areasInScope, type AreaInScope } from '../../areas.ts';

export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const READ_PERMISSION: Permission = 'reports.read';
export const CHANGE_PERMISSION: Permission = 'complaints.assign';

export interface FindingFilter {
  kind?: FindingKind;
  status?: FindingStatus;
  kecamatanId?: number;
  kelurahanId?: number;
}

export interface FindingView {
  id: number;
  kind: FindingKind;
  status: FindingStatus;
  kecamatan: { id: number; name: string } | null;
  kelurahan: { id: number; name: string } | null;
  householdId: number | null;
  /** Masked: the family card number and its head, the member the finding is about. */
  noKk: string | null;
  headName: string | null;
  memberId: number | null;
  memberName: string | null;
  memberNik: string | null;
  program: { id: number; code: string } | null;
  details: Record<string, unknown>;
  assignee: { id: number; name: string } | null;
  resolutionNote: string | null;
  resolvedAt: string | null;
  /** When a scan last opened it again after someone marked it resolved (ISO), if ever. */
  reopenedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export type FindingRefusal = 'not_found' | 'forbidden' | 'invalid_input' | 'invalid_status' | 'note_required';
export type FindingResult = { ok: true; finding: FindingView } | { ok: false; reason: FindingRefusal };

export const MAX_PAGE = 100;
export const MAX_NOTE = 2000;
/** An acceptance's reason is read in lists and exports: a sentence or two, not a report. */
export const MAX_REASON = 500;

function requireRead(actor: Actor): void {
  if (!can(actor, READ_PERMISSION)) throw new Forbidden(READ_PERMISSION);
}

/** The actor's kecamatan; a finding without one (no area known) is for the city-wide desk only. */
function scopeWhere(actor: Pick<Actor, 'kecamatanId'>): SQL | undefined {
  return actor.kecamatanId !== null ? eq(findings.kecamatanId, actor.kecamatanId) : undefined;
}

function where(actor: Actor, f: FindingFilter): SQL | undefined {
  return and(
    scopeWhere(actor),
    f.kind ? eq(findings.kind, f.kind) : undefined,
    f.status ? eq(findings.status, f.status) : undefined,
    f.kecamatanId !== undefined ? eq(findings.kecamatanId, f.kecamatanId) : undefined,
    f.kelurahanId !== undefined ? eq(findings.kelurahanId, f.kelurahanId) : undefined,
  );
}

const staffName = sql<string | null>`(select s.name from staff_users s where s.id = ${findings.assigneeId})`;
const headName = sql<string | null>`(select m.name from members m where m.household_id = ${findings.householdId} order by (m.relationship = 'kepala') desc, m.id limit 1)`;

async function select(db: Db, condition: SQL | undefined, limit?: number): Promise<FindingView[]> {
  const q = db
    .select({
      f: findings,
      kecName: kecamatan.name,
      kelName: kelurahan.name,
      noKk: households.noKk,
      memberName: members.name,
      memberNik: members.nik,
      programCode: programs.code,
      assigneeName: staffName,
      headName,
    })
    .from(findings)
    .leftJoin(kecamatan, eq(kecamatan.id, findings.kecamatanId))
    .leftJoin(kelurahan, eq(kelurahan.id, findings.kelurahanId))
    .leftJoin(households, eq(households.id, findings.householdId))
    .leftJoin(members, eq(members.id, findings.memberId))
    .leftJoin(programs, eq(programs.id, findings.programId))
    .where(condition)
    .orderBy(desc(findings.id));
  const rows = limit !== undefined ? await q.limit(limit) : await q;
  return rows.map((r) => ({
    id: r.f.id,
    kind: r.f.kind,
    status: r.f.status,
    kecamatan: r.f.kecamatanId !== null && r.kecName !== null ? { id: r.f.kecamatanId, name: r.kecName } : null,
    kelurahan: r.f.kelurahanId !== null && r.kelName !== null ? { id: r.f.kelurahanId, name: r.kelName } : null,
    householdId: r.f.householdId,
    noKk: r.noKk ? maskIdNumber(r.noKk) : null,
    headName: r.headName ? maskName(r.headName) : null,
    memberId: r.f.memberId,
    memberName: r.memberName ? maskName(r.memberName) : null,
    memberNik: r.memberNik ? maskIdNumber(r.memberNik) : null,
    program: r.f.programId !== null && r.programCode !== null ? { id: r.f.programId, code: r.programCode } : null,
    details: r.f.details,
    assignee: r.f.assigneeId !== null ? { id: r.f.assigneeId, name: r.assigneeName ?? '' } : null,
    // Staff's own words; a NIK typed into them is masked like everywhere else.
    resolutionNote: r.f.resolutionNote !== null ? maskIdNumbers(r.f.resolutionNote) : null,
    resolvedAt: r.f.resolvedAt ? r.f.resolvedAt.toISOString() : null,
    reopenedAt: typeof r.f.details.reopenedAt === 'string' ? r.f.details.reopenedAt : null,
    firstSeenAt: r.f.firstSeenAt.toISOString(),
    lastSeenAt: r.f.lastSeenAt.toISOString(),
  }));
}

const filterDetails = (f: FindingFilter) => ({ kind: f.kind ?? null, status: f.status ?? null, kecamatanId: f.kecamatanId ?? null, kelurahanId: f.kelurahanId ?? null });

/**
 * One page of findings, newest first; `cursor` is the last id of the previous page. Audited (the rows
 * carry masked personal data and point at families).
 */
export async function listFindings(
  db: Db,
  actor: Actor,
  f: FindingFilter & { cursor?: number; limit?: number } = {},
): Promise<{ items: FindingView[]; nextCursor: number | null }> {
  requireRead(actor);
  const limit = Math.min(Math.max(1, f.limit ?? 50), MAX_PAGE);
  const rows = await select(db, and(where(actor, f), f.cursor !== undefined ? lt(findings.id, f.cursor) : undefined), limit + 1);
  const items = rows.slice(0, limit);
  await audit(db, actor, { action: 'finding.list', entity: 'finding', details: { ...filterDetails(f), cursor: f.cursor ?? null, count: items.length } });
  return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
}

export interface FindingCounts {
  byKind: Record<FindingKind, number>;
  byArea: { kecamatanId: number | null; kecamatan: string | null; kelurahanId: number | null; kelurahan: string | null; count: number }[];
}

/** How many findings per kind and per kecamatan/kelurahan under the filter (kind excluded for byKind). Figures only: not audited. */
export async function findingCounts(db: Db, actor: Actor, f: FindingFilter = {}): Promise<FindingCounts> {
  requireRead(actor);
  const kinds = await db
    .select({ kind: findings.kind, n: count() })
    .from(findings)
    .where(where(actor, { ...f, kind: undefined }))
    .groupBy(findings.kind);
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const k of kinds) byKind[k.kind] = Number(k.n);
  const areas = await db
    .select({ kecamatanId: findings.kecamatanId, kecamatan: kecamatan.name, kelurahanId: findings.kelurahanId, kelurahan: kelurahan.name, count: count() })
    .from(findings)
    .leftJoin(kecamatan, eq(kecamatan.id, findings.kecamatanId))
    .leftJoin(kelurahan, eq(kelurahan.id, findings.kelurahanId))
    .where(where(actor, f))
    .groupBy(findings.kecamatanId, kecamatan.name, findings.kelurahanId, kelurahan.name)
    .orderBy(asc(kecamatan.name), asc(kelurahan.name));
  return { byKind, byArea: areas.map((a) => ({ ...a, count: Number(a.count) })) };
}

/** The kecamatan in scope and their kelurahan, for filters. */
export async function findingAreas(db: Db, actor: Actor): Promise<AreaInScope[]> {
  requireRead(actor);
  return areasInScope(db, actor);
}

/** Loads and locks a finding in the actor's scope for a change. */
async function loadForChange(tx: Db, actor: Actor, id: number) {
  const [row] = await tx
    .select()
    .from(findings)
    .where(and(scopeWhere(actor), eq(findings.id, id)))
    .for('update');
  return row ?? null;
}

/**
 * Gives an open finding to a staff member: active, able to read findings, and whose kecamatan covers the
 * finding's (a city-wide member covers all).
 */
export async function assignFinding(db: Db, actor: Actor, id: number, staffId: number, opts: { now: Date }): Promise<FindingResult> {
  if (!can(actor, READ_PERMISSION)) return { ok: false, reason: 'forbidden' };
  const result = await db.transaction(async (tx): Promise<{ ok: true } | { ok: false; reason: FindingRefusal }> => {
    const f = await loadForChange(tx, actor, id);
    if (!f) return { ok: false, reason: 'not_found' };
    if (!can(actor, CHANGE_PERMISSION)) return { ok: false, reason: 'forbidden' };
    if (f.status !== 'open') return { ok: false, reason: 'invalid_status' };
    const [s] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId));
    if (!s || !s.active || !can(s, READ_PERMISSION) || (s.kecamatanId !== null && s.kecamatanId !== f.kecamatanId)) return { ok: false, reason: 'invalid_input' };
    await tx.update(findings).set({ assigneeId: staffId }).where(eq(findings.id, id));
    await audit(tx, actor, { action: 'finding.assign', entity: 'finding', entityId: id, details: { from: f.assigneeId, to: staffId }, at: opts.now });
    return { ok: true };
  });
  return done(db, id, result);
}

/**
 * Closes an open finding as fixed, with the staff member's note of what was done (required). If the data
 * was not in fact fixed, the next scan opens it again (scan.ts).
 */
export async function resolveFinding(db: Db, actor: Actor, id: number, note: string, opts: { now: Date }): Promise<FindingResult> {
  return close(db, actor, id, { status: 'resolved', text: note.trim(), max: MAX_NOTE, action: 'finding.resolve' }, opts);
}

/**
 * Closes an open finding as "right as it is" (the family really does receive both programs, the shared
 * phone is a parent's): the reason is required and at most MAX_REASON characters; the scan respects it.
 * Refusals reuse the resolve ones: note_required for an empty reason, invalid_input for one too long.
 */
export async function acceptFinding(db: Db, actor: Actor, id: number, reason: string, opts: { now: Date }): Promise<FindingResult> {
  return close(db, actor, id, { status: 'accepted', text: reason.trim(), max: MAX_REASON, action: 'finding.accept' }, opts);
}

async function close(
  db: Db,
  actor: Actor,
  id: number,
  how: { status: Exclude<FindingStatus, 'open'>; text: string; max: number; action: string },
  opts: { now: Date },
): Promise<FindingResult> {
  if (!can(actor, READ_PERMISSION)) return { ok: false, reason: 'forbidden' };
  const { text } = how;
  const result = await db.transaction(async (tx): Promise<{ ok: true } | { ok: false; reason: FindingRefusal }> => {
    const f = await loadForChange(tx, actor, id);
    if (!f) return { ok: false, reason: 'not_found' };
    if (!can(actor, CHANGE_PERMISSION)) return { ok: false, reason: 'forbidden' };
    if (text.length === 0) return { ok: false, reason: 'note_required' };
    if (text.length > how.max) return { ok: false, reason: 'invalid_input' };
    if (f.status !== 'open') return { ok: false, reason: 'invalid_status' };
    await tx
      .update(findings)
      .set({ status: how.status, resolutionNote: text, resolvedBy: actor.kind === 'staff' ? actor.id : null, resolvedAt: opts.now })
      .where(eq(findings.id, id));
    // The note is staff's own words about a family: its length, not its text, goes to the log.
    await audit(tx, actor, { action: how.action, entity: 'finding', entityId: id, details: { kind: f.kind, noteLength: text.length }, at: opts.now });
    return { ok: true };
  });
  return done(db, id, result);
}

async function done(db: Db, id: number, result: { ok: true } | { ok: false; reason: FindingRefusal }): Promise<FindingResult> {
  if (!result.ok) return result;
  const [finding] = await select(db, eq(findings.id, id), 1);
  return { ok: true, finding: finding! };
}

export const CSV_COLUMNS = [
  'id',
  'jenis',
  'status',
  'kecamatan',
  'kelurahan',
  'no_kk',
  'kepala_keluarga',
  'nama_anggota',
  'nik_anggota',
  'program',
  'keterangan',
  'petugas',
  'catatan_penyelesaian',
  'pertama_ditemukan',
  'terakhir_ditemukan',
  'diselesaikan',
] as const;

/** Details as a short "key=value; …" cell: only ids, codes and numbers are ever stored there. */
const detailsCell = (d: Record<string, unknown>) =>
  Object.entries(d)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(' ') : String(v)}`)
    .join('; ');

/**
 * Every finding under the filter as CSV (UTF-8 with BOM, CRLF, masked as on screen). `kindLabel` turns a
 * kind into the reader's words. Audited as an export with its row count.
 */
export async function findingsCsv(db: Db, actor: Actor, f: FindingFilter = {}, kindLabel: (k: FindingKind) => string = (k) => k): Promise<{ sheet: Sheet; csv: string; count: number }> {
  requireRead(actor);
  const rows = await select(db, where(actor, f));
  await audit(db, actor, { action: 'finding.export', entity: 'finding', details: { ...filterDetails(f), count: rows.length } });
  const cells = rows.map((r) => [
    r.id,
    kindLabel(r.kind),
    r.status,
    r.kecamatan?.name,
    r.kelurahan?.name,
    r.noKk,
    r.headName,
    r.memberName,
    r.memberNik,
    r.program?.code,
    detailsCell(r.details),
    r.assignee?.name,
    r.resolutionNote,
    r.firstSeenAt,
    r.lastSeenAt,
    r.resolvedAt,
  ]);
  const sheet: Sheet = { header: CSV_COLUMNS, rows: cells };
  return { sheet, csv: csvOf(sheet), count: rows.length };
}
