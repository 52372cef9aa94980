import { bigint, check, index, integer, pgTable, smallint, text, timestamp, jsonb } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { contacts } from './channels.ts';
import { kecamatan } from './areas.ts';
import { programs } from './programs.ts';
import { sites } from './distribution.ts';
import { complaints } from './complaints.ts';
import { BIDANG, SATISFACTION_SERVICES } from '../../domain/vocabulary.ts';

/**
 * One satisfaction question put to a resident after a service (issue 20: IKM for every service), and its
 * answer. A row is written when the question is asked, so "at most once a week per resident" is a look at
 * this table; score stays null until answered. What was served (bidang, site, program, kecamatan) is copied
 * at asking time, so the IKM by service, bidang, site and month needs no join into the service's own tables.
 */
export const satisfaction = pgTable(
  'satisfaction',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    // Null once the chat is gone (an idle web chat purged): the rating stays in the IKM, no longer anyone's.
    contactId: bigint({ mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    service: text({ enum: SATISFACTION_SERVICES }).notNull(),
    bidang: text({ enum: BIDANG }),
    kecamatanId: integer().references(() => kecamatan.id),
    siteId: integer().references(() => sites.id),
    programId: integer().references(() => programs.id),
    complaintId: bigint({ mode: 'number' }).references(() => complaints.id),
    // The service's own record, for a rating that names no table above (a live chat's handover id).
    ref: text(),
    score: smallint(),
    comment: text(),
    // The nine SKM elements (Permenpan-RB 14/2017) of a periodic survey, each 1–4; null for one question.
    elements: jsonb().$type<Record<string, number>>(),
    askedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('satisfaction_contact_idx').on(t.contactId, t.askedAt),
    index('satisfaction_answered_idx').on(t.answeredAt).where(sql`${t.score} is not null`),
    check('satisfaction_score', sql`${t.score} between 1 and 5`),
  ],
);
