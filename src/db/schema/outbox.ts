import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { contacts } from './channels.ts';
import { CHANNELS } from '../../domain/vocabulary.ts';
import { OUTBOX_STATUSES, PRIORITY } from '../../domain/vocabulary.ts';


// Every message to a resident, written in the same transaction as the change that caused it.
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    contactId: bigint({ mode: 'number' })
      .notNull()
      .references(() => contacts.id),
    channel: text({ enum: CHANNELS }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    priority: smallint().notNull().default(PRIORITY.reply), // replies before bulk
    notBefore: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default('pending'),
    lastError: text(),
    providerMessageId: text(),
    claimedUntil: timestamp({ withTimezone: true }), // a crashed sender's claim expires and the row is retried
    sentAt: timestamp({ withTimezone: true }),
    // The provider's own report after sending (WhatsApp Cloud statuses): delivered, read.
    deliveredAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
    // Set on the messages of a broadcast, for its delivery statistics.
    broadcastId: integer(),
    // Set on an invitation's messages (the invitation, its reminders, a change of slot): the invitation list
    // shows how each went, and a household whose every message failed goes to the call-down list by itself.
    invitationId: bigint({ mode: 'number' }),
    // The office writes first to a number that never wrote to it (a registry phone): Meta counts each such
    // message against the daily limit of new conversations, which the dispatcher holds (outbox/claim.ts).
    opensConversation: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.priority, t.notBefore),
    // The dispatcher's claim walks pending rows of one channel in priority, then queue order.
    index('outbox_claim_idx').on(t.channel, t.priority, t.id).where(sql`${t.status} = 'pending'`),
    index('outbox_contact_idx').on(t.contactId, t.id),
    // The claim's two questions per candidate row (claim.ts), which without these read a chat's whole history
    // or the whole table on every claim (issue 21: a seq scan of the outbox per claim): is an earlier row of the
    // chat unfinished, and was anything sent to the chat within its interval.
    index('outbox_unfinished_idx').on(t.contactId, t.id).where(sql`${t.status} in ('pending', 'sending')`),
    // By chat, then time: the second question is one probe. By time alone it read every row sent to anyone within
    // the interval for each candidate, 4 ms a claim with a backlog of 3,000 replies held by Telegram's second per chat.
    index('outbox_chat_sent_idx').on(t.contactId, t.sentAt).where(sql`${t.status} = 'sent'`),
    index('outbox_broadcast_idx').on(t.broadcastId, t.status).where(sql`${t.broadcastId} is not null`),
    // Delivery reports (Cloud statuses, WhatsApp Web ticks) find their row by the provider's id.
    index('outbox_provider_idx').on(t.channel, t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
    index('outbox_invitation_idx').on(t.invitationId).where(sql`${t.invitationId} is not null`),
    // Today's new conversations, counted at every claim of the Cloud channel.
    index('outbox_opening_idx').on(t.channel, t.sentAt).where(sql`${t.opensConversation}`),
  ],
);

// One token bucket per channel, shared by every process: the row lock on it is what keeps several
// dispatchers together under the channel's rate limit.
export const channelBudgets = pgTable('channel_budgets', {
  channel: text({ enum: CHANNELS }).primaryKey(),
  tokens: doublePrecision().notNull(),
  refilledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
