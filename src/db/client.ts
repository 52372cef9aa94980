import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { preparePolicy, preparing } from './prepare.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** One query API over both drivers, so services never know which one they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Runs the committed SQL migrations; safe when several processes start together. */
  migrate(): Promise<void>;
  /** True when a trivial query answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /**
   * The same database through a pool of its own, closed with this one. On PostgreSQL the outbox dispatcher
   * takes one, so that its claims never queue for a connection behind a burst of inbound turns (issue 21: at
   * full load the shared pool let replies out at a fifth of the rate turns queued them). Its statements are
   * planned at every execution (see openPostgres). The embedded database has one connection whatever is
   * asked, and answers itself.
   */
  lane(poolSize: number): Database;
  /** Driver-level access for bulk work (COPY, unnest inserts) that drizzle does not express. */
  raw: { kind: 'postgres'; sql: postgres.Sql } | { kind: 'pglite'; pglite: PGlite };
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const drizzleOptions = { schema, casing: 'snake_case' } as const;
// Any fixed number works; it only has to be the same in every Pintu process.
const MIGRATION_LOCK = 727_001;

export interface DatabaseOptions {
  url?: string;
  poolSize?: number;
  /** PGlite directory; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  /** Told the text of every statement drizzle runs (not BEGIN/COMMIT): tests count what a turn costs. */
  onQuery?: (text: string) => void;
}

function optionsFor(onQuery?: (text: string) => void) {
  return onQuery ? { ...drizzleOptions, logger: { logQuery: (text: string) => onQuery(text) } } : drizzleOptions;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10, opts.onQuery);
  return openPglite(opts.dataDir, opts.onQuery);
}

/**
 * How a pool's statements are planned. `cached`: PostgreSQL's default, a prepared statement's plan is made once
 * and kept while it looks as cheap as one made for the values at hand. `each time`: planned at every execution
 * (plan_cache_mode = force_custom_plan), still prepared, so still parsed once and sent in one round trip.
 */
type Planning = 'cached' | 'each time';

function openPostgres(url: string, poolSize: number, onQuery?: (text: string) => void, planning: Planning = 'cached'): Database {
  const client = postgres(url, {
    max: poolSize,
    ...(planning === 'each time' ? { connection: { plan_cache_mode: 'force_custom_plan' } } : {}),
    onnotice: () => {}, // "relation already exists, skipping" notices are not news
    connect_timeout: 10,
    // postgres.js waits (0.5..1) x min(3^n / 100, 20) s before the n-th reconnect: after a few failed
    // connects every query waits up to 20 s, so webhooks hang instead of failing, and recovery lags.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
  const db = drizzlePostgres(preparing(client, preparePolicy()), optionsFor(onQuery)) as unknown as Db;
  const lanes: Database[] = [];
  return {
    db,
    kind: 'postgres',
    lane(size) {
      // The dispatcher's lane reads the outbox, which swings from empty to 100,000 rows within minutes (a
      // city-wide round) and back. A plan kept from when it was nearly empty walked every pending row once
      // for every other (issue 21: a claim took 3 s after a minute of load on a new database, until the
      // next ANALYZE); planned each time, a claim follows the table's size.
      const lane = openPostgres(url, size, undefined, 'each time');
      lanes.push(lane);
      return lane;
    },
    raw: { kind: 'postgres', sql: client },
    async migrate() {
      // A client of one connection: the advisory lock belongs to that session, and concurrent
      // starts of several processes wait here instead of racing through the same migration.
      const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(single, drizzleOptions), { migrationsFolder });
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    ping: (timeoutMs = 2000) => withTimeout(client`select 1`.then(() => true), timeoutMs),
    async close() {
      await Promise.all(lanes.map((lane) => lane.close()));
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir?: string, onQuery?: (text: string) => void): Promise<Database> {
  // Loaded only here: a service on PostgreSQL never pays for the embedded database's code.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let dir: string | undefined;
  if (dataDir) {
    dir = resolve(join(dataDir, 'pglite'));
    mkdirSync(dir, { recursive: true });
  }
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  const db = drizzlePglite(pglite, optionsFor(onQuery)) as unknown as Db;
  const database: Database = {
    db,
    kind: 'pglite',
    lane: () => database,
    raw: { kind: 'pglite', pglite },
    // One process owns an embedded database, so no lock is needed here.
    migrate: () => migratePglite(drizzlePglite(pglite, drizzleOptions), { migrationsFolder }),
    ping: (timeoutMs = 2000) => withTimeout(db.execute(sql`select 1`).then(() => true), timeoutMs),
    close: () => pglite.close(),
  };
  return database;
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
