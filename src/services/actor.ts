import type { Bidang, StaffRole } from '../domain/vocabulary.ts';
import type { Permission } from './permissions.ts';

/**
 * Who is asking, for every staff-side use case: a signed-in staff member or an API token. Scope checks live
 * in services against this, so the console and the API cannot differ. A null kecamatanId or bidang means
 * the whole city or every bidang.
 */
export interface Actor {
  kind: 'staff' | 'api';
  /** staff_users.id or api_tokens.id */
  id: number;
  role: StaffRole;
  kecamatanId: number | null;
  bidang: Bidang | null;
  /** A field worker's field role (staff_roles.key) and what its row grants beyond the built-in role. */
  fieldRole?: string;
  granted?: readonly Permission[];
  /** The kelurahan a field worker covers (staff_kelurahan); absent for everyone else. */
  kelurahanIds?: readonly number[];
  /** Where the request came from, for the audit log. */
  ip?: string;
}

/** Whether something that belongs to a kecamatan and a bidang lies within the actor's scope. */
export function inScope(actor: Pick<Actor, 'kecamatanId' | 'bidang'>, thing: { kecamatanId: number | null; bidang: string | null }): boolean {
  if (actor.kecamatanId !== null && thing.kecamatanId !== actor.kecamatanId) return false;
  if (actor.bidang !== null && thing.bidang !== actor.bidang) return false;
  return true;
}
