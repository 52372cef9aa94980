import { bigint, boolean, check, date, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { kecamatan, kelurahan } from './areas.ts';
import { programs } from './programs.ts';
import { households } from './registry.ts';
import { staffUsers } from './staff.ts';
import { EVENT_STATUSES, INVITATION_STATUSES, PROXY_REASONS, PROXY_STATUSES, REMINDER_OFFSETS } from '../../domain/vocabulary.ts';

export const sites = pgTable('sites', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  kecamatanId: integer().notNull().references(() => kecamatan.id),
  kelurahanId: integer().references(() => kelurahan.id),
  name: text().notNull(),
  address: text().notNull(),
  latitude: numeric({ precision: 9, scale: 6 }),
  longitude: numeric({ precision: 9, scale: 6 }),
  active: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});


export const distributionEvents = pgTable('distribution_events', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  programId: integer().notNull().references(() => programs.id),
  tranche: text().notNull(), // e.g. 2026 Tahap IV
  title: text().notNull(),
  // The title as English-reading residents see it; null: the title above serves both languages.
  titleEn: text(),
  eventDate: date({ mode: 'string' }).notNull(),
  status: text({ enum: EVENT_STATUSES }).notNull().default('planned'),
  // The WhatsApp Cloud templates this event's invitations and reminders go out with when the chat's 24-hour
  // window is closed (a registry phone that never wrote is always closed). Null: the setting's default.
  invitationTemplate: text(),
  reminderTemplate: text(),
  closedAt: timestamp({ withTimezone: true }), // after closing, uncollected invitations are no-shows and check-in is refused
  createdBy: integer().references(() => staffUsers.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Capacity lives on the slot and `booked` is changed only under a row lock, so a slot is never oversold.
export const eventSlots = pgTable(
  'event_slots',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer()
      .notNull()
      .references(() => distributionEvents.id),
    siteId: integer()
      .notNull()
      .references(() => sites.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    capacity: integer().notNull(),
    booked: integer().notNull().default(0),
  },
  (t) => [index('event_slots_event_idx').on(t.eventId), check('event_slots_capacity', sql`${t.booked} <= ${t.capacity}`)],
);


// Staff moved a kelurahan's households to another site than the nearest one (a road cut, a ferry, a site
// the lurah prefers). Read when seats are allocated; a household can still change site or slot itself.
export const eventSiteAreas = pgTable(
  'event_site_areas',
  {
    eventId: integer()
      .notNull()
      .references(() => distributionEvents.id),
    kelurahanId: integer()
      .notNull()
      .references(() => kelurahan.id),
    siteId: integer()
      .notNull()
      .references(() => sites.id),
    createdBy: integer().references(() => staffUsers.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.kelurahanId] })],
);

export const invitations = pgTable(
  'invitations',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    eventId: integer()
      .notNull()
      .references(() => distributionEvents.id),
    householdId: bigint({ mode: 'number' })
      .notNull()
      .references(() => households.id),
    slotId: integer().references(() => eventSlots.id),
    code: text().notNull().unique(), // short, read-aloud friendly, no 0/O or 1/I
    round: smallint().notNull().default(1), // first, second, third summons
    // The invitation this one follows up (round 2 points at round 1, round 3 at round 2).
    previousInvitationId: bigint({ mode: 'number' }),
    // Bumped whenever the date or slot changes; reminder_fires of an older version are skipped, never sent.
    reminderVersion: integer().notNull().default(1),
    status: text({ enum: INVITATION_STATUSES }).notNull().default('invited'),
    declineReason: text(),
    respondedAt: timestamp({ withTimezone: true }),
    collectedAt: timestamp({ withTimezone: true }),
    collectedSiteId: integer().references(() => sites.id),
    collectedByStaffId: integer().references(() => staffUsers.id),
    collectedByProxy: boolean(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invitations_event_household_round_uq').on(t.eventId, t.householdId, t.round),
    index('invitations_household_idx').on(t.householdId),
    index('invitations_event_status_idx').on(t.eventId, t.status),
    check('invitations_round', sql`${t.round} between 1 and 3`),
  ],
);


// Surat kuasa: someone collecting on the recipient's behalf.
export const proxies = pgTable(
  'proxies',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    invitationId: bigint({ mode: 'number' })
      .notNull()
      .references(() => invitations.id),
    name: text().notNull(),
    nik: varchar({ length: 16 }).notNull(),
    relation: text().notNull(),
    reason: text({ enum: PROXY_REASONS }).notNull(),
    reasonNote: text(),
    status: text({ enum: PROXY_STATUSES }).notNull().default('pending'),
    decidedBy: integer().references(() => staffUsers.id),
    decidedAt: timestamp({ withTimezone: true }),
    decisionNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('proxies_invitation_idx').on(t.invitationId)],
);



// A changed date bumps `version`; a fire whose version is not the invitation's current one is skipped.
export const reminderFires = pgTable(
  'reminder_fires',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    invitationId: bigint({ mode: 'number' })
      .notNull()
      .references(() => invitations.id),
    offset: text({ enum: REMINDER_OFFSETS }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    version: integer().notNull(),
    status: text({ enum: ['pending', 'sent', 'skipped'] }).notNull().default('pending'),
    firedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('reminder_fires_uq').on(t.invitationId, t.offset, t.version),
    index('reminder_fires_due_idx').on(t.status, t.dueAt),
  ],
);
