import { bigint, boolean, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { kecamatan } from './areas.ts';
import { staffUsers } from './staff.ts';
import { AGENCY_KINDS, REFERRAL_SOURCES, REFERRAL_STATUSES } from '../../domain/vocabulary.ts';

// Referrals (issue 19): a case the office hands to another agency or a welfare organisation (LKS). The
// destinations are data an admin keeps; a referral follows its status (sent, accepted, done, refused) with a
// due date, and the resident behind a complaint is told when it changes.
export const agencies = pgTable('agencies', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  kind: text({ enum: AGENCY_KINDS }).notNull(),
  /** Where it works; null: the whole city. */
  kecamatanId: integer().references(() => kecamatan.id),
  /** What it offers, in the office's words ("panti jompo, 40 tempat", "rumah singgah anak"). */
  services: text(),
  phone: text(),
  email: text(),
  address: text(),
  active: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const referrals = pgTable(
  'referrals',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    sourceKind: text({ enum: REFERRAL_SOURCES }).notNull(),
    sourceId: bigint({ mode: 'number' }).notNull(),
    agencyId: integer()
      .notNull()
      .references(() => agencies.id),
    /** The kecamatan of the case, for scope; null: city-wide. */
    kecamatanId: integer().references(() => kecamatan.id),
    status: text({ enum: REFERRAL_STATUSES }).notNull().default('sent'),
    dueOn: date({ mode: 'string' }).notNull(),
    /** What the agency is asked to do. Never a NIK: the agency gets the case's papers through its own channel. */
    note: text(),
    createdBy: integer().references(() => staffUsers.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referrals_source_idx').on(t.sourceKind, t.sourceId), index('referrals_open_idx').on(t.status, t.dueOn), index('referrals_agency_idx').on(t.agencyId)],
);

// Each status change of a referral, with who and why: the history staff read and the figures count.
export const referralEvents = pgTable(
  'referral_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    referralId: bigint({ mode: 'number' })
      .notNull()
      .references(() => referrals.id),
    status: text({ enum: REFERRAL_STATUSES }).notNull(),
    note: text(),
    staffId: integer().references(() => staffUsers.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referral_events_referral_idx').on(t.referralId, t.createdAt)],
);
