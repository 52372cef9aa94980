// Live handover: a resident asked for an officer ("petugas"), the engine set contacts.handoverAt and keeps the
// bot quiet. Staff with `complaints.work` see those chats in their own queue, read them (audited), answer
// through the outbox, and close the handover, which tells the resident the bot is back.

import { and, asc, desc, eq, gte, isNotNull, isNull, max, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, members, messages, staffUsers } from '../db/schema/index.ts';
import { type Channel } from '../domain/vocabulary.ts';
import { maskName, maskNumber } from '../domain/mask.ts';
import { chosenOptions } from '../domain/chosen-option.ts';
import type { Translator } from '../i18n.ts';
import { enqueue } from '../outbox/enqueue.ts';
import { requirePermission } from './access.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { replyBlocked, staffIdOf, type ContactRow } from './complaints/shared.ts';
import { can } from './access.ts';
import { claimHolder, claimHolderSql, replyClaim, type ClaimRefusal } from './handover-desk/claim.ts';
import { askRating, kecamatanOfContact } from './satisfaction/ask.ts';

export type HandoverRefusal = 'not_in_handover' | 'invalid_input' | 'no_channel' | 'unreachable' | 'outside_24h_window' | ClaimRefusal;
export type HandoverResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: HandoverRefusal };

export interface HandoverSummary {
  contactId: number;
  channel: Channel;
  /** Never the phone number or chat id in full: a few characters at each end. */
  maskedId: string;
  maskedName: string | null;
  waitingSince: Date;
  lastMessageAt: Date | null;
  /** The resident's chat language (null: the default), so the officer answers in it. */
  language: string | null;
  /** The officer answering (a claim), or null while anyone may take it. */
  claimedBy: { id: number; name: string } | null;
  /** The resident wrote after the last officer's message (or no officer has written yet). */
  residentWaiting: boolean;
}

export interface HandoverMessage {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  /** As stored: NIK/KK numbers were masked when the message was recorded. */
  body: string | null;
  /** A button press: the option's words (domain/chosen-option.ts). */
  chosen: string | null;
  staffId: number | null;
  createdAt: Date;
}

export interface HandoverView extends HandoverSummary {
  /**
   * The family of a verified resident (proven by possession or in person): the officer can open its page in the
   * resident lookup (asked for a reason, audited) to see what the bot would show them. Null before verification.
   */
  householdId: number | null;
  /** Why a reply could not reach the resident now, or null when it can. */
  blocked: 'no_channel' | 'unreachable' | 'outside_24h_window' | null;
  messages: HandoverMessage[];
}

const MAX_TEXT = 4000;

export function maskExternalId(externalId: string): string {
  return maskNumber(externalId, 2, 3);
}

type SummaryFacts = { lastMessageAt: Date | null; claimedBy: HandoverSummary['claimedBy']; residentWaiting: boolean };

