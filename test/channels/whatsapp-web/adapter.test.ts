import { eq, inArray } from 'drizzle-orm';
import pkg from 'whatsapp-web.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterContext } from '../../../src/channels/adapter.ts';
import type { Recipient } from '../../../src/outbox/sender.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter, type WhatsappWebDeps } from '../../../src/channels/whatsapp-web/adapter.ts';
import { NOT_READY } from '../../../src/channels/whatsapp-web/sender.ts';
import { composeApp, type Composition } from '../../../src/app/compose.ts';
import { contacts, messages, outbox } from '../../../src/db/schema/index.ts';
import { createLogger } from '../../../src/log.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { drainOutbox } from '../../helpers/drain.ts';
import { FakeWhatsapp, type FakeWwebjsClient } from '../../fakes/wwebjs.ts';

const { MessageMedia } = pkg;
const logger = createLogger('silent');
const config = { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-test' };
const FAST = { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10 };

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let phoneSeq = 0;
const newChat = () => `62812${String(Date.now()).slice(-5)}${String(++phoneSeq).padStart(3, '0')}@c.us`;

describe('whatsapp web adapter', () => {
  let database: TestDatabase;
  const running: { composition: Composition; adapter: WhatsappWebAdapter }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50 });
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.composition.stop();
  });
  afterAll(() => database.dispose());

  /** The service's own wiring (composeApp) with this channel over a fake WhatsApp. */
  async function setup(world: FakeWhatsapp, deps: WhatsappWebDeps & { wrapCtx?: (ctx: AdapterContext) => AdapterContext } = {}) {
    let adapter!: WhatsappWebAdapter;
    const printed: string[] = [];
    const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, logger, {
      adapters: (ctx) => [
        (adapter = createWhatsappWebAdapter(deps.wrapCtx ? deps.wrapCtx(ctx) : ctx, config, {
          createClient: world.createClient,
          printQr: (qr) => void printed.push(qr),
          ...deps,
          timing: { ...FAST, ...deps.timing },
        })),
      ],
    });
    running.push({ composition, adapter });
    return { adapter, composition, printed };
  }

  async function readyAdapter(world = new FakeWhatsapp(), deps: Parameters<typeof setup>[1] = {}) {
    const s = await setup(world, deps);
    await s.adapter.start();
    await until(() => s.adapter.status().state === 'qr' || s.adapter.status().state === 'ready', 'qr');
    if (s.adapter.status().state === 'qr') world.latest.scan();
    expect(s.adapter.status().state).toBe('ready');
    return { ...s, world, client: world.latest };
  }

  async function handled(providerMessageId: string) {
    return until(
      async () => (await database.db.select({ id: messages.id }).from(messages).where(eq(messages.providerMessageId, providerMessageId))).length > 0,
      'the engine to record the message',
    );
  }

  async function say(client: FakeWwebjsClient, chatId: string, body: string) {
    const m = client.simulateIncoming({ from: chatId, body });
    await handled(m.id._serialized);
    return m;
  }

  const sentTo = (world: FakeWhatsapp, chatId: string) => world.sent.filter((s) => s.chatId === chatId).map((s) => s.body);

  it('shows the QR, then authenticated, then ready in status()', async () => {
    const world = new FakeWhatsapp();
    const { adapter, printed } = await setup(world);
    expect(adapter.status().state).toBe('stopped');
    await adapter.start();
    await until(() => adapter.status().state === 'qr', 'qr state');
    const first = adapter.status();
    expect(first.qr).toMatch(/^2@fake-qr-/);
    expect(printed).toEqual([first.qr]);
    expect(Date.parse(first.since)).not.toBeNaN();
    expect(adapter.sender.ready()).toBe(false);

    // WhatsApp Web shows a fresh code every 20 s or so: the latest one is the one to scan.
    const second = world.latest.showQr();
    expect(adapter.status().qr).toBe(second);

    world.latest.emit('authenticated');
    expect(adapter.status()).toMatchObject({ state: 'authenticated' });
    expect(adapter.status().qr).toBeUndefined();

    world.latest.emit('change_state', 'CONNECTED');
    world.latest.emit('ready');
    expect(adapter.status()).toMatchObject({ state: 'ready', connection: 'CONNECTED' });
    expect(adapter.sender.ready()).toBe(true);
    expect(world.clients).toHaveLength(1);
  });

  it('answers a message with a numbered list and the way to answer; "2" picks the second option', async () => {
    const { adapter, world, client } = await readyAdapter();
    const chatId = newChat();
    await say(client, chatId, 'selamat pagi');
    const results = await drainOutbox(database, adapter.sender);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    const [greeting, languageQuestion] = sentTo(world, chatId);
    expect(greeting).toContain('Selamat datang di Pintu');
    expect(languageQuestion).toBe('Mohon pilih bahasa. / Please choose a language.\n\n1. Bahasa Indonesia\n2. English\n\nSilakan Bapak/Ibu balas dengan angka 1 atau 2.');

    // What went out is recorded with WhatsApp's own message ids.
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, chatId));
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, contact!.id));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(rows.map((r) => r.providerMessageId)).toEqual(world.sent.filter((s) => s.chatId === chatId).map((s) => s.message.id._serialized));

    await say(client, chatId, '2');
    await drainOutbox(database, adapter.sender);
    const after = sentTo(world, chatId).slice(2);
    expect(after[0]).toBe('All right, we will continue in English.');
    expect(after[1]).toContain('How can we help? Please choose one:\n\n1. Check my aid\n2. My distribution invitations\n');
    expect(after[1]!.endsWith('\n\nPlease reply with a number from 1 to 8.')).toBe(true);

    // And a number picks from the list just shown: 1 = "Check my aid", which asks for the NIK.
    await say(client, chatId, '1');
    await drainOutbox(database, adapter.sender);
    expect(sentTo(world, chatId).slice(4).join('\n')).toMatch(/NIK/);
  });

  it('sends an image as MessageMedia with the text and its list as caption', async () => {
    const { adapter, world } = await readyAdapter();
    const to: Recipient = { contactId: 1, chatId: newChat(), language: 'id', lastInboundAt: new Date() };
    const result = await adapter.sender.send(to, {
      text: 'Kode undangan Bapak/Ibu',
      options: [
        { id: 'confirm', label: 'Saya akan datang' },
        { id: 'decline', label: 'Saya tidak bisa datang' },
      ],
      image: { pngBase64: 'iVBORw0KGgoAAAANSUhEUg==', fileName: 'undangan.png' },
    });
    expect(result).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^true_/) });
    const sent = world.sent.at(-1)!;
    expect(sent.content).toBeInstanceOf(MessageMedia);
    expect(sent.content).toMatchObject({ mimetype: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==', filename: 'undangan.png' });
    expect(sent.options?.caption).toBe('Kode undangan Bapak/Ibu\n\n1. Saya akan datang\n2. Saya tidak bisa datang\n\nSilakan Bapak/Ibu balas dengan angka 1 atau 2.');
  });

  it('sends a one-time code as its text, and never the option to share a Telegram number', async () => {
    const { adapter, world } = await readyAdapter();
    const to: Recipient = { contactId: 1, chatId: newChat(), language: 'id', lastInboundAt: null };
    const code = await adapter.sender.send(to, { text: 'Kode Pintu Bapak/Ibu: 482913', template: { kind: 'code', params: ['482913'] } });
    expect(code).toMatchObject({ status: 'sent' });
    const proof = await adapter.sender.send(to, {
      text: 'Bagaimana Bapak/Ibu membuktikannya?',
      options: [
        { id: 'share_phone', label: 'Bagikan nomor saya', requestPhone: true },
        { id: 'visit', label: 'Datang ke kantor' },
      ],
    });
    expect(proof).toMatchObject({ status: 'sent' });
    expect(world.sent.filter((s) => s.chatId === to.chatId).map((s) => s.body)).toEqual([
      'Kode Pintu Bapak/Ibu: 482913',
      'Bagaimana Bapak/Ibu membuktikannya?\n\n1. Datang ke kantor\n\nSilakan Bapak/Ibu balas dengan angka 1.',
    ]);
  });

  it('sends a document, then a text too long for its caption; a hiccup on the second part is waited out', async () => {
    const { adapter, world } = await readyAdapter();
    const to: Recipient = { contactId: 1, chatId: newChat(), language: 'id', lastInboundAt: new Date() };
    const long = `Tanda terima penyaluran. ${'Rincian. '.repeat(150)}`.trim();
    let calls = 0;
    world.sendBehaviour = () => (++calls === 2 ? new Error('Execution context was destroyed') : undefined);
    const result = await adapter.sender.send(to, { text: long, document: { base64: 'JVBERi0xLjQ=', mimeType: 'application/pdf', fileName: 'tanda-terima.pdf' } });
    world.sendBehaviour = () => undefined;
    expect(result).toMatchObject({ status: 'sent' });
    const parts = world.sent.filter((s) => s.chatId === to.chatId);
    expect(parts.map((p) => [p.content instanceof MessageMedia, p.options?.sendMediaAsDocument ?? false, p.body])).toEqual([
      [true, true, ''],
      [false, false, long],
    ]);
    // The row's provider id is the last part's: the one that carries the words.
    expect(result.status === 'sent' && result.providerMessageId).toBe(parts[1]!.message.id._serialized);
  });

  it('does not send while not ready: retry, whatsapp_web_not_ready', async () => {
    const world = new FakeWhatsapp();
    const { adapter } = await setup(world);
    const to: Recipient = { contactId: 1, chatId: newChat(), language: 'id', lastInboundAt: new Date() };
    expect(await adapter.sender.send(to, { text: 'x' })).toEqual({ status: 'retry', reason: NOT_READY });
    await adapter.start();
    await until(() => adapter.status().state === 'qr', 'qr');
    expect(await adapter.sender.send(to, { text: 'x' })).toEqual({ status: 'retry', reason: NOT_READY });
    world.latest.scan();
    // WhatsApp Web's socket reconnecting: messages would only queue inside the page, so we hold them.
    world.latest.changeState('OPENING');
    expect(await adapter.sender.send(to, { text: 'x' })).toEqual({ status: 'retry', reason: NOT_READY });
    world.latest.changeState('CONNECTED');
    expect(await adapter.sender.send(to, { text: 'x' })).toMatchObject({ status: 'sent' });
    expect(world.sent).toHaveLength(1);
  });

  it('reports a number without WhatsApp as unreachable, and passing trouble as retry', async () => {
    const { adapter, world } = await readyAdapter();
    const gone = newChat();
    world.unregistered.add(gone);
    // A resident who wrote before and has since left WhatsApp: the send fails, WhatsApp says no such user.
    const wrote: Recipient = { contactId: 1, chatId: gone, language: 'id', lastInboundAt: new Date() };
    expect(await adapter.sender.send(wrote, { text: 'Pengingat' })).toMatchObject({ status: 'failed', unreachable: true, reason: expect.stringMatching(/^not_on_whatsapp \(/) });
    // A number from the registry that never wrote: asked before sending, nothing is sent.
    const never: Recipient = { ...wrote, lastInboundAt: null };
    expect(await adapter.sender.send(never, { text: 'Undangan' })).toEqual({ status: 'failed', reason: 'not_on_whatsapp', unreachable: true });
    expect(world.sent).toHaveLength(0);
    // A malformed id is never going to work either.
    world.sendBehaviour = () => new Error('Evaluation failed: Error: wid error: invalid wid');
    expect(await adapter.sender.send({ ...wrote, chatId: newChat() }, { text: 'x' })).toMatchObject({ status: 'failed', unreachable: true });

    // The page or the network: try again later. Digits in errors (phone numbers) never reach the reason.
    world.sendBehaviour = () => new Error('Protocol error (Runtime.callFunctionOn): Target closed 6281234567890');
    const flaky = await adapter.sender.send({ ...wrote, chatId: newChat() }, { text: 'x' });
    expect(flaky).toMatchObject({ status: 'retry' });
    expect(flaky.status === 'retry' && flaky.reason).not.toMatch(/6281234567890/);
    world.sendBehaviour = () => 'empty';
    expect(await adapter.sender.send({ ...wrote, chatId: newChat() }, { text: 'x' })).toMatchObject({ status: 'retry', reason: 'whatsapp_web: chat could not be opened' });
    world.sendBehaviour = () => undefined;
    expect(await adapter.sender.send({ ...wrote, chatId: newChat() }, { text: 'x' })).toMatchObject({ status: 'sent' });
  });

  it('ignores groups, status updates and its own messages', async () => {
    const { world, client } = await readyAdapter();
    const resident = newChat();
    const group = '120363012345678901@g.us';
    const ignored = [
      client.simulateIncoming({ from: group, author: resident, body: 'cek bansos' }),
      client.simulateIncoming({ from: 'status@broadcast', author: resident, body: 'status' }),
      client.simulateIncoming({ from: resident, fromMe: true, body: 'dari HP kantor' }),
      client.simulateIncoming({ from: resident, type: 'e2e_notification' }),
    ];
    // A real message after them is answered, so the ones before would have been by now.
    await say(client, resident, 'halo');
    const ids = ignored.map((m) => m.id._serialized);
    expect(await database.db.select().from(messages).where(inArray(messages.providerMessageId, ids))).toEqual([]);
    expect(await database.db.select().from(contacts).where(inArray(contacts.externalId, [group, 'status@broadcast']))).toEqual([]);
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, resident));
    const inbound = await database.db.select().from(messages).where(eq(messages.contactId, contact!.id));
    expect(inbound.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(world.clients).toHaveLength(1);
  });

  it('reconnects after a disconnect with a growing, capped backoff', async () => {
    const { adapter, world } = await readyAdapter(new FakeWhatsapp(), { random: () => 0.5 });
    const first = world.latest;
    first.disconnect('NAVIGATION');
    expect(adapter.status()).toMatchObject({ state: 'disconnected', lastError: 'disconnected: NAVIGATION', reconnectAttempts: 1 });
    expect(adapter.status().nextAttemptAt).toBeDefined();
    expect(adapter.sender.ready()).toBe(false);
    await until(() => first.destroyed, 'the old client to be destroyed');
    // The saved session (LocalAuth) brings the new client straight to ready, without a QR.
    await until(() => adapter.status().state === 'ready', 'ready again');
    expect(world.clients).toHaveLength(2);
    expect(world.clients[1]!.createdAt - first.createdAt).toBeGreaterThanOrEqual(35);
    expect(adapter.status().reconnectAttempts).toBeUndefined();

    // Chromium will not start: each try waits twice as long as the last, up to the cap.
    world.initializeError = new Error('Failed to launch the browser process!');
    world.latest.disconnect('CONFLICT');
    await until(() => world.clients.length === 7, 'five more tries', 8000);
    const gaps = world.clients.slice(2).map((c, i) => c.createdAt - world.clients[i + 1]!.createdAt);
    // 40, 80, 160, 320, 400 (capped) ms
    for (const [i, expected] of [40, 80, 160, 320, 400].entries()) {
      expect({ i, gap: gaps[i]! >= expected - 5 && gaps[i]! < expected + 250 }).toEqual({ i, gap: true });
    }
    expect(adapter.status()).toMatchObject({ state: 'disconnected', lastError: 'Failed to launch the browser process!' });
    world.initializeError = undefined;
    await until(() => adapter.status().state === 'ready', 'ready after Chromium is back', 5000);
    for (const c of world.clients.slice(0, -1)) expect(c.destroyed).toBe(true);
  });

  it('starts over after an auth failure, showing a new QR', async () => {
    const world = new FakeWhatsapp();
    const { adapter } = await setup(world);
    await adapter.start();
    await until(() => adapter.status().state === 'qr', 'qr');
    world.latest.failAuth('session expired');
    expect(adapter.status()).toMatchObject({ state: 'auth_failure', lastError: 'auth_failure: session expired' });
    await until(() => world.clients.length === 2 && adapter.status().state === 'qr', 'a new QR');
  });

  it('tries an inbound message again when the engine fails, and answers it once', async () => {
    let calls = 0;
    const { adapter, world, client } = await readyAdapter(new FakeWhatsapp(), {
      wrapCtx: (ctx) => ({
        ...ctx,
        engine: {
          handle: async (inbound) => {
            if (++calls <= 2) throw new Error('connection terminated unexpectedly');
            return ctx.engine.handle(inbound);
          },
        },
      }),
    });
    const chatId = newChat();
    await say(client, chatId, 'menu');
    expect(calls).toBe(3);
    await drainOutbox(database, adapter.sender);
    expect(sentTo(world, chatId).length).toBeGreaterThan(0);
  });

  it('answers messages that arrived while no client was running', async () => {
    const world = new FakeWhatsapp();
    world.savedSession = true;
    const chatId = newChat();
    const missed = world.arrive({ from: chatId, body: 'halo' });
    const old = world.arrive({ from: newChat(), body: 'lama sekali', timestamp: Math.floor(Date.now() / 1000) - 3 * 86_400 });
    const inGroup = world.arrive({ from: '120363012345678902@g.us', author: chatId, body: 'grup' });
    const { adapter } = await setup(world);
    await adapter.start();
    await handled(missed.id._serialized);
    await drainOutbox(database, adapter.sender);
    expect(sentTo(world, chatId).length).toBeGreaterThan(0);
    // Too old, or a group: left alone.
    expect(await database.db.select().from(messages).where(inArray(messages.providerMessageId, [old.id._serialized, inGroup.id._serialized]))).toEqual([]);
    // Answering marks the chat read, so a later restart does not pick the same messages again.
    expect(world.chat(chatId).unreadCount).toBe(0);
  });

  it('tells after a crash whether an interrupted message reached the chat', async () => {
    const { adapter } = await readyAdapter();
    const to: Recipient = { contactId: 1, chatId: newChat(), language: 'id', lastInboundAt: new Date() };
    const message = { text: 'Pengaduan Bapak/Ibu sudah kami terima.', options: [{ id: 'menu', label: 'Kembali ke menu' }] };
    const before = new Date(Date.now() - 1000);
    expect(await adapter.sender.reconcile(to, message, before)).toBe('not_delivered');
    await adapter.sender.send(to, message);
    expect(await adapter.sender.reconcile(to, message, before)).toBe('delivered');
    expect(await adapter.sender.reconcile(to, { text: 'Another text' }, before)).toBe('not_delivered');
    // Sent long before the interrupted attempt: not this one.
    expect(await adapter.sender.reconcile(to, message, new Date(Date.now() + 10 * 60_000))).toBe('not_delivered');
    await adapter.stop();
    expect(await adapter.sender.reconcile(to, message, before)).toBe('unknown');
  });

  it('lets the client go on stop', async () => {
    const { adapter, world } = await readyAdapter();
    await adapter.stop();
    expect(adapter.status().state).toBe('stopped');
    expect(world.latest.destroyed).toBe(true);
    expect(adapter.sender.ready()).toBe(false);
    // Events of the old client change nothing any more.
    world.latest.emit('ready');
    expect(adapter.status().state).toBe('stopped');
  });
});
