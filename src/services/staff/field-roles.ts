import { asc, count, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { staffRoles, staffUsers } from '../../db/schema/index.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { Forbidden, requirePermission, type Permission } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

// Field roles as data (issue 19): TKSK, PSM, pendamping PKH… An office adds or renames one and says what it
// may do; a field worker's account (users.ts) names one, and its session gets the role's permissions
// (field-scope.ts) on top of the built-in 'field_officer'.

/**
 * The only permissions a field role may grant. A field role is a second way to hand out permissions, next to
 * the built-in roles and their rank: a role's row granting 'users.manage' or 'registry.import' would give
 * every TKSK of the city an admin's or a supervisor's power without anyone granting that rank, and the rank
 * rule of users.ts (nobody grants above their own role) would never see it. So the row may only add what work
 * at the door needs: their own tasks and visits, checking people in at a distribution, and its progress.
 */
export const FIELD_ROLE_PERMISSIONS = ['field.work', 'checkin.record', 'distribution.read'] as const satisfies readonly Permission[];

export const FIELD_ROLE_NAME_MAX = 80;
const KEY = /^[a-z][a-z0-9_]{1,30}$/;

export interface FieldRole {
  key: string;
  /** The role's name per language ({ id, en }). */
  names: Record<string, string>;
  permissions: string[];
  /** Staff accounts that hold it now: a role in use cannot be deleted. */
  users: number;
}

export interface FieldRoleInput {
  key: string;
  names: Record<string, string>;
  permissions: readonly string[];
}

export type FieldRoleProblem =
  | { field: 'key'; problem: 'invalid' }
  | { field: `name_${string}`; problem: 'empty' | 'too_long' }
  | { field: 'permissions'; problem: 'empty' }
  | { field: 'permissions'; problem: 'not_allowed'; permissions: string[] };

/** What is wrong with a field role, empty when nothing; pure, so the console can explain a refusal. */
export function fieldRoleProblems(input: FieldRoleInput): FieldRoleProblem[] {
  const problems: FieldRoleProblem[] = [];
  if (!KEY.test(input.key)) problems.push({ field: 'key', problem: 'invalid' });
  for (const l of LOCALES) {
    const name = (input.names[l] ?? '').trim();
    if (!name) problems.push({ field: `name_${l}`, problem: 'empty' });
    else if ([...name].length > FIELD_ROLE_NAME_MAX) problems.push({ field: `name_${l}`, problem: 'too_long' });
  }
  if (input.permissions.length === 0) problems.push({ field: 'permissions', problem: 'empty' });
  const refused = [...new Set(input.permissions.filter((p) => !(FIELD_ROLE_PERMISSIONS as readonly string[]).includes(p)))];
  if (refused.length > 0) problems.push({ field: 'permissions', problem: 'not_allowed', permissions: refused });
  return problems;
}

/** Every field role with how many accounts hold it, by key. users.manage. */
export async function listFieldRoles(db: Db, actor: Actor): Promise<FieldRole[]> {
  requirePermission(actor, 'users.manage');
  const roles = await db.select({ key: staffRoles.key, names: staffRoles.names, permissions: staffRoles.permissions }).from(staffRoles).orderBy(asc(staffRoles.key));
  if (roles.length === 0) return [];
  const held = await db
    .select({ key: staffUsers.fieldRole, n: count() })
    .from(staffUsers)
    .where(inArray(staffUsers.fieldRole, roles.map((r) => r.key)))
    .groupBy(staffUsers.fieldRole);
  const users = new Map(held.map((h) => [h.key, h.n]));
  return roles.map((r) => ({ ...r, users: users.get(r.key) ?? 0 }));
}

/**
 * Field roles are the whole city's: a TKSK in every kecamatan holds the same row. An admin scoped to one
 * kecamatan or bidang reads them (to give one to a worker of theirs) but changing one would change what
 * workers elsewhere may do, so only a city-wide admin does.
 */
export function mayChangeFieldRoles(actor: Actor): boolean {
  return actor.kecamatanId === null && actor.bidang === null;
}

function requireCityWide(actor: Actor) {
  requirePermission(actor, 'users.manage');
  if (!mayChangeFieldRoles(actor)) throw new Forbidden('scope', 'field roles are city-wide; a scoped admin may not change them');
}

/**
 * Creates a role (`mode: 'create'`, the key must be free) or changes one's names and permissions (the key
 * never changes: accounts refer to it). Bad input changes nothing; `fieldRoleProblems()` says why.
 */
export async function saveFieldRole(
  db: Db,
  actor: Actor,
  input: FieldRoleInput,
  mode: 'create' | 'update',
): Promise<{ ok: true } | { ok: false; reason: 'invalid_input' | 'key_taken' | 'not_found' }> {
  requireCityWide(actor);
  if (fieldRoleProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  const names = Object.fromEntries(LOCALES.map((l) => [l, input.names[l]!.trim()]));
  const permissions = FIELD_ROLE_PERMISSIONS.filter((p) => input.permissions.includes(p));
  return db.transaction(async (tx) => {
    if (mode === 'create') {
      const [row] = await tx.insert(staffRoles).values({ key: input.key, names, permissions }).onConflictDoNothing({ target: staffRoles.key }).returning({ key: staffRoles.key });
      if (!row) return { ok: false as const, reason: 'key_taken' as const };
    } else {
      const [row] = await tx.update(staffRoles).set({ names, permissions }).where(eq(staffRoles.key, input.key)).returning({ key: staffRoles.key });
      if (!row) return { ok: false as const, reason: 'not_found' as const };
    }
    await audit(tx, actor, { action: `field_role.${mode}`, entity: 'staff_role', entityId: input.key, details: { permissions } });
    return { ok: true as const };
  });
}

/** Deletes a role nobody holds; a role in use stays (its workers would lose their permissions at once). */
export async function deleteFieldRole(db: Db, actor: Actor, key: string): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'in_use' }> {
  requireCityWide(actor);
  return db.transaction(async (tx) => {
    // Locked first: an account being given this role at the same moment waits for us (lockFieldRole) and
    // then finds it gone, or we wait for it and then see it in use.
    const [role] = await tx.select({ key: staffRoles.key }).from(staffRoles).where(eq(staffRoles.key, key)).for('update');
    if (!role) return { ok: false as const, reason: 'not_found' as const };
    const [holders] = await tx.select({ n: count() }).from(staffUsers).where(eq(staffUsers.fieldRole, key));
    if ((holders?.n ?? 0) > 0) return { ok: false as const, reason: 'in_use' as const };
    await tx.delete(staffRoles).where(eq(staffRoles.key, key));
    await audit(tx, actor, { action: 'field_role.delete', entity: 'staff_role', entityId: key });
    return { ok: true as const };
  });
}

/**
 * Within the transaction that gives an account this role: whether it exists, holding it (KEY SHARE, the
 * lock the foreign key takes anyway) so it cannot be deleted before the account is written.
 */
export async function lockFieldRole(tx: Tx, key: string): Promise<boolean> {
  const [role] = await tx.select({ key: staffRoles.key }).from(staffRoles).where(eq(staffRoles.key, key)).for('key share');
  return role !== undefined;
}
