import { bigint, boolean, date, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, varchar, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { kelurahan } from './areas.ts';
import { SEXES, RELATIONSHIPS } from '../../domain/vocabulary.ts';
import { registrySqlNormalForm } from '../../domain/phone.ts';


// One row per family card (KK), as listed in DTSEN/DTKS exports.
export const households = pgTable(
  'households',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    noKk: varchar({ length: 16 }).notNull().unique(),
    address: text().notNull(),
    rt: varchar({ length: 3 }),
    rw: varchar({ length: 3 }),
    kelurahanId: integer().notNull().references(() => kelurahan.id),
    desil: smallint(), // DTSEN desil 1–10; null when not ranked
    source: text().notNull(), // where the row came from: DTSEN, import file name, demo
    snapshotDate: date({ mode: 'string' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('households_kelurahan_idx').on(t.kelurahanId),
    check('households_desil_range', sql`${t.desil} between 1 and 10`),
  ],
);

export const members = pgTable(
  'members',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    householdId: bigint({ mode: 'number' }).notNull().references(() => households.id),
    // Not unique on its own: the same NIK in two families is a data-quality finding, not an import error.
    nik: varchar({ length: 16 }).notNull(),
    name: text().notNull(),
    birthDate: date({ mode: 'string' }).notNull(),
    sex: text({ enum: SEXES }).notNull(),
    relationship: text({ enum: RELATIONSHIPS }).notNull(),
    disability: boolean().notNull().default(false),
    deceased: boolean().notNull().default(false),
    phone: text(),
    // The phone in the form chats are compared in (domain/phone.ts); generated, so every import, seed and
    // edit fills it, and a chat's number finds its members through the index.
    phoneNorm: text().generatedAlwaysAs(sql.raw(registrySqlNormalForm)),
    // Set when a newer registry file no longer lists this member; we flag, never delete.
    missingSince: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('members_nik_idx').on(t.nik),
    index('members_phone_norm_idx').on(t.phoneNorm),
    uniqueIndex('members_household_nik_uq').on(t.householdId, t.nik),
  ],
);
