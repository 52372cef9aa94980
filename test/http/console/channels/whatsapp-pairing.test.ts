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
});
