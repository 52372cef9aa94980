// "Who is this chat?" (DESIGN.md "Identity"). A NIK, a KK number and a birth date are knowledge: all three
// are printed on documents that travel. They find a person in the registry and show what the public Cek
// Bansos shows, nothing more. The chat speaks for the person only when it also has something: the sender is
// the registry phone (WhatsApp, or a Telegram contact of the sender's own account), or it types back the code
// sent to that phone (codes.ts), or an officer saw the KTP (in-person.ts).
//
// Every attempt is limited (limits.ts: per chat, per client address, per member, whatever the outcome) and
// audited without the NIK or the dates. Five mismatches lock the chat for an hour, so nobody walks through
// birth dates for a NIK they found.

import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { contacts, members } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { isValidNik, nikAgrees, normalizeNik } from '../../domain/nik.ts';
import { maskPhone } from '../../domain/phone.ts';
import { audit, auditing } from '../audit.ts';
import type { IdentityEnv } from './env.ts';
import { chatKey, chatLock, limitedUntil, memberChecking, takeLookups, watchVolume } from './limits.ts';
import { linkContact } from './links.ts';
import { publicPrograms, type PublicProgram } from './public-view.ts';
import { provesHousehold, registryPhone, registryPhoneOf, registryPhoneRow, type RegistryPhone, type RegistryPhoneRow } from './registry-phone.ts';

export const MAX_FAILED_VERIFICATIONS = 5;
export const LOCK_MINUTES = 60;

export type LockState = { locked: false; failures: number } | { locked: true; until: Date };

/**
 * The chat's lock: five mismatches, or its lookups for the hour used up. A lock that has run out is cleared
 * here, so the next try starts with a clean count.
 */
export async function lockState(db: Db, env: IdentityEnv, contactId: number, now: Date): Promise<LockState> {
  // The chat's hour of lookups comes along in the same statement (limits.ts peek, by a join), and a lock that has
  // run out is cleared in it (limits.ts chatLock).
  const [c] = rowsOf<{ failures: number; held_until: Date | string | null; cleared: boolean; count: number | null; window_start: Date | string | null }>(
    await db.execute(sql`
      with ${chatLock(contactId, sql`${now.toISOString()}::timestamptz`)}
      select c.failed_verifications as failures, (select locked_until from held) as held_until, exists (select 1 from cleared) as cleared,
        l.count, l.window_start
      from contacts c left join identity_lookup_limits l on l.key = ${chatKey(contactId)}
      where c.id = ${contactId}`),
  );
  if (!c) throw new Error(`contact ${contactId} not found`);
  if (c.held_until !== null) return { locked: true, until: new Date(c.held_until) };
  const window = c.count === null || c.window_start === null ? undefined : { count: Number(c.count), windowStart: new Date(c.window_start) };
  const limited = limitedUntil(window, now, env.limits.perChatHour);
  if (limited) return { locked: true, until: limited };
  return { locked: false, failures: c.cleared ? 0 : c.failures };
}

/**
 * Counts a mismatch. The fifth locks the chat for an hour and resets the counter. One UPDATE reading the old
 * row, so two messages handled at once cannot both count as the fourth failure.
 */
export async function recordFailure(db: Db, contactId: number, now: Date): Promise<LockState> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const lockUntil = sql`${new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString()}::timestamptz`;
  const stillLocked = sql`(${contacts.lockedUntil} is not null and ${contacts.lockedUntil} > ${at})`;
  // An expired lock counts as no lock: the count starts again from zero.
  const previous = sql`(case when ${contacts.lockedUntil} is not null then 0 else ${contacts.failedVerifications} end)`;
  const reachesLimit = sql`(${previous} + 1 >= ${MAX_FAILED_VERIFICATIONS})`;
  const [row] = await db
    .update(contacts)
    .set({
      failedVerifications: sql`case when ${stillLocked} then ${contacts.failedVerifications} when ${reachesLimit} then 0 else ${previous} + 1 end`,
      lockedUntil: sql`case when ${stillLocked} then ${contacts.lockedUntil} when ${reachesLimit} then ${lockUntil} else null end`,
    })
    .where(eq(contacts.id, contactId))
    .returning({ failures: contacts.failedVerifications, lockedUntil: contacts.lockedUntil });
  if (!row) throw new Error(`contact ${contactId} not found`);
  return row.lockedUntil ? { locked: true, until: row.lockedUntil } : { locked: false, failures: row.failures };
}

