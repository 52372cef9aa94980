import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns.ts';
import { staffUsers } from './staff.ts';

/**
 * The monthly report (issue 20), kept as generated: the figures, the PDF and the XLSX of one month. The job
 * makes the past month's on the first working day; staff may generate it again, which replaces it (the
 * figures of a past month change only when late data arrives).
 */
export const monthlyReports = pgTable('monthly_reports', {
  month: text().primaryKey(), // 2026-11
  figures: jsonb().$type<Record<string, unknown>>().notNull(),
  pdf: bytea().notNull(),
  xlsx: bytea().notNull(),
  generatedBy: integer().references(() => staffUsers.id),
  generatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
