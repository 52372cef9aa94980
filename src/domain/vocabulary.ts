// Every list of allowed values, in one place. The database schema, the services, the flows, the console and
// the API all read them from here, so adding a complaint category or a proxy reason is one edit, and nothing
// above the database has to import the schema only to learn what a status may be. Pure data: no imports.

// languages residents and staff can choose (a new language is a new folder in locales/ and a word here)
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

// broadcasts
export const BROADCAST_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;

// channels
// demo_phone: the demo city's registry phones, answered on the demo phone page (only on the embedded demo
// with no WhatsApp channel on), so a newcomer can try every identity proof without a WhatsApp account.
export const CHANNELS = ['webchat', 'telegram', 'whatsapp_web', 'whatsapp_cloud', 'demo_phone'] as const;
export type Channel = (typeof CHANNELS)[number];
export const MESSAGE_KINDS = ['text', 'choice', 'photo', 'document', 'location', 'contact', 'voice', 'sticker', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

// identity: how a chat proved it belongs to a registry member (DESIGN.md "Identity")
// registry_phone: the WhatsApp sender, or a Telegram contact of the sender's own account, is a registry phone;
// code: a one-time code sent to the registry phone was typed back; in_person: an officer saw the KTP.
export const LINK_PROOFS = ['registry_phone', 'code', 'in_person'] as const;
export type LinkProof = (typeof LINK_PROOFS)[number];
// why a link ended: the resident left the web chat or it lay idle, another proof replaced it, an officer
// ended it, the resident asked to forget the chat, the member died or left the registry
export const LINK_END_REASONS = ['logout', 'idle', 'replaced', 'staff', 'forgotten', 'member_gone'] as const;
export type LinkEndReason = (typeof LINK_END_REASONS)[number];
// what a code in identity_codes is for: otp is sent to the registry phone; counter is read to an officer
export const IDENTITY_CODE_PURPOSES = ['otp', 'counter'] as const;

// complaints
export const COMPLAINT_CATEGORIES = [
  'usulan', // not registered but in need
  'sanggahan', // someone receives who should not
  'not_received', // aid not received or cut
  'site_too_far',
  'wrong_data', // name, address, a member died or moved
  'service',
  'other',
  // Someone in need of social care reported by a resident (PPKS, issue 19): not the reporter's own aid. The kind
  // of need is PPKS_KINDS; a report of someone in danger now is `urgent` (a deadline in hours, the duty officer
  // out of hours).
  'ppks',
] as const;
// The kinds of PPKS (Pemerlu Pelayanan Kesejahteraan Sosial) a resident can report, as the office counts them.
export const PPKS_KINDS = ['lansia_terlantar', 'anak_terlantar', 'disabilitas_terlantar', 'gelandangan_pengemis', 'korban_bencana', 'lainnya'] as const;
export type PpksKind = (typeof PPKS_KINDS)[number];
export const COMPLAINT_STATUSES = ['received', 'verified', 'in_progress', 'answered', 'closed', 'reopened'] as const;
// A complaint closed without an answer to the resident: no reply is sent, the reason is kept and counted.
export const COMPLAINT_CLOSE_REASONS = ['duplicate', 'spam'] as const;
export type ComplaintCloseReason = (typeof COMPLAINT_CLOSE_REASONS)[number];
// 'routing': kecamatan, bidang or kind corrected after verification (body: the fields changed, comma-separated).
export const COMPLAINT_EVENT_KINDS = ['message_in', 'message_out', 'note', 'status_change', 'assignment', 'routing'] as const;
export const ATTACHMENT_STATUSES = ['pending', 'stored', 'failed'] as const;

// distribution
export const EVENT_STATUSES = ['planned', 'open', 'moved', 'cancelled', 'done'] as const;
export const INVITATION_STATUSES = [
  'invited',
  'confirmed',
  'declined',
  'reschedule_requested',
  'collected',
  'no_show',
  'cancelled',
] as const;
export const PROXY_REASONS = ['sick', 'elderly', 'disabled', 'working_away', 'at_sea', 'other'] as const;
export const PROXY_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const REMINDER_OFFSETS = ['H-3', 'H-1', 'H0'] as const;

// imports
export const IMPORT_KINDS = ['registry', 'enrollments'] as const;
export const IMPORT_STATUSES = ['running', 'succeeded', 'failed'] as const;

// outbox
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export const PRIORITY = { reply: 0, bulk: 1 } as const;

// programs
export const PROGRAM_UNITS = ['household', 'person'] as const;
export const BENEFIT_TYPES = ['cash', 'in_kind', 'insurance', 'service'] as const;
export const BENEFIT_PERIODS = ['month', 'quarter', 'year', 'once'] as const;
export const ENROLLMENT_STATUSES = ['proposed', 'verified', 'active', 'suspended', 'ended'] as const;
// The recipient list of a program and period as a decision (issue 20): 'draft' while staff prepare it,
// 'locked' once the head of the bidang approves it (the SK is drawn from it; nothing in it changes again),
// 'superseded' when a later version of the same program and period is locked.
export const RECIPIENT_LIST_STATUSES = ['draft', 'locked', 'superseded'] as const;
export type RecipientListStatus = (typeof RECIPIENT_LIST_STATUSES)[number];

// disbursements (issue 20): one line of a bank's or a distributor's result file for a tranche.
export const DISBURSEMENT_STATUSES = ['transferred', 'failed', 'returned'] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
// A failed or returned transfer is work for staff until someone settles it: 'open', then 'resolved' (with a
// note: the account was fixed and the money sent again, the family collected at the bank…).
export const DISBURSEMENT_WORK_STATUSES = ['open', 'resolved'] as const;

// e-warong and agents (issue 20): where a non-cash (BPNT/Sembako) family collects or spends its aid.
export const AGENT_KINDS = ['e_warong', 'agen_bank', 'kantor_pos'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];
// What a complaint about an agent is about, counted per agent.
export const AGENT_PROBLEMS = ['quality', 'quantity', 'closed', 'price', 'other'] as const;
export type AgentProblem = (typeof AGENT_PROBLEMS)[number];

// satisfaction (IKM, issue 20): the services a resident is asked to rate, one short question each.
export const SATISFACTION_SERVICES = ['aid_check', 'collection', 'handover', 'complaint', 'survey'] as const;
export type SatisfactionService = (typeof SATISFACTION_SERVICES)[number];

// quality
export const FINDING_KINDS = [
  'duplicate_nik', // the same NIK in two families
  'exclusive_programs', // one person or family in two programs whose rules exclude each other
  'deceased_enrolled', // a deceased member still enrolled
  'above_desil_ceiling', // a household above the desil ceiling of a program it receives
  'reported_moved', // residents told us through the chat that someone moved
  'reported_deceased', // residents told us through the chat that someone died
  'phone_unusable', // a registry phone that is no mobile number (a landline, too short, junk): no WhatsApp
  'phone_shared', // one mobile number listed in two households: used for neither, as proof or to write first
] as const;
// 'resolved': the data was fixed; a scan that still finds the problem opens it again. 'accepted': an officer
// looked and decided the record is right as it is (with a reason); the scan leaves it closed.
export const FINDING_STATUSES = ['open', 'resolved', 'accepted'] as const;

// registry
export const SEXES = ['L', 'P'] as const;
export const RELATIONSHIPS = ['kepala', 'istri', 'suami', 'anak', 'lainnya'] as const;

// staff
export const STAFF_ROLES = ['admin', 'supervisor', 'operator', 'field_officer', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const BIDANG = ['Linjamsos', 'Rehsos', 'Dayasos', 'PM'] as const;

// field work (issue 19). The field roles themselves (TKSK, PSM, pendamping…) are data: staff_roles.
// What a field task asks a worker to look at: a data-quality finding, a proposal (usulan) before the kelurahan
// meeting, a household that missed every distribution round or is on the call-down list, a PPKS report.
export const FIELD_TASK_KINDS = ['finding', 'proposal', 'missed_rounds', 'calldown', 'ppks'] as const;
export type FieldTaskKind = (typeof FIELD_TASK_KINDS)[number];
// 'visited': a visit is recorded and waits for a supervisor (a move or a death changes the registry only
// once approved); 'done': nothing more to do; 'cancelled': the reason for the visit went away.
export const FIELD_TASK_STATUSES = ['open', 'visited', 'done', 'cancelled'] as const;
export type FieldTaskStatus = (typeof FIELD_TASK_STATUSES)[number];
export const FIELD_OUTCOMES = ['found', 'moved', 'deceased', 'not_found', 'refused'] as const;
export type FieldOutcome = (typeof FIELD_OUTCOMES)[number];
// A visit whose outcome would change the registry (moved, deceased) waits for a supervisor's decision.
export const FIELD_REVIEWS = ['not_needed', 'pending', 'approved', 'rejected'] as const;
export type FieldReview = (typeof FIELD_REVIEWS)[number];

// referrals (issue 19): a case handed to another agency or a welfare organisation (LKS) kept as data.
export const AGENCY_KINDS = ['government', 'lks', 'health', 'police', 'other'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
// What is referred: a complaint (a PPKS report is one), a field task, a data-quality finding.
export const REFERRAL_SOURCES = ['complaint', 'field_task', 'finding'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const REFERRAL_STATUSES = ['sent', 'accepted', 'done', 'refused'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export type Bidang = (typeof BIDANG)[number];