export type RegistryVerdict =
  | { outcome: 'invalid_nik' }
  | { outcome: 'mismatch' }
  | { outcome: 'not_found' }
  /** `allowed`: with a member check, whether this chat may look the member up today. */
  | { outcome: 'match'; memberId: number; householdId: number; deceased: boolean; allowed?: boolean };

/** The chat's look at a member today, counted by registryVerdict when the facts match (limits.ts). */
export interface MemberCheck {
  contactId: number;
  day: string;
  limit: number;
}

/**
 * Checks NIK, KK number and birth date against the registry. A wrong KK and a wrong birth date are both
 * `mismatch`, and the registry is read in every case past the format check, so neither the answer nor its
 * timing says which fact was wrong. With `memberCheck`, a match is also counted against the member's chats of
 * the day in the same statement (`allowed`: limits.ts memberChecking).
 */
export async function registryVerdict(db: Db, input: { nik: string; noKk: string; birthDate: string; memberCheck?: MemberCheck }): Promise<RegistryVerdict> {
  const nik = normalizeNik(input.nik);
  if (!isValidNik(nik)) return { outcome: 'invalid_nik' };
  const agrees = nikAgrees(nik, input.birthDate);
  const check = agrees ? input.memberCheck : undefined;
  const [row] = rowsOf<{ found: number; id: number | string | null; household_id: number | string | null; deceased: boolean | null; allowed?: boolean }>(
    await db.execute(sql`
      with found as (
        select m.id, m.household_id, m.deceased, m.updated_at as member_updated, h.updated_at as household_updated,
          to_char(m.birth_date, 'YYYY-MM-DD') = ${input.birthDate} and h.no_kk = ${normalizeNik(input.noKk)} as matches
        from members m join households h on h.id = m.household_id
        where m.nik = ${nik}
      ), hit as (
        -- The same NIK in two families is a registry finding; the living, most recently updated record wins.
        select id, household_id, deceased from found where matches
        order by deceased asc, member_updated desc, household_updated desc, id desc
        limit 1
      )${check ? sql`, ${memberChecking(sql`(select id from hit)`, check)}` : sql``}
      select (select count(*) from found)::int as found, hit.id, hit.household_id, hit.deceased
        ${check ? sql`, (select seen or added from member_check) as allowed` : sql``}
      from (select 1) one left join hit on true`),
  );
  if (!agrees) return { outcome: 'mismatch' };
  if (!row || Number(row.found) === 0) return { outcome: 'not_found' };
  if (row.id === null) return { outcome: 'mismatch' };
  const verdict = { outcome: 'match' as const, memberId: Number(row.id), householdId: Number(row.household_id), deceased: row.deceased === true };
  return check ? { ...verdict, allowed: row.allowed === true } : verdict;
}

/** How the person found by knowledge could prove possession, as far as the chat may be told. */
export type PhoneOffer =
  /** A code can go to this registry phone (shown masked). */
  | { kind: 'code'; masked: string }
  /** No phone in the registry, or one listed for two households, or no channel reaches phones: in person only. */
  | { kind: 'none' };

