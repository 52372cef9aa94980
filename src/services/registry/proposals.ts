// Proposals out to verification (issue 7): usulan (in need but not registered), sanggahan (receives but
// should not) and data corrections filed by residents, exported in the shape the kelurahan verification
// meeting (musyawarah kelurahan) and the DTSEN update use, and the meeting's outcome read back in, which
// tells each resident the result on their own channel.
//
// The export carries FULL NIK and KK numbers on purpose: the meeting checks the person against the
// registry and DTSEN, which a masked number cannot do. It is therefore limited to staff who read reports or
// every complaint of their scope, narrowed by the complaint scope rule, and every export is audited with
// its row count. Everywhere else in the console these numbers stay masked.

import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { attachments, complaintEvents, complaints, contacts, households, kecamatan, kelurahan, members } from '../../db/schema/index.ts';
import { proposalOutcomeText } from '../../messages/notices/proposal-outcome.ts';
import { asNotice } from '../../messages/window.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import { todayIn } from '../../domain/dates.ts';
import { maskIdNumbers, maskName } from '../../domain/mask.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { readCsv, type CsvRecord } from './import/csv.ts';
import { loadResources, pickLocale, type Translator } from '../../i18n.ts';
import { proposalVerdicts } from '../field/verdicts.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { can, Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit as writeAudit } from '../audit.ts';
import { replyToResident } from '../complaints/lifecycle.ts';
import { canSee, contactOf, DEFAULT_TIME_ZONE, replyBlocked, scopeWhere, staffIdOf, type ComplaintRow } from '../complaints/shared.ts';
import { csvOf, type Sheet } from '../../domain/csv.ts';
import { areasInScope, type AreaInScope } from '../areas.ts';

export const PROPOSAL_CATEGORIES = ['usulan', 'sanggahan', 'wrong_data'] as const;
export type ProposalCategory = (typeof PROPOSAL_CATEGORIES)[number];

/** The word the meeting's sheet uses for each kind. */
export const JENIS: Record<ProposalCategory, string> = { usulan: 'usulan', sanggahan: 'sanggahan', wrong_data: 'perbaikan_data' };

export const PROPOSAL_COLUMNS = [
  'nomor_laporan',
  'jenis',
  'nik',
  'no_kk',
  'nama',
  'alamat',
  'rt',
  'rw',
  'kelurahan',
  'kecamatan',
  'alasan',
  'bukti',
  'diusulkan_oleh',
  'tanggal',
  // What the field worker found at the house before the meeting (issue 19), when a visit was made.
  'hasil_lapangan',
] as const;

/**
 * Who runs an export or an import: a staff member or API token, or the server's own CLI (`system`), which
 * whoever holds the server already is, so it is checked as a city-wide admin and audited as the system.
 */
export type ProposalActor = Actor | { kind: 'system' };

const SYSTEM_CHECKS: Actor = { kind: 'api', id: 0, role: 'admin', kecamatanId: null, bidang: null };
const checksOf = (a: ProposalActor): Actor => (a.kind === 'system' ? SYSTEM_CHECKS : a);

export interface ProposalFilter {
  kecamatanId?: number;
  kelurahanId?: number;
  /** Local calendar dates (YYYY-MM-DD) in timeZone, both inclusive, of when the report was filed. */
  from?: string;
  to?: string;
  categories?: readonly ProposalCategory[];
  /** APP_TIMEZONE: how `from`, `to` and the `tanggal` column are read. */
  timeZone?: string;
  /** Prepended to the attachment links (the console's origin), so the sheet's links open from a laptop. */
  baseUrl?: string;
}

