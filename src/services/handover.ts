// Live handover: a resident asked for an officer ("petugas"), the engine set contacts.handoverAt and keeps the
// bot quiet. Staff with `complaints.work` see those chats in their own queue, read them (audited), answer
// through the outbox, and close the handover, which tells the resident the bot is back.

import { and, asc, desc, eq, gte, isNotNull, isNull, max, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, messages, staffUsers } from '../db/schema/index.ts';
import { type Channel } from '../domain/vocabulary.ts';
import { maskName, maskNumber } from '../domain/mask.ts';
import type { Translator } from '../i18n.ts';
import { enqueue } from '../outbox/enqueue.ts';
import { requirePermission } from './access.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { replyBlocked, staffIdOf, type ContactRow } from './complaints/shared.ts';

export type HandoverRefusal = 'not_in_handover' | 'invalid_input' | 'no_channel' | 'unreachable' | 'outside_24h_window';
export type HandoverResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: HandoverRefusal };

export interface HandoverSummary {
  contactId: number;
  channel: Channel;
  /** Never the phone number or chat id in full: a few characters at each end. */
  maskedId: string;
  maskedName: string | null;
  waitingSince: Date;
  lastMessageAt: Date | null;
}

export interface HandoverMessage {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  /** As stored: NIK/KK numbers were masked when the message was recorded. */
  body: string | null;
  staffId: number | null;
  createdAt: Date;
}

export interface HandoverView extends HandoverSummary {
  /** Why a reply could not reach the resident now, or null when it can. */
  blocked: 'no_channel' | 'unreachable' | 'outside_24h_window' | null;
  messages: HandoverMessage[];
}

const MAX_TEXT = 4000;

export function maskExternalId(externalId: string): string {
  return maskNumber(externalId, 2, 3);
}

function summary(c: Pick<ContactRow, 'id' | 'channel' | 'externalId' | 'displayName'>, waitingSince: Date, lastMessageAt: Date | null): HandoverSummary {
  return {
    contactId: c.id,
    channel: c.channel,
    maskedId: maskExternalId(c.externalId),
    maskedName: c.displayName ? maskName(c.displayName) : null,
    waitingSince,
    lastMessageAt,
  };
}

/**
 * Which handovers an actor may see. A resident whose identity is verified lives in a known kecamatan: only
 * staff of that kecamatan (or city-wide) see the chat. Before verification nobody knows where the resident
 * lives, so the chat goes to city-wide staff only (the central front desk, which can ask and route it), not to
 * every officer of every kecamatan: an unverified chat may be anyone's, and its words may name them. The office
 * therefore needs at least one city-wide officer with `complaints.work` (the admin has it). Handovers carry no
 * bidang, so a bidang scope does not narrow them.
 */
function handoverScope(actor: Actor): SQL | undefined {
  if (actor.kecamatanId === null) return undefined;
  return sql`(${contacts.memberId} is not null and ${actor.kecamatanId} = (
    select kl.kecamatan_id from members m
      join households h on h.id = m.household_id
      join kelurahan kl on kl.id = h.kelurahan_id
    where m.id = ${contacts.memberId}))`;
}

/**
 * The messages of the handover itself: from the resident's message that asked for an officer on, and none that
 * belongs to a complaint (an officer's answer on a report, even one sent during the talk, is that report's).
 * The chat before the request is not the officer's business here, and may hold an anonymous sanggahan of the
 * same resident. A handover begun before the request was recorded (contacts.handover_message_id) counts from
 * handoverAt.
 */
function handoverMessages(c: Pick<ContactRow, 'id' | 'handoverAt' | 'handoverMessageId'>): SQL | undefined {
  const since = c.handoverMessageId !== null ? gte(messages.id, c.handoverMessageId) : gte(messages.createdAt, c.handoverAt!);
  return and(eq(messages.contactId, c.id), isNull(messages.complaintId), since);
}

function validId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** Contacts waiting for or talking with an officer, the longest waiting first. */
export async function listHandovers(db: Db, actor: Actor): Promise<HandoverSummary[]> {
  requirePermission(actor, 'complaints.work');
  const last = db
    .select({ contactId: messages.contactId, at: max(messages.createdAt).as('last_at') })
    .from(messages)
    .groupBy(messages.contactId)
    .as('last');
  const rows = await db
    .select({
      id: contacts.id,
      channel: contacts.channel,
      externalId: contacts.externalId,
      displayName: contacts.displayName,
      handoverAt: contacts.handoverAt,
      lastAt: last.at,
    })
    .from(contacts)
    .leftJoin(last, eq(last.contactId, contacts.id))
    .where(and(isNotNull(contacts.handoverAt), handoverScope(actor)))
    .orderBy(asc(contacts.handoverAt), asc(contacts.id));
  return rows.map((r) => summary(r, r.handoverAt!, r.lastAt ? new Date(r.lastAt as unknown as string | Date) : null));
}

