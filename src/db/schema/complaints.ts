import { bigint, boolean, check, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { kecamatan } from './areas.ts';
import { bytea } from './columns.ts';
import { programs } from './programs.ts';
import { agents } from './agents.ts';
import { contacts, messages } from './channels.ts';
import { CHANNELS } from '../../domain/vocabulary.ts';
import { invitations, proxies } from './distribution.ts';
import { members } from './registry.ts';
import { staffUsers } from './staff.ts';
import { BIDANG } from '../../domain/vocabulary.ts';
import { AGENT_PROBLEMS, COMPLAINT_CATEGORIES, COMPLAINT_CLOSE_REASONS, COMPLAINT_STATUSES, COMPLAINT_EVENT_KINDS, ATTACHMENT_STATUSES } from '../../domain/vocabulary.ts';



export const complaints = pgTable(
  'complaints',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    trackingId: text().notNull().unique(), // e.g. ADU-2611-00042
    category: text({ enum: COMPLAINT_CATEGORIES }).notNull(),
    status: text({ enum: COMPLAINT_STATUSES }).notNull().default('received'),
    contactId: bigint({ mode: 'number' }).references(() => contacts.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    invitationId: bigint({ mode: 'number' }).references(() => invitations.id),
    kecamatanId: integer().references(() => kecamatan.id),
    bidang: text({ enum: BIDANG }),
    assigneeId: integer().references(() => staffUsers.id),
    anonymous: boolean().notNull().default(false), // reporter hidden from operators; only admin may reveal
    // Someone in danger now (a PPKS report marked so by the resident): deadlines in hours, the emergency queue.
    urgent: boolean().notNull().default(false),
    summary: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    verifyDueAt: timestamp({ withTimezone: true }),
    answerDueAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    autoCloseAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    // Why a complaint was closed without an answer (a duplicate of another report, spam); null when it was
    // answered and closed the usual way. The officer's words are the closing event's body.
    closeReason: text({ enum: COMPLAINT_CLOSE_REASONS }),
    // The program a complaint is about, when the resident named one: it routes to the program's bidang (issue 20).
    programId: integer().references(() => programs.id),
    // An e-warong or agent the complaint is about (goods quality or quantity, a closed agent), counted per agent.
    agentId: integer().references(() => agents.id),
    agentProblem: text({ enum: AGENT_PROBLEMS }),
    csat: smallint(), // 1–5
    csatComment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('complaints_scope_idx').on(t.status, t.kecamatanId, t.bidang),
    index('complaints_contact_idx').on(t.contactId),
    // An officer's open complaints: "Milik saya" and "Menunggu saya", counted every two seconds per open page.
    index('complaints_open_assignee_idx').on(t.assigneeId).where(sql`${t.status} <> 'closed'`),
    // The emergency queue: urgent reports not yet closed, by deadline.
    index('complaints_urgent_open_idx').on(t.verifyDueAt).where(sql`${t.urgent} and ${t.status} <> 'closed'`),
    check('complaints_csat', sql`${t.csat} between 1 and 5`),
  ],
);


export const complaintEvents = pgTable(
  'complaint_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    complaintId: bigint({ mode: 'number' })
      .notNull()
      .references(() => complaints.id),
    kind: text({ enum: COMPLAINT_EVENT_KINDS }).notNull(),
    staffId: integer().references(() => staffUsers.id),
    body: text(),
    fromStatus: text({ enum: COMPLAINT_STATUSES }),
    toStatus: text({ enum: COMPLAINT_STATUSES }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('complaint_events_complaint_idx').on(t.complaintId, t.createdAt)],
);


// Files residents send (complaint photos, surat kuasa). A row is written when the complaint is filed, with
// the provider's file id (`ref`); a job (app/jobs.ts → services/complaints/attachments.ts) fetches the bytes
// later and stores them in `attachment_blobs`, so every process sees them without a shared disk. Until then
// the hash and size are unknown.
export const attachments = pgTable(
  'attachments',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    complaintId: bigint({ mode: 'number' }).references(() => complaints.id),
    proxyId: bigint({ mode: 'number' }).references(() => proxies.id),
    messageId: bigint({ mode: 'number' }).references(() => messages.id),
    /** Where the file came from, i.e. whose API can fetch `ref`. */
    channel: text({ enum: CHANNELS }),
    /** The provider's file id: Telegram file_id, WhatsApp Cloud media id, WhatsApp Web message id. */
    ref: text(),
    status: text({ enum: ATTACHMENT_STATUSES }).notNull().default('pending'),
    failReason: text(),
    attempts: smallint().notNull().default(0),
    /** A pending row is not tried before this (backoff, and the lease of a fetch in progress). */
    nextAttemptAt: timestamp({ withTimezone: true }),
    mimeType: text().notNull(),
    fileName: text(),
    size: integer(),
    sha256: text(),
    storedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('attachments_complaint_idx').on(t.complaintId),
    index('attachments_proxy_idx').on(t.proxyId),
    index('attachments_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('attachments_stored_has_bytes', sql`${t.status} <> 'stored' or (${t.sha256} is not null and ${t.size} is not null)`),
  ],
);


// The bytes of stored attachments, once per content (two residents sending the same picture share a row).
export const attachmentBlobs = pgTable('attachment_blobs', {
  sha256: text().primaryKey(),
  bytes: bytea().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Where a complaint goes: by category and optionally kecamatan, to a bidang. Editable by admins.
export const complaintRoutes = pgTable(
  'complaint_routes',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    category: text({ enum: COMPLAINT_CATEGORIES }).notNull(),
    kecamatanId: integer().references(() => kecamatan.id),
    bidang: text({ enum: BIDANG }).notNull(),
  },
  (t) => [uniqueIndex('complaint_routes_uq').on(t.category, t.kecamatanId)],
);

// Who answers urgent reports outside office hours (issue 19): one officer per date, city-wide, set by a
// supervisor or admin. An urgent PPKS report filed out of hours is assigned to the officer on duty that day.
export const dutyRoster = pgTable('duty_roster', {
  onDate: date({ mode: 'string' }).primaryKey(),
  staffId: integer()
    .notNull()
    .references(() => staffUsers.id),
  setBy: integer().references(() => staffUsers.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Public holidays; working-day deadlines skip them and weekends.
export const holidays = pgTable('holidays', {
  day: date({ mode: 'string' }).primaryKey(),
  name: text().notNull(),
});
