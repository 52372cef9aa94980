// Who may change a program or decide its recipient list (issue 20). The admin: every program. A supervisor: the
// programs of their own bidang, as its head. A supervisor with no bidang is not the head of any bidang — a null
// bidang means "every bidang" when reading complaints, but a program's rules and its decree are the owning
// bidang's to decide, and nobody is the head of all of them but the admin — so they manage none. A program
// with no bidang is the admin's alone.

import type { Permission } from '../permissions.ts';
import { can, Forbidden, requirePermission } from '../access.ts';
import type { Actor } from '../actor.ts';

export type ProgramPermission = Extract<Permission, 'programs.manage' | 'recipients.approve'>;

/** Whether the actor holds `permission` for a program owned by `bidang`. */
export function holdsFor(actor: Actor, permission: ProgramPermission, bidang: string | null): boolean {
  if (!can(actor, permission)) return false;
  if (actor.role === 'admin') return true;
  return actor.bidang !== null && bidang === actor.bidang;
}

/** The permission first (403 for a role without it), then the program's bidang (answered as missing). */
export function requireFor(actor: Actor, permission: ProgramPermission, bidang: string | null): void {
  requirePermission(actor, permission);
  if (!holdsFor(actor, permission, bidang)) throw new Forbidden('scope');
}

/** Either permission: who may open the programs pages at all (the menu asks this). */
export function mayUsePrograms(actor: Actor): boolean {
  return can(actor, 'programs.manage') || can(actor, 'recipients.approve');
}
