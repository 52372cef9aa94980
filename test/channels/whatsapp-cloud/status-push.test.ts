import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhook } from '../../../src/channels/whatsapp-cloud/inbound.ts';
import { verifySignature } from '../../../src/channels/whatsapp-cloud/signature.ts';
import { pushStatus, statusErrors } from '../../fakes/graph.ts';

// The fake Graph API's delivery statuses, pushed as Meta pushes them: a signed POST to /webhooks/whatsapp that
// the channel's own parser reads as sent, delivered, read, or failed with Meta's error code.

const SECRET = 'app-secret-for-status-tests';
const WA = '6281234500001';
let server: Server;
let base: string;
const got: { path: string; signed: boolean; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    got.push({ path: req.url ?? '', signed: verifySignature(raw, req.headers['x-hub-signature-256'] as string, SECRET), body: JSON.parse(raw.toString('utf8')) });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('pushStatus', () => {
  it('posts signed statuses the channel reads, with the error codes staff must see', async () => {
    for (const s of ['sent', 'delivered', 'read'] as const) expect((await pushStatus({ base, appSecret: SECRET }, 'wamid.A', s, WA)).status).toBe(200);
    for (const e of [statusErrors.notOnWhatsapp, statusErrors.reEngagement, statusErrors.rateLimit]) {
      await pushStatus({ base, appSecret: SECRET }, 'wamid.B', 'failed', WA, { errors: [e] });
    }
    expect(got.every((g) => g.path === '/webhooks/whatsapp' && g.signed)).toBe(true);
    const statuses = got.map((g) => {
      const p = parseWebhook(g.body);
      if (!p.ok) throw new Error('unreadable');
      return p.statuses.map((s) => `${s.providerMessageId}:${s.status}:${s.errors?.map((e) => e.code).join(',') ?? ''}`);
    });
    expect(statuses.flat()).toEqual(['wamid.A:sent:', 'wamid.A:delivered:', 'wamid.A:read:', 'wamid.B:failed:131026', 'wamid.B:failed:131047', 'wamid.B:failed:130429']);
  });
});
