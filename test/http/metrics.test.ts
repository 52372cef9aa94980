import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelSender, SendResult } from '../../src/outbox/sender.ts';
import { complaints, contacts, outbox } from '../../src/db/schema/index.ts';
import { isLoopback } from '../../src/http/client.ts';
import type { Actor } from '../../src/services/actor.ts';
import { createApiToken } from '../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testClock } from '../helpers/chat.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { cookieFor } from '../helpers/webchat.ts';
import { contact, file } from '../services/complaints/lifecycle.fixtures.ts';

// /metrics over real HTTP: counters bumped by a real web chat message and a real dispatcher send, gauges
// read from the database at scrape time, and who may scrape at all.

const TOKEN = 'scrape-token-0123456789abcdefXYZ';

/** The value of one sample, matched on its exact label set; undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',');
    if (got === want) return Number(m[3]);
  }
  return undefined;
}

/** A channel of the test's own that answers as scripted, so the dispatcher's settle path runs for real. */
function scriptedSender(results: SendResult[]): ChannelSender {
  return {
    channel: 'telegram',
    limits: { perSecond: 1000, perChatIntervalMs: 0 },
    async send() {
      return results.shift() ?? { status: 'sent', providerMessageId: 'tg-1' };
    },
  };
}

function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe('/metrics', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  const clock = testClock(new Date(Date.now() + 60_000)); // a little ahead, so rows queued just now are due
  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/metrics`, { headers });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { clock, metricsToken: TOKEN });
    base = await t.listen();
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('serves the Prometheus text format to a scraper on this machine', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# HELP pintu_inbound_messages_total ');
    expect(text).toContain('# TYPE pintu_http_request_duration_seconds histogram');
    expect(sample(text, 'pintu_inbound_messages_total', { channel: 'telegram', outcome: 'handled' })).toBe(0);
  });

  it('counts a web chat message by channel and outcome, and a repeat as a duplicate', async () => {
    const post = (body: unknown) =>
      fetch(`${base}/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookieFor('metrics-chat-0001') }, body: JSON.stringify(body) });
    expect((await post({ text: 'halo', clientMessageId: 'm1' })).status).toBe(200);
    expect((await post({ text: 'halo', clientMessageId: 'm1' })).status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'pintu_inbound_messages_total', { channel: 'webchat', outcome: 'handled' })).toBe(1);
    expect(sample(text, 'pintu_inbound_messages_total', { channel: 'webchat', outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'pintu_http_request_duration_seconds_count', { method: 'POST', route: '/webchat/messages', status_class: '2xx' })).toBe(2);
  });

  it('counts a message delivered to an open web chat page as sent on the webchat channel', async () => {
    const [c] = await database.db.insert(contacts).values({ channel: 'webchat', externalId: 'metrics-chat-open' }).returning();
    const got: unknown[] = [];
    const stop = t.deps.webchat.subscribe('metrics-chat-open', (r) => got.push(r));
    try {
      await database.db.insert(outbox).values({ contactId: c!.id, channel: 'webchat', payload: { text: 'Balasan petugas' }, priority: 0, notBefore: new Date(0) });
      const deadline = Date.now() + 10_000;
      while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
    }
    expect(got).toHaveLength(1);
    // The page gets the message before the dispatcher records the send, so the counter may lag by a moment.
    const sent = async () => sample(await scrape(), 'pintu_outbound_messages_total', { channel: 'webchat', result: 'sent', reason: 'none' });
    const until = Date.now() + 10_000;
    while ((await sent()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await sent()).toBe(1);
  });

  it('counts a message that fails before it is handled as an error', async () => {
    // A real failure: the table messages are recorded in is gone for a moment.
    await database.db.execute(sql`alter table messages rename to messages_away`);
    try {
      await expect(t.deps.engine.handle({ channel: 'telegram', chatId: '5550001', kind: 'text', text: 'halo' })).rejects.toThrow();
    } finally {
      await database.db.execute(sql`alter table messages_away rename to messages`);
    }
    expect(sample(await scrape(), 'pintu_inbound_messages_total', { channel: 'telegram', outcome: 'error' })).toBe(1);
  });

  it('shows a queued reply in the outbox gauges, then counts its send once the dispatcher settles it', async () => {
    await t.deps.engine.handle({ channel: 'telegram', chatId: '5550002', kind: 'text', text: 'halo' });
    const queued = (await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.channel, 'telegram'))).length;
    expect(queued).toBeGreaterThan(0);
    let text = await scrape();
    expect(sample(text, 'pintu_inbound_messages_total', { channel: 'telegram', outcome: 'handled' })).toBe(1);
    expect(sample(text, 'pintu_outbox_messages', { channel: 'telegram', status: 'pending' })).toBe(queued);
    expect(sample(text, 'pintu_outbox_messages', { channel: 'telegram', status: 'sending' })).toBe(0);
    expect(sample(text, 'pintu_outbox_oldest_pending_age_seconds', { channel: 'telegram' })).toBeGreaterThan(0);

    // First try rate limited, second refused for good, the rest sent: one series per result and coarse reason.
    const results: SendResult[] = [
      { status: 'retry', reason: 'telegram 429: Too Many Requests: retry after 1', retryAfterMs: 0 },
      // Not "unreachable": that would mark the contact and fail its later rows too.
      { status: 'failed', reason: 'telegram 400: Bad Request: message is too long for 5550002', unreachable: false },
    ];
    t.deps.dispatcher.register(scriptedSender(results));
    for (let round = 0; round < 20; round++) {
      const pending = await database.db.select({ id: outbox.id }).from(outbox).where(sql`${outbox.channel} = 'telegram' and ${outbox.status} = 'pending'`);
      if (pending.length === 0) break;
      await t.deps.dispatcher.runOnce('telegram');
    }
    text = await scrape();
    expect(sample(text, 'pintu_outbound_messages_total', { channel: 'telegram', result: 'retry', reason: 'rate_limited' })).toBe(1);
    expect(sample(text, 'pintu_outbound_messages_total', { channel: 'telegram', result: 'failed', reason: 'other' })).toBe(1);
    // The failed row is one of the queued ones; every other row went out.
    expect(sample(text, 'pintu_outbound_messages_total', { channel: 'telegram', result: 'sent', reason: 'none' })).toBe(queued - 1);
    expect(sample(text, 'pintu_outbox_messages', { channel: 'telegram', status: 'pending' })).toBe(0);
    expect(sample(text, 'pintu_outbox_oldest_pending_age_seconds', { channel: 'telegram' })).toBe(0);
    // Neither the chat id nor the provider's words reach a label.
    expect(text).not.toContain('5550002');
    expect(text).not.toContain('Bad Request');
  });

  it('reports outbox depth by status and the wait of the longest-waiting due row', async () => {
    const now = clock().getTime();
    const at = (offsetS: number) => new Date(now + offsetS * 1000);
    const contactId = await contact(database.db, { channel: 'whatsapp_cloud' });
    const row = (createdAt: Date, notBefore: Date, status: 'pending' | 'sending' = 'pending') =>
      ({ contactId, channel: 'whatsapp_cloud' as const, payload: { text: 'x' }, createdAt, notBefore, status });
    await database.db.insert(outbox).values([
      row(at(-600), at(-600)), // queued ten minutes ago, due since: waited 600 s
      row(at(-7200), at(-300)), // queued two hours ago but backing off until five minutes ago: waited 300 s
      row(at(-9000), at(3600)), // a reminder held for quiet hours: not due, not waiting
      row(at(-60), at(-60), 'sending'),
    ]);
    const text = await scrape();
    expect(sample(text, 'pintu_outbox_messages', { channel: 'whatsapp_cloud', status: 'pending' })).toBe(3);
    expect(sample(text, 'pintu_outbox_messages', { channel: 'whatsapp_cloud', status: 'sending' })).toBe(1);
    expect(sample(text, 'pintu_outbox_oldest_pending_age_seconds', { channel: 'whatsapp_cloud' })).toBe(600);
    expect(sample(text, 'pintu_outbox_messages', { channel: 'whatsapp_web', status: 'pending' })).toBe(0);
  });

  it('counts complaints by status, with every status present', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await contact(database.db, { channel: 'telegram' });
      ids.push((await file(database.db, { contactId: c, kecamatanId: null, now: clock() })).id);
    }
    await database.db.update(complaints).set({ status: 'in_progress' }).where(eq(complaints.id, ids[0]!));
    await database.db.update(complaints).set({ status: 'closed' }).where(eq(complaints.id, ids[1]!));
    const text = await scrape();
    expect(sample(text, 'pintu_complaints', { status: 'received' })).toBe(2);
    expect(sample(text, 'pintu_complaints', { status: 'in_progress' })).toBe(1);
    expect(sample(text, 'pintu_complaints', { status: 'closed' })).toBe(1);
    expect(sample(text, 'pintu_complaints', { status: 'reopened' })).toBe(0);
  });

  it('labels request latency with the route pattern, not the path with its id', async () => {
    const created = await createStaffUser(database.db, 'system', { email: 'admin.metrics@pintu.test', name: 'Admin', role: 'admin', password: 'kata-sandi-yang-panjang-1' });
    const admin: Actor = { kind: 'staff', id: created.id, role: 'admin', kecamatanId: null, bidang: null };
    const { token } = await createApiToken(database.db, admin, { name: 'Dasbor', role: 'supervisor' });
    const [c] = await database.db.select({ id: complaints.id }).from(complaints).limit(1);
    const id = c!.id;
    const res = await fetch(`${base}/api/v1/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((await fetch(`${base}/api/v1/complaints/${id + 100_000}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'pintu_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/complaints/:id', status_class: '2xx' })).toBe(1);
    expect(sample(text, 'pintu_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/complaints/:id', status_class: '4xx' })).toBe(1);
    const routes = [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
    expect(routes).toContain('/api/v1/complaints/:id');
    expect(routes.filter((r) => /\/\d/.test(r))).toEqual([]);
  });

  it('keeps serving the other metrics when a gauge query fails, and counts the failure', async () => {
    await database.db.execute(sql`alter table complaints rename to complaints_away`);
    let text: string;
    try {
      text = await scrape();
    } finally {
      await database.db.execute(sql`alter table complaints_away rename to complaints`);
    }
    expect(sample(text, 'pintu_scrape_errors_total', { query: 'complaints' })).toBe(1);
    expect(sample(text, 'pintu_scrape_errors_total', { query: 'outbox_depth' })).toBe(0);
    expect(sample(text, 'pintu_complaints', { status: 'received' })).toBeUndefined(); // empty, not stale
    expect(sample(text, 'pintu_outbox_messages', { channel: 'whatsapp_cloud', status: 'pending' })).toBe(3);
    expect(sample(text, 'pintu_inbound_messages_total', { channel: 'webchat', outcome: 'handled' })).toBe(1);

    const after = await scrape();
    expect(sample(after, 'pintu_complaints', { status: 'received' })).toBe(2);
    expect(sample(after, 'pintu_scrape_errors_total', { query: 'complaints' })).toBe(1);
  });

  it('hides itself from a request passed on by a reverse proxy unless the token comes with it', async () => {
    const proxied = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(404);
    const unknown = await fetch(`${base}/no-such-page`);
    expect(await proxied.json()).toEqual(await unknown.json());
    expect((await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  const external = externalAddress();
  it.skipIf(!external)('answers a scraper elsewhere only with the right token', async () => {
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, hostname: '0.0.0.0', port: 0 }, () => resolve(s));
    });
    try {
      const url = `http://${external}:${(server.address() as AddressInfo).port}/metrics`;
      expect((await fetch(url)).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } })).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200); // the scheme is case-insensitive
      const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('pintu_outbox_messages');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers no one from elsewhere when no token is set', async () => {
    const other = await createTestApp(database);
    try {
      // In-process requests have no socket, so they count as from elsewhere.
      expect((await other.app.request('/metrics')).status).toBe(404);
      expect((await other.app.request('/metrics', { headers: { authorization: 'Bearer ' } })).status).toBe(404);
      expect((await fetch(`${await other.listen()}/metrics`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('knows loopback addresses in both families', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '192.0.2.2', '::ffff:10.0.0.1', '::2', '1127.0.0.1', 'fe80::1']) expect(isLoopback(a)).toBe(false);
  });
});
