// Every permission a role may hold, one name per thing a staff member may do. Apart from access.ts (which
// says who holds which) so that actor.ts can name them without the two importing each other.

export const PERMISSIONS = [
  'users.manage', // staff users and API tokens
  // Programs as data (issue 20): names, rules, amounts, targets, FAQ words. The admin for every program; a
  // supervisor for the programs of their own bidang (checked in services/programs).
  'programs.manage',
  // Approve and lock a program's recipient list for the SK: the head of the owning bidang (a supervisor whose
  // bidang is the program's), or the admin. Always audited.
  'recipients.approve',
  // Import a bank's or a distributor's result file for a tranche (within the importer's bidang's programs).
  'disbursements.import',
  // Failed and returned transfers as work: read them in scope, settle them with a note.
  'disbursements.work',
  'settings.manage', // routing rules, holidays, canned responses
  'audit.read',
  'identity.reveal', // the reporter behind an anonymous sanggahan; always audited
  'complaints.read_scope', // every complaint in scope, whoever holds it
  'complaints.read_queue', // own complaints and the unassigned ones in scope
  'complaints.work', // reply, note, change status
  'complaints.assign',
  'reports.read',
  'dashboard.read',
  'checkin.record',
  'distribution.manage', // sites, events, invitations, proxies, next rounds
  'distribution.read', // event progress
  'broadcasts.manage', // announcements to a segment of residents; a scoped supervisor targets their kecamatan only
  'registry.import', // registry and enrollment files; each row only within the importer's kecamatan (and bidang's programs)
  // The resident lookup (issue 18): a walk-in found by NIK, KK or name, and their household on one page. For the
  // desks that serve residents in person (operator, supervisor; admin as everything); not the viewer, who reads
  // figures, nor the field officer, whose check-in shows only what the invitation in hand needs. Within the
  // officer's kecamatan; every search and every opening audited (services/residents).
  'residents.read',
  // Field work (issue 19): a worker's own tasks and visits, within the kelurahan they cover (staff_kelurahan).
  // Granted by a field role's row (staff_roles: TKSK, PSM, pendamping…), not by a built-in role.
  'field.work',
  // Assign and reassign field tasks, decide on visits that change the registry (a move, a death), see each
  // worker's overdue tasks: within the supervisor's kecamatan.
  'field.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
