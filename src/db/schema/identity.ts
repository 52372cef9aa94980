import { bigint, date, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { IDENTITY_CODE_PURPOSES, LINK_END_REASONS, LINK_PROOFS } from '../../domain/vocabulary.ts';
import { contacts } from './channels.ts';
import { households, members } from './registry.ts';

// Counters that limit identity lookups, shared by every process through the database: one row per key
// (`chat:<contact id>` and `address:<client address>`, lookups this hour; `city:lookups:<shard>`, all lookups
// this minute spread over shards, for the alert; `city:alert`, when the alert was last raised). A window starts
// with its first count and a count after it ends starts a new one, so each key is a single small row that is
// updated in place.
/** The city's lookups of the minute are the sum of these rows; a chat always counts in the same one. */
export const CITY_LOOKUP_SHARDS = 32;
export const CITY_LOOKUPS_KEY_PREFIX = 'city:lookups:';
/**
 * Every shard's key, as one text[] parameter (`key = any(...)`): read by key, not by prefix, because a LIKE
 * prefix cannot use the primary key outside the C collation, and the table holds a row for every chat that
 * looked someone up in the last day (a sequential scan of all of them in every lookup).
 */
export const CITY_LOOKUP_KEYS = `{${Array.from({ length: CITY_LOOKUP_SHARDS }, (_, i) => `${CITY_LOOKUPS_KEY_PREFIX}${i}`).join(',')}}`;
export const identityLookupLimits = pgTable('identity_lookup_limits', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});

// How a chat came to speak for a registry member: one row per proof, kept after it ends (the audit of who
// was linked, how and until when). `contacts.member_id` mirrors the one open link of a chat, so every read
// that asks "whose chat is this?" stays one column; only possession or in-person proofs ever write here.
export const contactLinks = pgTable(
  'contact_links',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    contactId: bigint({ mode: 'number' })
      .notNull()
      .references(() => contacts.id),
    memberId: bigint({ mode: 'number' })
      .notNull()
      .references(() => members.id),
    householdId: bigint({ mode: 'number' })
      .notNull()
      .references(() => households.id),
    proof: text({ enum: LINK_PROOFS }).notNull(),
    /** The officer who saw the KTP (in_person). */
    staffId: integer(),
    linkedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    endReason: text({ enum: LINK_END_REASONS }),
  },
  (t) => [
    index('contact_links_contact_idx').on(t.contactId).where(sql`${t.endedAt} is null`),
    index('contact_links_household_idx').on(t.householdId).where(sql`${t.endedAt} is null`),
  ],
);

// Short-lived codes: a one-time code sent to a registry phone (`otp`, stored as a hash: it is a key), or the
// code a resident reads to an officer at the counter (`counter`, which proves nothing by itself and only
// names the chat the officer links after seeing the KTP).
export const identityCodes = pgTable(
  'identity_codes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    purpose: text({ enum: IDENTITY_CODE_PURPOSES }).notNull(),
    /** The chat that asked for the code and will be linked. */
    contactId: bigint({ mode: 'number' })
      .notNull()
      .references(() => contacts.id),
    /** otp: the member the code proves. */
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    /** otp: the registry phone the code went to (normal form). */
    phone: text(),
    code: text().notNull(),
    tries: smallint().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('identity_codes_contact_idx').on(t.contactId, t.createdAt), index('identity_codes_code_idx').on(t.purpose, t.code)],
);

// Which chats looked a member up on which day: "this person was checked from 3 new chats today" is the
// per-member limit, which rotating chats or addresses cannot get around. Purged with the message history.
export const identityMemberChecks = pgTable(
  'identity_member_checks',
  {
    memberId: bigint({ mode: 'number' }).notNull(),
    day: date({ mode: 'string' }).notNull(),
    contactId: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.day, t.contactId] })],
);
