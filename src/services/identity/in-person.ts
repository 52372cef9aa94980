import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, households, identityCodes, kecamatan, kelurahan, members } from '../../db/schema/index.ts';
import { maskName } from '../../domain/mask.ts';
import { requirePermission, type Permission } from '../access.ts';
import { inScope, type Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { chatOfCounterCode, useCounterCode } from './codes.ts';
import type { IdentityEnv } from './env.ts';
import { linkContact } from './links.ts';

// The in-person proof (issue 14): the resident asked the chat for a counter code ("Datang ke kantor") and
// reads it to an officer, who also has the resident's KTP in hand. The officer types the code and the NIK
// off the KTP; we show back what the registry says of that NIK, masked (the officer compares it with the
// card, not copies it), and on confirmation link the chat with proof 'in_person' and the officer's id.
//
// Who: whoever works with residents' chats — 'complaints.work' (operator, supervisor, admin), the same
// permission the live handover asks for. Scope: the member's household must lie in the officer's kecamatan
// unless the officer is city-wide. Registry members carry no bidang, so only the kecamatan narrows.
// Every refusal changes nothing: no link, the code still waiting, no audit row.

export const IN_PERSON_PERMISSION: Permission = 'complaints.work';

export type InPersonRefusal =
  /** No waiting counter code by that name: never given, expired, used, or mistyped. */
  | 'unknown_code'
  /** Not 16 digits, or no member with that NIK. */
  | 'unknown_nik'
  /** The NIK is listed in more than one household: a registry finding to settle first. */
  | 'ambiguous_nik'
  /** The member's household lies outside the officer's kecamatan. */
  | 'out_of_scope'
  /** The registry marks the member deceased: no chat may speak for them. */
  | 'deceased';

/** What the officer compares with the KTP in front of them. */
export interface CounterMatch {
  contactId: number;
  memberId: number;
  householdId: number;
  /** 'S*** A****' */
  maskedName: string;
  /** YYYY-MM-DD, as on the KTP. */
  birthDate: string;
  kelurahan: string;
  kecamatan: string;
  /** The chat's channel (webchat, telegram, ...). */
  channel: string;
  /** The chat already speaks for someone (a new link replaces it). */
  alreadyLinked: boolean;
}

export type InPersonResult = { ok: true; match: CounterMatch } | { ok: false; reason: InPersonRefusal };

export interface CounterInput {
  code: string;
  nik: string;
  now: Date;
}

async function resolve(db: Db, actor: Actor, input: CounterInput): Promise<InPersonResult & { codeId?: number }> {
  requirePermission(actor, IN_PERSON_PERMISSION);
  const chat = await chatOfCounterCode(db, input.code, input.now);
  if (!chat) return { ok: false, reason: 'unknown_code' };
  const nik = input.nik.replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(nik)) return { ok: false, reason: 'unknown_nik' };
  const found = await db
    .select({
      memberId: members.id,
      householdId: members.householdId,
      name: members.name,
      birthDate: members.birthDate,
      deceased: members.deceased,
      kelurahan: kelurahan.name,
      kecamatanId: kecamatan.id,
      kecamatan: kecamatan.name,
    })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .where(eq(members.nik, nik))
    .limit(2);
  if (found.length === 0) return { ok: false, reason: 'unknown_nik' };
  if (found.length > 1) return { ok: false, reason: 'ambiguous_nik' };
  const m = found[0]!;
  if (!inScope({ kecamatanId: actor.kecamatanId, bidang: null }, { kecamatanId: m.kecamatanId, bidang: null })) return { ok: false, reason: 'out_of_scope' };
  if (m.deceased) return { ok: false, reason: 'deceased' };
  const [c] = await db.select({ channel: contacts.channel, memberId: contacts.memberId }).from(contacts).where(eq(contacts.id, chat.contactId));
  if (!c) return { ok: false, reason: 'unknown_code' };
  return {
    ok: true,
    codeId: chat.codeId,
    match: {
      contactId: chat.contactId,
      memberId: m.memberId,
      householdId: m.householdId,
      maskedName: maskName(m.name),
      birthDate: m.birthDate,
      kelurahan: m.kelurahan,
      kecamatan: m.kecamatan,
      channel: c.channel,
      alreadyLinked: c.memberId !== null,
    },
  };
}

/** The chat waiting with this counter code and the member with this NIK, masked, for the officer to compare. */
export async function findForCounter(db: Db, actor: Actor, input: CounterInput): Promise<InPersonResult> {
  const r = await resolve(db, actor, input);
  if (!r.ok) return r;
  await audit(db, actor, { action: 'identity.counter_read', entity: 'member', entityId: r.match.memberId, details: { contactId: r.match.contactId }, at: input.now });
  return { ok: true, match: r.match };
}

/** Checks everything again and links the chat to the member with proof 'in_person'; the code is used up. */
export async function linkInPerson(db: Db, env: IdentityEnv, actor: Actor, input: CounterInput): Promise<InPersonResult> {
  requirePermission(actor, IN_PERSON_PERMISSION);
  return db.transaction(async (tx) => {
    const r = await resolve(tx, actor, input);
    if (!r.ok) return r;
    // Two officers (or a double click) confirming the same code: the second finds it used.
    const [code] = await tx.select({ id: identityCodes.id }).from(identityCodes).where(and(eq(identityCodes.id, r.codeId!), isNull(identityCodes.usedAt))).for('update');
    if (!code) return { ok: false as const, reason: 'unknown_code' as const };
    await useCounterCode(tx, r.codeId!, input.now);
    await linkContact(tx, env, { contactId: r.match.contactId, memberId: r.match.memberId, householdId: r.match.householdId, proof: 'in_person', staff: actor, now: input.now });
    return { ok: true as const, match: r.match };
  });
}
