import { and, asc, eq, sql } from 'drizzle-orm';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.ts';
import { createWhatsappCloudAdapter } from '../../src/channels/whatsapp-cloud/adapter.ts';
import type { WhatsappCloudConfig } from '../../src/channels/whatsapp-cloud/sender.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../src/channels/whatsapp-web/adapter.ts';
import type { ChannelAdapter } from '../../src/channels/adapter.ts';
import { contacts, messages, outbox, sessions } from '../../src/db/schema/index.ts';
import { type Channel } from '../../src/domain/vocabulary.ts';
import { DEFAULT_IDENTITY_LIMITS } from '../../src/services/identity/env.ts';
import { startChannelApp, type ChannelApp } from '../e2e/channel-app.ts';
import { signedWebhook, startFakeGraph, webhook, type FakeGraph } from '../fakes/graph.ts';
import { callbackUpdate, FAKE_BOT, FakeTelegram, textUpdate, type Person } from '../fakes/telegram.ts';
import { FakeWhatsapp, type FakeMessage } from '../fakes/wwebjs.ts';
import { drainOutbox } from '../helpers/drain.ts';
import { cookieFor, externalIdOf } from '../helpers/webchat.ts';
import { person, postUpdate, SECRET as TELEGRAM_SECRET } from './telegram/harness.ts';

// Issue 8: providers deliver the same message more than once (Telegram and Meta after a timeout or a 5xx,
// whatsapp-web.js after a reconnect, a browser retrying a POST), sometimes at the same moment and sometimes
// after a later message of the same chat. Each case must have the effect of one delivery. Every scenario
// runs a resident's conversation twice: once on a control chat with each message delivered once, once with
// the repeats, and the two chats must end up alike (messages taken, answers queued or sent, where the
// conversation stands).
//
// The conversation is Siti's aid check by NIK, KK number and birth date from chats that are not her registry
// phone: knowledge, which shows the public view and links nothing (DESIGN.md "Identity"). Possession cannot
// be part of it: the control and the repeated chat would both have to be her one registry phone. Every
// scenario's two chats look Siti up, more chats than the per-member daily limit allows, so this app raises it.

const CLOUD_SECRET = 'whatsapp-app-secret-for-redelivery';
const SITI = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985' };

let app: ChannelApp;
let telegram: FakeTelegram;
let telegramAdapter: ChannelAdapter;
let graph: FakeGraph;
let world: FakeWhatsapp;
let webAdapter: WhatsappWebAdapter;

beforeAll(async () => {
  telegram = await FakeTelegram.start();
  graph = await startFakeGraph();
  world = new FakeWhatsapp();
  world.savedSession = true;
  const cloud: WhatsappCloudConfig = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: CLOUD_SECRET,
    verifyToken: 'verify-token-for-redelivery',
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  app = await startChannelApp((ctx, clock) => [
    (telegramAdapter = createTelegramAdapter(ctx, { token: telegram.token, mode: 'webhook', webhookSecret: TELEGRAM_SECRET, apiRoot: telegram.apiRoot, ratePerSecond: 30 }, { botInfo: FAKE_BOT })),
    createWhatsappCloudAdapter(ctx, cloud, { clock }),
    (webAdapter = createWhatsappWebAdapter(
      ctx,
      { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-redelivery' },
      {
        createClient: world.createClient,
        printQr: () => {},
        timing: { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10 },
      },
    )),
  ], { identityLimits: { ...DEFAULT_IDENTITY_LIMITS, chatsPerMemberDay: 100 } });
  await telegramAdapter.start();
  await webAdapter.start();
  await until(() => webAdapter.status().state === 'ready', 'WhatsApp Web to be ready');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await telegram?.close();
  await graph?.close();
});

/** What one delivery or many left behind for a chat: messages taken, answers, and where the conversation stands. */
async function effects(channel: Channel, chatId: string) {
  const [c] = await app.database.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, chatId)));
  if (!c) return undefined;
  const rows = await app.database.db.select().from(messages).where(eq(messages.contactId, c.id)).orderBy(asc(messages.id));
  const [s] = await app.database.db.select().from(sessions).where(eq(sessions.contactId, c.id));
  const [o] = await app.database.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.contactId, c.id));
  return {
    inbound: rows.filter((m) => m.direction === 'in').map((m) => m.body ?? m.kind),
    answers: rows.filter((m) => m.direction === 'out').map((m) => m.body),
    queued: o!.n,
    at: s ? { flow: s.flow, step: s.step } : undefined,
    memberId: c.memberId,
  };
}