function summary(c: Pick<ContactRow, 'id' | 'channel' | 'externalId' | 'displayName' | 'language'>, waitingSince: Date, facts: SummaryFacts): HandoverSummary {
  return {
    contactId: c.id,
    channel: c.channel,
    maskedId: maskExternalId(c.externalId),
    maskedName: c.displayName ? maskName(c.displayName) : null,
    waitingSince,
    language: c.language,
    ...facts,
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

/**
 * The resident wrote after the last officer's message (or no officer has written yet), as SQL over `contacts`:
 * correlated subqueries on messages_contact_idx, for the few chats in handover. The outer row is named in
 * full: in a select list drizzle writes a bare "id", which inside the subquery would be m.id.
 */
const residentWaitingSql = sql<boolean>`coalesce((select max(m.id) from messages m where m.contact_id = "contacts"."id" and m.direction = 'in')
  > coalesce((select max(m.id) from messages m where m.contact_id = "contacts"."id" and m.direction = 'out' and m.staff_id is not null), 0), false)`;

/** Contacts waiting for or talking with an officer, the longest waiting first. */
export async function listHandovers(db: Db, actor: Actor): Promise<HandoverSummary[]> {
  requirePermission(actor, 'complaints.work');
  // Per chat in handover (few at a time): its last message. "contacts"."id" in full: in a select list drizzle
  // writes a bare "id", which inside the subquery is m.id.
  const lastAt = sql<string | null>`(select max(m.created_at)::text from messages m where m.contact_id = "contacts"."id")`;
  const rows = await db
    .select({
      id: contacts.id,
      channel: contacts.channel,
      externalId: contacts.externalId,
      displayName: contacts.displayName,
      language: contacts.language,
      handoverAt: contacts.handoverAt,
      lastAt,
      holder: claimHolderSql,
      holderName: sql<string | null>`(select s.name from staff_users s where s.id = ${claimHolderSql})`,
      residentWaiting: residentWaitingSql,
    })
    .from(contacts)
    .where(and(isNotNull(contacts.handoverAt), handoverScope(actor)))
    .orderBy(asc(contacts.handoverAt), asc(contacts.id));
  return rows.map((r) =>
    summary(r, r.handoverAt!, {
      lastMessageAt: r.lastAt ? new Date(r.lastAt) : null,
      claimedBy: r.holder !== null && r.holderName !== null ? { id: Number(r.holder), name: r.holderName } : null,
      residentWaiting: r.residentWaiting === true,
    }),
  );
}

/**
 * The conversation of a contact in handover since it asked for an officer (the last `limit` messages, oldest
 * first); audited. Null when not in handover.
 */
export async function getHandover(db: Db, actor: Actor, contactId: number, opts: { limit?: number; now?: Date; audit?: boolean } = {}): Promise<HandoverView | null> {
  requirePermission(actor, 'complaints.work');
  if (!validId(contactId)) return null;
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 500);
  const [c] = await db.select().from(contacts).where(and(eq(contacts.id, contactId), isNotNull(contacts.handoverAt), handoverScope(actor)));
  if (!c) return null;
  const rows = await db
    .select({ id: messages.id, direction: messages.direction, kind: messages.kind, body: messages.body, payload: messages.payload, staffId: messages.staffId, createdAt: messages.createdAt })
    .from(messages)
    .where(handoverMessages(c))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  // A person opening the chat is a read; the page refreshing itself while open is not another one.
  if (opts.audit !== false) await audit(db, actor, { action: 'conversation.read', entity: 'contact', entityId: contactId, details: { messageCount: rows.length } });
  const shown = chosenOptions(rows.reverse()).map(({ payload: _payload, ...m }) => m);
  const lastMessageAt = shown.at(-1)?.createdAt ?? null;
  const holder = claimHolder(c);
  const [holderRow] = holder === null ? [] : await db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, holder));
  const lastOfficer = shown.findLastIndex((m) => m.direction === 'out' && m.staffId !== null);
  const lastIn = shown.findLastIndex((m) => m.direction === 'in');
  const [member] = c.memberId === null ? [] : await db.select({ householdId: members.householdId }).from(members).where(eq(members.id, c.memberId));
  return {
    ...summary(c, c.handoverAt!, { lastMessageAt, claimedBy: holderRow ? { id: holder!, name: holderRow.name } : null, residentWaiting: lastIn > lastOfficer }),
    householdId: member?.householdId ?? null,
    blocked: replyBlocked(c, opts.now ?? new Date()),
    messages: shown,
  };
}

