import { bigint, boolean, check, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { kecamatan } from './areas.ts';
import { contacts, messages } from './channels.ts';
import { invitations, proxies } from './distribution.ts';
import { members } from './registry.ts';
import { BIDANG, staffUsers } from './staff.ts';

export const COMPLAINT_CATEGORIES = [
  'usulan', // not registered but in need
  'sanggahan', // someone receives who should not
  'not_received', // aid not received or cut
  'site_too_far',
  'wrong_data', // name, address, a member died or moved
  'service',
  'other',
] as const;

export const COMPLAINT_STATUSES = ['received', 'verified', 'in_progress', 'answered', 'closed', 'reopened'] as const;

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
    summary: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    verifyDueAt: timestamp({ withTimezone: true }),
    answerDueAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    autoCloseAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    csat: smallint(), // 1–5
    csatComment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('complaints_scope_idx').on(t.status, t.kecamatanId, t.bidang),
    index('complaints_contact_idx').on(t.contactId),
    check('complaints_csat', sql`${t.csat} between 1 and 5`),
  ],
);

export const COMPLAINT_EVENT_KINDS = ['message_in', 'message_out', 'note', 'status_change', 'assignment'] as const;

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

// Files residents send (complaint photos, surat kuasa). Bytes live under DATA_DIR, addressed by their hash.
export const attachments = pgTable('attachments', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  complaintId: bigint({ mode: 'number' }).references(() => complaints.id),
  proxyId: bigint({ mode: 'number' }).references(() => proxies.id),
  messageId: bigint({ mode: 'number' }).references(() => messages.id),
  mimeType: text().notNull(),
  fileName: text(),
  size: integer().notNull(),
  sha256: text().notNull(),
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

// Public holidays; working-day deadlines skip them and weekends.
export const holidays = pgTable('holidays', {
  day: date({ mode: 'string' }).primaryKey(),
  name: text().notNull(),
});
