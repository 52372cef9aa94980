import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../../src/channels/whatsapp-web/adapter.ts';
import { createSessionLock, WHATSAPP_WEB_LOCK_KEY } from '../../../src/channels/whatsapp-web/session-lock.ts';
import { composeApp } from '../../../src/app/compose.ts';
import { createLogger } from '../../../src/log.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { FakeWhatsapp } from '../../fakes/wwebjs.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const logger = createLogger('silent');
const config = { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-test' };

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('whatsapp web session lock', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.dispose());

  /**
   * Kills the database session holding the lock, as a network cut or a Postgres restart would. Only in this
   * file's database: pg_locks lists the whole server, where other test files hold the same key in theirs.
   */
  async function killHolder() {
    const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      await admin`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = ${WHATSAPP_WEB_LOCK_KEY} and granted
        and database = (select oid from pg_database where datname = current_database())`;
    } finally {
      await admin.end();
    }
  }

  async function adapterOn(world: FakeWhatsapp) {
    let adapter!: WhatsappWebAdapter;
    const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, logger, {
      adapters: (ctx) => [
        (adapter = createWhatsappWebAdapter(ctx, config, {
          createClient: world.createClient,
          printQr: () => {},
          // Each adapter stands for one process: its own lock on its own database connection.
          lock: createSessionLock(database),
          timing: { lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 100, reconnectBaseMs: 20, reconnectMaxMs: 100 },
        })),
      ],
    });
    return { adapter, composition };
  }

  it.skipIf(onPostgres)('is always ours on PGlite, where one process owns the database', async () => {
    const a = createSessionLock(database);
    const b = createSessionLock(database);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.isHeld()).toBe(true);
    await a.release();
    expect(await a.isHeld()).toBe(false);
  });

  it.skipIf(!onPostgres)('is held by one Postgres session at a time, and lost with its connection (needs TEST_DATABASE_URL)', async () => {
    const a = createSessionLock(database);
    const b = createSessionLock(database, { url: database.url });
    try {
      expect(await a.tryAcquire()).toBe(true);
      expect(await a.tryAcquire()).toBe(true); // asking again while holding it changes nothing
      expect(await b.tryAcquire()).toBe(false);
      expect(await a.isHeld()).toBe(true);
      await a.release();
      expect(await a.isHeld()).toBe(false);
      expect(await b.tryAcquire()).toBe(true);
      expect(await a.tryAcquire()).toBe(false);
      await killHolder();
      expect(await b.isHeld()).toBe(false);
      expect(await a.tryAcquire()).toBe(true);
    } finally {
      await a.release();
      await b.release();
    }
  });

  it.skipIf(!onPostgres)('lets one of two processes drive WhatsApp; the other stands by and takes over (needs TEST_DATABASE_URL)', async () => {
    const world = new FakeWhatsapp();
    const first = await adapterOn(world);
    const second = await adapterOn(world);
    try {
      await first.adapter.start();
      await second.adapter.start();
      await until(() => first.adapter.status().state === 'qr', 'the first to show a QR');
      expect(second.adapter.status().state).toBe('standby');
      world.latest.scan();
      expect(first.adapter.status().state).toBe('ready');
      expect(second.adapter.sender.ready()).toBe(false);
      expect(world.clients).toHaveLength(1);

      // The first process stops: the second takes the session within its retry interval, on the saved login.
      await first.composition.stop();
      expect(world.clients[0]!.destroyed).toBe(true);
      await until(() => second.adapter.status().state === 'ready', 'the second to take over');
      expect(world.clients).toHaveLength(2);
      expect(first.adapter.status().state).toBe('stopped');

      // The first comes back and waits; the second loses its database session: it lets WhatsApp go at once,
      // and the first takes over. Never two clients at a time.
      await first.adapter.start();
      await until(() => first.adapter.status().state === 'standby', 'the first to stand by');
      await killHolder();
      await until(() => second.adapter.status().state === 'standby', 'the second to notice the lost lock');
      expect(second.adapter.status().lastError).toBe('session lock lost');
      expect(world.clients[1]!.destroyed).toBe(true);
      await until(() => first.adapter.status().state === 'ready', 'the first to take over again');
      expect(world.clients.filter((c) => !c.destroyed)).toHaveLength(1);
      expect(world.mostAtOnce).toBe(1);
    } finally {
      await first.composition.stop();
      await second.composition.stop();
    }
  });
});