export interface ProposalRow {
  complaintId: number;
  nomor_laporan: string;
  jenis: string;
  nik: string;
  no_kk: string;
  nama: string;
  alamat: string;
  rt: string;
  rw: string;
  kelurahan: string;
  kecamatan: string;
  alasan: string;
  bukti: string[];
  diusulkan_oleh: string;
  tanggal: string;
  hasil_lapangan: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Who may take proposals out: report readers and those who see every complaint of their scope. */
function requireReader(actor: Actor): void {
  if (!can(actor, 'reports.read') && !can(actor, 'complaints.read_scope')) throw new Forbidden('reports.read');
}

function readerScope(actor: Actor): SQL | undefined {
  return can(actor, 'reports.read') ? scopeWhere(actor, { queue: false }) : scopeWhere(actor, { queue: true });
}

/** Whether the registry member on the complaint is the person the proposal is about (not just who filed it). */
const memberIsSubject = (category: string, details: Record<string, unknown>) => category === 'wrong_data' || (category === 'usulan' && details.forWhom === 'self');

function conditions(actor: Actor, f: ProposalFilter): SQL | undefined {
  const timeZone = f.timeZone ?? DEFAULT_TIME_ZONE;
  const categories = (f.categories?.length ? f.categories : PROPOSAL_CATEGORIES).filter((c) => (PROPOSAL_CATEGORIES as readonly string[]).includes(c));
  const localDay = sql`(${complaints.createdAt} at time zone ${timeZone})::date`;
  return and(
    readerScope(actor),
    categories.length > 0 ? inArray(complaints.category, categories) : sql`false`,
    f.kecamatanId !== undefined ? eq(complaints.kecamatanId, f.kecamatanId) : undefined,
    // A kelurahan is known only when the proposal is about the verified resident's own family.
    f.kelurahanId !== undefined
      ? and(eq(households.kelurahanId, f.kelurahanId), or(eq(complaints.category, 'wrong_data'), and(eq(complaints.category, 'usulan'), sql`${complaints.details}->>'forWhom' = 'self'`)))
      : undefined,
    f.from && ISO_DAY.test(f.from) ? sql`${localDay} >= ${f.from}::date` : undefined,
    f.to && ISO_DAY.test(f.to) ? sql`${localDay} <= ${f.to}::date` : undefined,
  );
}

/** How many proposals the filter finds: no personal data, so no audit row. */
export async function proposalCount(db: Db, who: ProposalActor, f: ProposalFilter = {}): Promise<number> {
  const actor = checksOf(who);
  requireReader(actor);
  const [r] = await db
    .select({ n: count() })
    .from(complaints)
    .leftJoin(members, eq(members.id, complaints.memberId))
    .leftJoin(households, eq(households.id, members.householdId))
    .where(conditions(actor, f));
  return r?.n ?? 0;
}

let whatLabels: Record<string, string> | undefined;

/** The Indonesian wording of a data correction's "what is wrong" option, as the resident picked it. */
function whatLabel(what: unknown): string {
  if (!whatLabels) {
    const ns = loadResources().id?.complaint as { fields?: { wrong_data?: { what?: { options?: Record<string, string> } } } } | undefined;
    whatLabels = ns?.fields?.wrong_data?.what?.options ?? {};
  }
  return typeof what === 'string' ? (whatLabels[what] ?? what) : '';
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const nikOf = (v: unknown): string => (typeof v === 'string' && /^\d{16}$/.test(v) ? v : '');

function reasonOf(category: string, d: Record<string, unknown>): string {
  if (category === 'usulan') return text(d.situation);
  if (category === 'sanggahan') {
    const program = text(d.program);
    return [text(d.reason), program && program !== 'unknown' ? `Program: ${program}` : ''].filter(Boolean).join(' — ');
  }
  return [whatLabel(d.what), text(d.detail)].filter(Boolean).join(': ');
}

async function selectRows(db: Db, actor: Actor, f: ProposalFilter): Promise<ProposalRow[]> {
  const timeZone = f.timeZone ?? DEFAULT_TIME_ZONE;
  const base = (f.baseUrl ?? '').replace(/\/+$/, '');
  const rows = await db
    .select({
      id: complaints.id,
      trackingId: complaints.trackingId,
      category: complaints.category,
      details: complaints.details,
      anonymous: complaints.anonymous,
      createdAt: complaints.createdAt,
      kecamatanName: kecamatan.name,
      memberNik: members.nik,
      memberName: members.name,
      noKk: households.noKk,
      address: households.address,
      rt: households.rt,
      rw: households.rw,
      kelurahanName: kelurahan.name,
      contactName: contacts.displayName,
    })
    .from(complaints)
    .leftJoin(members, eq(members.id, complaints.memberId))
    .leftJoin(households, eq(households.id, members.householdId))
    .leftJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .leftJoin(kecamatan, eq(kecamatan.id, complaints.kecamatanId))
    .leftJoin(contacts, eq(contacts.id, complaints.contactId))
    .where(conditions(actor, f))
    .orderBy(asc(complaints.createdAt), asc(complaints.id));

  const ids = rows.map((r) => r.id);
  const files = new Map<number, number[]>();
  if (ids.length > 0) {
    const stored = await db
      .select({ id: attachments.id, complaintId: attachments.complaintId })
      .from(attachments)
      .where(and(inArray(attachments.complaintId, ids), eq(attachments.status, 'stored')))
      .orderBy(asc(attachments.id));
    for (const a of stored) files.set(a.complaintId!, [...(files.get(a.complaintId!) ?? []), a.id]);
  }

  const verdicts = await proposalVerdicts(db, ids);
  return rows.map((r) => {
    const d = r.details ?? {};
    const subject = memberIsSubject(r.category, d) && r.memberNik !== null;
    const reporter = r.memberName ?? r.contactName;
    return {
      complaintId: r.id,
      nomor_laporan: r.trackingId,
      jenis: JENIS[r.category as ProposalCategory],
      nik: subject ? r.memberNik! : r.category === 'sanggahan' ? '' : nikOf(d.nik),
      no_kk: subject ? (r.noKk ?? '') : '',
      nama: subject ? r.memberName! : text(r.category === 'sanggahan' ? d.who : d.name),
      alamat: subject ? (r.address ?? '') : text(d.address),
      rt: subject ? (r.rt ?? '') : '',
      rw: subject ? (r.rw ?? '') : '',
      kelurahan: subject ? (r.kelurahanName ?? '') : '',
      kecamatan: r.kecamatanName ?? '',
      alasan: reasonOf(r.category, d),
      bukti: (files.get(r.id) ?? []).map((a) => `${base}/console/complaints/${r.id}/attachments/${a}`),
      // The reporter of an anonymous report stays hidden even here; revealing them is a separate act.
      diusulkan_oleh: r.anonymous ? 'anonim' : reporter ? maskName(reporter) : '',
      tanggal: todayIn(timeZone, r.createdAt),
      hasil_lapangan: verdicts.get(r.id) ?? '',
    };
  });
}


/** The proposals the actor may take out, as rows of the meeting's sheet. Audited as a read of personal data. */
export async function proposalRows(db: Db, who: ProposalActor, f: ProposalFilter = {}): Promise<ProposalRow[]> {
  const actor = checksOf(who);
  requireReader(actor);
  const rows = await selectRows(db, actor, f);
  await auditExport(db, who, 'proposal.read', f, rows.length);
  return rows;
}

async function auditExport(db: Db, who: ProposalActor, action: string, f: ProposalFilter, rowCount: number): Promise<void> {
  await writeAudit(db, who, {
    action,
    entity: 'complaint',
    details: {
      rowCount,
      unmaskedIdNumbers: true,
      kecamatanId: f.kecamatanId ?? null,
      kelurahanId: f.kelurahanId ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      categories: [...(f.categories ?? PROPOSAL_CATEGORIES)],
    },
  });
}

/**
 * The meeting's sheet: UTF-8 with a BOM (so Excel shows Indonesian names right), CRLF lines, every cell that
 * holds a comma or semicolon quoted, and no text a spreadsheet could read as a formula (domain/csv.ts). The
 * same `sheet` goes out as XLSX (services/exports). NIK and KK are the plain 16 digits, in full (see the top
 * of this file). Audited as an export, with the row count.
 */
export async function proposalsCsv(db: Db, who: ProposalActor, f: ProposalFilter = {}): Promise<{ sheet: Sheet; csv: string; count: number }> {
  const actor = checksOf(who);
  requireReader(actor);
  const rows = await selectRows(db, actor, f);
  await auditExport(db, who, 'proposal.export', f, rows.length);
  const sheet: Sheet = { header: PROPOSAL_COLUMNS, rows: rows.map((r) => PROPOSAL_COLUMNS.map((k) => (k === 'bukti' ? r.bukti.join(' ') : r[k]))) };
  return { sheet, csv: csvOf(sheet), count: rows.length };
}

/** The kecamatan in the actor's scope and their kelurahan, for the console's filters. */
export async function proposalAreas(db: Db, who: ProposalActor): Promise<AreaInScope[]> {
  const actor = checksOf(who);
  requireReader(actor);
  return areasInScope(db, actor);
}

// ---- the meeting's outcome, read back ------------------------------------------------------------------

export const OUTCOMES = ['diterima', 'ditolak', 'perlu_data'] as const;
export type ProposalOutcome = (typeof OUTCOMES)[number];

const OUTCOME_SPELLINGS: Record<string, ProposalOutcome> = {};
for (const [outcome, words] of Object.entries({
  diterima: ['diterima', 'terima', 'ditrima', 'diterma', 'disetujui', 'setuju', 'layak', 'accepted', 'accept', 'approved', 'yes', 'ya'],
  ditolak: ['ditolak', 'tolak', 'ditolah', 'tidak diterima', 'tidak layak', 'tidaklayak', 'rejected', 'reject', 'denied', 'no', 'tidak'],
  perlu_data: ['perlu data', 'perlu_data', 'perludata', 'perlu-data', 'kurang data', 'data kurang', 'perlu dilengkapi', 'dilengkapi', 'lengkapi data', 'needs data', 'need data', 'more data', 'incomplete'],
}) as [ProposalOutcome, string[]][]) {
  for (const w of words) OUTCOME_SPELLINGS[w.replace(/[\s_-]+/g, ' ')] = outcome;
}

/** 'Diterima', ' DITOLAK ', 'perlu-data', 'Accepted' → the outcome; anything else → null. */
export function parseOutcome(raw: string): ProposalOutcome | null {
  const key = raw.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  return OUTCOME_SPELLINGS[key] ?? null;
}

export type OutcomeSkipReason = 'bad_header' | 'unreadable' | 'missing_tracking_id' | 'not_found' | 'not_proposal' | 'unknown_outcome' | 'duplicate';

export interface OutcomeReport {
  applied: { line: number; trackingId: string; outcome: ProposalOutcome; notified: boolean }[];
  /** The same outcome was already recorded (the file imported again): nothing changed, nobody told twice. */
  unchanged: { line: number; trackingId: string }[];
  skipped: { line: number; trackingId: string | null; reason: OutcomeSkipReason }[];
}

export interface OutcomeImportOptions {
  now: Date;
  timeZone: string;
  i18n: Translator;
  defaultLocale: Locale;
}

/** What details.verificationOutcome holds. */
export interface VerificationOutcome {
  outcome: ProposalOutcome;
  note: string;
  at: string;
  staffId: number | null;
  notified: boolean;
}

const HEADER_NAMES = {
  trackingId: ['nomor_laporan', 'nomor laporan', 'no_laporan', 'tracking_id', 'trackingid'],
  outcome: ['hasil', 'outcome', 'result'],
  note: ['catatan', 'keterangan', 'note', 'notes'],
};

interface Parsed {
  line: number;
  trackingId: string | null;
  outcome: ProposalOutcome | null;
  note: string;
  error?: OutcomeSkipReason;
}

async function* chunksOf(input: string | AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array | string> {
  if (typeof input === 'string') yield input;
  else yield* input;
}

/**
 * Reads the meeting's answer sheet (`nomor_laporan,hasil,catatan`; comma or semicolon, with or without a
 * BOM) and records each valid row: a note on the complaint, details.verificationOutcome, and a message to
 * the resident in their language on their channel, all in one transaction per row. Bad rows are reported
 * with their line and reason and change nothing. A row whose outcome is already recorded is left alone,
 * so importing the same file twice tells each resident once.
 */
export async function importProposalOutcomes(
  db: Db,
  who: ProposalActor,
  input: string | AsyncIterable<Uint8Array | string>,
  opts: OutcomeImportOptions,
): Promise<OutcomeReport> {
  const actor = checksOf(who);
  requireReader(actor);
  if (!can(actor, 'complaints.work')) throw new Forbidden('complaints.work');
  const report: OutcomeReport = { applied: [], unchanged: [], skipped: [] };

  const parsed: Parsed[] = [];
  let columns: { trackingId: number; outcome: number; note: number } | null = null;
  for await (const rec of readCsv(chunksOf(input))) {
    if (!columns) {
      columns = headerOf(rec);
      if (!columns) {
        report.skipped.push({ line: rec.line, trackingId: null, reason: 'bad_header' });
        return report;
      }
      continue;
    }
    parsed.push(parseRow(rec, columns));
  }

  // A complaint named twice in one sheet has no single answer: every row of it is refused.
  const seen = new Map<string, number>();
  for (const p of parsed) if (p.trackingId && !p.error) seen.set(p.trackingId, (seen.get(p.trackingId) ?? 0) + 1);

  for (const p of parsed) {
    if (p.error) {
      report.skipped.push({ line: p.line, trackingId: p.trackingId, reason: p.error });
      continue;
    }
    if ((seen.get(p.trackingId!) ?? 0) > 1) {
      report.skipped.push({ line: p.line, trackingId: p.trackingId, reason: 'duplicate' });
      continue;
    }
    const r = await applyOne(db, who, actor, p as Parsed & { trackingId: string; outcome: ProposalOutcome }, opts);
    if (r.kind === 'applied') report.applied.push({ line: p.line, trackingId: p.trackingId!, outcome: p.outcome!, notified: r.notified });
    else if (r.kind === 'unchanged') report.unchanged.push({ line: p.line, trackingId: p.trackingId! });
    else report.skipped.push({ line: p.line, trackingId: p.trackingId, reason: r.reason });
  }
  await writeAudit(db, who, {
    action: 'proposal.outcomes_import',
    entity: 'complaint',
    details: { appliedCount: report.applied.length, unchangedCount: report.unchanged.length, skippedCount: report.skipped.length },
    at: opts.now,
  });
  return report;
}

function headerOf(rec: CsvRecord): { trackingId: number; outcome: number; note: number } | null {
  if (rec.error) return null;
  const names = rec.fields.map((f) => f.trim().toLowerCase());
  const find = (options: string[]) => names.findIndex((n) => options.includes(n));
  const trackingId = find(HEADER_NAMES.trackingId);
  const outcome = find(HEADER_NAMES.outcome);
  if (trackingId < 0 || outcome < 0) return null;
  return { trackingId, outcome, note: find(HEADER_NAMES.note) };
}

function parseRow(rec: CsvRecord, cols: { trackingId: number; outcome: number; note: number }): Parsed {
  if (rec.error) return { line: rec.line, trackingId: null, outcome: null, note: '', error: 'unreadable' };
  const rawId = (rec.fields[cols.trackingId] ?? '').trim();
  const trackingId = rawId === '' ? null : (normalizeTrackingId(rawId) ?? rawId.toUpperCase().slice(0, 40));
  // Stored on the complaint and sent to the resident: a NIK or KK typed in the meeting's remark stays masked.
  const note = cols.note >= 0 ? maskIdNumbers((rec.fields[cols.note] ?? '').trim()).slice(0, 1000) : '';
  if (!trackingId) return { line: rec.line, trackingId: null, outcome: null, note, error: 'missing_tracking_id' };
  const outcome = parseOutcome(rec.fields[cols.outcome] ?? '');
  if (!outcome) return { line: rec.line, trackingId, outcome: null, note, error: 'unknown_outcome' };
  return { line: rec.line, trackingId, outcome, note };
}

type Applied = { kind: 'applied'; notified: boolean } | { kind: 'unchanged' } | { kind: 'skipped'; reason: OutcomeSkipReason };

async function applyOne(db: Db, who: ProposalActor, actor: Actor, p: Parsed & { trackingId: string; outcome: ProposalOutcome }, opts: OutcomeImportOptions): Promise<Applied> {
  return db.transaction(async (tx): Promise<Applied> => {
    const [c] = await tx.select().from(complaints).where(eq(complaints.trackingId, p.trackingId)).for('update');
    // Out of scope reads the same as unknown: tracking ids of other kecamatan cannot be probed this way.
    if (!c || !canSee(actor, c)) return { kind: 'skipped', reason: 'not_found' };
    if (!(PROPOSAL_CATEGORIES as readonly string[]).includes(c.category)) return { kind: 'skipped', reason: 'not_proposal' };
    const prev = (c.details ?? {}).verificationOutcome as Partial<VerificationOutcome> | undefined;
    if (prev && prev.outcome === p.outcome && (prev.note ?? '') === p.note) return { kind: 'unchanged' };

    const notified = await tellResident(tx, actor, c, p, opts);
    const outcome: VerificationOutcome = { outcome: p.outcome, note: p.note, at: opts.now.toISOString(), staffId: staffIdOf(actor), notified };
    await tx
      .update(complaints)
      .set({ details: { ...(c.details ?? {}), verificationOutcome: outcome }, updatedAt: opts.now })
      .where(eq(complaints.id, c.id));
    const t = opts.i18n.getFixedT(opts.defaultLocale);
    await tx.insert(complaintEvents).values({
      complaintId: c.id,
      kind: 'note',
      staffId: staffIdOf(actor),
      body: [t('proposals:note', { outcome: t(`proposals:outcomes.${p.outcome}`) }), p.note].filter(Boolean).join('\n'),
      createdAt: opts.now,
    });
    await writeAudit(tx, who, { action: 'proposal.outcome', entity: 'complaint', entityId: c.id, details: { outcome: p.outcome, notified }, at: opts.now });
    return { kind: 'applied', notified };
  });
}

/**
 * The result in the resident's language on their channel. An open complaint is answered through the
 * lifecycle (it becomes 'answered' and closes itself later); a closed one, or one free text cannot reach
 * now (WhatsApp Cloud outside 24 hours: the notice template instead), is told directly through the outbox.
 * False when the resident cannot be reached at all.
 */
async function tellResident(tx: Db, actor: Actor, c: ComplaintRow, p: { trackingId: string; outcome: ProposalOutcome; note: string }, opts: OutcomeImportOptions): Promise<boolean> {
  const contact = await contactOf(tx, c.contactId);
  if (!contact || contact.unreachableAt) return false;
  const t = opts.i18n.getFixedT(pickLocale(contact.language, opts.defaultLocale));
  const body = proposalOutcomeText(t, { trackingId: c.trackingId, category: c.category, outcome: p.outcome, note: p.note });

  const replyable = ['verified', 'in_progress', 'reopened', 'answered'].includes(c.status) && replyBlocked(contact, opts.now) === null;
  if (replyable) {
    const sent = await replyToResident(tx, actor, c.id, { text: body, now: opts.now, timeZone: opts.timeZone });
    if (sent.ok) return true;
  }
  const message = asNotice({ text: body }, contact, opts.now, [c.trackingId]);
  const staffId = staffIdOf(actor);
  await enqueue(tx, { contactId: contact.id, channel: contact.channel, messages: [message], priority: 'reply', complaintId: c.id, ...(staffId !== null ? { staffId } : {}) });
  await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'message_out', staffId, body, createdAt: opts.now });
  return true;
}
