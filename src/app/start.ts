import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { composeApp } from './compose.ts';
import { demoPhonesWanted } from './demo-phones.ts';
import { createApp } from '../http/app.ts';
import { SERVER_TIMEOUTS } from '../http/limits/body.ts';
import type { Logger } from '../log.ts';
import { commandRunner } from './embedded/run-in-service.ts';
import { claimDataDir } from './embedded/service-lock.ts';
import { isEmpty, seedDemoCity } from '../services/seed/index.ts';
import { firstAdmin } from './first-admin.ts';

export interface RunningService {
  port: number;
  database: Database;
  /** Stops accepting, lets in-flight requests and commands finish, then closes the database (and lets go of DATA_DIR). */
  stop(): Promise<void>;
}

/**
 * Composition: DATA_DIR's lock → database → migrations → demo seed → HTTP → commands. main.ts adds signals and
 * process exit around it.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  // An embedded database has exactly one owner, taken before PGlite is opened: a second `npm start` is refused
  // with one line naming this one, and `npm run import|cli|seed` run in here (see app/embedded/). A server
  // database (DATABASE_URL) is shared by design and takes no lock.
  const owner = !config.database.url && config.dataDir ? await claimDataDir(config.dataDir) : undefined;
  let database: Database;
  try {
    database = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize, dataDir: config.dataDir });
  } catch (err) {
    await owner?.release();
    throw err;
  }
  let demoPhones = false;
  try {
    await database.migrate();
    await maybeSeed(config, database, logger);
    await firstAdmin(database, { embedded: !config.database.url, logger });
    demoPhones = await demoPhonesWanted(config, database);
  } catch (err) {
    await database.close().catch(() => {});
    await owner?.release();
    throw err;
  }

  const deps = await composeApp(database, { ...config, demoPhones }, logger);
  const app = createApp(deps);
  const server = await listen(app.fetch, config.host, config.port);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, database: database.kind }, `Pintu is listening: web chat at http://localhost:${port}/chat`);
  if (demoPhones) logger.info(`no WhatsApp on the demo city: the demo residents' phones are at http://localhost:${port}/demo/phones`);
  try {
    await deps.start();
  } catch (err) {
    await closeServer(server);
    await deps.stop().catch(() => {});
    await database.close().catch(() => {});
    await owner?.release();
    throw err;
  }
  // Commands that arrived while the service started have waited for this; they run now.
  await owner?.setPort(port).catch((err: unknown) => logger.warn({ err }, 'could not record the port in DATA_DIR/pintu.lock'));
  owner?.serveCommands(commandRunner(database, process.env, logger));

  let stopping: Promise<void> | undefined;
  return {
    port,
    database,
    stop: () =>
      (stopping ??= (async () => {
        // No new commands; those running finish, like the HTTP requests in flight.
        await Promise.all([owner?.drain(), closeServer(server)]);
        await deps.stop();
        await database.close();
        // Only now may another process open DATA_DIR: the database is closed.
        await owner?.release();
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

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    // Slow headers and bodies are cut (http/limits/body.ts); long-lived live-update responses are not.
    const server = serve({ fetch, hostname, port, serverOptions: SERVER_TIMEOUTS }, () => resolve(server));
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
