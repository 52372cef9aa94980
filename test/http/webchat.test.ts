import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, outbox } from '../../src/db/schema/index.ts';
import { createTestApp, postJson, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { WebchatBrowser } from '../helpers/webchat.ts';

// The web chat's HTTP protocol: a message in, the turn's replies out; later messages over server-sent events.
// The chat is always the session cookie's (webchat-session.test.ts covers the session itself).

describe('web chat HTTP', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  const countContacts = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(contacts))[0]!.n;

  it('answers a message with replies and their options', async () => {
    const browser = new WebchatBrowser(t.app);
    const res = await browser.post('/webchat/messages', { text: 'halo' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.replies.length).toBeGreaterThan(0);
    const withOptions = body.replies.find((r: { options?: unknown[] }) => r.options);
    expect(withOptions.options).toEqual([
      { id: 'id', label: 'Bahasa Indonesia' },
      { id: 'en', label: 'English' },
    ]);
    const next = await browser.say({ choice: 'en' });
    expect(next.replies.at(-1)!.text).toBe('How can we help? Please choose one:');
  });

  it.each([
    ['not json', '{"text": ', 'bad_json'],
    ['an array', [], 'bad_json'],
    ['neither text nor choice', {}, 'bad_message'],
    ['both text and choice', { text: 'a', choice: 'b' }, 'bad_message'],
    ['text of the wrong type', { text: 42 }, 'bad_message'],
    ['a start that is not true', { start: 'yes' }, 'bad_message'],
    ['an unknown field', { text: 'a', extra: 1 }, 'bad_message'],
    // The old protocol: the page named its chat. Refused (with "reload the page"), not silently ignored.
    ['a chat id in the body', { chatId: 'http-test-0002', text: 'hi' }, 'chat_id_in_body'],
  ])('answers 400 with a clear message for %s, and changes nothing', async (_what, body, problem) => {
    const before = await countContacts();
    const res = await postJson(t.app, '/webchat/messages', body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error).toBe(problem);
    expect(json.message.length).toBeGreaterThan(10);
    expect(await countContacts()).toBe(before);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['']])('refuses a post that is not JSON (%j): no other site can post into a chat', async (type) => {
    const before = await countContacts();
    const res = await t.app.request('/webchat/messages', { method: 'POST', headers: type ? { 'Content-Type': type } : {}, body: '{"text":"halo"}' });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toBe('not_json');
    expect(await countContacts()).toBe(before);
  });

  it('explains errors in English to an English browser', async () => {
    const res = await postJson(t.app, '/webchat/messages', { chatId: 'x' }, { 'Accept-Language': 'en' });
    expect((await res.json()).message).toMatch(/^This page is out of date/);
  });

  it('answers a repeated client message id once', async () => {
    const browser = new WebchatBrowser(t.app);
    const a = await browser.say({ text: 'halo' }, { clientMessageId: 'm1' });
    const b = await browser.say({ text: 'halo' }, { clientMessageId: 'm1' });
    expect(a.replies.length).toBeGreaterThan(0);
    expect(b).toEqual({ replies: [], duplicate: true });
  });

  it('answers a 5,000-character message', async () => {
    const browser = new WebchatBrowser(t.app);
    await browser.say({ text: 'halo' });
    const res = await browser.post('/webchat/messages', { text: 'x'.repeat(5000) });
    expect(res.status).toBe(200);
    expect((await res.json()).replies.length).toBeGreaterThan(0);
  });

  it('serves an accessible chat page with a Keluar button', async () => {
    const res = await t.app.request('/chat');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('>Keluar</button>');
    // The page never handles the chat's id: it is in an HttpOnly cookie.
    expect(html).not.toContain('chatId');
    expect(html).not.toContain('localStorage');
    const en = await t.app.request('/chat', { headers: { 'Accept-Language': 'en' } });
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('>Log out</button>');
  });

  it('streams later messages (a staff reply waiting in the outbox) over server-sent events, once', async () => {
    const base = await t.listen();
    const browser = new WebchatBrowser(base);
    await browser.request('/chat');
    await browser.say({ text: 'halo' });
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, browser.chatId));
    const [row] = await database.db
      .insert(outbox)
      .values({ contactId: contact!.id, channel: 'webchat', payload: { text: 'Balasan petugas: data sudah kami periksa.' } })
      .returning();

    const controller = new AbortController();
    const res = await browser.request('/webchat/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let received = '';
    const deadline = Date.now() + 10_000;
    while (!received.includes('Balasan petugas') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toContain('event: reply');
    expect(received).toContain('Balasan petugas: data sudah kami periksa.');
    // Give the hub a moment to commit the "sent" mark.
    let status = 'pending';
    for (let i = 0; i < 50 && status !== 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await database.db.select().from(outbox).where(eq(outbox.id, row!.id)))[0]!.status;
    }
    expect(status).toBe('sent');
  });

  it.each([
    ['no cookie', undefined],
    ['a cookie that is not a session', 'pintu_chat=%3Cscript%3E'],
    ['a chat id in the query instead', undefined, '?chatId=http-test-sse1'],
  ])('refuses an event stream with %s', async (_what, cookie, query = '') => {
    const res = await t.app.request(`/webchat/events${query}`, { headers: cookie ? { cookie } : {} });
    expect(res.status).toBe(401);
    const json = await res.json();
    expect(json.error).toBe('no_session');
    expect(json.message).toMatch(/muat ulang/);
  });
});
