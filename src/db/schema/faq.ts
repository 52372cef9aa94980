import { boolean, integer, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { staffUsers } from './staff.ts';

// The chat's questions and answers as staff write them, per language. A row with the key of a built-in topic
// (documents, schedule, dtsen, proposal, lostDocument) replaces that topic's words from locales/; a row with a
// key of its own is a new topic. `active = false` hides a topic (built-in or not) from residents without
// losing its words. Topics built from data (programs, offices) are not here: they follow their records.
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    key: text().notNull(),
    language: text().notNull(),
    title: text().notNull(),
    answer: text().notNull(),
    position: smallint().notNull().default(100),
    active: boolean().notNull().default(true),
    updatedBy: integer().references(() => staffUsers.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('faq_entries_key_language_uq').on(t.key, t.language)],
);
