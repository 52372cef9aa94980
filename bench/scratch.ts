import { createTestDatabase, type TestDatabase } from '../test/helpers/db.ts';

// Benchmarks run against the server in DATABASE_URL, each in a scratch database of its own that is dropped
// afterwards. createTestDatabase already does exactly that for TEST_DATABASE_URL, so point it there.
export function scratchDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  process.env.TEST_DATABASE_URL = url;
  return createTestDatabase();
}

/** Runs `fn` on a fresh scratch database and always drops it afterwards. */
export async function withScratch<T>(fn: (database: TestDatabase) => Promise<T>): Promise<T> {
  const database = await scratchDatabase();
  try {
    return await fn(database);
  } finally {
    await database.dispose();
  }
}
