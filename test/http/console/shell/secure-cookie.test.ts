import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';

// Issue 15: the session cookie was Secure only when the proxy sent X-Forwarded-Proto, and a client could claim
// https without any proxy. The cookies' Secure flag now follows TRUST_PROXY's reading of the scheme.

describe('the Secure flag of console and web chat cookies', () => {
  let database: TestDatabase;
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createTestApp(database);
    proxied = await createTestApp(database, { trustProxy: true });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
    await database?.dispose();
  });

  const flags = async (t: TestApp, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${await t.listen()}${path}`, { headers, redirect: 'manual' });
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    return cookies.map((c) => /;\s*secure/i.test(c));
  };

  it('without TRUST_PROXY, plain http is plain http, whatever a client claims', async () => {
    expect(await flags(direct, '/console/login')).toEqual([false]);
    expect(await flags(direct, '/console/login', { 'X-Forwarded-Proto': 'https' })).toEqual([false]);
    expect(await flags(direct, '/chat', { 'X-Forwarded-Proto': 'https' })).toEqual([false]);
  });

  it('behind the trusted proxy, Secure unless the proxy says the browser used plain http', async () => {
    expect(await flags(proxied, '/console/login', { 'X-Forwarded-For': '203.0.113.9' })).toEqual([true]);
    expect(await flags(proxied, '/console/login', { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https' })).toEqual([true]);
    expect(await flags(proxied, '/chat', { 'X-Forwarded-For': '203.0.113.9' })).toEqual([true]);
    expect(await flags(proxied, '/console/login', { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'http' })).toEqual([false]);
  });
});
