// Shared set-up for the service suites: a small demo city seeded at a fixed moment, so dates in the
// assertions never depend on the day the tests run.

import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { contacts, members } from '../../src/db/schema/index.ts';
import { DEMO_RESIDENTS, seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** Tuesday 24 November 2026, 09:00 WIB. The demo event lands two weeks later. */
export const SEED_NOW = new Date('2026-11-24T02:00:00Z');
export const TODAY = '2026-11-24';
export const TZ = 'Asia/Jakarta';

export async function seededDatabase(households = 200): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await seedDemoCity(database, { households, today: SEED_NOW });
  return database;
}

export function resident(name: 'Siti' | 'Ahmad' | 'Budi' | 'Dewi') {
  const r = DEMO_RESIDENTS.find((d) => d.name.startsWith(name));
  if (!r) throw new Error(`no demo resident ${name}`);
  return r;
}

let chats = 0;
/** A fresh chat on the web channel; every test gets its own so lock counters never leak between tests. */
export async function newContact(db: Db): Promise<number> {
  const [row] = await db
    .insert(contacts)
    .values({ channel: 'webchat', externalId: `test-${process.pid}-${++chats}-${Math.random().toString(36).slice(2)}` })
    .returning({ id: contacts.id });
  return row!.id;
}

export async function memberOf(db: Db, nik: string) {
  const [m] = await db.select().from(members).where(eq(members.nik, nik));
  if (!m) throw new Error(`no member with the demo NIK`);
  return m;
}

export const hours = (n: number) => n * 3_600_000;
export const minutes = (n: number) => n * 60_000;