/**
 * Both chats alike, and the conversation really got to Siti's public view (so alike is not "both nothing"):
 * found by knowledge, asked to prove it is her, and not linked.
 */
async function expectAlike(channel: Channel, control: string, repeated: string) {
  const want = await effects(channel, control);
  const got = await effects(channel, repeated);
  expect(want?.inbound).toHaveLength(6);
  expect(want?.at).toEqual({ flow: 'identity', step: 'knowledge' });
  expect(want?.memberId).toBeNull();
  expect(want?.answers.join('\n')).toContain('Program Keluarga Harapan');
  expect(want?.answers.join('\n')).toContain('buktikan dulu');
  expect(got).toEqual(want);
}

describe('Telegram: the same update again', () => {
  /** Hello, Bahasa Indonesia, "cek bansos", NIK, KK, birth date: one chat's updates, each built once. */
  function conversation(p: Person): Update[] {
    const keyboard = { messageId: 1, text: '', replyMarkup: undefined };
    return [textUpdate(p, '/start'), callbackUpdate(p, 'id', keyboard), callbackUpdate(p, 'aid', keyboard), textUpdate(p, SITI.nik), textUpdate(p, SITI.kk), textUpdate(p, SITI.birth)];
  }
  async function post(u: Update) {
    expect((await postUpdate(app.base, u)).status).toBe(200);
  }
  async function control(): Promise<string> {
    const p = person('Siti');
    for (const u of conversation(p)) await post(u);
    return String(p.id);
  }
  async function sentTo(chatId: string) {
    await drainOutbox(app.database, telegramAdapter.sender);
    return telegram.sent(chatId).map((m) => m.text);
  }

  it('twice in a row: taken and answered once', async () => {
    const want = await control();
    const p = person('Siti');
    const [hello, lang, aid, nik, kk, birth] = conversation(p);
    for (const u of [hello!, hello!, lang!, aid!, aid!, nik!, nik!, kk!, kk!, birth!, birth!]) await post(u);
    await expectAlike('telegram', want, String(p.id));
    expect(await sentTo(String(p.id))).toEqual(await sentTo(want));
  });

  it('twice at the same moment: taken and answered once', async () => {
    const want = await control();
    const p = person('Siti');
    for (const u of conversation(p)) await Promise.all([post(u), post(u), post(u)]);
    await expectAlike('telegram', want, String(p.id));
    expect(await sentTo(String(p.id))).toEqual(await sentTo(want));
  });

  it('an older update after a newer one (A, B, A): the late copy changes nothing', async () => {
    const want = await control();
    const p = person('Siti');
    const [hello, lang, aid, nik, kk, birth] = conversation(p);
    // Taken as a new answer, the late NIK would start another check, the late KK be read as one, or "cek bansos" as a menu choice.
    for (const u of [hello!, lang!, aid!, nik!, kk!, birth!, nik!, kk!, aid!, hello!]) await post(u);
    await expectAlike('telegram', want, String(p.id));
    expect(await sentTo(String(p.id))).toEqual(await sentTo(want));
  });
});

