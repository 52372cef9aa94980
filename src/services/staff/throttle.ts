import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { signinThrottle } from '../../db/schema/index.ts';
import { sha256 } from './secrets.ts';

// Back-off for password guesses (console sign-in and the password change), shared by every process through
// one row per key in Postgres. The old rule (five wrong passwords lock the account for 15 minutes) let any
// outsider keep any account locked for ever with five requests every quarter of an hour. Here, what an outsider
// does mostly slows the outsider:
//
//   pair     one e-mail from one client address: what a person at a keyboard runs into
//   address  one client address, across every e-mail: password spraying from one place
//   account  one e-mail across every address: a distributed guess, with a high limit, and it never holds a
//            browser that has signed in to the account before (devices.ts): that browser has its own key
//   device   one known browser of one account: the only key such a browser's attempts count on
//   password the signed-in user's current password on the change-password form
//
// Every key works the same way: each attempt counts before the password is checked (so a burst of parallel
// guesses cannot slip past while argon2 runs); the `free`-th attempt in a row and each one after it opens a
// wait, from `firstMs`, doubling, up to `capMs`. While a key waits, attempts are refused without
// counting (waiting it out is the cheapest thing to do, and hammering changes nothing). A success forgets the
// key, except `address` (below); a key without attempts for FORGET_MS starts over.
//
// E-mails are keyed by their SHA-256, whether or not they are an account: an unknown e-mail is counted and
// held exactly like a real one, so neither the answer nor the back-off tells which e-mails exist.

export type ThrottleKind = 'pair' | 'address' | 'account' | 'device' | 'password';

export interface BackOff {
  /** Attempts in a row before any wait: the `free`-th opens a wait of firstMs, each later one twice the last. */
  free: number;
  firstMs: number;
  capMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const BACK_OFF: Record<ThrottleKind, BackOff> = {
  // Five tries for someone who half-remembers, then 1, 2, 4 … 32 minutes and one try an hour: an outsider
  // gets about 35 guesses at one account from one address on the first day, then 24 a day.
  pair: { free: 5, firstMs: MINUTE, capMs: HOUR },
  // Twenty: an office behind one NAT address where a few colleagues on new browsers mistype on the same
  // morning (colleagues on their usual browsers are not counted here at all). Spraying one common password
  // over every account from one address gets twenty tries, then the same hourly pace as a pair.
  address: { free: 20, firstMs: MINUTE, capMs: HOUR },
  // A hundred: far beyond what one person can reach (their pair key holds them after five), so only many
  // addresses together reach it. It slows a botnet on one account; the owner's usual browser is exempt.
  account: { free: 100, firstMs: MINUTE, capMs: HOUR },
  device: { free: 5, firstMs: MINUTE, capMs: HOUR },
  password: { free: 5, firstMs: MINUTE, capMs: HOUR },
};

/** A key without any attempt for this long starts again from zero. Far longer than capMs, so waiting out a wait never wipes the count. */
export const FORGET_MS = 24 * HOUR;

/** The kinds whose wait comes from this client's own attempts: saying "please wait" tells it nothing new. */
export const OWN_CLIENT_KINDS: readonly ThrottleKind[] = ['pair', 'address', 'device', 'password'];

export interface ThrottleKey {
  kind: ThrottleKind;
  key: string;
  /** accountOf(e-mail), so an admin can clear every key of one account; null for `address`. */
  account: string | null;
}

/** How an e-mail is kept in the table: its SHA-256 (anything can be typed into the e-mail field). */
export function accountOf(normalizedEmail: string): string {
  return sha256(normalizedEmail);
}

// A request without a known address (never from the HTTP server, which always has a socket) shares one bucket.
const addr = (address: string | null | undefined) => address || 'unknown';

export const throttleKeys = {
  pair: (account: string, address: string | null | undefined): ThrottleKey => ({ kind: 'pair', key: `pair:${account}:${addr(address)}`, account }),
  address: (address: string | null | undefined): ThrottleKey => ({ kind: 'address', key: `address:${addr(address)}`, account: null }),
  account: (account: string): ThrottleKey => ({ kind: 'account', key: `account:${account}`, account }),
  device: (account: string, deviceHash: string): ThrottleKey => ({ kind: 'device', key: `device:${deviceHash}:${account}`, account }),
  password: (account: string): ThrottleKey => ({ kind: 'password', key: `password:${account}`, account }),
};

/** The wait opened by the n-th attempt in a row (0 while within `free`). The SQL in charge() computes the same. */
export function backOffMs(rule: BackOff, attempts: number): number {
  if (attempts < rule.free) return 0;
  return Math.min(rule.capMs, rule.firstMs * 2 ** Math.min(attempts - rule.free, 30));
}

export interface Charged {
  key: ThrottleKey;
  /** Attempts in a row, this one included. */
  attempts: number;
  /** Set when this attempt opened a wait: it was the `free`-th or later. */
  blockedUntil: Date | null;
}

export type Charge = { allowed: true; charged: Charged[] } | { allowed: false; refusedBy: ThrottleKind[] };

class Refused extends Error {
  constructor(readonly kinds: ThrottleKind[]) {
    super('throttled');
  }
}

/**
 * Counts one attempt on every key, all or none: when any key is waiting, nothing is counted and the attempt
 * is refused. Each key is one upsert that takes the row's lock, in key order (two attempts never wait on each
 * other crosswise), inside one transaction, so parallel attempts from any process count one after another.
 */
export async function charge(db: Db, keys: readonly ThrottleKey[], now: Date): Promise<Charge> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const at = sql`${now.toISOString()}::timestamptz`;
  const forgotten = sql`${signinThrottle.updatedAt} <= ${new Date(now.getTime() - FORGET_MS).toISOString()}::timestamptz`;
  try {
    const charged = await db.transaction(async (tx) => {
      const out: Charged[] = [];
      const refused: ThrottleKind[] = [];
      for (const key of sorted) {
        const rule = BACK_OFF[key.kind];
        const attempts = sql`(case when ${forgotten} then 1 else ${signinThrottle.failures} + 1 end)`;
        const wait = sql`least(${rule.capMs}::bigint, ${rule.firstMs}::bigint * power(2, least(${attempts} - ${rule.free}, 30))::bigint)`;
        const firstBlock = backOffMs(rule, 1) > 0 ? new Date(now.getTime() + backOffMs(rule, 1)) : null;
        const [row] = await tx
          .insert(signinThrottle)
          .values({ key: key.key, account: key.account, failures: 1, blockedUntil: firstBlock, updatedAt: now })
          .onConflictDoUpdate({
            target: signinThrottle.key,
            set: {
              failures: attempts,
              blockedUntil: sql`case when ${attempts} >= ${rule.free} then ${at} + (${wait})::double precision * interval '1 millisecond' else null end`,
              updatedAt: now,
            },
            // A key that is waiting is left as it is, and then RETURNING gives no row: that is the refusal.
            setWhere: or(isNull(signinThrottle.blockedUntil), lte(signinThrottle.blockedUntil, now)),
          })
          .returning({ failures: signinThrottle.failures, blockedUntil: signinThrottle.blockedUntil });
        if (!row) refused.push(key.kind);
        else out.push({ key, attempts: row.failures, blockedUntil: row.blockedUntil });
      }
      if (refused.length > 0) throw new Refused(refused); // rolls back what the other keys counted
      return out;
    });
    return { allowed: true, charged };
  } catch (e) {
    if (e instanceof Refused) return { allowed: false, refusedBy: e.kinds };
    throw e;
  }
}

