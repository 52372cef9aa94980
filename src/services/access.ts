import type { StaffRole } from '../domain/vocabulary.ts';
import type { Actor } from './actor.ts';

// What each role may do, as one table so a reviewer can read the whole policy at once. Services ask
// `can()` (or `requirePermission()`) and then narrow by `inScope()`; the console and the API never decide
// on their own. Issue 5: admin manages users, programs and settings; supervisor sees every complaint of
// their scope, assigns and reads reports; operator works their queue and the unassigned complaints of
// their scope; field officer only checks people in; viewer only reads dashboards.

export { PERMISSIONS, type Permission } from './permissions.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';

const TABLE: Record<StaffRole, readonly Permission[]> = {
  // The admin is the office's superuser: whoever can grant roles could grant themselves any of these anyway.
  admin: PERMISSIONS,
  supervisor: [
    'complaints.read_scope',
    'complaints.read_queue',
    'complaints.work',
    'complaints.assign',
    'reports.read',
    'dashboard.read',
    'distribution.manage',
    'distribution.read',
    'broadcasts.manage',
    'registry.import',
    'residents.read',
    'field.manage',
    'programs.manage',
    'recipients.approve',
    'disbursements.import',
    'disbursements.work',
  ],
  operator: ['complaints.read_queue', 'complaints.work', 'dashboard.read', 'residents.read', 'disbursements.work'],
  field_officer: ['checkin.record', 'distribution.read'],
  viewer: ['dashboard.read', 'distribution.read'],
};

/** The built-in role's permissions, and for a field worker those their field role's row grants. */
export function can(actor: Pick<Actor, 'role' | 'granted'>, permission: Permission): boolean {
  return TABLE[actor.role].includes(permission) || (actor.granted?.includes(permission) ?? false);
}

/** The names in a field role's row that are permissions here; anything else is ignored, never granted. */
export function knownPermissions(names: readonly string[]): Permission[] {
  return names.filter((n): n is Permission => (PERMISSIONS as readonly string[]).includes(n));
}

/**
 * Thrown when an actor may not do something. The HTTP layer maps it to 403, or to 404 where even the
 * existence of the thing must not leak (another kecamatan's complaint).
 */
export class Forbidden extends Error {
  override readonly name = 'Forbidden';
  constructor(readonly permission: Permission | 'scope' | 'self' | 'rank', message = `not allowed: ${permission}`) {
    super(message);
  }
}

export function requirePermission(actor: Pick<Actor, 'role' | 'granted'>, permission: Permission): void {
  if (!can(actor, permission)) throw new Forbidden(permission);
}

// Higher number, more power. Used so nobody grants a role above their own, even if a future table gives
// `users.manage` to someone other than the admin.
const RANK: Record<StaffRole, number> = { viewer: 1, field_officer: 1, operator: 2, supervisor: 3, admin: 4 };

export function roleAtMost(role: StaffRole, ceiling: StaffRole): boolean {
  return RANK[role] <= RANK[ceiling];
}

/** A scope (kecamatan, bidang) lies within another when it is the same or narrower; null means all. */
export function scopeWithin(
  inner: { kecamatanId: number | null; bidang: string | null },
  outer: { kecamatanId: number | null; bidang: string | null },
): boolean {
  if (outer.kecamatanId !== null && inner.kecamatanId !== outer.kecamatanId) return false;
  if (outer.bidang !== null && inner.bidang !== outer.bidang) return false;
  return true;
}