/**
 * The conversation of a contact in handover since it asked for an officer (the last `limit` messages, oldest
 * first); audited. Null when not in handover.
 */
export async function getHandover(db: Db, actor: Actor, contactId: number, opts: { limit?: number; now?: Date } = {}): Promise<HandoverView | null> {
  requirePermission(actor, 'complaints.work');
  if (!validId(contactId)) return null;
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 500);
  const [c] = await db.select().from(contacts).where(and(eq(contacts.id, contactId), isNotNull(contacts.handoverAt), handoverScope(actor)));
  if (!c) return null;
  const rows = await db
    .select({ id: messages.id, direction: messages.direction, kind: messages.kind, body: messages.body, staffId: messages.staffId, createdAt: messages.createdAt })
    .from(messages)
    .where(handoverMessages(c))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  await audit(db, actor, { action: 'conversation.read', entity: 'contact', entityId: contactId, details: { messageCount: rows.length } });
  rows.reverse();
  const lastMessageAt = rows.at(-1)?.createdAt ?? null;
  return { ...summary(c, c.handoverAt!, lastMessageAt), blocked: replyBlocked(c, opts.now ?? new Date()), messages: rows };
}

/** Changes when a message arrives or leaves, or the handover ends; null when not visible or not in handover. */
export async function handoverVersion(db: Db, actor: Actor, contactId: number): Promise<string | null> {
  requirePermission(actor, 'complaints.work');
  if (!validId(contactId)) return null;
  const [c] = await db
    .select({ id: contacts.id, handoverAt: contacts.handoverAt, handoverMessageId: contacts.handoverMessageId })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), isNotNull(contacts.handoverAt), handoverScope(actor)));
  if (!c) return null;
  const [m] = await db.select({ last: max(messages.id) }).from(messages).where(handoverMessages(c));
  return `${c.handoverAt!.getTime()}:${m?.last ?? '-'}`;
}

async function lockHandover(tx: Db, actor: Actor, contactId: number): Promise<ContactRow | null> {
  if (!validId(contactId)) return null;
  const [c] = await tx.select().from(contacts).where(and(eq(contacts.id, contactId), handoverScope(actor))).for('update');
  return c && c.handoverAt ? c : null;
}

/** Sends an officer's text to the resident on their channel, through the outbox. */
export async function replyInHandover(
  db: Db,
  actor: Actor,
  contactId: number,
  /** `i18n`: the reply carries the officer's name in the resident's language ("Rina, petugas Dinas Sosial:"). */
  input: { text: string; now?: Date; i18n?: Pick<Translator, 't'> },
): Promise<HandoverResult<{ outboxIds: number[] }>> {
  requirePermission(actor, 'complaints.work');
  const now = input.now ?? new Date();
  const text = input.text.trim();
  if (text === '' || text.length > MAX_TEXT) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const c = await lockHandover(tx, actor, contactId);
    if (!c) return { ok: false as const, reason: 'not_in_handover' as const };
    const blocked = replyBlocked(c, now);
    if (blocked) return { ok: false as const, reason: blocked };
    const staffId = staffIdOf(actor);
    // The resident sees who answers, not "Pintu": a person they can name when they call or come in.
    const [officer] = staffId !== null && input.i18n ? await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, staffId)) : [];
    const signed = officer && input.i18n ? `${input.i18n.t('handover:officerSays', { name: officer.name, ...(c.language ? { lng: c.language } : {}) })}\n${text}` : text;
    const outboxIds = await enqueue(tx, { contactId: c.id, channel: c.channel, messages: [{ text: signed }], priority: 'reply', now, ...(staffId !== null ? { staffId } : {}) });
    await audit(tx, actor, { action: 'handover.reply', entity: 'contact', entityId: c.id, details: { textLength: text.length }, at: now });
    return { ok: true as const, outboxIds };
  });
}

/**
 * Ends the handover: the bot answers again, and the resident is told so in their language (when the channel
 * can still reach them; the handover ends either way).
 */
export async function closeHandover(
  db: Db,
  actor: Actor,
  contactId: number,
  opts: { i18n: Pick<Translator, 't'>; now?: Date },
): Promise<HandoverResult<{ notified: boolean }>> {
  requirePermission(actor, 'complaints.work');
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const c = await lockHandover(tx, actor, contactId);
    if (!c) return { ok: false as const, reason: 'not_in_handover' as const };
    await tx.update(contacts).set({ handoverAt: null, handoverMessageId: null }).where(eq(contacts.id, c.id));
    const notified = replyBlocked(c, now) === null;
    if (notified) {
      const text = opts.i18n.t('chat:handoverEnded', c.language ? { lng: c.language } : {});
      const staffId = staffIdOf(actor);
      await enqueue(tx, { contactId: c.id, channel: c.channel, messages: [{ text }], priority: 'reply', ...(staffId !== null ? { staffId } : {}) });
    }
    await audit(tx, actor, { action: 'handover.close', entity: 'contact', entityId: c.id, details: { notified }, at: now });
    return { ok: true as const, notified };
  });
}
