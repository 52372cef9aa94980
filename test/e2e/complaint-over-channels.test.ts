import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/channels/adapter.ts';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.ts';
import type { TelegramConfig } from '../../src/channels/telegram/sender.ts';
import { createWhatsappCloudAdapter } from '../../src/channels/whatsapp-cloud/adapter.ts';
import type { WhatsappCloudConfig } from '../../src/channels/whatsapp-cloud/sender.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../src/channels/whatsapp-web/adapter.ts';
import { complaintEvents, complaints, contacts, messages, outbox } from '../../src/db/schema/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { person, SECRET as TELEGRAM_SECRET, TelegramChat, textOf as telegramText, type TelegramHarness } from '../channels/telegram/harness.ts';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.ts';
import { FAKE_BOT, FakeTelegram } from '../fakes/telegram.ts';
import { FakeWhatsapp } from '../fakes/wwebjs.ts';
import { PASSWORD } from '../helpers/console.ts';
import { drainOutbox } from '../helpers/drain.ts';
import { startChannelApp, type ChannelApp } from './channel-app.ts';
import { conversationShown, figureShown, Officer, statusCounts, statusShown, textOf } from './officer.ts';
import { bodiesText, CloudChat } from './whatsapp-cloud-chat.ts';

// Issue 5's "done when", for the chat apps: a resident files a complaint on Telegram or WhatsApp, a
// supervisor works it in the console of the same running app (verify, answer, the resident writes back and
// it is reopened, answer again, close), the resident rates it 5 with a button, and the dashboard shows
// that rating. The web chat's run of the same story is test/browser/console.test.ts.

const TRACKING = /ADU-\d{4}-\d{5}/;
const SUPERVISOR = 'spv.kota@pintu.test';
const COMPLAINT = 'Lampu jalan di depan kantor kelurahan sudah dua minggu mati.';
const ANSWER = 'Terima kasih, laporan sudah kami teruskan ke kelurahan. Mohon ditunggu.';
const FOLLOW_UP = 'Sampai hari ini lampunya masih mati, Pak.';
const ANSWER_AGAIN = 'Petugas kelurahan sudah mengganti lampunya kemarin sore. Mohon dicek kembali.';
// Officers' answers reach the resident under the officer's name (the supervisor signs in as Supervisor Kota).
const SIGNED = 'Supervisor Kota, petugas Dinas Sosial:';
const HOUR = 60 * 60 * 1000;

/** What the scenario needs from a resident's chat app, whatever the channel. */
interface Resident {
  /** From the first hello to "send": returns everything the bot answered to "send". */
  fileComplaint(text: string): Promise<string>;
  /** Types a message; returns what the bot answered. */
  say(text: string): Promise<string>;
  /** Lets the outbox go out; returns what reached the resident. */
  receive(): Promise<string>;
  /** The labels (or ids) of the choices on the last message that had them. */
  choices(): string[];
  /** Picks 5 on the rating question and skips the comment; returns what the bot answered. */
  rateFive(): Promise<string>;
}

async function outboxCount(app: ChannelApp, contactId: number): Promise<number> {
  const [row] = await app.database.db.select({ n: count() }).from(outbox).where(eq(outbox.contactId, contactId));
  return Number(row!.n);
}

interface Worked {
  id: number;
  trackingId: string;
  officer: Officer;
}

/**
 * The resident's part and the supervisor's part of one complaint, interleaved as they happen, up to the
 * rating question that closing sends to the chat.
 */
// The rating question's buttons name the asked row ("csat:<id>:<score>").
const RATING_BUTTONS = [1, 2, 3, 4, 5].map((n) => expect.stringMatching(new RegExp(`^csat:\\d+:${n}$`)));

