import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../src/app/compose.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/log.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

describe('GET /health', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.dispose().catch(() => {});
  });

  async function app() {
    const deps = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, createLogger('silent'));
    deps.components!.set('telegram', () => ({ state: 'off' }));
    return createApp(deps);
  }

  it('answers 200 with the database status and components', async () => {
    const res = await (await app()).request('/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      message: 'Layanan berjalan normal.',
      database: { status: 'up', kind: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' },
      components: { telegram: { state: 'off' } },
    });
  });

  it('answers in English when the browser asks for it', async () => {
    const res = await (await app()).request('/health', { headers: { 'Accept-Language': 'en-GB,en;q=0.8' } });
    expect((await res.json()).message).toBe('The service is running normally.');
  });

  it('answers 404 with a message for an unknown path', async () => {
    const res = await (await app()).request('/no-such-page');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'Halaman tidak ditemukan.' });
  });

  it('answers 503 once the database is unreachable', async () => {
    const a = await app();
    await database.close();
    const res = await a.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', database: { status: 'down' } });
  });
});
