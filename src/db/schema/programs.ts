import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { households, members } from './registry.ts';
import { PROGRAM_UNITS, BENEFIT_TYPES, BENEFIT_PERIODS, ENROLLMENT_STATUSES } from '../../domain/vocabulary.ts';


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
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
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
