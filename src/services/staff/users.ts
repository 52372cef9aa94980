import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { kecamatan, kelurahan, staffKelurahan, staffSessions, staffUsers } from '../../db/schema/index.ts';
import { BIDANG, STAFF_ROLES, type StaffRole } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission, roleAtMost, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { audit } from '../audit.ts';
import { lockFieldRole } from './field-roles.ts';
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
    readonly code:
      | 'email_invalid'
      | 'email_taken'
      | 'name_missing'
      | 'role_invalid'
      | 'bidang_invalid'
      | 'kecamatan_unknown'
      | 'password_too_short'
      | 'password_too_long'
      | 'not_found'
      | 'lifetime_invalid'
      // A field worker (issue 19): the field role is no staff_roles row; no kecamatan chosen; no kelurahan
      // chosen; a kelurahan that does not exist; one of another kecamatan; kelurahan without a field role.
      | 'field_role_unknown'
      | 'kecamatan_required'
      | 'kelurahan_missing'
      | 'kelurahan_unknown'
      | 'kelurahan_outside'
      | 'kelurahan_without_field_role',
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
  /**
   * A field worker's role (staff_roles.key: 'tksk'). With one, the built-in role is 'field_officer' whatever
   * `role` says, a kecamatan is required, and `kelurahanIds` names one or more kelurahan of it.
   */
  fieldRole?: string | null;
  kelurahanIds?: readonly number[];
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
  const fieldRole = input.fieldRole ?? null;
  const role = fieldRole !== null ? 'field_officer' : input.role;
  if (!EMAIL.test(email) || email.length > 254) throw new StaffInputError('email_invalid', 'email is not an email address');
  if (!name) throw new StaffInputError('name_missing', 'name must not be empty');
  checkRoleAndScope(role, scope);
  checkFieldShape(fieldRole, scope.kecamatanId, input.kelurahanIds ?? []);
  if (by !== 'system') checkGrant(by, role, scope);
  await checkKecamatan(db, scope.kecamatanId);

  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new StaffInputError(`password_${problem}`, problem === 'too_short' ? 'password must be at least 10 characters' : 'password is too long');
  const passwordHash = await hashPassword(password);

  // One transaction: an account refused for its kelurahan, or for a taken email, leaves nothing behind.
  const id = await db.transaction(async (tx) => {
    const kelurahanIds = await checkFieldWorker(tx, fieldRole, scope.kecamatanId, input.kelurahanIds ?? []);
    const [row] = await tx
      .insert(staffUsers)
      .values({ email, name, role, ...scope, fieldRole, passwordHash })
      .onConflictDoNothing({ target: staffUsers.email })
      .returning({ id: staffUsers.id });
    if (!row) throw new StaffInputError('email_taken', 'a staff user with this email already exists');
    if (kelurahanIds.length > 0) await tx.insert(staffKelurahan).values(kelurahanIds.map((kelurahanId) => ({ staffId: row.id, kelurahanId })));
    await audit(tx, by === 'system' ? { kind: 'system' } : by, {
      action: 'staff.create',
      entity: 'staff_user',
      entityId: row.id,
      details: { role, kecamatanId: scope.kecamatanId, bidang: scope.bidang, fieldRole, kelurahanIds },
    });
    return row.id;
  });
  return { id, password };
}

export interface StaffAccessChange {
  role?: StaffRole;
  kecamatanId?: number | null;
  bidang?: Bidang | null;
  active?: boolean;
  /** Absent: kept. null: no longer a field worker (their kelurahan go too). A key: as for a new account. */
  fieldRole?: string | null;
  /** Absent: kept. Otherwise the whole new set, replacing the old one. */
  kelurahanIds?: readonly number[];
}

/**
 * Changes a colleague's role, scope, field role and kelurahan, or whether they may sign in. Nobody changes
 * their own (an admin who narrows themselves by mistake asks another admin), and nobody grants or touches a
 * role above their own. Sessions read the role, the field role's grants and the kelurahan on every request
 * (sessions.ts, field-scope.ts), so a change applies at once.
 */