async function workToClosure(app: ChannelApp, resident: Resident, expected: { channel: string; ratingChoices: string[] }): Promise<Worked> {
  // The resident files the complaint in the chat and gets a tracking id.
  const filed = await resident.fileComplaint(COMPLAINT);
  const trackingId = TRACKING.exec(filed)?.[0];
  expect(trackingId, filed).toBeTruthy();

  // The supervisor finds it in the inbox of the same app and opens it.
  const officer = await Officer.signIn(app.base, SUPERVISOR);
  const id = await officer.find(trackingId!);
  let page = await officer.page(id);
  expect(page.status).toBe(200);
  expect(statusShown(page.html)).toBe('Diterima');
  expect(textOf(page.html)).toContain(`Percakapan laporan ini (${expected.channel})`);
  expect(conversationShown(page.html)).toContain(COMPLAINT);

  await officer.done(id, 'verify');
  expect(statusShown((await officer.page(id)).html)).toBe('Terverifikasi');

  // The answer goes out through the outbox to the resident's own chat.
  await officer.done(id, 'reply', { text: ANSWER });
  page = await officer.page(id);
  expect(statusShown(page.html)).toBe('Dijawab');
  expect(await resident.receive()).toContain(ANSWER);

  // The resident writes back: the message joins the complaint and reopens it.
  expect(await resident.say(FOLLOW_UP)).toContain(`laporan ${trackingId}`);
  page = await officer.page(id);
  expect(statusShown(page.html)).toBe('Dibuka kembali');
  const chat = conversationShown(page.html);
  expect(chat).toContain(FOLLOW_UP);
  expect(chat).toContain(ANSWER);
  expect(chat.indexOf(ANSWER)).toBeLessThan(chat.indexOf(FOLLOW_UP));
  expect(chat).toContain('Petugas · Supervisor Kota');
  // The fragment an open page swaps in when its live stream signals a change shows the same.
  const live = await officer.get(`/console/complaints/${id}/live`);
  expect(live.status).toBe(200);
  expect(statusShown(live.html)).toBe('Dibuka kembali');
  expect(conversationShown(live.html)).toContain(FOLLOW_UP);

  await officer.done(id, 'reply', { text: ANSWER_AGAIN });
  expect(statusShown((await officer.page(id)).html)).toBe('Dijawab');
  expect(await resident.receive()).toContain(ANSWER_AGAIN);

  // Closing asks the resident for a rating, with a choice per score.
  await officer.done(id, 'close');
  expect(statusShown((await officer.page(id)).html)).toBe('Selesai');
  const question = await resident.receive();
  expect(question).toContain(`nomor ${trackingId} telah kami selesaikan`);
  expect(resident.choices()).toEqual(expected.ratingChoices);
  return { id, trackingId: trackingId!, officer };
}

/** The resident answers 5 on the rating question; the supervisor's dashboard shows that one rating. */
async function rateFiveOnDashboard(app: ChannelApp, resident: Resident, { id, officer }: Worked): Promise<void> {
  expect(await resident.rateFive()).toContain('Penilaian Bapak/Ibu sudah kami catat.');

  const [row] = await app.database.db.select({ csat: complaints.csat, status: complaints.status }).from(complaints).where(eq(complaints.id, id));
  expect(row).toEqual({ csat: 5, status: 'closed' });

  // The supervisor's dashboard counts it, and the IKM is that single 5 out of 5.
  const dash = await officer.get('/console/dashboard');
  expect(dash.status).toBe(200);
  expect(figureShown(dash.html, 'ikm')).toMatch(/^100 \(mutu A\) dari 1 penilaian\b/);
  expect(figureShown(dash.html, 'first-answer')).toMatch(/\(dari 1 pengaduan yang sudah dijawab\)$/);
  expect(statusCounts(dash.html)).toEqual({ received: 0, verified: 0, in_progress: 0, answered: 0, closed: 1, reopened: 0 });
  expect(textOf(dash.html)).toContain('Pengaduan masuk: 1');
}

