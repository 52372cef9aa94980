// Complaint photos and other files residents send, from the chat to the officer's screen. Filing a complaint
// records one `attachments` row per file (pending, with the provider's file id); a job fetches the bytes
// through the channel's fetcher (src/channels/*/media.ts) and keeps them in `attachment_blobs`, deduplicated
// by hash, so every process serves them without a shared disk. Staff read them through the complaint, with
// the complaint's own scope rule and an audit row per read.

import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { attachmentBlobs, attachments, contacts } from '../../db/schema/index.ts';
import { ATTACHMENT_STATUSES, type Channel } from '../../domain/vocabulary.ts';
import { readyFetchers, type MediaFetcher } from './media-fetcher.ts';
import { contentProblem, declaredProblem, REFUSED, sniffType } from '../../domain/attachments.ts';
import type { Actor } from '../actor.ts';
import { audit, loadVisible } from './shared.ts';

export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Tries per file, the first included; then it is failed with the last reason. */
export const MAX_FETCH_ATTEMPTS = 5;
/** Waits after the 1st, 2nd, 3rd, 4th failed try: a provider's bad hour is ridden out, a lost file is not chased for days. */
const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A claimed row is left alone this long; a process that dies mid-download gives it back this way. */
const LEASE_MS = 5 * 60_000;

/** A file as the conversation recorded it (flows/complaint.ts `photos`). */
export interface MediaMeta {
  mimeType: string;
  fileName?: string;
  size?: number;
  ref?: string;
}

/** Reads `details.photos` as the complaint flow writes it; anything malformed is left out. */
export function mediaOfDetails(details: Record<string, unknown>): MediaMeta[] {
  const photos = details.photos;
  if (!Array.isArray(photos)) return [];
  return photos.flatMap((p): MediaMeta[] => {
    if (!p || typeof p !== 'object' || typeof (p as MediaMeta).mimeType !== 'string') return [];
    const m = p as MediaMeta;
    return [{ mimeType: m.mimeType, ...(typeof m.fileName === 'string' ? { fileName: m.fileName } : {}), ...(typeof m.size === 'number' ? { size: m.size } : {}), ...(typeof m.ref === 'string' ? { ref: m.ref } : {}) }];
  });
}

/**
 * One row per file, in the caller's transaction (the complaint and its files are saved together). A file
 * that can never be kept (a video, over 10 MB, no file id) is recorded as failed with the reason at once,
 * so staff see that the resident sent something and why it is not there.
 */
export async function recordAttachments(
  tx: Db,
  owner: { complaintId: number } | { proxyId: number },
  contactId: number,
  files: readonly MediaMeta[],
  now: Date,
): Promise<number[]> {
  if (files.length === 0) return [];
  const [contact] = await tx.select({ channel: contacts.channel }).from(contacts).where(eq(contacts.id, contactId));
  const channel: Channel | null = contact?.channel ?? null;
  const rows = files.map((f) => {
    const problem = !f.ref || !channel || channel === 'webchat' ? `${REFUSED.noSource}: the channel gave no file to fetch` : declaredProblem(f.mimeType, f.size);
    return {
      ...owner,
      channel,
      ref: f.ref ?? null,
      mimeType: f.mimeType.slice(0, 100),
      fileName: f.fileName?.slice(0, 200) ?? null,
      size: null,
      status: problem ? ('failed' as const) : ('pending' as const),
      failReason: problem,
      nextAttemptAt: problem ? null : now,
      createdAt: now,
    };
  });
  const inserted = await tx.insert(attachments).values(rows).returning({ id: attachments.id });
  return inserted.map((r) => r.id);
}

export interface FetchRun {
  stored: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  failed: number;
}

interface Claimed {
  id: number;
  channel: Channel;
  ref: string | null;
  mimeType: string;
  fileName: string | null;
  attempts: number;
}

/**
 * One round of the job: claims due pending files of the channels this process can fetch (SKIP LOCKED, so
 * processes share the work), downloads each, and stores it, schedules another try, or fails it with the
 * reason. The claim is committed before the download (with a lease), so no row lock is held while a
 * provider is slow.
 */
export async function fetchDueAttachments(db: Db, fetchers: readonly MediaFetcher[], opts: { now: Date; limit?: number }): Promise<FetchRun> {
  const run: FetchRun = { stored: 0, retrying: 0, failed: 0 };
  const ready = readyFetchers(fetchers);
  if (ready.size === 0) return run;
  const claimed = await claim(db, [...ready.keys()], opts.now, opts.limit ?? 10);
  for (const row of claimed) {
    const outcome = await fetchOne(ready.get(row.channel)!, row);
    if (outcome.ok) {
      await store(db, row.id, outcome.bytes, outcome.fileName, opts.now);
      run.stored++;
    } else if (outcome.permanent || row.attempts >= MAX_FETCH_ATTEMPTS) {
      await db.update(attachments).set({ status: 'failed', failReason: outcome.reason.slice(0, 300), nextAttemptAt: null }).where(and(eq(attachments.id, row.id), eq(attachments.status, 'pending')));
      run.failed++;
    } else {
      const wait = BACKOFF_MS[Math.min(row.attempts, BACKOFF_MS.length) - 1]!;
      await db
        .update(attachments)
        .set({ failReason: outcome.reason.slice(0, 300), nextAttemptAt: new Date(opts.now.getTime() + wait) })
        .where(and(eq(attachments.id, row.id), eq(attachments.status, 'pending')));
      run.retrying++;
    }
  }
  return run;
}

