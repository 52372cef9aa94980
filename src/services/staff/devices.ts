import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffDevices, staffUsers } from '../../db/schema/index.ts';
import { randomToken, sha256 } from './secrets.ts';

// Browsers that have signed in before (OWASP's "device cookie"). A successful sign-in leaves a random token in
// an HttpOnly cookie; the database keeps its SHA-256 with the account it signed in to. On the next sign-in
// to that account, the browser counts only on its own back-off key (throttle.ts), never on the account-wide
// one or its address's: an outsider who keeps guessing at an account, even from the same office NAT, cannot
// keep its owner out of the browser they always use. A stolen cookie buys nothing but that same per-browser
// pace of guesses, and only at the accounts that browser signed in to.

/** A browser stays known this long after its last sign-in to the account; the cookie lives as long. */
export const DEVICE_TTL_MS = 90 * 24 * 3_600_000;

// A cookie longer than any token we issue is not looked up.
const MAX_TOKEN_LENGTH = 100;

/**
 * The SHA-256 of the browser's token when that browser signed in to the account with this e-mail within
 * DEVICE_TTL_MS, else null. One query whether or not the e-mail is an account, so its time tells nothing.
 */
export async function knownDevice(db: Db, token: string | null | undefined, normalizedEmail: string, now: Date): Promise<string | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const tokenHash = sha256(token);
  const [row] = await db
    .select({ staffId: staffDevices.staffId })
    .from(staffDevices)
    .innerJoin(staffUsers, eq(staffUsers.id, staffDevices.staffId))
    .where(and(eq(staffDevices.tokenHash, tokenHash), eq(staffUsers.email, normalizedEmail), gt(staffDevices.lastSignInAt, new Date(now.getTime() - DEVICE_TTL_MS))));
  return row ? tokenHash : null;
}

/**
 * Records that this browser signed in to the account and returns the token for its cookie. A browser keeps
 * one token for every account it signs in to (colleagues sharing a counter PC each stay known on it), but
 * only a token this service issued is kept: any other value is replaced, so a value someone chose and planted
 * in a colleague's browser is never adopted. (A planted token that was issued, to the planter's own browser,
 * would give that browser only the per-browser pace of guesses at the colleague's account: no more than one
 * address gets anyway.)
 */
export async function rememberDevice(db: Db, presented: string | null | undefined, staffId: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
  let token = presented && presented.length <= MAX_TOKEN_LENGTH ? presented : null;
  if (token) {
    const [issued] = await db.select({ staffId: staffDevices.staffId }).from(staffDevices).where(eq(staffDevices.tokenHash, sha256(token))).limit(1);
    if (!issued) token = null;
  }
  token ??= randomToken();
  await db
    .insert(staffDevices)
    .values({ tokenHash: sha256(token), staffId, lastSignInAt: now, createdAt: now })
    .onConflictDoUpdate({ target: [staffDevices.tokenHash, staffDevices.staffId], set: { lastSignInAt: now } });
  return { token, expiresAt: new Date(now.getTime() + DEVICE_TTL_MS) };
}

/** After an admin's password reset: no browser counts as the owner's until they sign in again. */
export async function forgetDevices(db: Db, staffId: number): Promise<void> {
  await db.delete(staffDevices).where(eq(staffDevices.staffId, staffId));
}

/** Housekeeping: browsers no longer known take only room. */
export async function purgeOldDevices(db: Db, now: Date): Promise<number> {
  const gone = await db
    .delete(staffDevices)
    .where(lte(staffDevices.lastSignInAt, new Date(now.getTime() - DEVICE_TTL_MS)))
    .returning({ staffId: staffDevices.staffId });
  return gone.length;
}
