import { and, eq, lte, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffSessions, staffUsers } from '../../db/schema/index.ts';
import { type StaffRole } from '../../domain/vocabulary.ts';
import { Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { fieldScopeOf } from './field-scope.ts';
import { audit } from '../audit.ts';
import { burnVerify, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { randomToken, secretsEqual, sha256 } from './secrets.ts';
import { knownDevice, purgeOldDevices, rememberDevice } from './devices.ts';
import { accountOf, BACK_OFF, backOffMs, charge, OWN_CLIENT_KINDS, purgeForgottenKeys, settle, throttleKeys, type Charged } from './throttle.ts';
import { normalizeEmail } from './users.ts';

// Console sign-in. Sessions live in Postgres (any process can check them) and are keyed by the SHA-256 of the
// cookie, so a leaked database dump holds no usable cookie. Guesses are slowed by throttle.ts, never by a lock
// on the account that an outsider could hold.

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
  /** A field worker's field role (staff_roles.key), when they have one. */
  fieldRole?: string;
}

export type LoginResult =
  | {
      ok: true;
      sessionToken: string;
      csrfToken: string;
      expiresAt: Date;
      staff: StaffIdentity;
      /** The token for this browser's device cookie (devices.ts), new or the one it presented. */
      device: { token: string; expiresAt: Date };
    }
  // One answer for an unknown e-mail, a wrong password, an inactive account and a wait on the account-wide
  // key: 'invalid'. 'throttled' only when this client's own attempts (its address, the e-mail from its address,
  // its browser) are waiting; those keys are kept for unknown e-mails exactly as for real ones, so "please
  // wait" tells the client nothing but what it did itself.
  | { ok: false; reason: 'invalid' | 'throttled' };

export interface LoginInput {
  email: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  /** The device cookie the browser sent, if any. */
  device?: string | null;
  now?: Date;
}

export async function login(db: Db, input: LoginInput): Promise<LoginResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const account = accountOf(email);
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email));
  // A browser that signed in to this account before counts only on its own key; every other one counts on
  // the pair, its address and the account (throttle.ts says why each).
  const device = await knownDevice(db, input.device, email, now);
  const keys = device
    ? [throttleKeys.device(account, device)]
    : [throttleKeys.pair(account, input.ip), throttleKeys.address(input.ip), throttleKeys.account(account)];
  const charged = await charge(db, keys, now);

  // Every way of failing spends one argon2 verification, like a wrong password does: refused by the back-off,
  // an unknown e-mail, an inactive account.
  if (!charged.allowed) {
    await burnVerify(input.password);
    return { ok: false, reason: charged.refusedBy.some((k) => OWN_CLIENT_KINDS.includes(k)) ? 'throttled' : 'invalid' };
  }
  const good = user && user.active ? await verifyPassword(user.passwordHash, input.password) : (await burnVerify(input.password), false);
  if (!user || !good) {
    await auditWaits(db, charged.charged, user?.id ?? null, input.ip);
    return { ok: false, reason: 'invalid' };
  }

  await settle(db, charged.charged);
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const staff = identityOf(user);
  const remembered = await db.transaction(async (tx) => {
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
    return rememberDevice(tx, input.device, user.id, now);
  });
  return { ok: true, sessionToken, csrfToken, expiresAt, staff, device: remembered };
}

/**
 * The audit log hears when a failure opened a wait (not of every failure: an outsider must not be able to
 * fill the log), with the key's kind, so an admin can tell a colleague's typos from a guess from afar. The
 * entry names the account only when the e-mail is one.
 */
async function auditWaits(db: Db, charged: readonly Charged[], staffId: number | null, ip: string | null | undefined) {
  for (const c of charged) {
    if (!c.blockedUntil) continue;
    await audit(
      db,
      { kind: 'system' },
      {
        action: 'staff.signin_held',
        entity: c.key.kind === 'address' ? 'client_address' : 'staff_user',
        entityId: c.key.kind === 'address' ? null : staffId,
        details: { by: c.key.kind, attempts: c.attempts, waitSeconds: Math.round(backOffMs(BACK_OFF[c.key.kind], c.attempts) / 1000) },
        ip: ip ?? null,
      },
    );
  }
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
  const field = await fieldScopeOf(db, user.id, user.fieldRole);
  return { actor: { ...actorOf(staff, ip), ...(field ?? {}) }, csrfToken: session.csrfToken, staff, expiresAt };
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

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong_password' | 'too_short' | 'too_long' | 'throttled' };

/**
 * Changes the signed-in user's own password after checking the current one. Wrong current passwords count
 * on the account's own `password` key (throttle.ts), so an unattended console cannot be used to guess it at
 * speed, and nobody else's guesses at the sign-in form hold this form. Every other session of the user ends;
 * the one named by `sessionToken` survives so the person is not thrown out of the tab they are using.
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
  const charged = await charge(db, [throttleKeys.password(accountOf(user.email))], now);
  if (!charged.allowed) return { ok: false, reason: 'throttled' };
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    await auditWaits(db, charged.charged, user.id, actor.ip);
    return { ok: false, reason: 'wrong_password' };
  }
  await settle(db, charged.charged);
  const problem = passwordProblem(input.next);
  if (problem) return { ok: false, reason: problem };

  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, passwordChangedAt: now }).where(eq(staffUsers.id, user.id));
    const others = input.sessionToken ? ne(staffSessions.tokenHash, sha256(input.sessionToken)) : undefined;
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, user.id), others));
    await audit(tx, actor, { action: 'staff.password_change', entity: 'staff_user', entityId: user.id });
  });
  return { ok: true };
}

/**
 * Housekeeping for a periodic job: expired sessions are already refused, forgotten back-off keys and browsers
 * no longer known already count for nothing; this only frees their rows. Returns the sessions removed.
 */
export async function purgeExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const gone = await db.delete(staffSessions).where(lte(staffSessions.expiresAt, now)).returning({ staffId: staffSessions.staffId });
  await purgeForgottenKeys(db, now);
  await purgeOldDevices(db, now);
  return gone.length;
}

function identityOf(user: typeof staffUsers.$inferSelect): StaffIdentity {
  return { id: user.id, email: user.email, name: user.name, role: user.role, kecamatanId: user.kecamatanId, bidang: user.bidang, ...(user.fieldRole ? { fieldRole: user.fieldRole } : {}) };
}

function actorOf(staff: StaffIdentity, ip?: string | null): Actor {
  return { kind: 'staff', id: staff.id, role: staff.role, kecamatanId: staff.kecamatanId, bidang: staff.bidang, ...(ip ? { ip } : {}) };
}
