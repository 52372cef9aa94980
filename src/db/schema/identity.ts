import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Counters that limit identity lookups, shared by every process through the database: one row per chat
// (`chat:<contact id>`, lookups that reached the registry this hour) and one for the whole city
// (`city:failed`, failed lookups this minute). A window starts with its first count and a count after it
// ends starts a new one, so each key is a single small row that is updated in place.
export const identityLookupLimits = pgTable('identity_lookup_limits', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});
