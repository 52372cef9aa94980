// Identity before data. A chat that gets the NIK–birth date pair wrong five times is locked for an hour,
// so nobody can walk through birth dates for a NIK they found; every attempt is audited. Walking through
// NIKs is held back by the lookup limits of rate-limit.ts (per chat and city-wide).

import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { audit } from '../audit.ts';
import { contacts, identityLookupLimits } from '../../db/schema/index.ts';
import { verifyIdentity } from '../aid/summary.ts';
import { isValidNik, normalizeNik } from '../../domain/nik.ts';
import { chatKey, chatLimitedUntil, CITY_KEY, cityBusy, countFailedLookup, DEFAULT_FAILED_LOOKUPS_PER_MINUTE, takeChatLookup, type Window } from './rate-limit.ts';

export const MAX_FAILED_VERIFICATIONS = 5;
export const LOCK_MINUTES = 60;

export type LockState = { locked: false; failures: number } | { locked: true; until: Date };

/**
 * The chat's lock: five mismatches, or its lookups for the hour used up. A lock that has run out is cleared
 * here, so the next try starts with a clean count.
 */
export async function lockState(db: Db, contactId: number, now: Date): Promise<LockState> {
  return lockFrom(db, contactId, await identityState(db, contactId), now);
}

interface IdentityState {
  failures: number;
  lockedUntil: Date | null;
  memberId: number | null;
  chat?: Window;
  city?: Window;
}

const chatLimit = alias(identityLookupLimits, 'chat_limit');
const cityLimit = alias(identityLookupLimits, 'city_limit');

/**
 * The chat's lock, the member it proved to be, and both lookup windows, in one query: this runs on every
 * identity check, and each round trip is held inside the turn's transaction.
 */
async function identityState(db: Db, contactId: number): Promise<IdentityState> {
  const [c] = await db
    .select({
      failures: contacts.failedVerifications,
      lockedUntil: contacts.lockedUntil,
      memberId: contacts.memberId,
      chatCount: chatLimit.count,
      chatStart: chatLimit.windowStart,
      cityCount: cityLimit.count,
      cityStart: cityLimit.windowStart,
    })
    .from(contacts)
    .leftJoin(chatLimit, eq(chatLimit.key, chatKey(contactId)))
    .leftJoin(cityLimit, eq(cityLimit.key, CITY_KEY))
    .where(eq(contacts.id, contactId));
  if (!c) throw new Error(`contact ${contactId} not found`);
  return {
    failures: c.failures,
    lockedUntil: c.lockedUntil,
    memberId: c.memberId,
    chat: c.chatStart && c.chatCount !== null ? { count: c.chatCount, windowStart: c.chatStart } : undefined,
    city: c.cityStart && c.cityCount !== null ? { count: c.cityCount, windowStart: c.cityStart } : undefined,
  };
}

async function lockFrom(db: Db, contactId: number, c: IdentityState, now: Date): Promise<LockState> {
  if (c.lockedUntil && c.lockedUntil > now) return { locked: true, until: c.lockedUntil };
  const limited = chatLimitedUntil(c.chat, now);
  if (limited) return { locked: true, until: limited };
  if (c.lockedUntil) {
    await db.update(contacts).set({ lockedUntil: null, failedVerifications: 0 }).where(eq(contacts.id, contactId));
    return { locked: false, failures: 0 };
  }
  return { locked: false, failures: c.failures };
}

/**
 * Counts a failed check. The fifth locks the chat for an hour and resets the counter. One UPDATE reading
 * the old row, so two messages handled at once cannot both count as the fourth failure.
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

/** Links the chat to the member it proved to be, and forgets earlier failures. */
export async function recordSuccess(db: Db, contactId: number, memberId: number, now: Date): Promise<void> {
  await db
    .update(contacts)
    .set({ memberId, verifiedAt: now, failedVerifications: 0, lockedUntil: null })
    .where(eq(contacts.id, contactId));
}

/** `busy`: the city-wide limit answered instead of the registry. The registry answered only the last four. */
export type LookupOutcome = 'locked' | 'invalid_nik' | 'busy' | 'mismatch' | 'locked_now' | 'not_found' | 'match';