export type CheckIdentityResult =
  | { outcome: 'locked'; until: Date }
  | { outcome: 'invalid_nik' }
  | { outcome: 'limited'; scope: 'address' | 'member'; until?: Date }
  | { outcome: 'mismatch'; remaining: number }
  | { outcome: 'locked_now'; until: Date }
  | { outcome: 'not_found' }
  | { outcome: 'deceased'; memberId: number }
  /** Found by knowledge: the public view, and how to prove possession. The chat stays unlinked. */
  | { outcome: 'knowledge'; memberId: number; householdId: number; programs: PublicProgram[]; offer: PhoneOffer }
  /** Found, and the chat's own phone is the family's registry phone: linked. */
  | { outcome: 'linked'; memberId: number; householdId: number };

export type LookupOutcome = CheckIdentityResult['outcome'];

type LookupAudit = { contactId: number; outcome: LookupOutcome; memberId?: number | null; scope?: string; now?: Date };

/**
 * One audit row per identity attempt. Never the NIK or birth date: the outcome and, when found, the member.
 * Awaited it writes the row; its SQL can go into the statement of the attempt's last read (auditing()).
 */
function lookupAudit(db: Db, input: LookupAudit) {
  return auditing(db, { kind: 'resident', contactId: input.contactId }, {
    action: 'identity.lookup',
    entity: 'member',
    entityId: input.memberId ?? null,
    details: input.scope ? { outcome: input.outcome, scope: input.scope } : { outcome: input.outcome },
    at: input.now,
  });
}

export interface CheckIdentityInput {
  contactId: number;
  nik: string;
  noKk: string;
  birthDate: string;
  now: Date;
  timeZone: string;
  /** The web chat client's address (TRUST_PROXY decides where it is read); absent on other channels. */
  clientAddress?: string;
}

/**
 * The identity step's whole check: the chat's lock, the lookup limits, the registry, and, when the person is
 * found, the registry phone. A typo (not a NIK at all) is not counted; every lookup that reaches the limits is,
 * whatever its outcome.
 */
export async function checkIdentity(db: Db, env: IdentityEnv, input: CheckIdentityInput): Promise<CheckIdentityResult & { paceMs?: number }> {
  const { contactId, now } = input;
  const { logged, ...result } = await check(db, env, input);
  if (!logged) await lookupAudit(db, { contactId, outcome: result.outcome, memberId: 'memberId' in result ? result.memberId : null, scope: result.outcome === 'limited' ? result.scope : undefined, now });
  return result;
}

/** A check's result; `logged` when its audit row was already written in the statement of its last read. */
type Checked = CheckIdentityResult & { paceMs?: number; logged?: true };

async function check(db: Db, env: IdentityEnv, input: CheckIdentityInput): Promise<Checked> {
  const { contactId, now } = input;
  const limits = env.limits;
  // A typo (not a NIK at all) counts nothing: only the lock is read. A NIK is counted against every limit in the
  // statement that reads the lock (takeLookups).
  if (!isValidNik(normalizeNik(input.nik))) {
    const lock = await lockState(db, env, contactId, now);
    return lock.locked ? { outcome: 'locked', until: lock.until } : { outcome: 'invalid_nik' };
  }
  const taken = await takeLookups(db, limits, { contactId, address: input.clientAddress, now });
  if (taken.held) return { outcome: 'locked', until: taken.until };
  if (!taken.chat.ok) return { outcome: 'locked', until: taken.chat.until };
  if (taken.address && !taken.address.ok) return { outcome: 'limited', scope: 'address', until: taken.address.until };
  // Past the city's threshold the answer is held back, never refused (limits.ts).
  const { paceMs } = await watchVolume(db, limits, now, taken.city!);

  const verdict = await registryVerdict(db, { ...input, memberCheck: { contactId, day: todayIn(input.timeZone, now), limit: limits.chatsPerMemberDay } });
  switch (verdict.outcome) {
    case 'invalid_nik':
    case 'not_found':
      return { outcome: verdict.outcome, paceMs };
    case 'mismatch': {
      const after = await recordFailure(db, contactId, now);
      if (after.locked) return { outcome: 'locked_now', until: after.until, paceMs };
      return { outcome: 'mismatch', remaining: MAX_FAILED_VERIFICATIONS - after.failures, paceMs };
    }
    case 'match':
      break;
  }
  const { memberId, householdId } = verdict;
  if (!verdict.allowed) return { outcome: 'limited', scope: 'member', paceMs };
  // A deceased member's record is not a key to the family's data: the flow offers to report it as wrong.
  if (verdict.deceased) return { outcome: 'deceased', memberId, paceMs };

  const found = await clearFailures(db, { contactId, memberId, householdId });
  if (found.ownPhoneProves) {
    await linkContact(db, env, { contactId, memberId, householdId, proof: 'registry_phone', now });
    return { outcome: 'linked', memberId, householdId, paceMs };
  }
  const logged = lookupAudit(db, { contactId, outcome: 'knowledge', memberId, now }).getSQL();
  const programs = await publicPrograms(db, memberId, logged);
  return { outcome: 'knowledge', memberId, householdId, programs, offer: offerOf(env, found.registry), paceMs, logged: true };
}

