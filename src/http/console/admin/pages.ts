import { can, type Permission } from '../../../services/access.ts';
import type { Actor } from '../../../services/actor.ts';

// The admin pages and the permission each needs, in one place: the admin index, the header menu and every
// page's own guard read the same list, so a link is never shown for a page that would answer 403.

export const ADMIN_PAGES = [
  { key: 'users', path: '/console/admin/users', permission: 'users.manage' },
  { key: 'fieldRoles', path: '/console/admin/field-roles', permission: 'users.manage' },
  { key: 'tokens', path: '/console/admin/tokens', permission: 'users.manage' },
  { key: 'routes', path: '/console/admin/routes', permission: 'settings.manage' },
  { key: 'canned', path: '/console/admin/canned', permission: 'settings.manage' },
  { key: 'faq', path: '/console/admin/faq', permission: 'settings.manage' },
  { key: 'holidays', path: '/console/admin/holidays', permission: 'settings.manage' },
  { key: 'offices', path: '/console/admin/offices', permission: 'settings.manage' },
  { key: 'agencies', path: '/console/admin/agencies', permission: 'settings.manage' },
  { key: 'agents', path: '/console/admin/agents', permission: 'settings.manage' },
  { key: 'checklists', path: '/console/admin/checklists', permission: 'settings.manage' },
  { key: 'audit', path: '/console/admin/audit', permission: 'audit.read' },
] as const satisfies readonly { key: string; path: string; permission: Permission }[];

export type AdminPage = (typeof ADMIN_PAGES)[number];

export function adminPagesFor(actor: Pick<Actor, 'role'>): AdminPage[] {
  return ADMIN_PAGES.filter((p) => can(actor, p.permission));
}
