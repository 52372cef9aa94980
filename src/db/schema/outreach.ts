import { integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

// The message templates of the office's WhatsApp Business Account, as Meta last reported them (synced from the
// Graph API's message_templates). The office writes first to a registry phone on the Cloud API only with one
// of these whose status is APPROVED; an invitation or reminder names the one it uses.
export const whatsappTemplates = pgTable(
  'whatsapp_templates',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    language: text().notNull(), // Meta's code: id, en, en_US
    status: text().notNull(), // APPROVED, PENDING, REJECTED, PAUSED, DISABLED… as Meta says it
    category: text(), // UTILITY, MARKETING, AUTHENTICATION
    metaId: text(),
    /** The body text with its {{1}}… placeholders, for staff to read what residents will get. */
    body: text(),
    /** How many body parameters the template takes ({{1}}…{{n}}, or named ones). */
    parameterCount: smallint().notNull().default(0),
    components: jsonb().$type<unknown[]>(),
    /** Meta's reason when rejected or paused. */
    reason: text(),
    syncedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('whatsapp_templates_name_language_uq').on(t.name, t.language)],
);