/**
 * After the right password: every key forgets, except `address`, which only takes back this attempt's count
 * (and the wait it opened). A success must not wipe an address's record, or anyone with an account of their
 * own could sign in between guesses at colleagues' accounts and spray without end. If other attempts counted
 * on the address in the meantime, it keeps them all: erring towards the slower side.
 */
export async function settle(db: Db, charged: readonly Charged[]): Promise<void> {
  const forget = charged.filter((c) => c.key.kind !== 'address').map((c) => c.key.key);
  if (forget.length > 0) await db.delete(signinThrottle).where(inArray(signinThrottle.key, forget));
  for (const c of charged.filter((c) => c.key.kind === 'address')) {
    await db
      .update(signinThrottle)
      .set({ failures: c.attempts - 1, blockedUntil: null })
      .where(and(eq(signinThrottle.key, c.key.key), eq(signinThrottle.failures, c.attempts)));
  }
}

/** An admin's unlock or password reset: every key of the account starts over (client addresses' keys stay). */
export async function clearAccount(db: Db, account: string): Promise<void> {
  await db.delete(signinThrottle).where(eq(signinThrottle.account, account));
}

/** Of these accounts, the ones with a key waiting now (for the admin's list of users). */
export async function waitingAccounts(db: Db, accounts: readonly string[], now: Date): Promise<Set<string>> {
  if (accounts.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ account: signinThrottle.account })
    .from(signinThrottle)
    .where(and(inArray(signinThrottle.account, [...accounts]), sql`${signinThrottle.blockedUntil} > ${now.toISOString()}::timestamptz`));
  return new Set(rows.map((r) => r.account!));
}

/** Housekeeping: keys already forgotten (quiet for FORGET_MS and not waiting) are only taking room. */
export async function purgeForgottenKeys(db: Db, now: Date): Promise<number> {
  const gone = await db
    .delete(signinThrottle)
    .where(
      and(
        lt(signinThrottle.updatedAt, new Date(now.getTime() - FORGET_MS)),
        or(isNull(signinThrottle.blockedUntil), lte(signinThrottle.blockedUntil, now)),
      ),
    )
    .returning({ key: signinThrottle.key });
  return gone.length;
}
