import { ConfigError, loadConfig, type Config } from '../config.ts';
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

/**
 * How a command gets its database: the one handed in (tests, the service running the command), else the
 * configured one, opened and migrated when called. A bad setting is said in one line on `err`, and null.
 */
export function databaseOpener(deps: { env: Record<string, string | undefined>; open?: () => Promise<Database>; err(line: string): void }): (() => Promise<Database>) | null {
  if (deps.open) return deps.open;
  try {
    const config = loadConfig(deps.env);
    return () => openMigrated(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    deps.err(e.message);
    return null;
  }
}
