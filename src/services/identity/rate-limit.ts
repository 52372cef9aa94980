// Limits on identity lookups, against someone walking through NIKs to learn which are registered (issue 8).
// The five-mismatch lock does not stop that: an unknown NIK is not a failure (it tells the resident nothing
// about someone else), and a birth date is easy to derive from a NIK. So:
// - per chat: at most CHAT_LOOKUPS_PER_HOUR lookups reach the registry in an hour, whatever their outcome;
// - city-wide: once failed lookups (not found, mismatch) from all chats reach the limit within a minute,
//   chats not yet verified get "busy, try again in a few minutes" without the registry being read, until
//   the minute is over. Verified chats keep working.
// Both are one small row in Postgres, so every process shares them. Matches never write the city row: a
// city checking thousands of legitimate residents a second only ever reads it.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { identityLookupLimits } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';

export const CHAT_LOOKUPS_PER_HOUR = 10;
export const CHAT_WINDOW_MS = 60 * 60_000;
/** The default of IDENTITY_FAILED_LOOKUPS_PER_MINUTE. */
export const DEFAULT_FAILED_LOOKUPS_PER_MINUTE = 120;
export const CITY_WINDOW_MS = 60_000;

/** The row keys: the caller reads both windows with the contact in one query (identity.ts). */
export const CITY_KEY = 'city:failed';
export const chatKey = (contactId: number) => `chat:${contactId}`;

export interface Window {
  count: number;
  windowStart: Date;
}

/**
 * Adds one to a key's window and returns the window after it. One statement: the row lock makes concurrent
 * counts from any process line up, so the count a caller sees is exact. A window that ended starts again
 * at 1. `cap` stops counting there (a flood must not grow the number without end).
 */
async function count(db: Db, key: string, now: Date, windowMs: number, cap: number): Promise<Window> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const ended = sql`${identityLookupLimits.windowStart} <= ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
  const [row] = await db
    .insert(identityLookupLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: identityLookupLimits.key,
      set: {
        count: sql`case when ${ended} then 1 else least(${identityLookupLimits.count} + 1, ${cap}::integer) end`,
        windowStart: sql`case when ${ended} then ${at} else ${identityLookupLimits.windowStart} end`,
      },
    })
    .returning({ count: identityLookupLimits.count, windowStart: identityLookupLimits.windowStart });
  return row!;
}

function open(w: Window | undefined, now: Date, windowMs: number): w is Window {
  return w !== undefined && now.getTime() - w.windowStart.getTime() < windowMs;
}

/** When the chat may look up again, if it has used its lookups for this hour (`w`: the chat's window row). */
export function chatLimitedUntil(w: Window | undefined, now: Date): Date | undefined {
  if (!open(w, now, CHAT_WINDOW_MS) || w.count < CHAT_LOOKUPS_PER_HOUR) return undefined;
  return new Date(w.windowStart.getTime() + CHAT_WINDOW_MS);
}

/** Takes one of the chat's lookups for this hour before the registry is read; false when none is left. */
export async function takeChatLookup(db: Db, contactId: number, now: Date): Promise<{ ok: true } | { ok: false; until: Date }> {
  const w = await count(db, chatKey(contactId), now, CHAT_WINDOW_MS, CHAT_LOOKUPS_PER_HOUR + 1);
  if (w.count <= CHAT_LOOKUPS_PER_HOUR) return { ok: true };
  return { ok: false, until: new Date(w.windowStart.getTime() + CHAT_WINDOW_MS) };
}

/** Whether this minute's failed lookups city-wide have reached the limit (`w`: the city's window row). */
export function cityBusy(w: Window | undefined, now: Date, limit: number): boolean {
  return open(w, now, CITY_WINDOW_MS) && w.count >= limit;
}

/**
 * Counts a failed lookup city-wide. False when it went over the limit: lookups already under way when the
 * minute filled are counted too, so the caller withholds their answer and the number of failed answers
 * given in a minute is never more than the limit. The lookup that fills the minute is audited, once.
 */
export async function countFailedLookup(db: Db, now: Date, limit: number): Promise<boolean> {
  const w = await count(db, CITY_KEY, now, CITY_WINDOW_MS, limit + 1);
  if (w.count === limit) {
    await audit(db, { kind: 'system' }, {
      action: 'identity.rate_limit',
      entity: 'identity',
      details: { scope: 'city', limit, windowSeconds: CITY_WINDOW_MS / 1000 },
      at: now,
    });
  }
  return w.count <= limit;
}
