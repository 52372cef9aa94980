import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, messages, outbox } from '../../../src/db/schema/index.ts';
import { createLogger } from '../../../src/log.ts';
import { createTelegramAdapter } from '../../../src/channels/telegram/adapter.ts';
import { FAKE_BOT, textUpdate, callbackUpdate, contactUpdate } from '../../fakes/telegram.ts';
import { person, postUpdate, SECRET, telegramHarness, TelegramChat, textOf, type TelegramHarness } from './harness.ts';

// Siti's registry phone is 0812-7700-1001 (src/services/seed/batam-residents.ts DEMO_PHONES).
const SITI = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985', phone: '+6281277001001' };

let h: TelegramHarness;

beforeAll(async () => {
  h = await telegramHarness('webhook');
  await h.adapter.start();
}, 120_000);
afterAll(() => h?.dispose());

async function telegramRows(chatId: string) {
  const [c] = await h.database.db.select().from(contacts).where(and(eq(contacts.channel, 'telegram'), eq(contacts.externalId, chatId)));
  if (!c) return { contact: undefined, messages: 0, outbox: 0 };
  const [m] = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.contactId, c.id));
  const [o] = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.contactId, c.id));
  return { contact: c, messages: m!.n, outbox: o!.n };
}

/** A resident who has said /start and picked Bahasa Indonesia: on the main menu. */
async function onMenu(name: string): Promise<TelegramChat> {
  const chat = new TelegramChat(h, person(name));
  const welcome = await chat.say('/start');
  expect(chat.buttons).toEqual(['id', 'en']);
  expect(welcome.length).toBeGreaterThanOrEqual(2);
  await chat.press('id');
  expect(chat.buttons).toEqual(expect.arrayContaining(['aid', 'complaint']));
  return chat;
}

