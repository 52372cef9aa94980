// Codes that tie a chat to a person.
// - otp: six digits sent over WhatsApp to the registry phone of the person the chat found by knowledge.
//   Typed back within 10 minutes, at most 3 tries, a new one at most every 60 s (per chat and per phone):
//   whoever types it holds the phone, which is possession. Stored hashed; the message says never to pass it on.
// - counter: a short code the resident reads aloud to an officer at the counter. It proves nothing by itself;
//   it only names which chat the officer links after seeing the KTP (in-person.ts).

import { createHash, randomInt } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { identityCodes } from '../../db/schema/index.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { audit, auditing } from '../audit.ts';
import type { IdentityEnv } from './env.ts';
import { linkContact } from './links.ts';
import { phoneContact, registryPhone, registryPhoneRow, type RegistryPhoneRow } from './registry-phone.ts';

export const CODE_VALID_MS = 10 * 60_000;
export const CODE_TRIES = 3;
export const CODE_RESEND_MS = 60_000;
export const COUNTER_CODE_VALID_MS = 24 * 3_600_000;
// Read aloud or copied from a screen: no 0/O, 1/I/L.
const COUNTER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const hash = (contactId: number, code: string) => createHash('sha256').update(`${contactId}:${code}`).digest('hex');

export type SendCodeResult =
  | { kind: 'sent'; masked: string; expiresAt: Date }
  | { kind: 'too_soon'; retryAt: Date }
  /** No registry phone, one listed for two households, or no channel that reaches phones. */
  | { kind: 'no_phone' };

/**
 * Sends a new code to the member's registry phone, replacing the chat's earlier one. Four statements (issue 21):
 * the registry phone with the last code sent to this chat or phone; the earlier code expired, the new one
 * stored and the sending audited; the phone's chat; the message.
 */
export async function sendCode(db: Db, env: IdentityEnv, input: { contactId: number; memberId: number; locale: Locale; now: Date }): Promise<SendCodeResult> {
  const { contactId, memberId, now } = input;
  if (!env.phoneChannel) return { kind: 'no_phone' };
  const [row] = rowsOf<RegistryPhoneRow & { recent: Date | string | null }>(
    await db.execute(sql`
      with registry as (${registryPhoneRow(sql`(select household_id from members where id = ${memberId})`, memberId)})
      select registry.phone, registry.households,
        (select max(c.created_at) from identity_codes c
          where c.purpose = 'otp' and (c.contact_id = ${contactId} or c.phone = registry.phone)
            and c.created_at > ${new Date(now.getTime() - CODE_RESEND_MS).toISOString()}::timestamptz) as recent
      from registry`),
  );
  const registry = registryPhone(row);
  if (registry.kind !== 'phone') return { kind: 'no_phone' };
  if (row!.recent !== null) return { kind: 'too_soon', retryAt: new Date(new Date(row!.recent).getTime() + CODE_RESEND_MS) };

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + CODE_VALID_MS);
  const expired = expiring(db, contactId, 'otp', now).getSQL();
  const logged = auditing(db, { kind: 'resident', contactId }, { action: 'identity.code_sent', entity: 'member', entityId: memberId, at: now }).getSQL();
  const stored = db.insert(identityCodes).values({ purpose: 'otp', contactId, memberId, phone: registry.phone, code: hash(contactId, code), createdAt: now, expiresAt }).getSQL();
  // The expiry cannot touch the new code: a statement's parts all see the table as it was before it.
  await db.execute(sql`with expired as (${expired}), logged as (${logged}) ${stored}`);
  const phone = await phoneContact(db, env.phoneChannel, registry.phone);
  const t = env.i18n.getFixedT(input.locale);
  await enqueue(db, {
    contactId: phone.id,
    channel: phone.channel,
    // The Cloud API reaches a number that never wrote to us only with an approved authentication template.
    messages: [{ text: t('identity:code.message', { code, minutes: CODE_VALID_MS / 60_000 }), template: { kind: 'code', params: [code] } }],
    priority: 'reply',
    now,
  });
  return { kind: 'sent', masked: maskPhone(registry.phone), expiresAt };
}

/** The chat's codes of this purpose still waiting, made to expire now (awaited, or placed in another statement). */
function expiring(db: Db, contactId: number, purpose: 'otp' | 'counter', now: Date) {
  return db
    .update(identityCodes)
    .set({ expiresAt: now })
    .where(and(eq(identityCodes.contactId, contactId), eq(identityCodes.purpose, purpose), isNull(identityCodes.usedAt), gt(identityCodes.expiresAt, now)));
}