async function claim(db: Db, channels: Channel[], now: Date, limit: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(eq(attachments.status, 'pending'), inArray(attachments.channel, channels), or(isNull(attachments.nextAttemptAt), lte(attachments.nextAttemptAt, now))))
      .orderBy(asc(attachments.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const rows = await tx
      .update(attachments)
      .set({ attempts: sql`${attachments.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(inArray(attachments.id, due.map((d) => d.id)))
      .returning({ id: attachments.id, channel: attachments.channel, ref: attachments.ref, mimeType: attachments.mimeType, fileName: attachments.fileName, attempts: attachments.attempts });
    return rows.map((r) => ({ ...r, channel: r.channel! })).sort((a, b) => a.id - b.id);
  });
}

type Outcome = { ok: true; bytes: Buffer; fileName?: string } | { ok: false; reason: string; permanent: boolean };

async function fetchOne(fetcher: MediaFetcher, row: Claimed): Promise<Outcome> {
  if (!row.ref) return { ok: false, reason: `${REFUSED.noSource}: the channel gave no file to fetch`, permanent: true };
  const declared = declaredProblem(row.mimeType, null);
  if (declared) return { ok: false, reason: declared, permanent: true };
  let got;
  try {
    got = await fetcher.fetch(row.ref);
  } catch {
    got = { ok: false as const, reason: `${row.channel}: fetch failed`, permanent: false };
  }
  if (!got.ok) return got;
  const problem = contentProblem(got.bytes);
  if (problem) return { ok: false, reason: problem, permanent: true };
  return { ok: true, bytes: got.bytes, ...(got.fileName && !row.fileName ? { fileName: got.fileName } : {}) };
}

async function store(db: Db, id: number, bytes: Buffer, fileName: string | undefined, now: Date): Promise<void> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db.transaction(async (tx) => {
    // The same picture twice (forwarded to two reports) is kept once.
    await tx.insert(attachmentBlobs).values({ sha256, bytes, createdAt: now }).onConflictDoNothing();
    await tx
      .update(attachments)
      .set({
        status: 'stored',
        sha256,
        size: bytes.byteLength,
        // The type the bytes are (checked in contentProblem), not the one the sender claimed.
        mimeType: sniffType(bytes)!,
        ...(fileName ? { fileName: fileName.slice(0, 200) } : {}),
        failReason: null,
        nextAttemptAt: null,
        storedAt: now,
      })
      .where(and(eq(attachments.id, id), eq(attachments.status, 'pending')));
  });
}

/** The columns of an AttachmentView, for every list of files staff see (complaint photos, surat kuasa). */
export const ATTACHMENT_VIEW_COLUMNS = {
  id: attachments.id,
  mimeType: attachments.mimeType,
  fileName: attachments.fileName,
  size: attachments.size,
  status: attachments.status,
  failReason: attachments.failReason,
  attempts: attachments.attempts,
  createdAt: attachments.createdAt,
};

export interface AttachmentView {
  id: number;
  mimeType: string;
  fileName: string | null;
  size: number | null;
  status: AttachmentStatus;
  failReason: string | null;
  attempts: number;
  createdAt: Date;
}

/**
 * The files of a complaint the actor may see (null when they may not see the complaint: the same as no
 * complaint). Photos are evidence, not identity: whoever works the complaint sees them, an anonymous
 * sanggahan's too, and nothing is stripped from them (a photo of a house is what the report is about).
 * Revealing who sent them is a separate, audited act (revealReporter).
 */
export async function listAttachments(db: Db, actor: Actor, complaintId: number): Promise<AttachmentView[] | null> {
  const c = await loadVisible(db, actor, complaintId, false);
  if (!c) return null;
  return db
    .select(ATTACHMENT_VIEW_COLUMNS)
    .from(attachments)
    .where(eq(attachments.complaintId, c.id))
    .orderBy(asc(attachments.id));
}

export interface AttachmentFile {
  id: number;
  mimeType: string;
  fileName: string | null;
  bytes: Buffer;
}

/**
 * The bytes of one stored file of a complaint, for the console to stream; every read is audited
 * (complaint.attachment_read). Null when the complaint is not visible to the actor, the file is not this
 * complaint's, or it is not stored (yet): the caller answers 404 for all of them alike.
 */
export async function readAttachment(db: Db, actor: Actor, complaintId: number, attachmentId: number): Promise<AttachmentFile | null> {
  if (!Number.isSafeInteger(attachmentId) || attachmentId < 1) return null;
  return db.transaction(async (tx) => {
    const c = await loadVisible(tx, actor, complaintId, false);
    if (!c) return null;
    const [row] = await tx
      .select({ id: attachments.id, mimeType: attachments.mimeType, fileName: attachments.fileName, bytes: attachmentBlobs.bytes })
      .from(attachments)
      .innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
      .where(and(eq(attachments.id, attachmentId), eq(attachments.complaintId, c.id), eq(attachments.status, 'stored')));
    if (!row) return null;
    await audit(tx, actor, 'complaint.attachment_read', c.id, { attachmentId: row.id });
    return row;
  });
}
