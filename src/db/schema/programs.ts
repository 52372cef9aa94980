import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, check, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { households, members } from './registry.ts';
import { PROGRAM_UNITS, BENEFIT_TYPES, BENEFIT_PERIODS, ENROLLMENT_STATUSES, RECIPIENT_LIST_STATUSES } from '../../domain/vocabulary.ts';
import { staffUsers } from './staff.ts';


/** Eligibility rules stored on each program; read by the pure eligibility function in src/domain. */
export interface ProgramRules {
  maxDesil?: number; // desil ceiling, e.g. 4 for desil 1–4
  minAge?: number;
  excludedWith?: string[]; // program codes a recipient may not also receive
  requiresDisability?: boolean;
  /**
   * The most one enrollment is paid per benefit period (rupiah), for a program whose families receive different
   * amounts; without it, benefitAmount is the most (domain/benefit.ts). Not an eligibility rule.
   */
  maxAmount?: number;
}

export const programs = pgTable('programs', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  code: text().notNull().unique(),
  name: text().notNull(),
  // The name as English-reading residents see it; null: the name above serves both languages.
  nameEn: text(),
  agency: text().notNull(), // owning agency, e.g. Kementerian Sosial, Dinsos Kota Batam
  bidang: text(), // office division that answers for it (Linjamsos, Rehsos, Dayasos, PM)
  funder: text().notNull(), // APBN, APBD
  benefitType: text({ enum: BENEFIT_TYPES }).notNull(),
  benefitAmount: integer(), // rupiah per period; null for in-kind or insurance
  benefitPeriod: text({ enum: BENEFIT_PERIODS }).notNull(),
  unit: text({ enum: PROGRAM_UNITS }).notNull(),
  rules: jsonb().$type<ProgramRules>().notNull().default({}),
  activeFrom: date({ mode: 'string' }),
  activeUntil: date({ mode: 'string' }),
  // How many recipients the office means to reach in a year (Renstra target); the monthly report sets
  // enrollments against it. Null: no target set.
  targetPerYear: integer(),
  // What the chat's FAQ says about the program beside the facts drawn from the rules: what to bring and
  // who to ask (requirements), when it is paid or handed out (schedule). Staff write them, per language;
  // null: the FAQ shows only the facts.
  requirements: text(),
  requirementsEn: text(),
  schedule: text(),
  scheduleEn: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const enrollments = pgTable(
  'enrollments',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    programId: integer().notNull().references(() => programs.id),
    // Household programs point at the household, person programs at the member.
    householdId: bigint({ mode: 'number' }).references(() => households.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    period: text().notNull(), // e.g. 2026-Q4, 2026-11
    status: text({ enum: ENROLLMENT_STATUSES }).notNull(),
    amount: integer(), // rupiah, when it differs from the program's default
    source: text().notNull(), // DTSEN, usulan, import, demo
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('enrollments_household_idx').on(t.householdId),
    index('enrollments_member_idx').on(t.memberId),
    index('enrollments_program_idx').on(t.programId, t.status),
    check('enrollments_target', sql`(${t.householdId} is not null) <> (${t.memberId} is not null)`),
  ],
);

/**
 * The recipient list of a program for a period, as a decision (issue 20): prepared as a draft from the
 * proposed and verified enrollments, approved and locked by the head of the owning bidang, and exported for
 * the decree (SK). A locked list never changes: a correction is a new version, which supersedes it when locked.
 */
export const recipientLists = pgTable(
  'recipient_lists',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    programId: integer().notNull().references(() => programs.id),
    period: text().notNull(),
    version: integer().notNull().default(1),
    status: text({ enum: RECIPIENT_LIST_STATUSES }).notNull().default('draft'),
    // Figures at lock time, so the list's page and the SK need not count again.
    recipientCount: integer(),
    totalAmount: bigint({ mode: 'number' }),
    // The SK's own number and date, as the office writes them; filled when it is locked.
    decreeNumber: text(),
    note: text(),
    createdBy: integer().references(() => staffUsers.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedBy: integer().references(() => staffUsers.id),
    lockedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('recipient_lists_version_uq').on(t.programId, t.period, t.version)],
);

/** Who is on a locked list: a copy of each enrollment as it stood when the list was locked. */
export const recipientListItems = pgTable(
  'recipient_list_items',
  {
    listId: integer()
      .notNull()
      .references(() => recipientLists.id),
    enrollmentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => enrollments.id),
    householdId: bigint({ mode: 'number' }).references(() => households.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    status: text({ enum: ENROLLMENT_STATUSES }).notNull(),
    amount: integer(),
  },
  (t) => [uniqueIndex('recipient_list_items_uq').on(t.listId, t.enrollmentId)],
);
