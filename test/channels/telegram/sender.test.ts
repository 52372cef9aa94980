import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyTelegramError, createTelegramSender } from '../../../src/channels/telegram/sender.ts';
import type { ChannelSender, Recipient } from '../../../src/outbox/sender.ts';
import { FakeTelegram } from '../../fakes/telegram.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');

let fake: FakeTelegram;
let sender: ChannelSender;
const slept: number[] = [];

const to = (chatId: string | number): Recipient => ({ contactId: 1, chatId: String(chatId), language: 'id', lastInboundAt: new Date() });

beforeAll(async () => {
  fake = await FakeTelegram.start();
  sender = createTelegramSender(
    { token: fake.token, apiRoot: fake.apiRoot, ratePerSecond: 30 },
    {
      sleep: async (ms) => {
        slept.push(ms);
      },
    },
  );
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  slept.length = 0;
});

describe('Telegram sender', () => {
  it('holds to Telegram limits: 30 a second, one a second per chat', () => {
    expect(sender.channel).toBe('telegram');
    expect(sender.limits).toEqual({ perSecond: 30, perChatIntervalMs: 1000 });
    expect(createTelegramSender({ token: fake.token, apiRoot: fake.apiRoot, ratePerSecond: 12 }).limits.perSecond).toBe(12);
  });

  it('sends text with an inline keyboard and returns the message id', async () => {
    const result = await sender.send(to(7001), { text: 'Pilih bahasa', options: [{ id: 'id', label: 'Bahasa Indonesia' }, { id: 'en', label: 'English' }] });
    const [m] = fake.sent(7001);
    expect(result).toEqual({ status: 'sent', providerMessageId: String(m!.messageId) });
    expect(m!.text).toBe('Pilih bahasa');
    expect(m!.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'Bahasa Indonesia', callback_data: 'id' }], [{ text: 'English', callback_data: 'en' }]] });
  });

  it('sends a long text as several messages, the id of the last one returned', async () => {
    const text = Array.from({ length: 9 }, (_, i) => `Paragraf ${i + 1}: ${'kata '.repeat(200).trim()}`).join('\n\n');
    const result = await sender.send(to(7002), { text, options: [{ id: 'cmd:menu', label: 'Menu utama' }] });
    const sent = fake.sent(7002);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(result).toEqual({ status: 'sent', providerMessageId: String(sent.at(-1)!.messageId) });
    expect(sent.map((m) => m.text).join('\n\n')).toBe(text);
    expect(sent.filter((m) => m.replyMarkup?.inline_keyboard)).toEqual([sent.at(-1)]);
  });

  it('asks for the resident\'s number with a reply keyboard, and the next plain message takes it away', async () => {
    const options = [
      { id: 'share_phone', label: 'Bagikan nomor saya', requestPhone: true },
      { id: 'visit', label: 'Datang ke kantor' },
    ];
    expect((await sender.send(to(7012), { text: 'Bagaimana Anda membuktikannya?', options })).status).toBe('sent');
    expect((await sender.send(to(7012), { text: 'Terima kasih, nomor Anda cocok.' })).status).toBe('sent');
    const [ask, thanks] = fake.sent(7012);
    expect(ask!.replyMarkup).toEqual({
      keyboard: [[{ text: 'Bagikan nomor saya', request_contact: true }], [{ text: 'Datang ke kantor' }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
    expect(thanks!.replyMarkup).toEqual({ remove_keyboard: true });
  });

  it('uploads an image as multipart with its caption', async () => {
    const result = await sender.send(to(7003), { text: 'Kode undangan Anda', image: { pngBase64: PNG, fileName: 'undangan.png' }, options: [{ id: 'cmd:menu', label: 'Menu' }] });
    expect(result.status).toBe('sent');
    const [m] = fake.sent(7003);
    expect(m).toMatchObject({ method: 'sendPhoto', caption: 'Kode undangan Anda', replyMarkup: { inline_keyboard: [[{ callback_data: 'cmd:menu' }]] } });
    expect(m!.files).toEqual([expect.objectContaining({ fileName: 'undangan.png', size: Buffer.from(PNG, 'base64').length })]);
  });

  it('maps 429 to a retry after retry_after', async () => {
    fake.rateLimitNext(1, 7);
    expect(await sender.send(to(7004), { text: 'Halo' })).toEqual({ status: 'retry', reason: 'telegram 429: Too Many Requests: retry after 7', retryAfterMs: 7000 });
    expect(fake.sent(7004)).toEqual([]);
    expect((await sender.send(to(7004), { text: 'Halo' })).status).toBe('sent');
  });

  it('maps a blocked bot, a deactivated user and an unknown chat to unreachable', async () => {
    fake.blockChat(7005);
    expect(await sender.send(to(7005), { text: 'Pengingat' })).toEqual({ status: 'failed', reason: 'telegram 403: Forbidden: bot was blocked by the user', unreachable: true });
    fake.blockChat(7006, 'Forbidden: user is deactivated');
    expect(await sender.send(to(7006), { text: 'Pengingat' })).toMatchObject({ status: 'failed', unreachable: true });
    fake.unknownChat(7007);
    expect(await sender.send(to(7007), { text: 'Pengingat' })).toEqual({ status: 'failed', reason: 'telegram 400: Bad Request: chat not found', unreachable: true });
  });

  it('fails other 400s without marking the chat unreachable', async () => {
    fake.failNext(1, { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    expect(await sender.send(to(7008), { text: 'Halo' })).toEqual({
      status: 'failed',
      reason: "telegram 400: Bad Request: can't parse entities: Unsupported start tag",
      unreachable: false,
    });
  });

  it('retries on 5xx, on a server that answers HTML, and on network errors', async () => {
    fake.failNext(1, { error_code: 502, description: 'Bad Gateway' });
    expect(await sender.send(to(7009), { text: 'Halo' })).toEqual({ status: 'retry', reason: 'telegram 502: Bad Gateway' });

    // A proxy in front of Telegram answering a page instead of JSON.
    const html = createServer((_, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body>503 Service Unavailable</body></html>');
    });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    const port = (html.address() as AddressInfo).port;
    const viaProxy = createTelegramSender({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, ratePerSecond: 30 });
    expect(await viaProxy.send(to(7009), { text: 'Halo' })).toMatchObject({ status: 'retry' });
    await new Promise((r) => html.close(r));

    // Nothing listens there any more.
    const down = createTelegramSender({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, ratePerSecond: 30 });
    expect(await down.send(to(7009), { text: 'Halo' })).toMatchObject({ status: 'retry', reason: expect.stringContaining("Network request for 'sendMessage' failed") });
  });

  it('waits out a 429 on a later part of a split message instead of sending the first part again', async () => {
    const text = `${'a '.repeat(1500).trim()}\n\n${'b '.repeat(1500).trim()}`;
    fake.failNext(1, { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 }, { after: 1 });
    const result = await sender.send(to(7010), { text });
    const sent = fake.sent(7010);
    expect(result).toEqual({ status: 'sent', providerMessageId: String(sent.at(-1)!.messageId) });
    expect(sent.map((m) => m.text![0])).toEqual(['a', 'b']);
    expect(slept).toEqual([2000]);
  });

  it('hands a split message back when a later part keeps failing, saying that earlier parts will repeat', async () => {
    const text = `${'a '.repeat(1500).trim()}\n\n${'b '.repeat(1500).trim()}`;
    fake.failNext(5, { error_code: 502, description: 'Bad Gateway' }, { after: 1 });
    const result = await sender.send(to(7011), { text });
    expect(result).toMatchObject({ status: 'retry', reason: expect.stringContaining('after 1 of 2 parts') });
    expect(slept).toEqual([1000, 2000]);
  });

  it('classifies errors that are not from Telegram as passing', () => {
    expect(classifyTelegramError(new Error('socket hang up'))).toEqual({ status: 'retry', reason: 'socket hang up' });
  });
});
