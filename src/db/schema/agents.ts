import { boolean, integer, numeric, pgTable, text, timestamp, index } from 'drizzle-orm/pg-core';
import { kelurahan } from './areas.ts';
import { AGENT_KINDS } from '../../domain/vocabulary.ts';

/**
 * E-warong and agents (issue 20): where a non-cash family (BPNT/Sembako) collects its goods or cashes its
 * card. As data, kept by staff: the chat tells a family the agents near its kelurahan, and complaints about
 * goods, quantity or a closed agent name the agent and are counted per agent.
 */
export const agents = pgTable(
  'agents',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    kind: text({ enum: AGENT_KINDS }).notNull().default('e_warong'),
    kelurahanId: integer()
      .notNull()
      .references(() => kelurahan.id),
    address: text(),
    latitude: numeric({ precision: 9, scale: 6 }),
    longitude: numeric({ precision: 9, scale: 6 }),
    // The codes of the programs it serves (BPNT, SEMBAKO…); a family is told only of agents serving its program.
    programs: text().array().notNull().default([]),
    // Opening hours or a phone, as the office writes them for residents.
    hours: text(),
    phone: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agents_kelurahan_idx').on(t.kelurahanId)],
);
