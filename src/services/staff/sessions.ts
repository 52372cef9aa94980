import { and, eq, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffSessions, staffUsers } from '../../db/schema/index.ts';
import { type StaffRole } from '../../domain/vocabulary.ts';
import { Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';
import { burnVerify, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { randomToken, secretsEqual, sha256 } from './secrets.ts';
import { normalizeEmail } from './users.ts';

// Console sign-in. Sessions live in Postgres (any process can check them) and are keyed by the SHA-256 of the
// cookie, so a leaked database dump holds no usable cookie.

/** Failed passwords in a row before the account rests. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 4 * 3_600_000;
/** …and in any case this long after sign-in: one working day. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
// Sliding the idle deadline on every request would write on every request; a minute's slack is harmless.
const SLIDE_GRANULARITY_MS = 60_000;

export interface StaffIdentity {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  kecamatanId: number | null;
  bidang: Bidang | null;
}

export type LoginResult =
  | { ok: true; sessionToken: string; csrfToken: string; expiresAt: Date; staff: StaffIdentity }
  // `until` only for a known, locked account: the person at the keyboard needs to know when to retry.
  | { ok: false; reason: 'invalid' | 'locked'; until?: Date };

export interface LoginInput {
  email: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
}

export async function login(db: Db, input: LoginInput): Promise<LoginResult> {
  const now = input.now ?? new Date();
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, normalizeEmail(input.email)));

  // Unknown, inactive and locked accounts all spend one argon2 verification, like a wrong password does.
  if (!user || !user.active) {
    await burnVerify(input.password);
    return { ok: false, reason: 'invalid' };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await burnVerify(input.password); // a guess during the lockout learns nothing, right or wrong
    return { ok: false, reason: 'locked', until: user.lockedUntil };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const until = await recordFailure(db, user.id, now);
    if (until) {
      await audit(db, { kind: 'system' }, { action: 'staff.locked', entity: 'staff_user', entityId: user.id, ip: input.ip ?? null });
      return { ok: false, reason: 'locked', until };
    }
    return { ok: false, reason: 'invalid' };
  }

  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const staff = identityOf(user);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ failedLogins: 0, lockedUntil: null }).where(eq(staffUsers.id, user.id));
    await tx.insert(staffSessions).values({
      tokenHash: sha256(sessionToken),
      staffId: user.id,
      csrfToken,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      expiresAt,
      createdAt: now,
    });
    await audit(tx, actorOf(staff, input.ip), { action: 'staff.login', entity: 'staff_user', entityId: user.id });
  });
  return { ok: true, sessionToken, csrfToken, expiresAt, staff };
}

/**
 * Counts a wrong password in one statement, so parallel guesses cannot slip past the limit. On the
 * MAX_FAILED_LOGINS-th failure the account locks and the counter starts again for after the lockout.
 * Returns the lock's end when this failure locked the account.
 */
async function recordFailure(db: Db, staffId: number, now: Date): Promise<Date | null> {
  const until = new Date(now.getTime() + LOCKOUT_MS);
  const reached = sql`${staffUsers.failedLogins} + 1 >= ${MAX_FAILED_LOGINS}`;
  const [row] = await db
    .update(staffUsers)
    .set({
      failedLogins: sql`case when ${reached} then 0 else ${staffUsers.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${reached} then ${until.toISOString()}::timestamptz else ${staffUsers.lockedUntil} end`,
    })
    .where(eq(staffUsers.id, staffId))
    .returning({ lockedUntil: staffUsers.lockedUntil });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

export interface Session {
  actor: Actor;
  csrfToken: string;
  staff: StaffIdentity;
  expiresAt: Date;
}

/**
 * The session behind a cookie, or null when it is unknown, logged out, expired, or its user was deactivated.
 * Role and scope come from the user row each time, so an admin's change applies on the next request.
 */
export async function authenticate(db: Db, sessionToken: string | null | undefined, now: Date = new Date(), ip?: string): Promise<Session | null> {
  if (!sessionToken || sessionToken.length > 100) return null;
  const tokenHash = sha256(sessionToken);
  const [row] = await db
    .select({ session: staffSessions, user: staffUsers })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
    .where(eq(staffSessions.tokenHash, tokenHash));
  if (!row) return null;
  const { session, user } = row;
  if (session.expiresAt <= now) {
    await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
    return null;
  }
  if (!user.active) return null;

  let expiresAt = session.expiresAt;
  const slid = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_MS));
  if (slid.getTime() - expiresAt.getTime() >= SLIDE_GRANULARITY_MS) {
    await db.update(staffSessions).set({ expiresAt: slid }).where(eq(staffSessions.tokenHash, tokenHash));
    expiresAt = slid;
  }
  const staff = identityOf(user);
  return { actor: actorOf(staff, ip), csrfToken: session.csrfToken, staff, expiresAt };
}

/** Ends the session; the same cookie is refused from now on. Unknown tokens are ignored. */
export async function logout(db: Db, sessionToken: string | null | undefined): Promise<void> {
  if (!sessionToken) return;
  const [gone] = await db
    .delete(staffSessions)
    .where(eq(staffSessions.tokenHash, sha256(sessionToken)))
    .returning({ staffId: staffSessions.staffId });
  if (gone) await audit(db, { kind: 'staff', id: gone.staffId }, { action: 'staff.logout', entity: 'staff_user', entityId: gone.staffId });
}

/** Form posts carry the session's CSRF token; compared in constant time. */
export function checkCsrf(sessionCsrf: string, submitted: string | null | undefined): boolean {
  return secretsEqual(sessionCsrf, submitted);
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong_password' | 'too_short' | 'too_long' | 'locked' };

/**
 * Changes the signed-in user's own password after checking the current one (a wrong one counts toward the
 * lockout, so an unattended console cannot be used to guess). Every other session of the user ends; the one
 * named by `sessionToken` survives so the person is not thrown out of the tab they are using.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { current: string; next: string; sessionToken?: string; now?: Date },
): Promise<ChangePasswordResult> {
  if (actor.kind !== 'staff') throw new Forbidden('self', 'only a signed-in staff user has a password');
  const now = input.now ?? new Date();
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, actor.id));
  if (!user || !user.active) throw new Forbidden('self', 'no such active staff user');
  if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: 'locked' };
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    return (await recordFailure(db, user.id, now)) ? { ok: false, reason: 'locked' } : { ok: false, reason: 'wrong_password' };
  }
  const problem = passwordProblem(input.next);
  if (problem) return { ok: false, reason: problem };

  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, passwordChangedAt: now, failedLogins: 0 }).where(eq(staffUsers.id, user.id));
    const others = input.sessionToken ? ne(staffSessions.tokenHash, sha256(input.sessionToken)) : undefined;
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, user.id), others));
    await audit(tx, actor, { action: 'staff.password_change', entity: 'staff_user', entityId: user.id });
  });
  return { ok: true };
}

/** Housekeeping for a periodic job: expired sessions are already refused, this only frees the rows. */
export async function purgeExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const gone = await db.delete(staffSessions).where(lte(staffSessions.expiresAt, now)).returning({ staffId: staffSessions.staffId });
  return gone.length;
}

function identityOf(user: typeof staffUsers.$inferSelect): StaffIdentity {
  return { id: user.id, email: user.email, name: user.name, role: user.role, kecamatanId: user.kecamatanId, bidang: user.bidang };
}

function actorOf(staff: StaffIdentity, ip?: string | null): Actor {
  return { kind: 'staff', id: staff.id, role: staff.role, kecamatanId: staff.kecamatanId, bidang: staff.bidang, ...(ip ? { ip } : {}) };
}