describe('WhatsApp Cloud API: Meta delivers again', () => {
  let seq = 0;
  const newNumber = () => `62815${String(Date.now()).slice(-5)}${String(++seq).padStart(3, '0')}`;
  type Payload = ReturnType<typeof webhook.text>;

  function conversation(wa: string): Payload[] {
    const id = (i: number) => ({ id: `wamid.HBgN${wa}${i}AAA=`, name: 'Siti' });
    return [
      webhook.text(wa, 'selamat pagi', id(1)),
      webhook.buttonReply(wa, 'id', 'Bahasa Indonesia', id(2)),
      webhook.listReply(wa, 'aid', 'Cek bansos', id(3)),
      webhook.text(wa, SITI.nik, id(4)),
      webhook.text(wa, SITI.kk, id(5)),
      webhook.text(wa, SITI.birth, id(6)),
    ];
  }
  async function post(payload: unknown) {
    // Signed once per delivery, as Meta does: the same body gives the same signature.
    const { body, headers } = signedWebhook(payload, CLOUD_SECRET);
    const res = await fetch(`${app.base}/webhooks/whatsapp`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
  }
  async function control(): Promise<string> {
    const wa = newNumber();
    for (const p of conversation(wa)) await post(p);
    return wa;
  }

  it('the same signed body twice: one effect', async () => {
    const want = await control();
    const wa = newNumber();
    for (const p of conversation(wa)) {
      await post(p);
      await post(p);
    }
    await expectAlike('whatsapp_cloud', want, wa);
  });

  it('a batch that holds the same message twice: one effect', async () => {
    const want = await control();
    const wa = newNumber();
    for (const p of conversation(wa)) {
      const value = p.entry[0]!.changes[0]!.value as unknown as { messages: unknown[] };
      value.messages = [value.messages[0], value.messages[0]];
      await post(p);
    }
    await expectAlike('whatsapp_cloud', want, wa);
  });
});

describe('WhatsApp Web: the client emits the same message again', () => {
  let seq = 0;
  const newChat = () => `62816${String(Date.now()).slice(-5)}${String(++seq).padStart(3, '0')}@c.us`;

  function conversation(chatId: string): FakeMessage[] {
    // Numbered lists on this channel: 1 is Bahasa Indonesia, then 1 is the menu's "cek bansos". Each message
    // lands in the chat once; emitting one again is the client's repeat, not a new message.
    return ['selamat pagi', '1', '1', SITI.nik, SITI.kk, SITI.birth].map((body) => world.arrive({ from: chatId, body, notifyName: 'Siti' }));
  }
  /** Emits, then waits until the chat's message queue got past it (it handles a chat's messages in order). */
  async function emit(...ms: FakeMessage[]) {
    for (const m of ms) world.latest.emit('message', m);
    await until(() => app.database.db.select({ id: messages.id }).from(messages).where(eq(messages.providerMessageId, ms.at(-1)!.id._serialized)).then((r) => r.length > 0), 'the message to be handled');
  }
  async function duplicatesSeen(): Promise<number> {
    const text = await (await fetch(`${app.base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('pintu_inbound_messages_total') && l.includes('channel="whatsapp_web"') && l.includes('outcome="duplicate"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('the same message event twice: one effect', async () => {
    const want = newChat();
    for (const m of conversation(want)) await emit(m);
    const chatId = newChat();
    const before = await duplicatesSeen();
    const [hello, lang, aid, nik, kk, birth] = conversation(chatId);
    await emit(hello!, hello!, lang!);
    await emit(aid!, aid!, nik!, nik!, kk!, kk!, birth!);
    await emit(birth!);
    // The repeats reached the engine (and were recognised), rather than being lost on the way.
    await until(async () => (await duplicatesSeen()) - before >= 5, 'the repeats to be handled');
    expect((await duplicatesSeen()) - before).toBe(5);
    await expectAlike('whatsapp_web', want, chatId);
  });
});

describe('web chat: the browser posts the same message again', () => {
  let seq = 0;
  const newChat = () => `redeliver-${Date.now().toString(36)}-${++seq}`;
  const conversation = () => [{ text: 'halo' }, { choice: 'id' }, { choice: 'aid' }, { text: SITI.nik }, { text: SITI.kk }, { text: SITI.birth }].map((m, i) => ({ clientMessageId: `c${i + 1}`, ...m }));
  /** A post of the named chat's browser: its session cookie says which chat. */
  async function post(chat: string, body: Record<string, unknown>) {
    const res = await fetch(`${app.base}/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookieFor(chat) }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as { replies: unknown[]; duplicate?: boolean };
  }

  it('the same client message id twice, in a row and at once: one effect', async () => {
    const want = newChat();
    for (const m of conversation()) await post(want, m);
    const chat = newChat();
    const [hello, lang, aid, nik, kk, birth] = conversation();
    await post(chat, hello!);
    expect(await post(chat, hello!)).toEqual({ replies: [], duplicate: true });
    await post(chat, lang!);
    await post(chat, aid!);
    const both = await Promise.all([post(chat, nik!), post(chat, nik!)]);
    expect(both.filter((r) => r.duplicate)).toHaveLength(1);
    await post(chat, kk!);
    await post(chat, birth!);
    expect(await post(chat, nik!)).toEqual({ replies: [], duplicate: true });
    await expectAlike('webchat', externalIdOf(want), externalIdOf(chat));
  });
});

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
