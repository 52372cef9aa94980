import { bigint, boolean, index, inet, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { kecamatan } from './areas.ts';
import { STAFF_ROLES, BIDANG } from '../../domain/vocabulary.ts';


// A null kecamatanId or bidang means the whole city or every bidang.
export const staffUsers = pgTable('staff_users', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text().notNull(), // argon2id
  role: text({ enum: STAFF_ROLES }).notNull(),
  kecamatanId: integer().references(() => kecamatan.id),
  bidang: text({ enum: BIDANG }),
  active: boolean().notNull().default(true),
  failedLogins: smallint().notNull().default(0),
  lockedUntil: timestamp({ withTimezone: true }),
  passwordChangedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const staffSessions = pgTable(
  'staff_sessions',
  {
    tokenHash: text().primaryKey(), // sha-256 of the cookie value; the cookie itself is never stored
    staffId: integer()
      .notNull()
      .references(() => staffUsers.id),
    csrfToken: text().notNull(),
    ip: inet(),
    userAgent: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_sessions_staff_idx').on(t.staffId)],
);

export const apiTokens = pgTable('api_tokens', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  tokenHash: text().notNull().unique(), // shown once at creation, stored hashed
  role: text({ enum: STAFF_ROLES }).notNull(),
  kecamatanId: integer().references(() => kecamatan.id),
  bidang: text({ enum: BIDANG }),
  createdBy: integer().references(() => staffUsers.id),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const cannedResponses = pgTable('canned_responses', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  title: text().notNull(),
  language: text().notNull(),
  body: text().notNull(),
  bidang: text({ enum: BIDANG }),
  createdBy: integer().references(() => staffUsers.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Who read or changed what, when and from where. Details never hold NIK, KK or message text in clear.
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    actorKind: text({ enum: ['staff', 'api', 'resident', 'system'] }).notNull(),
    staffId: integer().references(() => staffUsers.id),
    apiTokenId: integer().references(() => apiTokens.id),
    contactId: bigint({ mode: 'number' }),
    action: text().notNull(), // e.g. member.read, complaint.assign, identity.lookup
    entity: text().notNull(),
    entityId: text(),
    details: jsonb().$type<Record<string, unknown>>(),
    ip: inet(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_created_idx').on(t.createdAt)],
);
