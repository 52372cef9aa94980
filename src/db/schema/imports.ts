import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { IMPORT_KINDS, IMPORT_STATUSES } from '../../domain/vocabulary.ts';


/** One line of the report a skipped row leaves: the file line and a reason code with detail. */
export interface ImportProblem {
  line: number;
  reason: string;
  detail?: string;
}

/** Counts of an import, kept apart from the columns so a new count needs no migration. */
export interface ImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Registry only: households touched, members newly flagged missing or back again. */
  householdsInserted?: number;
  householdsUpdated?: number;
  householdsUnchanged?: number;
  flaggedMissing?: number;
}

// Every run of `npm run import` (and later the console upload): what came in, what it did, what it skipped.
// The file is named by its sha256 so an office can tell whether the same export was loaded twice.
export const importRuns = pgTable(
  'import_runs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text({ enum: IMPORT_KINDS }).notNull(),
    fileName: text().notNull(),
    fileSha256: text(),
    status: text({ enum: IMPORT_STATUSES }).notNull().default('running'),
    rowsRead: integer().notNull().default(0),
    inserted: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    unchanged: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    counts: jsonb().$type<ImportCounts>(),
    skippedByReason: jsonb().$type<Record<string, number>>().notNull().default({}),
    problems: jsonb().$type<ImportProblem[]>().notNull().default([]),
    error: text(), // why a failed run failed; no personal data
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('import_runs_started_idx').on(t.startedAt),
    check('import_runs_counts_nonneg', sql`${t.rowsRead} >= 0 and ${t.skipped} >= 0`),
  ],
);