async function supervisor(app: ChannelApp) {
  // City-wide: a complaint filed without identity has no kecamatan until it is verified.
  await createStaffUser(app.database.db, 'system', { email: SUPERVISOR, name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
}

describe('a complaint over Telegram (webhook), worked in the console', () => {
  let app: ChannelApp;
  let fake: FakeTelegram;
  let adapter: ChannelAdapter;
  let config: TelegramConfig;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    config = { token: fake.token, mode: 'webhook', webhookSecret: TELEGRAM_SECRET, apiRoot: fake.apiRoot, ratePerSecond: 30 };
    app = await startChannelApp((ctx) => [(adapter = createTelegramAdapter(ctx, config, { botInfo: FAKE_BOT }))]);
    await adapter.start();
    await supervisor(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('goes from the chat to closure and onto the dashboard', async () => {
    // The harness's chat class, pointed at the whole app's server (its webhook route is mounted there).
    const h = { config, baseUrl: app.base, fake, database: app.database, adapter } as unknown as TelegramHarness;
    const chat = new TelegramChat(h, person('Budi'));
    const resident: Resident = {
      async fileComplaint(text) {
        await chat.say('/start');
        await chat.press('id');
        await chat.press('complaint');
        await chat.press('other');
        await chat.say(text);
        await chat.press('skip');
        return telegramText(await chat.press('send'));
      },
      say: async (text) => telegramText(await chat.say(text)),
      receive: async () => telegramText(await chat.drain()),
      choices: () => chat.buttons,
      async rateFive() {
        expect(telegramText(await chat.press(chat.buttons.find((b) => b.endsWith(':5'))!))).toContain('Ada saran atau catatan');
        return telegramText(await chat.press('skip'));
      },
    };
    await rateFiveOnDashboard(app, resident, await workToClosure(app, resident, { channel: 'Telegram', ratingChoices: RATING_BUTTONS }));

    // The officer's answers reached Telegram as plain messages to this chat, one each.
    const sentTexts = fake.sent(chat.chatId).map((m) => m.text);
    expect(sentTexts.filter((t) => t === `${SIGNED}\n${ANSWER}`)).toHaveLength(1);
    expect(sentTexts.filter((t) => t === `${SIGNED}\n${ANSWER_AGAIN}`)).toHaveLength(1);
  }, 90_000);
});

describe('a complaint over WhatsApp Cloud API, worked in the console', () => {
  const APP_SECRET = 'whatsapp-app-secret-for-e2e';
  let app: ChannelApp;
  let graph: FakeGraph;
  let adapter: ChannelAdapter;

  beforeAll(async () => {
    graph = await startFakeGraph();
    const config: WhatsappCloudConfig = {
      accessToken: graph.token,
      phoneNumberId: graph.phoneNumberId,
      appSecret: APP_SECRET,
      verifyToken: 'verify-token-for-e2e',
      apiRoot: graph.apiRoot,
      ratePerSecond: 80,
      templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
    };
    // The adapter's window checks read the same clock as the engine and the console.
    app = await startChannelApp((ctx, clock) => [(adapter = createWhatsappCloudAdapter(ctx, config, { clock }))]);
    await supervisor(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await graph?.close();
  });

  let numberSeq = 0;
  const newNumber = () => `62812${String(Date.now()).slice(-5)}${String(++numberSeq).padStart(3, '0')}`;

  function cloudResident(name: string): { chat: CloudChat; resident: Resident } {
    const chat = new CloudChat(app.base, app.database, graph, adapter.sender, APP_SECRET, newNumber(), name);
    const resident: Resident = {
      async fileComplaint(text) {
        await chat.say('selamat pagi');
        await chat.choose('id');
        await chat.choose('complaint');
        await chat.choose('other');
        await chat.say(text);
        await chat.choose('skip');
        return bodiesText(await chat.choose('send'));
      },
      say: async (text) => bodiesText(await chat.say(text)),
      receive: async () => bodiesText(await chat.drain()),
      choices: () => chat.options.map((o) => o.id),
      async rateFive() {
        expect(bodiesText(await chat.choose(chat.options.map((o) => o.id).find((id) => id.endsWith(':5'))!))).toContain('Ada saran atau catatan');
        return bodiesText(await chat.choose('skip'));
      },
    };
    return { chat, resident };
  }

  it('goes from the chat to closure and onto the dashboard', async () => {
    const { chat, resident } = cloudResident('Siti');
    await rateFiveOnDashboard(app, resident, await workToClosure(app, resident, { channel: 'WhatsApp (Cloud API)', ratingChoices: RATING_BUTTONS }));

    // Inside the window the answers went out as free text, and the rating question as an interactive list.
    const toResident = chat.all;
    expect(toResident.filter((b) => b.type === 'text' && b.text.body === `${SIGNED}\n${ANSWER}`)).toHaveLength(1);
    expect(toResident.filter((b) => b.type === 'text' && b.text.body === `${SIGNED}\n${ANSWER_AGAIN}`)).toHaveLength(1);
    expect(toResident.some((b) => b.type === 'template')).toBe(false);
    const rating = toResident.find((b) => b.type === 'interactive' && b.interactive.body.text.includes('telah kami selesaikan'));
    expect(rating?.interactive.type).toBe('list');
  }, 90_000);

  it('shows the 24-hour window closed a day after the resident last wrote, and refuses a reply with the reason', async () => {
    const { chat, resident } = cloudResident('Rina');
    const trackingId = TRACKING.exec(await resident.fileComplaint('Bantuan PKH bulan ini belum masuk ke rekening.'))![0];
    const officer = await Officer.signIn(app.base, SUPERVISOR);
    const id = await officer.find(trackingId);
    await officer.done(id, 'verify');
    // While the resident's last message is recent, the page says until when a free-text reply can go.
    expect(textOf((await officer.page(id)).html)).toContain('WhatsApp: balasan teks bebas bisa dikirim sampai');

    const [contact] = await app.database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.channel, 'whatsapp_cloud'), eq(contacts.externalId, chat.wa)));
    const queuedBefore = await outboxCount(app, contact!.id);
    const eventsBefore = await app.database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id));

    app.clock.advance(25 * HOUR);
    const page = await officer.page(id);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Pesan terakhir warga lebih dari 24 jam yang lalu: balasan teks bebas lewat WhatsApp tidak bisa dikirim.');

    const refused = await officer.act(id, 'reply', { text: 'Mohon kirimkan foto buku tabungan Bapak/Ibu.' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(textOf(html)).toContain('Balasan ditolak: warga terakhir mengirim pesan lebih dari 24 jam yang lalu, jadi WhatsApp tidak mengizinkan pesan teks bebas.');
    // What the officer typed stays in the box; nothing was queued, sent or recorded, the status is unchanged.
    expect(textOf(html)).toContain('Mohon kirimkan foto buku tabungan Bapak/Ibu.');
    expect(statusShown(html)).toBe('Terverifikasi');
    expect(await outboxCount(app, contact!.id)).toBe(queuedBefore);
    expect(await app.database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id))).toEqual(eventsBefore);
    expect(await chat.drain()).toEqual([]);

    // The resident writes again: the window opens again and the same reply goes through.
    await resident.say('Halo, bagaimana laporan saya?');
    expect(textOf((await officer.page(id)).html)).not.toContain('Pesan terakhir warga lebih dari 24 jam yang lalu');
    await officer.done(id, 'reply', { text: 'Mohon kirimkan foto buku tabungan Bapak/Ibu.' });
    expect(bodiesText(await chat.drain())).toContain('Mohon kirimkan foto buku tabungan Bapak/Ibu.');
  }, 90_000);

  it('asks for the rating with the approved template when closing a day after the resident last wrote', async () => {
    const { chat, resident } = cloudResident('Ayu');
    const trackingId = TRACKING.exec(await resident.fileComplaint('Jadwal penyaluran BPNT di kelurahan belum diumumkan.'))![0];
    const officer = await Officer.signIn(app.base, SUPERVISOR);
    const id = await officer.find(trackingId);
    await officer.done(id, 'verify');
    await officer.done(id, 'reply', { text: 'Jadwalnya diumumkan minggu depan di kantor kelurahan.' });
    expect(await resident.receive()).toContain('Jadwalnya diumumkan minggu depan');

    // Closing needs no free text, so it is allowed outside the window; the question goes as the notice template.
    app.clock.advance(25 * HOUR);
    await officer.done(id, 'close');
    expect(statusShown((await officer.page(id)).html)).toBe('Selesai');
    const [question] = await chat.drain();
    expect(question).toMatchObject({
      type: 'template',
      template: { name: 'pintu_pemberitahuan', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: expect.stringContaining(trackingId) }] }] },
    });
    // No free-text or interactive copy of the question was tried outside the window.
    expect(chat.all.filter((b) => b.type !== 'template' && bodiesText([b]).includes('telah kami selesaikan'))).toEqual([]);
  }, 90_000);
});

