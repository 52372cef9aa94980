import { bigint, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { members } from './registry.ts';
import { staffUsers } from './staff.ts';
import { CHANNELS, MESSAGE_KINDS } from '../../domain/vocabulary.ts';


// A resident as seen on one channel. Nothing personal is shown to a contact until memberId is set by verification.
export const contacts = pgTable(
  'contacts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    channel: text({ enum: CHANNELS }).notNull(),
    externalId: text().notNull(), // chat id on the channel
    displayName: text(),
    language: text(), // null until chosen; DEFAULT_LOCALE applies
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    verifiedAt: timestamp({ withTimezone: true }),
    consentAt: timestamp({ withTimezone: true }),
    lastInboundAt: timestamp({ withTimezone: true }), // opens the WhatsApp 24-hour window
    failedVerifications: smallint().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }), // five failed identity checks lock the chat for an hour
    handoverAt: timestamp({ withTimezone: true }), // set while a human owns the conversation
    // The message that asked for the officer (messages.id): the handover page shows it and what follows, never
    // the chat before it, which may hold another case (an anonymous sanggahan) of the same resident. An id, not
    // a time: message times are the database's clock, handoverAt the service's.
    handoverMessageId: bigint({ mode: 'number' }),
    // When the resident waiting for an officer was last offered to turn the wait into a report
    // (services/handover-desk/offer.ts): once per handover, whether the job or the conversation offered it.
    handoverOfferedAt: timestamp({ withTimezone: true }),
    // The officer answering the waiting resident (a claim): everyone else sees "Rina is answering", and only
    // she replies until she lets go or the handover ends. Null: waiting for whoever takes it.
    handoverStaffId: integer().references(() => staffUsers.id),
    handoverClaimedAt: timestamp({ withTimezone: true }),
    // The chat's own phone in normal form (domain/phone.ts): the WhatsApp sender, a demo phone, or the number
    // of a Telegram contact the user shared of their own account. Compared with registry phones.
    phone: text(),
    // "berhenti"/"stop": nothing but replies is sent to this chat until it writes "mulai".
    stoppedAt: timestamp({ withTimezone: true }),
    unreachableAt: timestamp({ withTimezone: true }), // bot blocked, number not on WhatsApp
    unreachableReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_channel_external_uq').on(t.channel, t.externalId),
    index('contacts_member_idx').on(t.memberId),
    index('contacts_phone_idx').on(t.phone),
  ],
);

export const sessions = pgTable('sessions', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  contactId: bigint({ mode: 'number' })
    .notNull()
    .unique()
    .references(() => contacts.id),
  flow: text().notNull(),
  step: text().notNull(),
  data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// The key that seals what a session must not keep readable, a NIK or KK number typed halfway through a
// question (conversation/seal.ts says why it lives here). One row, written by the first process that needs it.
export const sessionKeys = pgTable(
  'session_keys',
  {
    id: smallint().primaryKey().default(1),
    key: text().notNull(), // 32 random bytes, base64
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('session_keys_one_row', sql`${t.id} = 1`)],
);


// Every inbound and outbound message; the provider id de-duplicates redeliveries.
export const messages = pgTable(
  'messages',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    contactId: bigint({ mode: 'number' })
      .notNull()
      .references(() => contacts.id),
    channel: text({ enum: CHANNELS }).notNull(),
    direction: text({ enum: ['in', 'out'] }).notNull(),
    kind: text({ enum: MESSAGE_KINDS }).notNull(),
    body: text(),
    payload: jsonb().$type<Record<string, unknown>>(),
    providerMessageId: text(),
    staffId: integer(), // set when a staff member wrote it
    // The complaint this message belongs to: its filing dialogue, the officers' replies and notices about it, and
    // the resident's answers joined to it. A complaint's page shows only these, so one case never shows another
    // (an anonymous sanggahan beside the same resident's named report). Null for everything else. No foreign
    // key: complaints.ts already imports this file (a cycle otherwise), and complaints are never deleted.
    complaintId: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_provider_uq').on(t.channel, t.direction, t.providerMessageId),
    index('messages_contact_idx').on(t.contactId, t.createdAt),
    index('messages_complaint_idx').on(t.complaintId, t.createdAt).where(sql`${t.complaintId} is not null`),
    // The retention purge takes the oldest history first (services/rights/purge.ts).
    index('messages_created_idx').on(t.createdAt),
  ],
);
