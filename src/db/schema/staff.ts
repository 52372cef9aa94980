import { bigint, boolean, index, inet, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { kecamatan } from './areas.ts';
import { STAFF_ROLES, BIDANG } from '../../domain/vocabulary.ts';


// Field roles (issue 19) are data, not code: an office adds or renames one (TKSK, PSM,
// pendamping PKH, Puskesos officer…) and says what it may do. Their permissions are names of
// services/access.ts PERMISSIONS; a field worker's account keeps the built-in role 'field_officer' for rank,
// and its field role adds what the role's row grants.
export const staffRoles = pgTable('staff_roles', {
  key: text().primaryKey(), // 'tksk'
  /** The role's name per language: { id: 'TKSK', en: 'TKSK (sub-district social welfare worker)' }. */
  names: jsonb().$type<Record<string, string>>().notNull(),
  permissions: text().array().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// A null kecamatanId or bidang means the whole city or every bidang.
export const staffUsers = pgTable('staff_users', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text().notNull(), // argon2id
  role: text({ enum: STAFF_ROLES }).notNull(),
  kecamatanId: integer().references(() => kecamatan.id),
  bidang: text({ enum: BIDANG }),
  /** A field worker's role as data (staff_roles.key: 'tksk'); null for the built-in roles alone. */
  fieldRole: text().references(() => staffRoles.key),
  active: boolean().notNull().default(true),
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

// Sign-in back-off, shared by every process (services/staff/throttle.ts): one row per key, such as an
// (e-mail, client address) pair, a client address, an e-mail across all addresses, or a known browser of an
// account. `account` is the SHA-256 of the typed e-mail (never the e-mail itself: anything can be typed there)
// so an admin's unlock can clear every key of one account at once. Keys of e-mails that are no account are
// kept exactly like real ones, so the back-off tells nobody which e-mails exist.
export const signinThrottle = pgTable(
  'signin_throttle',
  {
    key: text().primaryKey(),
    account: text(),
    /** Attempts since the last success (or since the key was forgotten), the current one included. */
    failures: integer().notNull(),
    blockedUntil: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('signin_throttle_account_idx').on(t.account), index('signin_throttle_updated_idx').on(t.updatedAt)],
);

// Browsers that have signed in to an account (the OWASP "device cookie"): the cookie holds a random token,
// stored here only as its SHA-256, one row per account that browser signed in to. A known browser is held
// only by its own back-off, never by the account-wide one, so an outsider guessing at an account cannot keep
// its owner out of the browser they always use.
export const staffDevices = pgTable(
  'staff_devices',
  {
    tokenHash: text().notNull(),
    staffId: integer()
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    lastSignInAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenHash, t.staffId] }), index('staff_devices_staff_idx').on(t.staffId)],
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
  /** Refused from this instant on, like a revoked token; a year after creation unless the admin chose less. */
  expiresAt: timestamp({ withTimezone: true }).notNull(),
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
