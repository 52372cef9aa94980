import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { enrollments, programs } from './programs.ts';
import { households, members } from './registry.ts';
import { staffUsers } from './staff.ts';
import { kecamatan } from './areas.ts';
import { DISBURSEMENT_STATUSES, DISBURSEMENT_WORK_STATUSES } from '../../domain/vocabulary.ts';

/**
 * One result file of a bank or a distributor for a program's tranche (issue 20), imported whole or not at
 * all: a bad line refuses the file with the line's number, and the same file (by its bytes) is never
 * imported twice.
 */
export const disbursementFiles = pgTable(
  'disbursement_files',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    programId: integer()
      .notNull()
      .references(() => programs.id),
    // The enrollment period the tranche pays (2026-Q4, 2026-11): what the aid check names ("triwulan IV").
    period: text().notNull(),
    // Who sent the file: the bank (BNI, BRI, Mandiri, BSI) or the distributor (PT Pos).
    source: text().notNull(),
    fileName: text().notNull(),
    sha256: text().notNull(),
    lineCount: integer().notNull().default(0),
    transferred: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    returned: integer().notNull().default(0),
    importedBy: integer().references(() => staffUsers.id),
    importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('disbursement_files_sha_uq').on(t.sha256)],
);

/**
 * What a file says about one enrollment in that tranche. The latest line per enrollment and period is what the
 * aid check tells the family. A failed or returned transfer is work for staff (workStatus) and the family is
 * told once (notifiedAt).
 */
export const disbursements = pgTable(
  'disbursements',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    fileId: integer()
      .notNull()
      .references(() => disbursementFiles.id),
    lineNo: integer().notNull(),
    programId: integer()
      .notNull()
      .references(() => programs.id),
    period: text().notNull(),
    enrollmentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => enrollments.id),
    householdId: bigint({ mode: 'number' })
      .notNull()
      .references(() => households.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    // The household's kecamatan when imported, for staff scope without a join through the registry.
    kecamatanId: integer().references(() => kecamatan.id),
    // The account or card number as the file gives it, kept masked (last four digits): enough for an
    // officer to match with the bank, nothing a reader could use.
    referenceMasked: text(),
    amount: integer().notNull(),
    status: text({ enum: DISBURSEMENT_STATUSES }).notNull(),
    // The bank's date of the transfer or of the failure.
    transferDate: date({ mode: 'string' }).notNull(),
    // The bank's reason for a failure, as written (rekening tidak aktif, nama tidak sesuai…).
    reason: text(),
    notifiedAt: timestamp({ withTimezone: true }),
    workStatus: text({ enum: DISBURSEMENT_WORK_STATUSES }),
    resolvedBy: integer().references(() => staffUsers.id),
    resolvedAt: timestamp({ withTimezone: true }),
    resolution: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('disbursements_household_idx').on(t.householdId),
    index('disbursements_enrollment_idx').on(t.enrollmentId, t.period),
    index('disbursements_program_idx').on(t.programId, t.period, t.status),
    index('disbursements_file_idx').on(t.fileId),
    index('disbursements_open_work_idx').on(t.kecamatanId).where(sql`${t.workStatus} = 'open'`),
  ],
);
