import { eq } from 'drizzle-orm';
import pkg from 'whatsapp-web.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ERROR_REASON, MESSAGE_ACK } from '../../../src/channels/whatsapp-web/acks.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../../src/channels/whatsapp-web/adapter.ts';
import { NOT_ON_WHATSAPP, NUMBER_CHECK_FAILED } from '../../../src/channels/whatsapp-web/sender.ts';
import { composeApp, type Composition } from '../../../src/app/compose.ts';
import { contacts, outbox } from '../../../src/db/schema/index.ts';
import { createLogger } from '../../../src/log.ts';
import { enqueue } from '../../../src/outbox/enqueue.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { drainOutbox } from '../../helpers/drain.ts';
import { FakeWhatsapp, type FakeMessage } from '../../fakes/wwebjs.ts';

// WhatsApp Web when the office writes first (a registry phone that never wrote to us), and the ticks under
// what we sent, with the real whatsapp-web.js module (its MessageMedia, its MessageAck) and a fake WhatsApp.

const { MessageAck } = pkg;
const logger = createLogger('silent');
const config = { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-test' };
const FAST = { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10, ackRetryMs: [50, 200, 1000, 3000] };

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 8000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let phoneSeq = 0;
const newChat = () => `62813${String(Date.now()).slice(-5)}${String(++phoneSeq).padStart(3, '0')}@c.us`;

describe('whatsapp web: writing first, and delivery ticks', () => {
  let database: TestDatabase;
  const running: Composition[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 5 });
  });
  afterEach(async () => {
    for (const c of running.splice(0)) await c.stop();
  });
  afterAll(() => database.dispose());

  async function readyAdapter(world = new FakeWhatsapp()) {
    world.savedSession = true;
    let adapter!: WhatsappWebAdapter;
    const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, logger, {
      adapters: (ctx) => [(adapter = createWhatsappWebAdapter(ctx, config, { createClient: world.createClient, printQr: () => {}, timing: FAST }))],
    });
    running.push(composition);
    await adapter.start();
    await until(() => adapter.status().state === 'ready', 'ready');
    return { adapter, composition, world, client: world.latest };
  }

  /** A registry phone as a chat: no message from it yet. */
  async function registryContact(chatId = newChat()) {
    const [c] = await database.db.insert(contacts).values({ channel: 'whatsapp_web', externalId: chatId, language: 'id' }).returning();
    return c!;
  }

  async function queue(contactId: number, text: string) {
    const [id] = await database.db.transaction((tx) => enqueue(tx, { contactId, channel: 'whatsapp_web', messages: [{ text }], priority: 'bulk' }));
    return id!;
  }

  const row = async (id: number) => (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;
  const contact = async (id: number) => (await database.db.select().from(contacts).where(eq(contacts.id, id)))[0]!;

  /** The service's own dispatcher, round by round, until the row is settled (the channel's budget paces it). */
  async function dispatch(composition: Composition, id: number) {
    return until(
      async () => {
        await composition.dispatcher.runOnce('whatsapp_web');
        const r = await row(id);
        return r.status !== 'pending' && r.status !== 'sending' ? r : undefined;
      },
      `outbox row ${id} to settle`,
      // One claim per 1.2 s at most (0.9 messages a second), slower on a busy machine.
      20_000,
    );
  }

  it('keeps the library’s ack values', () => {
    expect(MESSAGE_ACK).toEqual({
      ERROR: MessageAck.ACK_ERROR,
      PENDING: MessageAck.ACK_PENDING,
      SERVER: MessageAck.ACK_SERVER,
      DEVICE: MessageAck.ACK_DEVICE,
      READ: MessageAck.ACK_READ,
      PLAYED: MessageAck.ACK_PLAYED,
    });
  });

  it('does not write first to a number without WhatsApp: the row fails, the contact is unreachable, nothing is sent', async () => {
    const { composition, world } = await readyAdapter();
    const c = await registryContact();
    world.unregistered.add(c.externalId);
    const id = await queue(c.id, 'Undangan penyaluran bantuan');

    const settled = await dispatch(composition, id);
    expect(settled).toMatchObject({ status: 'failed', lastError: NOT_ON_WHATSAPP, providerMessageId: null });
    expect(await contact(c.id)).toMatchObject({ unreachableAt: expect.any(Date), unreachableReason: NOT_ON_WHATSAPP });
    expect(world.numberChecks).toEqual([c.externalId]);
    expect(world.sent).toEqual([]);

    // The reminder after it is not even tried: the contact is unreachable until the resident writes.
    const reminder = await queue(c.id, 'Pengingat');
    expect(await dispatch(composition, reminder)).toMatchObject({ status: 'failed', lastError: 'contact_unreachable' });
    expect(world.numberChecks).toHaveLength(1);
    expect(world.sent).toEqual([]);
  });

  it('writes first to a number on WhatsApp, and does not ask again for the reminder', async () => {
    const { composition, world } = await readyAdapter();
    const c = await registryContact();
    const id = await queue(c.id, 'Undangan penyaluran bantuan');

    const settled = await dispatch(composition, id);
    expect(world.sent.map((s) => [s.chatId, s.body])).toEqual([[c.externalId, 'Undangan penyaluran bantuan']]);
    // The row carries WhatsApp's id of the message: what the acks name.
    expect(settled).toMatchObject({ status: 'sent', providerMessageId: world.sent[0]!.message.id._serialized });
    expect((await contact(c.id)).unreachableAt).toBeNull();
    expect(world.numberChecks).toEqual([c.externalId]);

    const reminder = await queue(c.id, 'Pengingat penyaluran bantuan');
    expect(await dispatch(composition, reminder)).toMatchObject({ status: 'sent' });
    expect(world.sent.map((s) => s.body)).toEqual(['Undangan penyaluran bantuan', 'Pengingat penyaluran bantuan']);
    expect(world.numberChecks).toEqual([c.externalId]);
  });

  it('does not check a chat that wrote to us, and retries when the check cannot be made', async () => {
    const { adapter, world, client } = await readyAdapter();
    const resident = newChat();
    const m = client.simulateIncoming({ from: resident, body: 'halo' });
    await until(async () => (await database.db.select().from(contacts).where(eq(contacts.externalId, resident)))[0]?.lastInboundAt, 'the message to be handled');
    expect(m.fromMe).toBe(false);
    const replies = await drainOutbox(database, adapter.sender);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.status === 'sent')).toBe(true);
    expect(world.numberChecks).toEqual([]);

    // The page goes away during the lookup: try later, nothing sent, and no answer remembered.
    const c = await registryContact();
    world.numberCheckError = new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
    const to = { contactId: c.id, chatId: c.externalId, language: 'id', lastInboundAt: null };
    expect(await adapter.sender.send(to, { text: 'Undangan' })).toEqual({ status: 'retry', reason: NUMBER_CHECK_FAILED });
    expect(world.sent.filter((s) => s.chatId === c.externalId)).toEqual([]);
    world.numberCheckError = undefined;
    expect(await adapter.sender.send(to, { text: 'Undangan' })).toMatchObject({ status: 'sent' });
    expect(world.numberChecks.filter((n) => n === c.externalId)).toHaveLength(2);
  });

  /** A message to a chat that wrote before, sent by the dispatcher: the row and what WhatsApp has of it. */
  async function sentMessage() {
    const s = await readyAdapter();
    const c = await database.db
      .insert(contacts)
      .values({ channel: 'whatsapp_web', externalId: newChat(), language: 'id', lastInboundAt: new Date() })
      .returning()
      .then((r) => r[0]!);
    const id = await queue(c.id, 'Jadwal penyaluran Bapak/Ibu');
    expect(await dispatch(s.composition, id)).toMatchObject({ status: 'sent' });
    const message = s.world.sent.at(-1)!.message;
    return { ...s, id, contactId: c.id, message };
  }

  it('records delivered and read ticks on the outbox row', async () => {
    const { client, id, message } = await sentMessage();
    client.ack(message, MessageAck.ACK_SERVER);
    expect(await row(id)).toMatchObject({ status: 'sent', deliveredAt: null, readAt: null });

    client.delivered(message);
    const delivered = await until(async () => (await row(id)).deliveredAt, 'delivered_at');
    expect((await row(id)).readAt).toBeNull();

    client.read(message);
    const read = await until(async () => (await row(id)).readAt, 'read_at');
    expect(read.getTime()).toBeGreaterThanOrEqual(delivered.getTime());
    // A repeated tick changes nothing: the first report wins.
    client.delivered(message);
    await new Promise((r) => setTimeout(r, 50));
    expect((await row(id)).deliveredAt).toEqual(delivered);
    expect((await row(id)).status).toBe('sent');
  });

  it('fails the row on an error tick, with the reason, without marking the number unreachable', async () => {
    const { client, id, contactId, message } = await sentMessage();
    client.failDelivery(message);
    const failed = await until(async () => ((await row(id)).status === 'failed' ? row(id) : undefined), 'the row to fail');
    expect(failed.lastError).toBe(ACK_ERROR_REASON);
    expect((await contact(contactId)).unreachableAt).toBeNull();
  });

  it('keeps a tick that arrives before the row is marked sent', async () => {
    const { adapter, world, client } = await readyAdapter();
    const c = await registryContact();
    const id = await queue(c.id, 'Undangan penyaluran bantuan');
    // The dispatcher's part, by hand and in slow motion: the message goes out, the ticks come back, and only
    // then is the row marked sent with the message's id.
    await database.db.update(outbox).set({ status: 'sending' }).where(eq(outbox.id, id));
    const result = await adapter.sender.send({ contactId: c.id, chatId: c.externalId, language: 'id', lastInboundAt: null }, { text: 'Undangan penyaluran bantuan' });
    expect(result.status).toBe('sent');
    const message: FakeMessage = world.sent.at(-1)!.message;
    client.delivered(message);
    client.read(message);
    await new Promise((r) => setTimeout(r, 30)); // before the first look again
    expect(await row(id)).toMatchObject({ deliveredAt: null, readAt: null });
    await database.db
      .update(outbox)
      .set({ status: 'sent', sentAt: new Date(), providerMessageId: result.status === 'sent' ? result.providerMessageId! : null })
      .where(eq(outbox.id, id));
    await until(async () => (await row(id)).readAt, 'read_at after the row was marked');
    expect((await row(id)).deliveredAt).not.toBeNull();
  });

  it('lets go of ticks that name no message of ours: the resident’s own messages, a message sent by hand', async () => {
    const { world, client, id } = await sentMessage();
    const theirs = client.simulateIncoming({ from: newChat(), body: 'halo' });
    client.read(theirs);
    // Sent from the office phone itself: no outbox row will ever carry it.
    const byHand = world.arrive({ from: newChat(), fromMe: true, body: 'dari HP kantor' });
    client.delivered(byHand);
    await new Promise((r) => setTimeout(r, 300)); // past the first looks
    expect(await row(id)).toMatchObject({ status: 'sent', deliveredAt: null, readAt: null });
    expect(await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.providerMessageId, theirs.id._serialized))).toEqual([]);
  });
});
