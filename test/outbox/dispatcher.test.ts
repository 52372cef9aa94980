import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSender, Recipient, SendResult } from '../../src/outbox/sender.ts';
import type { OutboundMessage } from '../../src/messages/types.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { contacts, outbox } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher, INTERRUPTED } from '../../src/outbox/dispatcher.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// A channel of the test's own: it records what the dispatcher hands it and answers as scripted. The
// dispatcher is the thing under test here; real channels are tested against their fake servers.
class RecordingSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly sent: { chatId: string; text: string; at: number }[] = [];
  script: (to: Recipient, m: OutboundMessage, n: number) => SendResult | Promise<SendResult> = () => ({ status: 'sent' });
  calls = 0;
  constructor(public limits: ChannelSender['limits']) {}
  async send(to: Recipient, m: OutboundMessage): Promise<SendResult> {
    const n = ++this.calls;
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    const result = await this.script(to, m, n);
    if (result.status === 'sent') this.sent.push({ chatId: to.chatId, text: m.text, at: Date.now() });
    return result;
  }
}

const logger = createLogger('silent');

describe('outbox dispatcher', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`delete from channel_budgets`);
  });

  let chatSeq = 0;
  async function newContact(): Promise<{ id: number; chatId: string }> {
    const chatId = `chat-${++chatSeq}`;
    const [c] = await database.db.insert(contacts).values({ channel: 'telegram', externalId: chatId, lastInboundAt: new Date() }).returning();
    return { id: c!.id, chatId };
  }
  async function queue(contactId: number, texts: string[], priority: 'reply' | 'bulk' = 'reply') {
    await enqueue(database.db, { contactId, channel: 'telegram', messages: texts.map((text) => ({ text })), priority });
  }
  async function drain(d: Dispatcher, until: () => Promise<boolean>, timeoutMs = 20_000) {
    const started = Date.now();
    while (!(await until())) {
      if (Date.now() - started > timeoutMs) throw new Error('outbox did not drain in time');
      await d.runOnce('telegram').catch(() => {});
    }
  }
  const statusCounts = async () =>
    Object.fromEntries(
      (await database.db.select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status)).map((r) => [r.status, r.n]),
    );

  it('draws an invitation QR code into the image when it sends, from the code the payload stores', async () => {
    const c = await newContact();
    await enqueue(database.db, { contactId: c.id, channel: 'telegram', messages: [{ text: 'Undangan', qrCode: 'K7MQ4XRT' }], priority: 'bulk' });
    const [row] = await database.db.select().from(outbox).where(eq(outbox.contactId, c.id));
    expect((row!.payload as unknown as OutboundMessage).image).toBeUndefined(); // the outbox keeps the code, not a PNG
    const got: OutboundMessage[] = [];
    const sender = new RecordingSender({ perSecond: 100, perChatIntervalMs: 0 });
    sender.script = (_to, m) => {
      got.push(m);
      return { status: 'sent' };
    };
    const d = new Dispatcher(database, logger, { pollMs: 20 });
    d.register(sender);
    await drain(d, async () => got.length === 1);
    const png = Buffer.from(got[0]!.image!.pngBase64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(got[0]!.image!.fileName).toBe('undangan-K7MQ4XRT.png');
  });

  it('keeps each chat in order and sends every row exactly once with two dispatchers on one database', async () => {
    const chats = await Promise.all(Array.from({ length: 30 }, () => newContact()));
    for (const c of chats) await queue(c.id, ['1', '2', '3', '4', '5']);
    const sender = new RecordingSender({ perSecond: 5000, perChatIntervalMs: 0 });
    // On real Postgres the second dispatcher has its own connection pool, as a second process would.
    const other: Database = database.url ? await openDatabase({ url: database.url, poolSize: 3 }) : database;
    try {
      const a = new Dispatcher(database, logger, { pollMs: 20, batchSize: 25 });
      const b = new Dispatcher(other, logger, { pollMs: 20, batchSize: 25 });
      a.register(sender);
      b.register(sender);
      await Promise.all([a.start(), b.start()]);
      const deadline = Date.now() + 20_000;
      while ((await statusCounts()).sent !== 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      if (other !== database) await other.close();
    }
    expect(await statusCounts()).toEqual({ sent: 150 });
    expect(sender.sent).toHaveLength(150);
    for (const c of chats) expect(sender.sent.filter((s) => s.chatId === c.chatId).map((s) => s.text)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('sends replies before bulk', async () => {
    const bulk = await Promise.all(Array.from({ length: 5 }, () => newContact()));
    for (const c of bulk) await queue(c.id, ['bulk'], 'bulk');
    const resident = await newContact();
    await queue(resident.id, ['reply'], 'reply');
    const sender = new RecordingSender({ perSecond: 1000, perChatIntervalMs: 0 });
    const d = new Dispatcher(database, logger, { pollMs: 10, batchSize: 1 });
    d.register(sender);
    await drain(d, async () => sender.sent.length === 6);
    expect(sender.sent[0]!.text).toBe('reply');
  });

  it('waits retry_after after a 429 and then sends', async () => {
    const c = await newContact();
    await queue(c.id, ['hello', 'after']);
    const sender = new RecordingSender({ perSecond: 1000, perChatIntervalMs: 0 });
    const tried: number[] = [];
    sender.script = (_to, m, n) => {
      if (m.text === 'hello') tried.push(Date.now());
      return n === 1 ? { status: 'retry', reason: '429 Too Many Requests', retryAfterMs: 400 } : { status: 'sent' };
    };
    const d = new Dispatcher(database, logger, { pollMs: 10 });
    d.register(sender);
    await drain(d, async () => sender.sent.length === 2);
    expect(tried).toHaveLength(2);
    expect(tried[1]! - tried[0]!).toBeGreaterThanOrEqual(390);
    expect(sender.sent.map((s) => s.text)).toEqual(['hello', 'after']); // the second waited for the first
  });

  it('fails a row for good on a permanent error, marks the contact unreachable, and sends it nothing more', async () => {
    const c = await newContact();
    await queue(c.id, ['first', 'second']);
    const sender = new RecordingSender({ perSecond: 1000, perChatIntervalMs: 0 });
    sender.script = () => ({ status: 'failed', reason: 'Forbidden: bot was blocked by the user', unreachable: true });
    const d = new Dispatcher(database, logger, { pollMs: 10 });
    d.register(sender);
    await drain(d, async () => (await statusCounts()).failed === 2);
    expect(sender.calls).toBe(1);
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(outbox.id);
    expect(rows.map((r) => r.lastError)).toEqual(['Forbidden: bot was blocked by the user', 'contact_unreachable']);
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.id, c.id));
    expect(contact!.unreachableReason).toBe('Forbidden: bot was blocked by the user');
  });

  it('never exceeds the channel rate in any one-second window', async () => {
    const chats = await Promise.all(Array.from({ length: 120 }, () => newContact()));
    for (const c of chats) await queue(c.id, ['x']);
    const sender = new RecordingSender({ perSecond: 40, perChatIntervalMs: 0 });
    const d = new Dispatcher(database, logger, { pollMs: 5 });
    d.register(sender);
    await drain(d, async () => sender.sent.length === 120);
    const times = sender.sent.map((s) => s.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(40);
  });

  it('keeps at least the per-chat interval between two messages to one chat', async () => {
    const c = await newContact();
    await queue(c.id, ['a', 'b', 'c']);
    const sender = new RecordingSender({ perSecond: 1000, perChatIntervalMs: 300 });
    const d = new Dispatcher(database, logger, { pollMs: 10 });
    d.register(sender);
    await drain(d, async () => sender.sent.length === 3);
    const [a, b, cc] = sender.sent.map((s) => s.at);
    expect(b! - a!).toBeGreaterThanOrEqual(280);
    expect(cc! - b!).toBeGreaterThanOrEqual(280);
  });

  it('after a crash, fails interrupted rows with a reason instead of sending them twice, unless the channel can check', async () => {
    const c = await newContact();
    await queue(c.id, ['lost in flight', 'checked']);
    await database.db.execute(sql`update outbox set status = 'sending', claimed_until = now() - interval '1 minute'`);
    const plain = new RecordingSender({ perSecond: 1000, perChatIntervalMs: 0 });
    const d = new Dispatcher(database, logger, { pollMs: 10 });
    d.register(plain);
    expect(await d.reconcile()).toBe(2);
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([
      ['failed', INTERRUPTED],
      ['failed', INTERRUPTED],
    ]);

    await database.db.execute(sql`update outbox set status = 'sending', claimed_until = now() - interval '1 minute', last_error = null`);
    const checking = Object.assign(new RecordingSender({ perSecond: 1000, perChatIntervalMs: 0 }), {
      reconcile: async (_to: Recipient, m: OutboundMessage) => (m.text === 'checked' ? ('delivered' as const) : ('not_delivered' as const)),
    });
    const d2 = new Dispatcher(database, logger, { pollMs: 10 });
    d2.register(checking);
    await d2.reconcile();
    await drain(d2, async () => checking.sent.length === 1);
    expect(checking.sent.map((s) => s.text)).toEqual(['lost in flight']);
    expect(await statusCounts()).toEqual({ sent: 2 });
  });
});

describe('outbox dispatcher with a channel that is not ready', () => {
  it('leaves the rows alone (no attempts used) until the channel can send, and does not reconcile them meanwhile', async () => {
    const database = await createTestDatabase();
    try {
      const [c] = await database.db.insert(contacts).values({ channel: 'telegram', externalId: 'not-ready-1', lastInboundAt: new Date() }).returning();
      await enqueue(database.db, { contactId: c!.id, channel: 'telegram', messages: [{ text: 'wait for me' }], priority: 'reply' });
      let ready = false;
      const sender = Object.assign(new RecordingSender({ perSecond: 100, perChatIntervalMs: 0 }), {
        ready: () => ready,
        reconcile: async () => 'not_delivered' as const,
      });
      const d = new Dispatcher(database, logger, { pollMs: 10 });
      d.register(sender);
      for (let i = 0; i < 5; i++) expect((await d.runOnce('telegram')).handled).toBe(0);
      const [row] = await database.db.select().from(outbox).where(eq(outbox.contactId, c!.id));
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });

      await database.db.execute(sql`update outbox set status = 'sending', claimed_until = now() - interval '1 minute'`);
      await d.reconcile();
      expect((await database.db.select().from(outbox))[0]!.status).toBe('sending');
      ready = true;
      await d.reconcile();
      await d.runOnce('telegram');
      expect(sender.sent.map((s) => s.text)).toEqual(['wait for me']);
    } finally {
      await database.dispose();
    }
  });
});
