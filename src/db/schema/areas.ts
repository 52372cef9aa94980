import { integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, index } from 'drizzle-orm/pg-core';

// The city is data: a deployment for another city loads its own rows, nothing in code names Batam.
export const cities = pgTable('cities', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  code: text().notNull().unique(), // Kemendagri code, e.g. 21.71
  name: text().notNull(),
  province: text().notNull(),
});

export const kecamatan = pgTable('kecamatan', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  cityId: integer().notNull().references(() => cities.id),
  code: text().notNull().unique(), // e.g. 21.71.10
  name: text().notNull(),
});

export const kelurahan = pgTable(
  'kelurahan',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kecamatanId: integer().notNull().references(() => kecamatan.id),
    code: text().notNull().unique(), // e.g. 21.71.10.1001
    name: text().notNull(),
    // An approximate centre, for allocating households to the nearest distribution site. Null: unknown, and
    // the kelurahan's households then go to a site of their own kecamatan, else any site with room.
    latitude: numeric({ precision: 9, scale: 6 }),
    longitude: numeric({ precision: 9, scale: 6 }),
  },
  (t) => [index('kelurahan_kecamatan_idx').on(t.kecamatanId), uniqueIndex('kelurahan_name_uq').on(t.kecamatanId, t.name)],
);

// Offices residents can visit (Dinas Sosial, kecamatan service points); the FAQ reads address and hours here.
export const offices = pgTable('offices', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  cityId: integer().notNull().references(() => cities.id),
  kecamatanId: integer().references(() => kecamatan.id),
  name: text().notNull(),
  address: text().notNull(),
  hours: text().notNull(),
  // The name and hours as English-reading residents see them; null: the Indonesian serves both.
  nameEn: text(),
  hoursEn: text(),
  // When officers answer chats, as data (domain/office-hours.ts): [{ days: [1..7], opens: 'HH:MM', closes }].
  // The handover reads it to tell a resident writing at night when an officer will answer.
  schedule: jsonb().$type<{ days: number[]; opens: string; closes: string }[]>(),
  phone: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