/**
 * After a match, one statement: the chat's failed tries cleared, whether the chat's own number is the family's
 * registry phone (and no other family's: provesHousehold), and the registry phone a code could go to.
 */
async function clearFailures(db: Db, input: { contactId: number; memberId: number; householdId: number }): Promise<{ ownPhoneProves: boolean; registry: RegistryPhone }> {
  const { contactId, memberId, householdId } = input;
  const [row] = rowsOf<RegistryPhoneRow & { proves: boolean | null }>(
    await db.execute(sql`
      with cleared as (update contacts set failed_verifications = 0 where id = ${contactId} returning phone),
      registry as (${registryPhoneRow(sql`${householdId}::bigint`, memberId)})
      select
        (select count(distinct m.household_id) = 1 and bool_and(m.household_id = ${householdId}::bigint)
           from members m where m.phone_norm = (select phone from cleared)) as proves,
        registry.phone, registry.households
      from (select 1) one left join registry on true`),
  );
  return { ownPhoneProves: row?.proves === true, registry: registryPhone(row) };
}

/** Whether a code can go to this member's registry phone, and the number masked as the chat may see it. */
export async function phoneOffer(db: Db, env: IdentityEnv, memberId: number): Promise<PhoneOffer> {
  if (!env.phoneChannel) return { kind: 'none' };
  return offerOf(env, await registryPhoneOf(db, memberId));
}

/** The offer a registry phone makes: a code when a channel reaches phones and the number is the family's alone. */
function offerOf(env: IdentityEnv, registry: RegistryPhone): PhoneOffer {
  return env.phoneChannel && registry.kind === 'phone' ? { kind: 'code', masked: maskPhone(registry.phone) } : { kind: 'none' };
}

/**
 * The proof a chat gives by its own number after it was found by knowledge: a Telegram contact the user
 * shared of their own account (the channel checked that), or a phone channel's sender. Links when the number
 * is the family's registry phone and no other family's.
 */
export async function proveByOwnPhone(db: Db, env: IdentityEnv, input: { contactId: number; memberId: number; now: Date }): Promise<{ linked: true; householdId: number } | { linked: false }> {
  const [row] = await db
    .select({ phone: contacts.phone, householdId: members.householdId, deceased: members.deceased })
    .from(contacts)
    .innerJoin(members, eq(members.id, input.memberId))
    .where(eq(contacts.id, input.contactId));
  if (!row || row.deceased || !(await provesHousehold(db, row.phone, row.householdId))) {
    await audit(db, { kind: 'resident', contactId: input.contactId }, { action: 'identity.phone_refused', entity: 'member', entityId: input.memberId, at: input.now });
    return { linked: false };
  }
  await linkContact(db, env, { contactId: input.contactId, memberId: input.memberId, householdId: row.householdId, proof: 'registry_phone', now: input.now });
  return { linked: true, householdId: row.householdId };
}
