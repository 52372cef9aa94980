import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { composeApp } from './compose.ts';
import { createApp } from './http/app.ts';
import type { Logger } from './log.ts';
import { isEmpty, seedDemoCity } from './seed/index.ts';
import { ensureFirstAdmin, FIRST_ADMIN_EMAIL } from './services/first-admin.ts';

export interface RunningService {
  port: number;
  database: Database;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

/** Composition: database → migrations → demo seed → HTTP. main.ts adds signals and process exit around it. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const database = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize, dataDir: config.dataDir });
  try {
    await database.migrate();
    await maybeSeed(config, database, logger);
    await maybeFirstAdmin(config, database);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }

  const deps = await composeApp(database, config, logger);
  const app = createApp(deps);
  const server = await listen(app.fetch, config.host, config.port);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, database: database.kind }, `Pintu is listening: web chat at http://localhost:${port}/chat`);
  try {
    await deps.start();
  } catch (err) {
    await closeServer(server);
    await deps.stop().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    database,
    stop: () =>
      (stopping ??= (async () => {
        await closeServer(server);
        await deps.stop();
        await database.close();
        logger.info('Pintu stopped');
      })()),
  };
}

// The embedded default is for trying Pintu: an empty database gets the demo city so there is something to
// talk to. A real Postgres is never seeded behind the operator's back unless SEED_DEMO=true.
async function maybeSeed(config: Config, database: Database, logger: Logger) {
  const wanted = config.seedDemo === 'true' || (config.seedDemo === 'auto' && database.kind === 'pglite');
  if (!wanted || !(await isEmpty(database))) return;
  logger.info('empty database: seeding the demo city');
  const started = Date.now();
  await seedDemoCity(database, {});
  logger.info({ ms: Date.now() - started }, 'demo city seeded');
}

// The embedded default must be usable at once: its first start creates an admin and prints the password
// once, on the terminal only (never in the log). A real PostgreSQL gets its users from `npm run cli`.
async function maybeFirstAdmin(config: Config, database: Database) {
  if (database.kind !== 'pglite' && config.seedDemo !== 'true') return;
  const password = await ensureFirstAdmin(database.db);
  if (password) {
    process.stdout.write(`\nFirst staff account created. Sign in as ${FIRST_ADMIN_EMAIL} with the password: ${password}\nIt is shown only this once.\n\n`);
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}

async function closeServer(server: ServerType) {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}
