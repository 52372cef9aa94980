import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { kecamatan, staffSessions, staffUsers } from '../../db/schema/index.ts';
import { BIDANG, STAFF_ROLES, type StaffRole } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission, roleAtMost, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { generatePassword } from './secrets.ts';
import { accountOf, waitingAccounts } from './throttle.ts';

/**
 * Bad input from whoever manages users (a typo in the CLI, a taken email). Permission problems are
 * `Forbidden`; expected outcomes of a resident-free flow (login, password change) are result unions.
 */
export class StaffInputError extends Error {
  override readonly name = 'StaffInputError';
  constructor(
    readonly code: 'email_invalid' | 'email_taken' | 'name_missing' | 'role_invalid' | 'bidang_invalid' | 'kecamatan_unknown' | 'password_too_short' | 'password_too_long' | 'not_found' | 'lifetime_invalid',
    message: string,
  ) {
    super(message);
  }
}

/** The CLI and first start act as the system: there is nobody signed in yet to check. */
export type UserManager = Actor | 'system';

export interface Scope {
  kecamatanId: number | null;
  bidang: Bidang | null;
}

export interface NewStaffUser {
  email: string;
  name: string;
  role: StaffRole;
  kecamatanId?: number | null;
  bidang?: Bidang | null;
  /** When absent a strong one is generated and returned once. */
  password?: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately loose: the office's own addresses decide; this only catches a name typed in the email slot.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function createStaffUser(db: Db, by: UserManager, input: NewStaffUser): Promise<{ id: number; password: string }> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  const scope: Scope = { kecamatanId: input.kecamatanId ?? null, bidang: input.bidang ?? null };
  if (!EMAIL.test(email) || email.length > 254) throw new StaffInputError('email_invalid', 'email is not an email address');
  if (!name) throw new StaffInputError('name_missing', 'name must not be empty');
  checkRoleAndScope(input.role, scope);
  if (by !== 'system') checkGrant(by, input.role, scope);
  await checkKecamatan(db, scope.kecamatanId);

  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new StaffInputError(`password_${problem}`, problem === 'too_short' ? 'password must be at least 10 characters' : 'password is too long');

  const [row] = await db
    .insert(staffUsers)
    .values({ email, name, role: input.role, ...scope, passwordHash: await hashPassword(password) })
    .onConflictDoNothing({ target: staffUsers.email })
    .returning({ id: staffUsers.id });
  if (!row) throw new StaffInputError('email_taken', 'a staff user with this email already exists');
  await audit(db, by === 'system' ? { kind: 'system' } : by, {
    action: 'staff.create',
    entity: 'staff_user',
    entityId: row.id,
    details: { role: input.role, kecamatanId: scope.kecamatanId, bidang: scope.bidang },
  });
  return { id: row.id, password };
}

export interface StaffAccessChange {
  role?: StaffRole;
  kecamatanId?: number | null;
  bidang?: Bidang | null;
  active?: boolean;
}

/**
 * Changes a colleague's role, scope or whether they may sign in. Nobody changes their own (an admin who
 * narrows themselves by mistake asks another admin), and nobody grants or touches a role above their own.
 * Sessions read the role from the user row on every request, so a change applies at once.
 */
export async function updateStaffAccess(db: Db, actor: Actor, staffId: number, change: StaffAccessChange): Promise<void> {
  requirePermission(actor, 'users.manage');
  if (actor.kind === 'staff' && actor.id === staffId) throw new Forbidden('self', 'a staff user cannot change their own role or scope');
  const [current] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  if (!current) throw new StaffInputError('not_found', 'no such staff user');
  // The target as it is now must already be within reach, or a scoped admin could take over a city-wide one.
  checkGrant(actor, current.role, { kecamatanId: current.kecamatanId, bidang: current.bidang });

  const role = change.role ?? current.role;
  const scope: Scope = {
    kecamatanId: change.kecamatanId !== undefined ? change.kecamatanId : current.kecamatanId,
    bidang: change.bidang !== undefined ? change.bidang : current.bidang,
  };
  checkRoleAndScope(role, scope);
  checkGrant(actor, role, scope);
  await checkKecamatan(db, scope.kecamatanId);

  await db.transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ role, ...scope, ...(change.active !== undefined ? { active: change.active } : {}) })
      .where(eq(staffUsers.id, staffId));
    if (change.active === false) await tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
    await audit(tx, actor, {
      action: 'staff.update',
      entity: 'staff_user',
      entityId: staffId,
      details: { role, kecamatanId: scope.kecamatanId, bidang: scope.bidang, active: change.active ?? current.active },
    });
  });
}

export interface StaffSummary {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  kecamatanId: number | null;
  bidang: Bidang | null;
  active: boolean;
  /** Some sign-in back-off of the account is waiting now (throttle.ts): someone, maybe an outsider, kept failing. */
  held: boolean;
}

/** Admin only; the password hash never leaves this module. */
export async function listStaffUsers(db: Db, actor: Actor, now: Date = new Date()): Promise<StaffSummary[]> {
  requirePermission(actor, 'users.manage');
  const rows = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      kecamatanId: staffUsers.kecamatanId,
      bidang: staffUsers.bidang,
      active: staffUsers.active,
    })
    .from(staffUsers)
    .orderBy(asc(staffUsers.id));
  const mine = rows.filter((r) => scopeWithin(r, actor));
  const waiting = await waitingAccounts(db, mine.map((r) => accountOf(r.email)), now);
  return mine.map((r) => ({ ...r, held: waiting.has(accountOf(r.email)) }));
}

/**
 * Colleagues' names by id, for the history of something the caller was already allowed to see (who
 * replied, who took a complaint). A colleague's name is shown to every signed-in officer wherever it
 * appears, so it needs no permission of its own; unknown ids are simply absent.
 */
export async function staffNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, [...ids]));
  return new Map(rows.map((s) => [s.id, s.name]));
}

export function checkRoleAndScope(role: string, scope: { bidang: string | null }): asserts role is StaffRole {
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new StaffInputError('role_invalid', `role must be one of ${STAFF_ROLES.join(', ')}`);
  if (scope.bidang !== null && !(BIDANG as readonly string[]).includes(scope.bidang)) {
    throw new StaffInputError('bidang_invalid', `bidang must be one of ${BIDANG.join(', ')}`);
  }
}

/** The grantor needs `users.manage`, a role at least as high, and a scope at least as wide. */
export function checkGrant(actor: Actor, role: StaffRole, scope: Scope): void {
  requirePermission(actor, 'users.manage');
  if (!roleAtMost(role, actor.role)) throw new Forbidden('rank', 'cannot grant a role above your own');
  if (!scopeWithin(scope, actor)) throw new Forbidden('scope', 'cannot grant a scope wider than your own');
}

async function checkKecamatan(db: Db, kecamatanId: number | null) {
  if (kecamatanId === null) return;
  const [k] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, kecamatanId));
  if (!k) throw new StaffInputError('kecamatan_unknown', 'no such kecamatan');
}
