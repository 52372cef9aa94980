import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/app/compose.ts';
import { DEFAULT_PUBLIC_LIMITS, type PublicLimits } from '../../../src/config.ts';
import { contacts } from '../../../src/db/schema/index.ts';
import { createApp } from '../../../src/http/app.ts';
import { createLogger } from '../../../src/log.ts';
import { demoPhoneList } from '../../../src/services/demo-phone/phones.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { cookieFor, externalIdOf } from '../../helpers/webchat.ts';

// Issue 15, item 8: one client created 167 web chats a second. New web chats are now counted per client
// address (WEBCHAT_NEW_CHATS_PER_ADDRESS an hour), and posts to the public routes too (PUBLIC_POSTS_PER_ADDRESS
// a minute), each answered 429 with Retry-After past the limit. Real HTTP, so the address is the socket's.

let database: TestDatabase;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  for (const close of closers) await close();
  await database?.dispose();
});

/** The service's wiring with these limits (and the demo phones on), served; its base URL. */
async function serveWith(limits: Partial<PublicLimits>): Promise<string> {
  const deps = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', demoPhones: true, publicLimits: { ...DEFAULT_PUBLIC_LIMITS, ...limits } }, createLogger('silent'));
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  closers.push(async () => {
    await deps.stop();
    (server as Server).closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const say = (base: string, chat: string, text: string) =>
  fetch(`${base}/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookieFor(chat) }, body: JSON.stringify({ text }) });

async function contactOf(chat: string) {
  const [c] = await database.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, externalIdOf(chat))));
  return c;
}

describe('new web chats per client address', () => {
  it('lets an address start three chats, refuses the fourth with Retry-After, and keeps the three talking', async () => {
    const base = await serveWith({ newChatsPerAddressHour: 3 });
    for (const chat of ['new-1', 'new-2', 'new-3']) expect((await say(base, chat, 'halo')).status, chat).toBe(200);

    const refused = await say(base, 'new-4', 'halo');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    // The page shows `message` (http/webchat/page.ts): in the resident's language.
    expect(await refused.json()).toEqual({
      error: 'too_many_requests',
      message: 'Terlalu banyak permintaan dari jaringan Bapak/Ibu. Mohon tunggu sebentar, lalu coba lagi.',
      retryAfter: wait,
    });
    // Refused before the engine: the fourth chat left no row behind.
    expect(await contactOf('new-4')).toBeUndefined();

    // A chat that already exists is not a new one: it goes on.
    expect(await contactOf('new-2')).toBeDefined();
    expect((await say(base, 'new-2', 'menu')).status).toBe(200);
  });
});

describe('posts per client address', () => {
  it('takes PUBLIC_POSTS_PER_ADDRESS web chat posts a minute and answers the next 429 with Retry-After', async () => {
    const base = await serveWith({ postsPerAddressMinute: 4 });
    for (let i = 0; i < 3; i++) expect((await say(base, 'posts-1', `pesan ${i}`)).status).toBe(200);
    // Keluar counts as a post too.
    const logout = await fetch(`${base}/webchat/logout`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookieFor('posts-1') }, body: '{}' });
    expect(logout.status).toBe(200);
    const refused = await say(base, 'posts-2', 'halo');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toBe('too_many_requests');
  });

  it("counts the demo phones' posts on their own, and answers them in the page's words", async () => {
    const base = await serveWith({ postsPerAddressMinute: 2 });
    const phone = demoPhoneList()[0]!;
    const write = (text: string) =>
      fetch(`${base}/demo/phones/${phone.slug}/messages`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ text, formId: crypto.randomUUID() }),
      });
    // The web chat's budget of this address is its own: two web chat posts do not spend the phones'.
    for (const chat of ['demo-budget-1', 'demo-budget-2']) expect((await say(base, chat, 'halo')).status).toBe(200);
    expect((await write('halo')).status).toBe(303);
    expect((await write('menu')).status).toBe(303);
    const refused = await write('lagi');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toBe('Terlalu banyak permintaan dari jaringan Bapak/Ibu. Mohon tunggu sebentar, lalu coba lagi.');
  });
});
