import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { disbursementFiles, disbursements, households, kecamatan, kelurahan, members, programs } from '../../db/schema/index.ts';
import { maskIdNumber, maskName } from '../../domain/mask.ts';
import type { DisbursementStatus } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { NOTE_MAX, requireWorker, type WorkRefusal } from './shared.ts';

// Failed and returned transfers as work for staff (issue 20): the open ones of the reader's kecamatan (all of
// them for a city-wide account), masked, with the bank's reason and whether the family was told; and "Selesai"
// with a note of what was done. Every read of the list is audited, since it names families; a line outside the
// reader's kecamatan reads as missing.

export const LIST_LIMIT = 500;

export interface FailedTransferRow {
  id: number;
  programCode: string;
  programName: string;
  period: string;
  status: Exclude<DisbursementStatus, 'transferred'>;
  amount: number;
  transferDate: string;
  reason: string | null;
  referenceMasked: string | null;
  /** The member's NIK for a person program, else the head's; masked. */
  nikMasked: string | null;
  noKkMasked: string;
  nameMasked: string | null;
  kelurahan: string;
  kecamatan: string;
  source: string;
  /** When the family was told; null: no chat is linked to the family, so someone must reach it another way. */
  notifiedAt: Date | null;
  workStatus: 'open' | 'resolved';
  resolution: string | null;
  resolvedAt: Date | null;
}

export interface FailedFilter {
  workStatus?: 'open' | 'resolved';
}

/**
 * The actor's scope over failed transfers: their kecamatan (the family's, copied at import) and their bidang
 * (the program's), as for complaints. The program is read by id so no join is needed where none is made.
 */
const scopeOf = (actor: Actor): SQL | undefined =>
  and(
    actor.kecamatanId === null ? undefined : eq(disbursements.kecamatanId, actor.kecamatanId),
    actor.bidang === null ? undefined : sql`${disbursements.programId} in (select id from ${programs} where bidang = ${actor.bidang})`,
  );

/** The head (kepala) first, as the family's name on a list of families. */
const who = sql<{ nik: string; name: string } | null>`(
  select json_build_object('nik', m.nik, 'name', m.name) from ${members} m
  where m.id = ${disbursements.memberId} or (${disbursements.memberId} is null and m.household_id = ${disbursements.householdId})
  order by m.id = ${disbursements.memberId} desc, (m.relationship = 'kepala') desc, m.id limit 1)`;

export async function listFailed(db: Db, actor: Actor, filter: FailedFilter = {}, opts: { now: Date }): Promise<FailedTransferRow[]> {
  requireWorker(actor);
  const workStatus = filter.workStatus ?? 'open';
  const rows = await db
    .select({
      id: disbursements.id,
      programCode: programs.code,
      programName: programs.name,
      period: disbursements.period,
      status: disbursements.status,
      amount: disbursements.amount,
      transferDate: disbursements.transferDate,
      reason: disbursements.reason,
      referenceMasked: disbursements.referenceMasked,
      who,
      noKk: households.noKk,
      kelurahan: kelurahan.name,
      kecamatan: kecamatan.name,
      source: disbursementFiles.source,
      notifiedAt: disbursements.notifiedAt,
      workStatus: disbursements.workStatus,
      resolution: disbursements.resolution,
      resolvedAt: disbursements.resolvedAt,
    })
    .from(disbursements)
    .innerJoin(programs, eq(programs.id, disbursements.programId))
    .innerJoin(disbursementFiles, eq(disbursementFiles.id, disbursements.fileId))
    .innerJoin(households, eq(households.id, disbursements.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .where(and(eq(disbursements.workStatus, workStatus), scopeOf(actor)))
    .orderBy(desc(disbursements.transferDate), desc(disbursements.id))
    .limit(LIST_LIMIT);
  await audit(db, actor, { action: 'disbursement.failed_read', entity: 'disbursement', details: { workStatus, rowCount: rows.length }, at: opts.now });
  return rows.map(({ who: w, noKk, ...r }) => {
    const person = typeof w === 'string' ? (JSON.parse(w) as { nik: string; name: string }) : w;
    return {
      ...r,
      status: r.status as FailedTransferRow['status'],
      workStatus: r.workStatus as FailedTransferRow['workStatus'],
      nikMasked: person ? maskIdNumber(person.nik) : null,
      nameMasked: person ? maskName(person.name) : null,
      noKkMasked: maskIdNumber(noKk),
    };
  });
}

/** How many open failed transfers the actor's scope holds, for the work home; null when the actor works none. */
export async function countOpenFailed(db: Db, actor: Actor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(disbursements)
    .where(and(eq(disbursements.workStatus, 'open'), scopeOf(actor)));
  return Number(row?.n ?? 0);
}

export type ResolveResult = { ok: true } | { ok: false; reason: WorkRefusal };

/** "Selesai": the transfer is settled (the account fixed and the money sent again, collected at the bank…). */
export async function resolveFailed(db: Db, actor: Actor, id: number, note: string, opts: { now: Date }): Promise<ResolveResult> {
  requireWorker(actor);
  const text = note.trim();
  if (text === '') return { ok: false, reason: 'note_required' };
  if (text.length > NOTE_MAX) return { ok: false, reason: 'note_too_long' };
  return db.transaction(async (tx): Promise<ResolveResult> => {
    const [row] = await tx
      .select({ id: disbursements.id, workStatus: disbursements.workStatus })
      .from(disbursements)
      .where(and(eq(disbursements.id, id), scopeOf(actor)))
      .for('update');
    // Out of scope answers as if it were not there.
    if (!row || row.workStatus === null) return { ok: false, reason: 'not_found' };
    if (row.workStatus === 'resolved') return { ok: false, reason: 'already_resolved' };
    await tx
      .update(disbursements)
      .set({ workStatus: 'resolved', resolution: text, resolvedAt: opts.now, resolvedBy: actor.kind === 'staff' ? actor.id : null })
      .where(eq(disbursements.id, id));
    await audit(tx, actor, { action: 'disbursement.resolve', entity: 'disbursement', entityId: id, details: { noteLength: text.length }, at: opts.now });
    return { ok: true };
  });
}