/** Changes when a message arrives or leaves, or the handover ends; null when not visible or not in handover. */
export async function handoverVersion(db: Db, actor: Actor, contactId: number): Promise<string | null> {
  requirePermission(actor, 'complaints.work');
  if (!validId(contactId)) return null;
  const [c] = await db
    .select({ id: contacts.id, handoverAt: contacts.handoverAt, handoverMessageId: contacts.handoverMessageId, holder: claimHolderSql })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), isNotNull(contacts.handoverAt), handoverScope(actor)));
  if (!c) return null;
  const [m] = await db.select({ last: max(messages.id) }).from(messages).where(handoverMessages(c));
  return `${c.handoverAt!.getTime()}:${m?.last ?? '-'}:${c.holder ?? '-'}`;
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
    const staffId = staffIdOf(actor);
    const claim = replyClaim(claimHolder(c), staffId);
    if (!claim.ok) return { ok: false as const, reason: claim.reason };
    const blocked = replyBlocked(c, now);
    if (blocked) return { ok: false as const, reason: blocked };
    if (claim.claim) await tx.update(contacts).set({ handoverStaffId: staffId, handoverClaimedAt: now }).where(eq(contacts.id, c.id));
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
    await tx.update(contacts).set({ handoverAt: null, handoverMessageId: null, handoverStaffId: null, handoverClaimedAt: null }).where(eq(contacts.id, c.id));
    const notified = replyBlocked(c, now) === null;
    if (notified) {
      // A chat with an officer is a service to rate (issue 20), when an officer did write in it: looked at
      // before the closing line below, which goes out in the officer's name too.
      const [served] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(handoverMessages(c), eq(messages.direction, 'out'), isNotNull(messages.staffId)))
        .limit(1);
      const text = opts.i18n.t('chat:handoverEnded', c.language ? { lng: c.language } : {});
      const staffId = staffIdOf(actor);
      await enqueue(tx, { contactId: c.id, channel: c.channel, messages: [{ text }], priority: 'reply', ...(staffId !== null ? { staffId } : {}) });
      if (served) {
        await askRating(tx, {
          contactId: c.id,
          service: 'handover',
          bidang: actor.bidang,
          kecamatanId: await kecamatanOfContact(tx, c.id),
          ref: c.handoverMessageId === null ? null : String(c.handoverMessageId),
          now,
        });
      }
    }
    await audit(tx, actor, { action: 'handover.close', entity: 'contact', entityId: c.id, details: { notified }, at: now });
    return { ok: true as const, notified };
  });
}

/**
 * Takes the chat: from now on only this officer replies, and everyone else sees who is on it. Taking a chat
 * someone else holds is a supervisor's take-over ('complaints.assign'), audited with whom it was taken from.
 */
export async function claimHandover(db: Db, actor: Actor, contactId: number, opts: { now?: Date } = {}): Promise<HandoverResult> {
  requirePermission(actor, 'complaints.work');
  const now = opts.now ?? new Date();
  const staffId = staffIdOf(actor);
  if (staffId === null) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const c = await lockHandover(tx, actor, contactId);
    if (!c) return { ok: false as const, reason: 'not_in_handover' as const };
    const holder = claimHolder(c);
    if (holder === staffId) return { ok: true as const };
    if (holder !== null && !can(actor, 'complaints.assign')) return { ok: false as const, reason: 'claimed_by_other' as const };
    await tx.update(contacts).set({ handoverStaffId: staffId, handoverClaimedAt: now }).where(eq(contacts.id, c.id));
    await audit(tx, actor, { action: 'handover.claim', entity: 'contact', entityId: c.id, details: { fromStaffId: holder }, at: now });
    return { ok: true as const };
  });
}

/** Lets go of a chat this officer holds: it waits for whoever takes it next. */
export async function releaseHandover(db: Db, actor: Actor, contactId: number, opts: { now?: Date } = {}): Promise<HandoverResult> {
  requirePermission(actor, 'complaints.work');
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const c = await lockHandover(tx, actor, contactId);
    if (!c) return { ok: false as const, reason: 'not_in_handover' as const };
    if (claimHolder(c) !== staffIdOf(actor)) return { ok: true as const };
    await tx.update(contacts).set({ handoverStaffId: null, handoverClaimedAt: null }).where(eq(contacts.id, c.id));
    await audit(tx, actor, { action: 'handover.release', entity: 'contact', entityId: c.id, at: now });
    return { ok: true as const };
  });
}

/** For the inbox's tabs and the menu's badge: chats nobody has taken yet, and the officer's own where the resident waits. */
export async function handoverCounts(db: Db, actor: Actor): Promise<{ unclaimed: number; mineWaiting: number; total: number }> {
  if (!can(actor, 'complaints.work')) return { unclaimed: 0, mineWaiting: 0, total: 0 };
  const me = staffIdOf(actor);
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      unclaimed: sql<number>`(count(*) filter (where ${claimHolderSql} is null))::int`,
      mineWaiting: sql<number>`(count(*) filter (where ${claimHolderSql} = ${me ?? -1} and ${residentWaitingSql}))::int`,
    })
    .from(contacts)
    .where(and(isNotNull(contacts.handoverAt), handoverScope(actor)));
  return { unclaimed: Number(row?.unclaimed ?? 0), mineWaiting: Number(row?.mineWaiting ?? 0), total: Number(row?.total ?? 0) };
}
