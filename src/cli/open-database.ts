import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';

/**
 * The database a one-off command works on, migrated to the current schema. A migration that fails closes the
 * connection again, so the command can exit with one line instead of hanging on an open pool.
 */
export async function openMigrated(config: Pick<Config, 'database' | 'dataDir'>): Promise<Database> {
  const database = await openDatabase({ url: config.database.url, poolSize: 2, dataDir: config.dataDir });
  try {
    await database.migrate();
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
  return database;
}
