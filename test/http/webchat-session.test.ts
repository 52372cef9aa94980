import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactLinks, contacts, members, messages, outbox } from '../../src/db/schema/index.ts';
import type { Engine } from '../../src/conversation/engine.ts';
import { DEFAULT_IDENTITY_LIMITS } from '../../src/config.ts';
import { linkContact } from '../../src/services/identity/links.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { sha256 } from '../../src/services/staff/secrets.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { CHAT_COOKIE, WebchatBrowser } from '../helpers/webchat.ts';

// Issue 14, item 5: a web chat session the server issues. The chat is a random token in an HttpOnly cookie;
// the database keeps its hash; only its holder speaks as the chat or hears its later messages; Keluar gives
// the chat up; a reload never ends an officer's handover.

const chatCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${CHAT_COOKIE}=`));

describe('web chat session', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 3 });
    t = await createTestApp(database);
    base = await t.listen();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const contactOf = async (chatId: string) => (await database.db.select().from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, chatId))))[0];

  it('gives the page a session in an HttpOnly, SameSite cookie for the whole site, and keeps it on the next visit', async () => {
    const browser = new WebchatBrowser(t.app);
    const res = await browser.request('/chat');
    const cookie = chatCookie(res)!;
    expect(cookie).toMatch(/^pintu_chat=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=\d+/);
    expect(cookie).not.toMatch(/; Secure/); // plain http: a Secure cookie would never come back
    const token = browser.token;
    await browser.request('/chat');
    expect(browser.token).toBe(token);
  });

  it('marks the cookie Secure when the browser came over https', async () => {
    expect(chatCookie(await t.app.request('https://pintu.example/chat'))).toMatch(/; Secure/);
    // A client's own claim of https is not the browser's scheme: only the trusted proxy's is (TRUST_PROXY).
    expect(chatCookie(await t.app.request('/chat', { headers: { 'X-Forwarded-Proto': 'https' } }))).not.toMatch(/; Secure/);
  });

  it('gives a post without a cookie a new session; the database keeps only its hash', async () => {
    const browser = new WebchatBrowser(t.app);
    const res = await browser.post('/webchat/messages', { text: 'halo' });
    expect(res.status).toBe(200);
    expect(chatCookie(res)).toMatch(/; HttpOnly/);
    const token = browser.token!;
    const c = await contactOf(sha256(token));
    expect(c).toBeDefined();
    expect(await contactOf(token)).toBeUndefined();
    const [found] = await database.db.select({ n: sql<number>`count(*)::int` }).from(contacts).where(like(contacts.externalId, `%${token}%`));
    expect(found!.n).toBe(0);
    // The same browser goes on in the same chat; the answer sets no new cookie.
    const next = await browser.post('/webchat/messages', { choice: 'id' });
    expect(chatCookie(next)).toBeUndefined();
    expect((await contactOf(browser.chatId))!.id).toBe(c!.id);
  });

  it('lets no body choose the chat: a chatId is refused and reaches no chat', async () => {
    const resident = new WebchatBrowser(t.app);
    await resident.say({ text: 'halo' });
    const c = (await contactOf(resident.chatId))!;
    const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.contactId, c.id)))[0]!.n;
    const before = await count();
    const other = new WebchatBrowser(t.app);
    for (const chatId of [resident.chatId, resident.token]) {
      const res = await other.post('/webchat/messages', { chatId, text: 'petugas' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('chat_id_in_body');
    }
    expect(await count()).toBe(before);
    expect((await contactOf(resident.chatId))!.handoverAt).toBeNull();
  });

  it('streams a chat\'s later messages to its own session only: another cookie hears nothing and reads nothing', async () => {
    const resident = new WebchatBrowser(base);
    const other = new WebchatBrowser(base);
    await resident.request('/chat');
    await other.request('/chat');
    await resident.say({ text: 'halo' });
    const c = (await contactOf(resident.chatId))!;

    const streams = [resident, other].map((b) => {
      const controller = new AbortController();
      return { controller, res: b.request('/webchat/events', { signal: controller.signal }) };
    });
    const read = async (res: Response, until: string, ms: number) => {
      const reader = res.body!.getReader();
      let text = '';
      const deadline = Date.now() + ms;
      while (!text.includes(until) && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      return text;
    };
    const [mine, theirs] = await Promise.all(streams.map((s) => s.res));
    expect(mine!.status).toBe(200);
    expect(theirs!.status).toBe(200);
    await database.db.insert(outbox).values({ contactId: c.id, channel: 'webchat', payload: { text: 'Balasan petugas untuk Ibu Siti.' } });
    const [heard, overheard] = await Promise.all([read(mine!, 'Balasan petugas', 10_000), read(theirs!, 'Balasan petugas', 2_000)]);
    for (const s of streams) s.controller.abort();
    expect(heard).toContain('Balasan petugas untuk Ibu Siti.');
    expect(overheard).toContain('event: ready');
    expect(overheard).not.toContain('Balasan petugas');
    // Its own posts are its own chat: a new one, with the welcome, not the resident's conversation.
    const own = await other.texts({ start: true });
    expect(own).toContain('Selamat datang');
    expect(other.chatId).not.toBe(resident.chatId);
  });

  it('Keluar ends the link, retires the chat, and gives the browser a new chat', async () => {
    const db = database.db;
    const resident = new WebchatBrowser(t.app);
    await resident.say({ text: 'halo' });
    await resident.say({ choice: 'id' });
    const c = (await contactOf(resident.chatId))!;
    const [m] = await db.select({ id: members.id, householdId: members.householdId }).from(members).limit(1);
    const now = new Date();
    await linkContact(db, { i18n: t.deps.i18n, defaultLocale: 'id', phoneChannel: null, limits: DEFAULT_IDENTITY_LIMITS }, { contactId: c.id, memberId: m!.id, householdId: m!.householdId, proof: 'in_person', now });
    expect((await contactOf(resident.chatId))!.memberId).toBe(m!.id);
    const oldToken = resident.token!;

    // Another site's form cannot log the resident out (and the page's JSON post can).
    const form = await resident.request('/webchat/logout', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(form.status).toBe(415);
    expect((await contactOf(resident.chatId))!.memberId).toBe(m!.id);

    const res = await resident.logout();
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe('Bapak/Ibu sudah keluar. Percakapan baru dimulai.');
    expect(chatCookie(res)).toMatch(/; HttpOnly; SameSite=Lax/);
    expect(resident.token).not.toBe(oldToken);

    const [after] = await db.select().from(contacts).where(eq(contacts.id, c.id));
    expect(after!.memberId).toBeNull();
    expect(after!.externalId).not.toBe(sha256(oldToken)); // retired
    expect(after!.unreachableReason).toBe('logout');
    const links = await db.select().from(contactLinks).where(eq(contactLinks.contactId, c.id));
    expect(links).toHaveLength(1);
    expect(links[0]!.endedAt).not.toBeNull();
    expect(links[0]!.endReason).toBe('logout');

    // The next message is a new chat, welcomed as one.
    expect(await resident.texts({ start: true })).toContain('Selamat datang');
    expect((await contactOf(resident.chatId))!.id).not.toBe(c.id);
    // A copy of the old cookie kept elsewhere is an empty chat of its own, not the resident's.
    const copy = new WebchatBrowser(t.app);
    copy.token = oldToken;
    expect(await copy.texts({ start: true })).toContain('Selamat datang');
    expect((await contactOf(sha256(oldToken)))!.id).not.toBe(c.id);
  });

  it('Keluar without a chat yet only gives a new session', async () => {
    const browser = new WebchatBrowser(t.app);
    const res = await browser.logout();
    expect(res.status).toBe(200);
    expect(browser.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a reload while an officer has the chat keeps the handover; otherwise it shows the menu', async () => {
    const resident = new WebchatBrowser(t.app);
    await resident.say({ text: 'halo' });
    await resident.say({ choice: 'id' });
    const menu = t.deps.i18n.t('menu:prompt', { lng: 'id' });
    expect(await resident.texts({ start: true })).toContain(menu);

    await resident.say({ text: 'petugas' });
    const c = (await contactOf(resident.chatId))!;
    expect(c.handoverAt).not.toBeNull();
    const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.contactId, c.id)))[0]!.n;
    const before = await count();

    const reload = await resident.say({ start: true });
    expect(reload.replies.map((r) => r.text)).toEqual([t.deps.i18n.t('webchat:inHandover', { lng: 'id' })]);
    expect(reload.replies[0]!.text).toMatch(/^Petugas sedang menangani percakapan ini/);
    const after = (await contactOf(resident.chatId))!;
    expect(after.handoverAt).toEqual(c.handoverAt);
    expect(await count()).toBe(before); // nothing recorded, nothing changed
    // In the chat's own language, whatever the browser says.
    const en = await resident.post('/webchat/messages', { start: true }, { 'Accept-Language': 'en' });
    expect((await en.json()).replies[0].text).toMatch(/^Petugas sedang/);
    // The resident can still end it on purpose.
    expect(await resident.texts({ text: 'menu' })).toContain(menu);
    expect((await contactOf(resident.chatId))!.handoverAt).toBeNull();
  });
});

describe('web chat client address', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** Sends one message through a real socket and returns the address the engine was handed. */
  async function addressSeen(trustProxy: boolean, headers: Record<string, string>): Promise<string | undefined> {
    const seen: (string | undefined)[] = [];
    const wrapEngine = (engine: Engine): Engine => ({
      handle: (inbound) => {
        seen.push(inbound.clientAddress);
        return engine.handle(inbound);
      },
    });
    const t = await createTestApp(database, { trustProxy, wrapEngine });
    try {
      const res = await new WebchatBrowser(await t.listen()).post('/webchat/messages', { text: 'halo' }, headers);
      expect(res.status).toBe(200);
    } finally {
      await t.close();
    }
    return seen.at(-1);
  }

  const proxied = { 'X-Forwarded-For': '203.0.113.9, 198.51.100.7' };

  it('is the socket\'s address when TRUST_PROXY is off, whatever X-Forwarded-For claims', async () => {
    expect(await addressSeen(false, proxied)).toBe('127.0.0.1');
  });

  it('is the right-most X-Forwarded-For address (our proxy\'s entry) when TRUST_PROXY is on', async () => {
    expect(await addressSeen(true, proxied)).toBe('198.51.100.7');
    expect(await addressSeen(true, { 'X-Forwarded-For': '2001:db8:1:2:3:4:5:6' })).toBe('2001:db8:1:2::/64');
  });

  it('falls back to the socket when TRUST_PROXY is on but the header is missing or not an address', async () => {
    expect(await addressSeen(true, {})).toBe('127.0.0.1');
    expect(await addressSeen(true, { 'X-Forwarded-For': '198.51.100.7, not-an-ip' })).toBe('127.0.0.1');
  });
});
