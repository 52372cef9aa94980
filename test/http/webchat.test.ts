import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, outbox } from '../../src/db/schema/index.ts';
import { createTestApp, postJson, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

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
    const res = await postJson(t.app, '/webchat/messages', { chatId: 'http-test-0001', text: 'halo' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.replies.length).toBeGreaterThan(0);
    const withOptions = body.replies.find((r: { options?: unknown[] }) => r.options);
    expect(withOptions.options).toEqual([
      { id: 'id', label: 'Bahasa Indonesia' },
      { id: 'en', label: 'English' },
    ]);
    const next = await postJson(t.app, '/webchat/messages', { chatId: 'http-test-0001', choice: 'en' });
    expect((await next.json()).replies.at(-1).text).toBe('How can we help you? Choose one:');
  });

  it.each([
    ['not json', '{"chatId": ', 'bad_json'],
    ['an array', [], 'bad_json'],
    ['a short chat id', { chatId: 'abc', text: 'hi' }, 'bad_chat_id'],
    ['a chat id with spaces', { chatId: 'abc def ghi', text: 'hi' }, 'bad_chat_id'],
    ['no chat id', { text: 'hi' }, 'bad_chat_id'],
    ['neither text nor choice', { chatId: 'http-test-0002' }, 'bad_message'],
    ['both text and choice', { chatId: 'http-test-0002', text: 'a', choice: 'b' }, 'bad_message'],
    ['text of the wrong type', { chatId: 'http-test-0002', text: 42 }, 'bad_message'],
  ])('answers 400 with a clear message for %s, and changes nothing', async (_what, body, problem) => {
    const before = await countContacts();
    const res = await postJson(t.app, '/webchat/messages', body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error).toBe(problem);
    expect(json.message.length).toBeGreaterThan(10);
    expect(await countContacts()).toBe(before);
  });

  it('explains errors in English to an English browser', async () => {
    const res = await postJson(t.app, '/webchat/messages', { chatId: 'x' }, { 'Accept-Language': 'en' });
    expect((await res.json()).message).toMatch(/^chatId must be/);
  });

  it('answers a repeated client message id once', async () => {
    const msg = { chatId: 'http-test-0003', text: 'halo', clientMessageId: 'm1' };
    const a = await (await postJson(t.app, '/webchat/messages', msg)).json();
    const b = await (await postJson(t.app, '/webchat/messages', msg)).json();
    expect(a.replies.length).toBeGreaterThan(0);
    expect(b).toEqual({ replies: [], duplicate: true });
  });

  it('answers a 5,000-character message', async () => {
    await postJson(t.app, '/webchat/messages', { chatId: 'http-test-0004', text: 'halo' });
    const res = await postJson(t.app, '/webchat/messages', { chatId: 'http-test-0004', text: 'x'.repeat(5000) });
    expect(res.status).toBe(200);
    expect((await res.json()).replies.length).toBeGreaterThan(0);
  });

  it('serves an accessible chat page', async () => {
    const res = await t.app.request('/chat');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-live="polite"');
    expect((await t.app.request('/chat', { headers: { 'Accept-Language': 'en' } })).status).toBe(200);
  });

  it('streams later messages (a staff reply waiting in the outbox) over server-sent events, once', async () => {
    const chatId = 'http-test-sse1';
    await postJson(t.app, '/webchat/messages', { chatId, text: 'halo' });
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, chatId));
    const [row] = await database.db
      .insert(outbox)
      .values({ contactId: contact!.id, channel: 'webchat', payload: { text: 'Balasan petugas: data sudah kami periksa.' } })
      .returning();

    const base = await t.listen();
    const controller = new AbortController();
    const res = await fetch(`${base}/webchat/events?chatId=${chatId}`, { signal: controller.signal });
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

  it('refuses an event stream for a bad chat id', async () => {
    const res = await t.app.request('/webchat/events?chatId=%3Cscript%3E');
    expect(res.status).toBe(400);
  });
});