describe('Telegram webhook, end to end', () => {
  it('lets Siti check her aid with buttons and typed answers', async () => {
    const chat = await onMenu('Siti');
    const acksBefore = h.fake.callsOf('answerCallbackQuery').length;

    await chat.press('aid');
    expect(chat.buttons).toContain('cmd:menu');
    await chat.say(SITI.nik);
    await chat.say(SITI.kk);
    // NIK, KK and birth date are knowledge: the public view only, and the chat is not hers yet.
    const found = textOf(await chat.say(SITI.birth));
    expect(found).toContain('Program Keluarga Harapan');
    expect(found).toContain('buktikan dulu');
    expect(found).not.toContain('S*** A****');
    expect((await telegramRows(chat.chatId)).contact!.memberId).toBeNull();
    // Sharing the number of her own account, the family's registry phone, proves it.
    const result = await chat.deliver(contactUpdate(chat.who, SITI.phone, chat.who.id));
    const text = textOf(result);
    expect(text).toContain('identitas sudah terverifikasi');
    // The answer first: "Ya, keluarga Bapak/Ibu menerima …", the figures one tap away.
    expect(text).toContain('Ya, keluarga Bapak/Ibu menerima Program Keluarga Harapan');
    expect(text).not.toContain('Siti Aminah');
    expect(chat.buttons).toContain('details');
    const details = textOf(await chat.press('details'));
    // Her own name, as she writes it: the chat proved it is hers.
    expect(details).toContain('Siti Aminah');
    expect(text.replace(/[\s.-]/g, '')).not.toMatch(/\d{16}/);
    expect(chat.buttons).toEqual(expect.arrayContaining(['invitations', 'cmd:menu']));

    // Every button press is acknowledged, after the engine committed (best effort, so wait for it).
    await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length >= acksBefore + 1, 5000, 'answerCallbackQuery');

    const { contact } = await telegramRows(chat.chatId);
    expect(contact).toMatchObject({ displayName: 'Siti', language: 'id' });
    expect(contact!.memberId).not.toBeNull();
    // The outbox rows went out through the sender and carry Telegram's message ids.
    const rows = await h.database.db.select().from(outbox).where(eq(outbox.contactId, contact!.id));
    expect(rows.every((r) => r.status === 'sent' && /^\d+$/.test(r.providerMessageId ?? ''))).toBe(true);
  });

  it('files a complaint and answers with an ADU- tracking id', async () => {
    const chat = await onMenu('Budi');
    await chat.press('complaint');
    await chat.press('other');
    await chat.say('Nomor telepon kantor kelurahan tidak bisa dihubungi.');
    await chat.press('skip');
    const filed = await chat.press('send');
    expect(textOf(filed)).toMatch(/ADU-\d{4}-\d{5}/);
  });

  it('acknowledges every pressed button with answerCallbackQuery', async () => {
    const chat = await onMenu('Rina');
    const kb = chat.keyboard!;
    const update = callbackUpdate(chat.who, 'aid', kb);
    const res = await postUpdate(h.baseUrl, update);
    expect(res.status).toBe(200);
    await h.fake.waitFor(
      () => h.fake.callsOf('answerCallbackQuery').some((c) => c.params.callback_query_id === update.callback_query!.id),
      5000,
      'the acknowledgement',
    );
    const replies = await chat.drain();
    expect(replies.length).toBeGreaterThan(0);
  });

  it('handles an update delivered twice once', async () => {
    const chat = await onMenu('Dewi');
    const update = textUpdate(chat.who, 'bantuan');
    expect((await postUpdate(h.baseUrl, update)).status).toBe(200);
    const first = await chat.drain();
    expect(first.length).toBeGreaterThan(0);
    const before = await telegramRows(chat.chatId);
    expect((await postUpdate(h.baseUrl, update)).status).toBe(200);
    expect(await chat.drain()).toEqual([]);
    expect(await telegramRows(chat.chatId)).toMatchObject({ messages: before.messages, outbox: before.outbox });
  });

  it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
    const stranger = person('Mallory');
    const update = textUpdate(stranger, '/start');
    for (const headers of [{} as Record<string, string>, { 'X-Telegram-Bot-Api-Secret-Token': 'wrong-secret-0123456789' }, { 'X-Telegram-Bot-Api-Secret-Token': `${SECRET}x` }, { 'X-Telegram-Bot-Api-Secret-Token': '' }]) {
      const res = await postUpdate(h.baseUrl, update, headers);
      expect(res.status).toBe(401);
    }
    // Even a body that is not JSON gets 401 first: nothing is read before the secret.
    expect((await postUpdate(h.baseUrl, '{not json', { 'X-Telegram-Bot-Api-Secret-Token': 'nope' })).status).toBe(401);
    expect((await telegramRows(String(stranger.id))).contact).toBeUndefined();
    expect(h.fake.sent(stranger.id)).toEqual([]);
  });

  it('answers 400 to a body that is not a Telegram update', async () => {
    expect((await postUpdate(h.baseUrl, '{"update_id": 1, "message": {')).status).toBe(400);
    expect((await postUpdate(h.baseUrl, '[]')).status).toBe(400);
    expect((await postUpdate(h.baseUrl, { message: { text: 'no update id' } })).status).toBe(400);
  });

  it('answers 200 to updates it ignores (a group message) and stores nothing', async () => {
    const p = person('Grup');
    const update = textUpdate(p, 'halo') as unknown as { message: { chat: unknown } };
    update.message.chat = { id: -1009876543210, title: 'Warga RW 07', type: 'supergroup' };
    expect((await postUpdate(h.baseUrl, update)).status).toBe(200);
    expect((await h.database.db.select().from(contacts).where(eq(contacts.externalId, '-1009876543210'))).length).toBe(0);
  });

  it('answers 500 when the engine cannot commit, so Telegram delivers again', async () => {
    let down = true;
    const broken = createTelegramAdapter(
      {
        ...h.ctx,
        logger: createLogger('silent'),
        engine: {
          handle: (inbound) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : h.ctx.engine.handle(inbound)),
        },
      },
      h.config,
      { botInfo: FAKE_BOT },
    );
    await broken.start();
    const p = person('Ahmad');
    const update = textUpdate(p, '/start');
    const post = () =>
      broken.routes!.request('/webhooks/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
        body: JSON.stringify(update),
      });
    expect((await post()).status).toBe(500);
    expect(broken.status()).toMatchObject({ mode: 'webhook', state: 'error', lastError: expect.stringContaining('ECONNREFUSED') });
    // Telegram's redelivery after the database is back is handled as the first delivery.
    down = false;
    expect((await post()).status).toBe(200);
    expect(broken.status()).toMatchObject({ state: 'running' });
    expect((await telegramRows(String(p.id))).outbox).toBeGreaterThan(0);
    await broken.stop();
    expect(broken.status()).toMatchObject({ state: 'stopped' });
    // Stopped: Telegram is told to come back later; nothing is handled.
    expect((await post()).status).toBe(503);
  });

  it('reports its status', () => {
    expect(h.adapter.status()).toEqual({ mode: 'webhook', state: 'running' });
  });
});