export type CheckCodeResult =
  | { kind: 'linked'; memberId: number; householdId: number }
  | { kind: 'wrong'; remaining: number }
  /** No code waiting: never asked, expired, already used, or its tries used up. */
  | { kind: 'expired' };

/** Checks a typed code against the chat's waiting one; the right one links the chat to its member. */
export async function checkCode(db: Db, env: IdentityEnv, input: { contactId: number; code: string; now: Date }): Promise<CheckCodeResult> {
  const { contactId, now } = input;
  const [waiting] = await db
    .select()
    .from(identityCodes)
    .where(and(eq(identityCodes.contactId, contactId), eq(identityCodes.purpose, 'otp'), isNull(identityCodes.usedAt), gt(identityCodes.expiresAt, now)))
    .orderBy(desc(identityCodes.createdAt))
    .limit(1)
    .for('update');
  if (!waiting || waiting.tries >= CODE_TRIES || waiting.memberId === null) return { kind: 'expired' };
  const typed = input.code.replace(/\D/g, '');
  if (hash(contactId, typed) !== waiting.code) {
    const tries = waiting.tries + 1;
    await db
      .update(identityCodes)
      .set({ tries, ...(tries >= CODE_TRIES ? { expiresAt: now } : {}) })
      .where(eq(identityCodes.id, waiting.id));
    await audit(db, { kind: 'resident', contactId }, { action: 'identity.code_wrong', entity: 'member', entityId: waiting.memberId, details: { tries }, at: now });
    return tries >= CODE_TRIES ? { kind: 'expired' } : { kind: 'wrong', remaining: CODE_TRIES - tries };
  }
  // The code used up and the member's household read back in one statement.
  const [m] = await db
    .update(identityCodes)
    .set({ usedAt: now })
    .where(eq(identityCodes.id, waiting.id))
    .returning({ householdId: sql<number | null>`(select m.household_id from members m where m.id = identity_codes.member_id)` });
  if (!m || m.householdId === null) return { kind: 'expired' };
  await linkContact(db, env, { contactId, memberId: waiting.memberId, householdId: m.householdId, proof: 'code', now });
  return { kind: 'linked', memberId: waiting.memberId, householdId: m.householdId };
}

/** The code this chat shows an officer at the counter: a new one each time it is asked for, valid a day. */
export async function counterCode(db: Db, input: { contactId: number; now: Date }): Promise<{ code: string; expiresAt: Date }> {
  await expiring(db, input.contactId, 'counter', input.now);
  const expiresAt = new Date(input.now.getTime() + COUNTER_CODE_VALID_MS);
  for (;;) {
    const code = Array.from({ length: 6 }, () => COUNTER_ALPHABET[randomInt(0, COUNTER_ALPHABET.length)]).join('');
    // Unique among the codes still waiting, so the officer's code names one chat.
    const clash = await db
      .select({ id: identityCodes.id })
      .from(identityCodes)
      .where(and(eq(identityCodes.purpose, 'counter'), eq(identityCodes.code, code), isNull(identityCodes.usedAt), gt(identityCodes.expiresAt, input.now)))
      .limit(1);
    if (clash.length > 0) continue;
    await db.insert(identityCodes).values({ purpose: 'counter', contactId: input.contactId, code, createdAt: input.now, expiresAt });
    return { code, expiresAt };
  }
}

/** The chat a counter code names, if it is still waiting (for the console's in-person link). */
export async function chatOfCounterCode(db: Db, code: string, now: Date): Promise<{ codeId: number; contactId: number } | undefined> {
  const normal = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const [row] = await db
    .select({ codeId: identityCodes.id, contactId: identityCodes.contactId })
    .from(identityCodes)
    .where(and(eq(identityCodes.purpose, 'counter'), eq(identityCodes.code, normal), isNull(identityCodes.usedAt), gt(identityCodes.expiresAt, now)))
    .limit(1);
  return row;
}

/** Marks a counter code used, once the officer linked its chat. */
export async function useCounterCode(db: Db, codeId: number, now: Date): Promise<void> {
  await db.update(identityCodes).set({ usedAt: now }).where(eq(identityCodes.id, codeId));
}