describe('a complaint over WhatsApp Web, worked in the console', () => {
  let app: ChannelApp;
  let world: FakeWhatsapp;
  let adapter: WhatsappWebAdapter;

  beforeAll(async () => {
    world = new FakeWhatsapp();
    world.savedSession = true; // paired before: the client comes up ready without a QR
    const config = { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-e2e' };
    app = await startChannelApp((ctx) => [
      (adapter = createWhatsappWebAdapter(ctx, config, {
        createClient: world.createClient,
        printQr: () => {},
        timing: { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10 },
      })),
    ]);
    await adapter.start();
    await until(() => adapter.status().state === 'ready', 'WhatsApp Web to be ready');
    await supervisor(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const chatId = `62813${String(Date.now()).slice(-6)}01@c.us`;
  let seen = 0;
  /** The last message that reached the resident, for the numbers of its list. */
  let last = '';
  let worked: Worked | undefined;

  /** Sends what the outbox holds for WhatsApp Web; returns what reached this chat since the last call. */
  async function drain(): Promise<string> {
    const results = await drainOutbox(app.database, adapter.sender);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    const all = world.sent.filter((s) => s.chatId === chatId).map((s) => s.body);
    const fresh = all.slice(seen);
    seen = all.length;
    if (fresh.length > 0) last = fresh.at(-1)!;
    return fresh.join('\n\n');
  }

  /** The resident types on the phone: the adapter hands it to the engine; the answer goes out. */
  async function say(body: string): Promise<string> {
    const m = world.latest.simulateIncoming({ from: chatId, body, notifyName: 'Dewi' });
    await until(
      async () => (await app.database.db.select({ id: messages.id }).from(messages).where(eq(messages.providerMessageId, m.id._serialized))).length > 0,
      'the message to be handled',
    );
    return drain();
  }

  /** The number in front of a label on the last numbered list ("3. Pengaduan"). */
  function numberOf(label: string): string {
    const m = new RegExp(`^(\\d+)\\. ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(last);
    if (!m) throw new Error(`no "${label}" on the last list:\n${last}`);
    return m[1]!;
  }

  const resident = (): Resident => {
    const t = app.composition.i18n.getFixedT('id');
    return {
      async fileComplaint(text) {
        await say('selamat pagi');
        await say(numberOf('Bahasa Indonesia'));
        await say(numberOf(t('menu:options.complaint')));
        await say(numberOf(t('complaint:categories.other')));
        await say(text);
        await say(numberOf(t('complaint:photo.skip')));
        return say(numberOf(t('complaint:confirm.send')));
      },
      say,
      receive: drain,
      choices: () => [...last.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => m[2]!),
      async rateFive() {
        expect(await say(numberOf(t('lifecycle:csat.options.5')))).toContain('Ada saran atau catatan');
        return say(numberOf(t('csat:skip')));
      },
    };
  };

  it('goes from the chat to closure, choices answered by number, and the dashboard counts it', async () => {
    worked = await workToClosure(app, resident(), {
      channel: 'WhatsApp',
      ratingChoices: ['1 - Sangat tidak puas', '2 - Tidak puas', '3 - Cukup', '4 - Puas', '5 - Sangat puas'],
    });
    expect(last).toMatch(/Silakan Bapak\/Ibu balas dengan angka 1 sampai 5\.$/);
    expect(world.sent.filter((s) => s.chatId === chatId && s.body === `${SIGNED}\n${ANSWER}`)).toHaveLength(1);
    expect(world.sent.filter((s) => s.chatId === chatId && s.body === `${SIGNED}\n${ANSWER_AGAIN}`)).toHaveLength(1);
    const dash = await worked.officer.get('/console/dashboard');
    expect(statusCounts(dash.html)).toEqual({ received: 0, verified: 0, in_progress: 0, answered: 0, closed: 1, reopened: 0 });
    expect(figureShown(dash.html, 'ikm')).toMatch(/^Belum ada penilaian pada periode ini\b/);
  }, 90_000);

  // KNOWN BUG (reported): the rating question reaches WhatsApp Web as a numbered list ("Silakan Bapak/Ibu
  // balas dengan angka 1 sampai 5."), but it is sent from the outbox, outside the conversation: the engine
  // still reads a number against the options the chat last showed in a step (the main menu), so "5" opens
  // the FAQ and no rating is recorded. Turn this into a plain `it` once a number answers the rating question.
  it('records the rating answered by number (5), and the dashboard shows IKM 100 from it', async () => {
    expect(worked, 'the complaint worked in the test above').toBeDefined();
    await rateFiveOnDashboard(app, resident(), worked!);
  }, 30_000);
});

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
