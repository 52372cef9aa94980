import { boolean, integer, jsonb, pgTable, text, timestamp, index } from 'drizzle-orm/pg-core';
import { staffUsers } from './staff.ts';
import { BROADCAST_STATUSES } from '../../domain/vocabulary.ts';


/** Who a broadcast goes to; every part optional, all parts must hold. Only linked (verified) chats. */
export interface BroadcastSegment {
  programIds?: number[];
  kecamatanIds?: number[];
  kelurahanIds?: number[];
  languages?: string[];
  /** DTSEN desil, inclusive: households ranked in this range. */
  desilMin?: number;
  desilMax?: number;
  /** Households with a living member of at least / at most this age today. */
  ageMin?: number;
  ageMax?: number;
  /** Households with a living member with a disability. */
  disability?: boolean;
}

// An announcement to a segment of residents, in each resident's language. Its messages go through the
// outbox (rows carry broadcastId), so rate limits, quiet hours and delivery statistics are the outbox's.
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    title: text().notNull(),
    /** The text per language, e.g. { id: '...', en: '...' }; a language without its own text gets the default one. */
    texts: jsonb().$type<Record<string, string>>().notNull(),
    segment: jsonb().$type<BroadcastSegment>().notNull(),
    status: text({ enum: BROADCAST_STATUSES }).notNull().default('draft'),
    scheduledAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    recipientCount: integer(),
    // Also to the registry phones of households with no linked chat (WhatsApp only; on the Cloud API with this
    // approved template, the text as its parameter). Off by default: a broadcast is for those who wrote to us.
    toRegistryPhones: boolean().notNull().default(false),
    template: text(),
    createdBy: integer().references(() => staffUsers.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('broadcasts_due_idx').on(t.status, t.scheduledAt)],
);
