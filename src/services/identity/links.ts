import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contactLinks, contacts } from '../../db/schema/index.ts';
import type { LinkEndReason, LinkProof } from '../../domain/vocabulary.ts';
import { pickLocale } from '../../i18n.ts';
import { asNotice } from '../../messages/window.ts';
import { enqueueMany } from '../../outbox/enqueue.ts';
import type { Actor } from '../actor.ts';
import { auditing, type AuditActor } from '../audit.ts';
import type { IdentityEnv } from './env.ts';
import { householdReach, phoneContact } from './registry-phone.ts';

// A chat speaks for a member only through a link proved by possession or in person (DESIGN.md "Identity").
// The link is a row in contact_links (kept after it ends) and `contacts.member_id`, which every "whose chat
// is this?" reads. Linking tells the family: whoever else holds the household's chats or its registry phone
// hears that a new chat now speaks for it, and how to object.

export interface LinkInput {
  contactId: number;
  memberId: number;
  householdId: number;
  proof: LinkProof;
  /** The officer who saw the KTP (in_person). */
  staff?: Actor;
  now: Date;
}

/**
 * Links the chat (ending any link it had) and tells the household's other chats and registry phone. The link
 * is one statement: the old link ended, the new one written, the chat pointed at the member and the link
 * audited, so none of them is ever seen without the others (issue 21: it was five).
 */
export async function linkContact(db: Db, env: IdentityEnv, input: LinkInput): Promise<void> {
  const { contactId, memberId, now } = input;
  const ended = db.update(contactLinks).set({ endedAt: now, endReason: 'replaced' }).where(and(eq(contactLinks.contactId, contactId), isNull(contactLinks.endedAt)));
  const linked = db.insert(contactLinks).values({ contactId, memberId, householdId: input.householdId, proof: input.proof, staffId: input.staff?.id ?? null, linkedAt: now });
  const actor: AuditActor = input.staff ?? { kind: 'resident', contactId };
  const logged = auditing(db, actor, { action: 'identity.link', entity: 'member', entityId: memberId, details: { proof: input.proof, contactId }, at: now });
  const pointed = db.update(contacts).set({ memberId, verifiedAt: now, failedVerifications: 0, lockedUntil: null }).where(eq(contacts.id, contactId));
  // No unique index spans an open link, so the parts' order within the statement does not matter: each sees
  // contact_links as it was before the statement, and the new link is not among the ones it ends.
  await db.execute(sql`with ended as (${ended.getSQL()}), linked as (${linked.getSQL()}), logged as (${logged.getSQL()}) ${pointed.getSQL()}`);
  await tellHousehold(db, env, { householdId: input.householdId, exceptContactId: contactId, key: 'identity:notice.newChat', now });
}

/** Ends the chat's open link, if any: the chat sees nothing of the family from its next message on. */
export async function endLink(db: Db, contactId: number, reason: LinkEndReason, now: Date): Promise<boolean> {
  const ended = await db
    .update(contactLinks)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(contactLinks.contactId, contactId), isNull(contactLinks.endedAt)))
    .returning({ id: contactLinks.id });
  await db.update(contacts).set({ memberId: null, verifiedAt: null }).where(eq(contacts.id, contactId));
  return ended.length > 0;
}

/**
 * "Bukan Anda? Balas LAPOR": a notice to every chat linked to the household except the one that caused it,
 * and to the household's registry phone on the phone channel. Each in its own language; on WhatsApp Cloud
 * outside the 24-hour window through the notice template. A chat that asked for no messages (berhenti) is
 * still told: this is about its own family's data, the one notice the law expects it to get.
 */
export async function tellHousehold(db: Db, env: IdentityEnv, input: { householdId: number; exceptContactId: number; key: string; now: Date }): Promise<number> {
  const { chats: linked, registry } = await householdReach(db, input.householdId);
  const chats = linked.filter((c) => c.id !== input.exceptContactId);
  if (env.phoneChannel && registry.kind === 'phone' && !chats.some((c) => c.phone === registry.phone && c.channel === env.phoneChannel)) {
    const phone = await phoneContact(db, env.phoneChannel, registry.phone);
    if (phone.id !== input.exceptContactId) chats.push(phone);
  }
  if (chats.length === 0) return 0;
  const notices = chats.map((chat) => {
    const t = env.i18n.getFixedT(pickLocale(chat.language, env.defaultLocale));
    return { contactId: chat.id, channel: chat.channel, message: asNotice({ text: t(input.key) }, chat, input.now, [t(`${input.key}Short`)]) };
  });
  await enqueueMany(db, notices, { priority: 'reply', now: input.now });
  return chats.length;
}
