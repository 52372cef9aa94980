import type { StaffRole } from '../../../domain/vocabulary.ts';
import { can, type Permission } from '../../../services/access.ts';

/**
 * Where a staff member lands after signing in: the page their role works in all day. A field officer at a
 * distribution site lands on check-in, a field worker on their tasks, a viewer on the dashboard; nobody lands on a page that answers 403.
 */
export function homeFor(actor: { role: StaffRole; fieldRole?: string; granted?: readonly Permission[] }): string {
  if (can(actor, 'complaints.read_queue') || can(actor, 'complaints.read_scope')) return '/console/complaints';
  // A TKSK, PSM or pendamping works from their task list; check-in is one link away on the same phone.
  if (actor.fieldRole && can(actor, 'field.work')) return '/field';
  if (can(actor, 'checkin.record')) return '/console/checkin';
  if (can(actor, 'dashboard.read')) return '/console/dashboard';
  return '/console/password';
}
