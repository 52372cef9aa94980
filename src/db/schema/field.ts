import { bigint, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { kecamatan, kelurahan } from './areas.ts';
import { households, members } from './registry.ts';
import { staffUsers } from './staff.ts';
import { FIELD_OUTCOMES, FIELD_REVIEWS, FIELD_TASK_KINDS, FIELD_TASK_STATUSES } from '../../domain/vocabulary.ts';

// Field work (issue 19): who covers which kelurahan, the tasks that come to them, and their visits. The field
// roles themselves are staff_roles (staff.ts).

// The kelurahan a field worker covers (one or several). Their tasks and visits stay inside these.
export const staffKelurahan = pgTable(
  'staff_kelurahan',
  {
    staffId: integer()
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    kelurahanId: integer()
      .notNull()
      .references(() => kelurahan.id),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.kelurahanId] }), index('staff_kelurahan_kelurahan_idx').on(t.kelurahanId)],
);

// Work that comes to a field worker: one task per thing to look at (`kind` + `sourceId`: the finding, the
// proposal's complaint, the invitation…), in one kelurahan, with a due date. Made by services/field from the
// sources, never twice for the same source while one is still open.
export const fieldTasks = pgTable(
  'field_tasks',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text({ enum: FIELD_TASK_KINDS }).notNull(),
    sourceId: bigint({ mode: 'number' }).notNull(),
    kecamatanId: integer()
      .notNull()
      .references(() => kecamatan.id),
    kelurahanId: integer()
      .notNull()
      .references(() => kelurahan.id),
    householdId: bigint({ mode: 'number' }).references(() => households.id),
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    /** What the worker reads on the task, without the NIK: "Dilaporkan meninggal", the address. */
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    assigneeId: integer().references(() => staffUsers.id),
    status: text({ enum: FIELD_TASK_STATUSES }).notNull().default('open'),
    dueOn: date({ mode: 'string' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('field_tasks_open_source_uq').on(t.kind, t.sourceId).where(sql`${t.status} in ('open', 'visited')`),
    index('field_tasks_assignee_idx').on(t.assigneeId, t.status, t.dueOn),
    index('field_tasks_area_idx').on(t.status, t.kecamatanId, t.kelurahanId),
  ],
);

// A visit as the worker recorded it on the phone. `clientKey` is made by the phone when the form is first
// filled, so a form sent again after a reconnect is the same visit, not a second one.
export const fieldVisits = pgTable(
  'field_visits',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    taskId: bigint({ mode: 'number' })
      .notNull()
      .references(() => fieldTasks.id),
    staffId: integer()
      .notNull()
      .references(() => staffUsers.id),
    clientKey: text().notNull().unique(),
    outcome: text({ enum: FIELD_OUTCOMES }).notNull(),
    /** Whom in the household the outcome is about (a finding reported in the chat names no member). */
    memberId: bigint({ mode: 'number' }).references(() => members.id),
    /** Moved: where to, as told, and the kelurahan when known. */
    movedTo: text(),
    movedKelurahanId: integer().references(() => kelurahan.id),
    /** Deceased: the date of death, as told or as on the death certificate. */
    diedOn: date({ mode: 'string' }),
    /** The checklist of the task's kind, item key → answer (e.g. the poverty indicators for a proposal). */
    checklist: jsonb().$type<Record<string, boolean | string>>().notNull().default({}),
    note: text(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    accuracyM: real(),
    /** When the worker filled the form on the phone (it may reach us later, after a reconnect). */
    visitedAt: timestamp({ withTimezone: true }).notNull(),
    review: text({ enum: FIELD_REVIEWS }).notNull().default('not_needed'),
    reviewedBy: integer().references(() => staffUsers.id),
    reviewedAt: timestamp({ withTimezone: true }),
    reviewNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('field_visits_task_idx').on(t.taskId), index('field_visits_review_idx').on(t.review)],
);

// Photos of a visit; the bytes live once in attachment_blobs (by their SHA-256).
export const fieldVisitPhotos = pgTable(
  'field_visit_photos',
  {
    visitId: bigint({ mode: 'number' })
      .notNull()
      .references(() => fieldVisits.id, { onDelete: 'cascade' }),
    sha256: text().notNull(),
    mimeType: text().notNull(),
    size: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.sha256] })],
);

// What a worker ticks at the door, per kind of task: for a proposal, the poverty indicators the office checks
// at the house; for a finding, what backs the outcome. Data, not code: the office words them (per language)
// and adds, reorders or hides items; a visit keeps the answers by key, so a hidden item's old answers still read.
export const fieldChecklistItems = pgTable(
  'field_checklist_items',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    taskKind: text({ enum: FIELD_TASK_KINDS }).notNull(),
    key: text().notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    position: smallint().notNull().default(0),
    active: boolean().notNull().default(true),
  },
  (t) => [uniqueIndex('field_checklist_items_kind_key_uq').on(t.taskKind, t.key)],
);
