import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';

describe('GET /console/whatsapp (pairing page)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let state: Record<string, unknown> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    t.deps.whatsappWebStatus = () => state;
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('shows the QR to scan, on the server itself', async () => {
    state = { state: 'qr', qr: '2@abcdefghijklmnop,xyz' };
    const res = await fetch(`${await t.listen()}/console/whatsapp`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Menunggu pemindaian kode QR.');
    expect(html).toMatch(/<img alt="Kode QR untuk menautkan WhatsApp" src="data:image\/png;base64,/);
  });

  it('says when the session is ready, without a QR', async () => {
    state = { state: 'ready' };
    const html = await (await fetch(`${await t.listen()}/console/whatsapp`)).text();
    expect(html).toContain('Tersambung dan siap mengirim pesan.');
    expect(html).not.toContain('<img');
  });

  it('refuses anyone who is not on the server itself', async () => {
    state = { state: 'qr', qr: 'secret-pairing-code' };
    const res = await t.app.request('/console/whatsapp');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('secret-pairing-code');
  });

  // Issue 15: behind a reverse proxy on the same host every request reaches us from loopback; the page served
  // the QR to anyone. A request carrying forwarding headers is never "on the server itself" unless TRUST_PROXY
  // names the proxy and the proxy says the client is local.
  it('refuses a request a proxy on this machine forwarded, whatever header it used', async () => {
    state = { state: 'qr', qr: 'secret-pairing-code' };
    const base = await t.listen();
    for (const headers of <Record<string, string>[]>[
      { 'X-Forwarded-For': '203.0.113.7' },
      { 'X-Forwarded-For': '127.0.0.1' },
      { Forwarded: 'for=203.0.113.7' },
      { 'X-Real-IP': '203.0.113.7' },
      { 'X-Forwarded-Proto': 'https' },
      { 'X-Forwarded-Host': 'pintu.example.go.id' },
    ]) {
      const res = await fetch(`${base}/console/whatsapp`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).not.toContain('secret-pairing-code');
    }
  });

  it('with TRUST_PROXY, follows what the proxy says of the client', async () => {
    const proxied = await createTestApp(database, { trustProxy: true });
    proxied.deps.whatsappWebStatus = () => ({ state: 'qr', qr: 'secret-pairing-code' });
    try {
      const base = await proxied.listen();
      expect((await fetch(`${base}/console/whatsapp`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(403);
      // A client claiming loopback on the left of the list is ignored: only the proxy's own entry counts.
      expect((await fetch(`${base}/console/whatsapp`, { headers: { 'X-Forwarded-For': '127.0.0.1, 203.0.113.7' } })).status).toBe(403);
      expect((await fetch(`${base}/console/whatsapp`, { headers: { 'X-Forwarded-For': '127.0.0.1' } })).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