/** One audit row per identity attempt. Never the NIK or birth date: the outcome and, on a match, the member. */
export async function auditLookup(
  db: Db,
  input: { contactId: number; outcome: LookupOutcome; memberId?: number | null; now?: Date },
): Promise<void> {
  await audit(db, { kind: 'resident', contactId: input.contactId }, {
    action: 'identity.lookup',
    entity: 'member',
    entityId: input.memberId ?? null,
    details: { outcome: input.outcome },
    at: input.now,
  });
}

export type CheckIdentityResult =
  | { outcome: 'locked'; until: Date }
  | { outcome: 'invalid_nik' }
  | { outcome: 'busy' }
  | { outcome: 'mismatch'; remaining: number }
  | { outcome: 'locked_now'; until: Date }
  | { outcome: 'not_found' }
  | { outcome: 'match'; memberId: number; householdId: number; deceased: boolean };

/**
 * Everything the identity step of a flow needs: lock check, lookup limits, registry check, counting,
 * linking, audit. A typo (not a NIK at all) and an unknown NIK do not count as failures: neither tells the
 * resident anything about someone else. A mismatch does, since it is what guessing birth dates looks like.
 *
 * Lookup limits (rate-limit.ts): a lookup that reaches the registry uses one of the chat's lookups
 * for the hour. While the city-wide minute of failed lookups is full, a chat not yet verified is told to
 * try again in a few minutes, and the registry is not read; a lookup already under way when it filled has
 * its failed answer withheld the same way. `failedLookupsPerMinute` is IDENTITY_FAILED_LOOKUPS_PER_MINUTE.
 */
export async function checkIdentity(
  db: Db,
  input: { contactId: number; nik: string; birthDate: string; now: Date; failedLookupsPerMinute?: number },
): Promise<CheckIdentityResult> {
  const { contactId, now } = input;
  const limit = input.failedLookupsPerMinute ?? DEFAULT_FAILED_LOOKUPS_PER_MINUTE;
  const state = await identityState(db, contactId);
  const lock = await lockFrom(db, contactId, state, now);
  if (lock.locked) {
    await auditLookup(db, { contactId, outcome: 'locked', now });
    return { outcome: 'locked', until: lock.until };
  }
  // Not a NIK at all: nothing to look up, nothing to count.
  if (!isValidNik(normalizeNik(input.nik))) {
    await auditLookup(db, { contactId, outcome: 'invalid_nik', now });
    return { outcome: 'invalid_nik' };
  }

  const verified = state.memberId !== null;
  if (!verified && cityBusy(state.city, now, limit)) {
    await auditLookup(db, { contactId, outcome: 'busy', now });
    return { outcome: 'busy' };
  }
  const taken = await takeChatLookup(db, contactId, now);
  if (!taken.ok) {
    await auditLookup(db, { contactId, outcome: 'locked', now });
    return { outcome: 'locked', until: taken.until };
  }

  const verdict = await verifyIdentity(db, { nik: input.nik, birthDate: input.birthDate });
  if ((verdict.outcome === 'not_found' || verdict.outcome === 'mismatch') && !(await countFailedLookup(db, now, limit)) && !verified) {
    await auditLookup(db, { contactId, outcome: 'busy', now });
    return { outcome: 'busy' };
  }
  switch (verdict.outcome) {
    case 'invalid_nik':
    case 'not_found':
      await auditLookup(db, { contactId, outcome: verdict.outcome, now });
      return { outcome: verdict.outcome };
    case 'mismatch': {
      const after = await recordFailure(db, contactId, now);
      if (after.locked) {
        await auditLookup(db, { contactId, outcome: 'locked_now', now });
        return { outcome: 'locked_now', until: after.until };
      }
      await auditLookup(db, { contactId, outcome: 'mismatch', now });
      return { outcome: 'mismatch', remaining: MAX_FAILED_VERIFICATIONS - after.failures };
    }
    case 'match':
      // A deceased member's record is not a key to the family's data: the chat stays unlinked, and the
      // flow offers to report the data as wrong instead.
      if (!verdict.deceased) await recordSuccess(db, contactId, verdict.memberId, now);
      await auditLookup(db, { contactId, outcome: 'match', memberId: verdict.memberId, now });
      return verdict;
  }
}
