import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPhonesWanted } from '../../src/app/demo-phones.ts';
import { startService } from '../../src/app/start.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestDatabase } from '../helpers/db.ts';

// The demo phone page is for trying Pintu and must never exist on a real deployment: only the embedded
// database, holding the demo city, with no WhatsApp channel. start.ts decides once; elsewhere /demo/phones is
// an unknown path like any other.

const CLOUD = {
  WHATSAPP_CLOUD_ACCESS_TOKEN: 'test-token',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_CLOUD_APP_SECRET: 'test-secret',
  WHATSAPP_CLOUD_VERIFY_TOKEN: 'test-verify',
  WHATSAPP_CLOUD_API_ROOT: 'http://127.0.0.1:1/graph',
};

describe('demoPhonesWanted', () => {
  let embedded: Database;
  beforeAll(async () => {
    // Always PGlite, as the embedded default is, whatever TEST_DATABASE_URL says.
    embedded = await openDatabase({});
    await embedded.migrate();
    await seedDemoCity(embedded, { households: 20 });
  }, 120_000);
  afterAll(async () => {
    await embedded?.close();
  });

  it('is on for the embedded demo city with no WhatsApp', async () => {
    expect(await demoPhonesWanted(loadConfig({}), embedded)).toBe(true);
  });

  it.each([
    ['WhatsApp Cloud', CLOUD],
    ['WhatsApp Web', { WHATSAPP_WEB_ENABLED: 'true' }],
    ['a DATABASE_URL', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/pintu' }],
  ])('is off with %s configured', async (_what, env) => {
    expect(await demoPhonesWanted(loadConfig(env), embedded)).toBe(false);
  });

  it('is off on PostgreSQL, even holding the demo city', async () => {
    // The server of the test run when there is one; otherwise the same data, as a server database says it is.
    const server = await createTestDatabase();
    try {
      await seedDemoCity(server, { households: 20 });
      const database: Database = server.kind === 'postgres' ? server : { ...server, kind: 'postgres' };
      expect(await demoPhonesWanted(loadConfig({ DATABASE_URL: server.url ?? 'postgres://postgres@127.0.0.1:5432/pintu' }), database)).toBe(false);
      expect(await demoPhonesWanted(loadConfig({}), database)).toBe(false);
    } finally {
      await server.dispose();
    }
  }, 120_000);

  it('is off on an embedded database without the demo city', async () => {
    const empty = await openDatabase({});
    try {
      await empty.migrate();
      expect(await demoPhonesWanted(loadConfig({}), empty)).toBe(false);
    } finally {
      await empty.close();
    }
  });
});

describe('the service at start-up', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pintu-demo-phones-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function statusOf(env: Record<string, string>, path: string): Promise<{ status: number; body: string }> {
    // Port 0: any free one (PORT itself takes 1–65535).
    const svc = await startService({ ...loadConfig({ HOST: '127.0.0.1', ...env }), port: 0 }, createLogger('silent'));
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}${path}`);
      return { status: res.status, body: await res.text() };
    } finally {
      await svc.stop();
    }
  }

  it('serves the demo phones on the embedded demo, and not once WhatsApp is configured on it', async () => {
    const dir = dataDir();
    const first = await statusOf({ DATA_DIR: dir }, '/demo/phones');
    expect(first.status).toBe(200);
    expect(first.body).toContain('0812-7700-1001');
    expect(first.body).toContain('Siti Aminah');
    // The same seeded database, now with WhatsApp Cloud: its numbers are reached by WhatsApp, not by a page.
    const withCloud = await statusOf({ DATA_DIR: dir, ...CLOUD }, '/demo/phones/081277001001');
    expect(withCloud.status).toBe(404);
    expect(JSON.parse(withCloud.body)).toMatchObject({ error: 'not_found' });
  }, 120_000);

  it('does not serve them on an embedded database that was never seeded', async () => {
    expect((await statusOf({ DATA_DIR: dataDir(), SEED_DEMO: 'false' }, '/demo/phones')).status).toBe(404);
  }, 120_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)('does not serve them on PostgreSQL, even seeded with the demo city', async () => {
    const server = await createTestDatabase();
    try {
      expect((await statusOf({ DATABASE_URL: server.url!, SEED_DEMO: 'true' }, '/demo/phones')).status).toBe(404);
    } finally {
      await server.dispose();
    }
  }, 120_000);
});
