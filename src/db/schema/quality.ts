import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { kecamatan, kelurahan } from './areas.ts';
import { programs } from './programs.ts';
import { households, members } from './registry.ts';
import { staffUsers } from './staff.ts';
import { FINDING_KINDS, FINDING_STATUSES } from '../../domain/vocabulary.ts';


// Data-quality problems as work: found by a scan of the registry, each with an area so it reaches the right
// desk, assignable, and resolved with a note. `key` identifies the same problem across scans (built from ids,
// never from a NIK), so a rescan updates lastSeenAt instead of opening it again.
export const findings = pgTable(
  'findings',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text({ enum: FINDING_KINDS }).notNull(),
    key: text().notNull(),
    kecamatanId: integer().references(() => kecamatan.id),
    kelurahanId: integer().references(() => kelurahan.id),
    householdId: bigint({ mode: 'number' }).references(() => households.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    programId: integer().references(() => programs.id),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: text({ enum: FINDING_STATUSES }).notNull().default('open'),
    assigneeId: integer().references(() => staffUsers.id),
    resolutionNote: text(),
    resolvedBy: integer().references(() => staffUsers.id),
    resolvedAt: timestamp({ withTimezone: true }),
    firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('findings_kind_key_uq').on(t.kind, t.key),
    index('findings_area_idx').on(t.status, t.kecamatanId, t.kelurahanId),
  ],
);
