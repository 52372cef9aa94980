import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.ts';

export interface TestDatabase extends Database {
  /** The URL of the fresh database on real Postgres; undefined on PGlite. */
  url?: string;
  /** Closes and, on real Postgres, drops the database. */
  dispose(): Promise<void>;
}

/**
 * A clean, migrated database for one test file: a fresh database on the server named by
 * TEST_DATABASE_URL, or an in-memory PGlite when it is unset. Files never share state, so they run in parallel.
 */
export async function createTestDatabase(opts: { onQuery?: (text: string) => void } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ onQuery: opts.onQuery });
    await database.migrate();
    return Object.assign(database, { url: undefined, dispose: () => database.close() });
  }
  const name = `pintu_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(base, name);
  const database = await openDatabase({ url, poolSize: 5, onQuery: opts.onQuery });
  await database.migrate();
  return Object.assign(database, {
    url,
    async dispose() {
      await database.close();
      const again = postgres(base, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