export async function updateStaffAccess(db: Db, actor: Actor, staffId: number, change: StaffAccessChange): Promise<void> {
  requirePermission(actor, 'users.manage');
  if (actor.kind === 'staff' && actor.id === staffId) throw new Forbidden('self', 'a staff user cannot change their own role or scope');
  const [current] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffId));
  if (!current) throw new StaffInputError('not_found', 'no such staff user');
  // The target as it is now must already be within reach, or a scoped admin could take over a city-wide one.
  checkGrant(actor, current.role, { kecamatanId: current.kecamatanId, bidang: current.bidang });

  const fieldRole = change.fieldRole !== undefined ? change.fieldRole : current.fieldRole;
  const role = fieldRole !== null ? 'field_officer' : (change.role ?? current.role);
  const scope: Scope = {
    kecamatanId: change.kecamatanId !== undefined ? change.kecamatanId : current.kecamatanId,
    bidang: change.bidang !== undefined ? change.bidang : current.bidang,
  };
  // Kept kelurahan are checked again: a worker moved to another kecamatan must be given its kelurahan.
  const wanted = change.kelurahanIds ?? (fieldRole !== null ? await kelurahanOf(db, staffId) : []);
  checkRoleAndScope(role, scope);
  checkFieldShape(fieldRole, scope.kecamatanId, wanted);
  checkGrant(actor, role, scope);
  await checkKecamatan(db, scope.kecamatanId);

  await db.transaction(async (tx) => {
    const kelurahanIds = await checkFieldWorker(tx, fieldRole, scope.kecamatanId, wanted);
    await tx
      .update(staffUsers)
      .set({ role, ...scope, fieldRole, ...(change.active !== undefined ? { active: change.active } : {}) })
      .where(eq(staffUsers.id, staffId));
    await tx.delete(staffKelurahan).where(eq(staffKelurahan.staffId, staffId));
    if (kelurahanIds.length > 0) await tx.insert(staffKelurahan).values(kelurahanIds.map((kelurahanId) => ({ staffId, kelurahanId })));
    if (change.active === false) await tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
    await audit(tx, actor, {
      action: 'staff.update',
      entity: 'staff_user',
      entityId: staffId,
      details: { role, kecamatanId: scope.kecamatanId, bidang: scope.bidang, active: change.active ?? current.active, fieldRole, kelurahanIds },
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
  /** A field worker's role (staff_roles.key) and the kelurahan they cover, by name; null and [] for others. */
  fieldRole: string | null;
  kelurahan: { id: number; name: string }[];
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
      fieldRole: staffUsers.fieldRole,
      active: staffUsers.active,
    })
    .from(staffUsers)
    .orderBy(asc(staffUsers.id));
  const mine = rows.filter((r) => scopeWithin(r, actor));
  const workers = mine.filter((r) => r.fieldRole !== null).map((r) => r.id);
  const [waiting, areas] = await Promise.all([
    waitingAccounts(db, mine.map((r) => accountOf(r.email)), now),
    workers.length === 0
      ? Promise.resolve([])
      : db
          .select({ staffId: staffKelurahan.staffId, id: kelurahan.id, name: kelurahan.name })
          .from(staffKelurahan)
          .innerJoin(kelurahan, eq(kelurahan.id, staffKelurahan.kelurahanId))
          .where(inArray(staffKelurahan.staffId, workers))
          .orderBy(asc(kelurahan.name)),
  ]);
  return mine.map((r) => ({
    ...r,
    kelurahan: areas.filter((a) => a.staffId === r.id).map(({ id, name }) => ({ id, name })),
    held: waiting.has(accountOf(r.email)),
  }));
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

/** What a field worker's account needs before any row is read: a kecamatan and one or more kelurahan of it. */
function checkFieldShape(fieldRole: string | null, kecamatanId: number | null, kelurahanIds: readonly number[]) {
  if (fieldRole === null) {
    if (kelurahanIds.length > 0) throw new StaffInputError('kelurahan_without_field_role', 'kelurahan are only for a field worker: choose a field role');
    return;
  }
  if (kecamatanId === null) throw new StaffInputError('kecamatan_required', 'a field worker needs a kecamatan');
  if (kelurahanIds.length === 0) throw new StaffInputError('kelurahan_missing', 'a field worker needs one or more kelurahan of their kecamatan');
}

/**
 * Inside the transaction that writes the account: the field role exists (and stays, lockFieldRole) and each
 * kelurahan exists and lies in the worker's kecamatan. A kecamatan-scoped admin can only name their own
 * kecamatan (checkGrant), so this also keeps them to their own kelurahan. Returns the set, sorted, once each.
 */
async function checkFieldWorker(tx: Tx, fieldRole: string | null, kecamatanId: number | null, kelurahanIds: readonly number[]): Promise<number[]> {
  if (fieldRole === null) return [];
  if (!(await lockFieldRole(tx, fieldRole))) throw new StaffInputError('field_role_unknown', 'no such field role');
  const ids = [...new Set(kelurahanIds)].sort((a, b) => a - b);
  if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) throw new StaffInputError('kelurahan_unknown', 'no such kelurahan');
  const rows = await tx.select({ id: kelurahan.id, kecamatanId: kelurahan.kecamatanId }).from(kelurahan).where(inArray(kelurahan.id, ids));
  if (rows.length !== ids.length) throw new StaffInputError('kelurahan_unknown', 'no such kelurahan');
  if (rows.some((r) => r.kecamatanId !== kecamatanId)) throw new StaffInputError('kelurahan_outside', 'a kelurahan lies outside the worker\'s kecamatan');
  return ids;
}

async function kelurahanOf(db: Db, staffId: number): Promise<number[]> {
  const rows = await db.select({ id: staffKelurahan.kelurahanId }).from(staffKelurahan).where(eq(staffKelurahan.staffId, staffId));
  return rows.map((r) => r.id);
}

async function checkKecamatan(db: Db, kecamatanId: number | null) {
  if (kecamatanId === null) return;
  const [k] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.id, kecamatanId));
  if (!k) throw new StaffInputError('kecamatan_unknown', 'no such kecamatan');
}
