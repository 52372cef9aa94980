// Limits on identity lookups (DESIGN.md "Identity"), against someone walking through NIKs with rotating chats:
// - per chat: lookups in an hour, whatever their outcome;
// - per client address (the web chat, where one client can open any number of chats): lookups in an hour;
// - per member: how many different chats looked this person up today. Rotating chats and addresses cannot get
//   around it, and a resident checking themselves from their own phone is never near it.
// None of them is city-wide: a flood must never shut the check for everyone else (issue 15: a city-wide limit
// that refused closed the aid check for every unverified resident for the rest of the minute). Above
// IDENTITY_ALERT_PER_MINUTE the city volume only slows: each lookup past the threshold in that minute has its
// answer held back a little longer (paceMs), up to MAX_PACE_MS, and is still answered; the audit log is told
// once a minute and /metrics counts it. Each limit is one small row in Postgres, so every process shares them,
// and a lookup counts in all of them in one statement (takeLookups). The city's count is spread over
// CITY_LOOKUP_SHARDS rows (issue 21): a count's row stays locked until the turn commits, and one city row made every
// aid check in the city wait for the one before it.

import { and, eq, gt, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { CITY_LOOKUP_KEYS, CITY_LOOKUP_SHARDS, CITY_LOOKUPS_KEY_PREFIX, identityLookupLimits } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import type { IdentityLimits } from './env.ts';

export const HOUR_MS = 60 * 60_000;
export const MINUTE_MS = 60_000;
/** The longest an answer is held back in a flood: a resident waits, but is never turned away. */
export const MAX_PACE_MS = 15_000;

export const cityKey = (contactId: number) => `${CITY_LOOKUPS_KEY_PREFIX}${contactId % CITY_LOOKUP_SHARDS}`;
/** The row that says when the audit log was last told of a flood. */
export const CITY_ALERT_KEY = 'city:alert';
export const chatKey = (contactId: number) => `chat:${contactId}`;
export const addressKey = (address: string) => `address:${address}`;

export interface Window {
  count: number;
  windowStart: Date;
}

/**
 * The upsert that adds one to a key's window and returns the window after it. The row lock makes concurrent
 * counts from any process line up, so the count a caller sees is exact. A window that ended starts again at
 * 1. `cap` stops counting there (a flood must not grow the number without end). `gate`, when given, is the
 * condition under which this key counts at all, read off an earlier part of the same statement (takeLookups).
 */
function upsertCount(key: string | null, now: Date, windowMs: number, cap: number, gate?: SQL): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const ended = sql`identity_lookup_limits.window_start <= ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
  return sql`insert into identity_lookup_limits (key, window_start, count)
    select ${key}::text, ${at}, 1 ${gate ? sql`where ${gate}` : sql``}
    on conflict (key) do update set
      count = case when ${ended} then 1 else least(identity_lookup_limits.count + 1, ${cap}::integer) end,
      window_start = case when ${ended} then ${at} else identity_lookup_limits.window_start end
    returning count, window_start`;
}

type WindowRow = { count: number; window_start: Date | string };
const windowOf = (r: WindowRow): Window => ({ count: Number(r.count), windowStart: new Date(r.window_start) });

/** Adds one to a key's window and returns the window after it. One statement. */
async function count(db: Db, key: string, now: Date, windowMs: number, cap: number): Promise<Window> {
  const [row] = rowsOf<WindowRow>(await db.execute(upsertCount(key, now, windowMs, cap)));
  return windowOf(row!);
}

/** The window of a key as it stands, without counting (the lock notice shown before a NIK is typed). */
export async function peek(db: Db, key: string): Promise<Window | undefined> {
  const [row] = await db.select({ count: identityLookupLimits.count, windowStart: identityLookupLimits.windowStart }).from(identityLookupLimits).where(eq(identityLookupLimits.key, key));
  return row;
}

/** When a key may look up again, if its hour is used up. */
export function limitedUntil(w: Window | undefined, now: Date, limit: number): Date | undefined {
  if (!w || now.getTime() - w.windowStart.getTime() >= HOUR_MS || w.count < limit) return undefined;
  return new Date(w.windowStart.getTime() + HOUR_MS);
}

export type Taken = { ok: true } | { ok: false; until: Date };

/** Takes one lookup of a key's hour before the registry is read. */
export async function takeLookup(db: Db, key: string, limit: number, now: Date): Promise<Taken> {
  return takenOf(await count(db, key, now, HOUR_MS, limit + 1), limit);
}

/** What an hour's window, after this lookup was counted in it, says about the lookup. */
function takenOf(w: Window, limit: number): Taken {
  return w.count <= limit ? { ok: true } : { ok: false, until: new Date(w.windowStart.getTime() + HOUR_MS) };
}

export interface CityMinute {
  count: number;
  alertedAt: Date | null;
}

/** One identity lookup counted against every limit that holds it, as takeLookups saw them. */
export type Lookups =
  /** The chat is locked (five mismatches: verify.ts recordFailure) until then: nothing was counted. */
  | { held: true; until: Date }
  | {
      held: false;
      chat: Taken;
      /** Absent when the lookup came with no client address (every channel but the web chat). */
      address?: Taken;
      /**
       * The city's lookups this minute, this one included, and when the audit log was last told of a flood; absent
       * when a limit above refused the lookup.
       */
      city?: CityMinute;
    };

/**
 * Takes one lookup of the chat's hour, then of the client address's hour, then counts it in the city's minute:
 * one statement (issue 21), each count only when the one before let the lookup through, so a refused lookup
 * uses nothing further down (a flood from one chat neither eats its address's hour nor slows the city). A chat
 * locked by its mismatches counts nothing; a lock that has run out is cleared in the same statement, so the next
 * try starts with a clean count.
 *
 * The city's count goes to this chat's shard, and the city's is read as the sum of the shards still in their
 * minute. The sum sees only committed counts, so turns running at the same moment may each miss the others':
 * the pace is late by at most that many lookups, which an alarm can afford and a locked city row could not.
 * The statement's snapshot does not see its own upsert, so its own shard comes from what the upsert returns.
 */
export async function takeLookups(db: Db, limits: IdentityLimits, input: { contactId: number; address?: string; now: Date }): Promise<Lookups> {
  const { contactId, now } = input;
  const at = sql`${now.toISOString()}::timestamptz`;
  const address = input.address === undefined ? null : addressKey(input.address);
  const city = cityKey(contactId);
  const chatPasses = sql`(select count from chat) <= ${limits.perChatHour}::integer`;
  const addressPasses = sql`(${address}::text is null or (select count from address) <= ${limits.perAddressHour}::integer)`;
  const [row] = rowsOf<{ held_until: Date | string | null; chat_count: number | null; chat_start: Date | string | null; address_count: number | null; address_start: Date | string | null; city_count: number | null; others: number | string | null; alerted_at: Date | string | null }>(
    await db.execute(sql`
      with ${chatLock(contactId, at)},
      chat as (${upsertCount(chatKey(contactId), now, HOUR_MS, limits.perChatHour + 1, sql`not exists (select 1 from held)`)}),
      address as (${upsertCount(address, now, HOUR_MS, limits.perAddressHour + 1, sql`${address}::text is not null and ${chatPasses}`)}),
      city as (${upsertCount(city, now, MINUTE_MS, cityCap(limits), sql`${chatPasses} and ${addressPasses}`)})
      select (select locked_until from held) as held_until,
        chat.count as chat_count, chat.window_start as chat_start,
        (select count from address) as address_count, (select window_start from address) as address_start,
        (select count from city) as city_count,
        (${otherShards(city, now)}) as others,
        (select window_start from identity_lookup_limits where key = ${CITY_ALERT_KEY}) as alerted_at
      from (select 1) one left join chat on true`),
  );
  const r = row!;
  if (r.held_until !== null) return { held: true, until: new Date(r.held_until) };
  return {
    held: false,
    chat: takenOf(windowOf({ count: r.chat_count!, window_start: r.chat_start! }), limits.perChatHour),
    ...(r.address_count === null ? {} : { address: takenOf(windowOf({ count: r.address_count, window_start: r.address_start! }), limits.perAddressHour) }),
    ...(r.city_count === null ? {} : { city: { count: Number(r.city_count) + Number(r.others ?? 0), alertedAt: r.alerted_at === null ? null : new Date(r.alerted_at) } }),
  };
}

/**
 * The chat's lock, as parts of a WITH: `held` (locked_until, while the lock from five mismatches holds) and
 * `cleared` (a row when a lock that had run out was cleared here, with the failures that made it, so the next try
 * starts with a clean count). Read by the lookup (takeLookups) and by the flows before they ask (verify.ts
 * lockState), so the rule is written once.
 */
export function chatLock(contactId: number, at: SQL): SQL {
  return sql`held as (
        select locked_until from contacts where id = ${contactId} and locked_until > ${at}
      ), cleared as (
        update contacts set locked_until = null, failed_verifications = 0 where id = ${contactId} and locked_until <= ${at}
        returning 1
      )`;
}

/**
 * Records that this chat looked the member up today and says whether it may: a chat that looked them up
 * earlier today always may; a new one only while fewer than `limit` chats have. Parts of a WITH (`member`: a
 * subquery for the member's id; none: nothing counted) ending in `member_check (seen, added)`, for the
 * statement that reads the member from the registry (registryVerdict).
 */
export function memberChecking(member: SQL, input: { contactId: number; day: string; limit: number }): SQL {
  const { contactId, day, limit } = input;
  return sql`today as (
      select contact_id from identity_member_checks where member_id = ${member} and day = ${day}
    ), added as (
      insert into identity_member_checks (member_id, day, contact_id)
      select m, ${day}, ${contactId} from (select ${member} as m) one
      where m is not null and not exists (select 1 from today where contact_id = ${contactId}) and (select count(*) from today) < ${limit}::int
      on conflict do nothing
      returning 1
    ), member_check as (
      select exists (select 1 from today where contact_id = ${contactId}) as seen, exists (select 1 from added) as added
    )`;
}

export interface Volume {
  /** This lookup crossed the threshold: the audit log was told. */
  alert: boolean;
  /** How long to hold this lookup's answer back: 0 under the threshold. */
  paceMs: number;
}

/** The most a shard counts to in a minute: enough to reach MAX_PACE_MS, and no further. */
function cityCap(limits: IdentityLimits): number {
  return limits.alertPerMinute + Math.ceil(MAX_PACE_MS / (MINUTE_MS / limits.alertPerMinute)) + 1;
}

/**
 * What the city's count of this minute (takeLookups) means for this lookup. Past the threshold, the n-th extra
 * lookup of the minute waits n spacings of the threshold's pace (60 s / threshold), at most MAX_PACE_MS. While
 * the minute is over the threshold, the audit log is told once a minute.
 */
export async function watchVolume(db: Db, limits: IdentityLimits, now: Date, city: CityMinute): Promise<Volume> {
  const spacing = MINUTE_MS / limits.alertPerMinute;
  const extra = city.count - limits.alertPerMinute;
  if (extra <= 0) return { alert: false, paceMs: 0 };
  const paceMs = Math.min(MAX_PACE_MS, Math.round(extra * spacing));
  if (!(await claimAlert(db, now, city.alertedAt))) return { alert: false, paceMs };
  await audit(db, { kind: 'system' }, {
    action: 'identity.volume',
    entity: 'identity',
    details: { threshold: limits.alertPerMinute, windowSeconds: MINUTE_MS / 1000 },
    at: now,
  });
  return { alert: true, paceMs };
}

/** The lookups of the minute in the city's shards other than `key`. */
function otherShards(key: string, now: Date) {
  const open = gt(identityLookupLimits.windowStart, new Date(now.getTime() - MINUTE_MS));
  const shards = sql`${identityLookupLimits.key} = any(${CITY_LOOKUP_KEYS}::text[])`;
  return sql`select coalesce(sum(${identityLookupLimits.count}), 0) from ${identityLookupLimits} where ${and(shards, open, ne(identityLookupLimits.key, key))}`;
}

/**
 * Whether this lookup is the one to tell the audit log: the first of a minute over the threshold. `alertedAt`
 * was read without a lock (in takeLookups' statement), so a flood's lookups do not queue on the alert row; only
 * the first of each minute writes it.
 */
async function claimAlert(db: Db, now: Date, alertedAt: Date | null): Promise<boolean> {
  const since = new Date(now.getTime() - MINUTE_MS);
  if (alertedAt && alertedAt > since) return false;
  const claimed = await db
    .insert(identityLookupLimits)
    .values({ key: CITY_ALERT_KEY, windowStart: now, count: 1 })
    .onConflictDoUpdate({ target: identityLookupLimits.key, set: { windowStart: now, count: 1 }, setWhere: lte(identityLookupLimits.windowStart, since) })
    .returning({ key: identityLookupLimits.key });
  return claimed.length > 0;
}
