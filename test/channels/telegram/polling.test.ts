import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/conversation/engine.ts';
import { contacts, messages } from '../../../src/db/schema/index.ts';
import { createTelegramAdapter } from '../../../src/channels/telegram/adapter.ts';
import { createLogger } from '../../../src/log.ts';
import { textUpdate } from '../../fakes/telegram.ts';
import { person, telegramHarness, TelegramChat, textOf, type TelegramHarness } from './harness.ts';

let h: TelegramHarness;

beforeAll(async () => {
  h = await telegramHarness('polling', { retry: { attempts: 3, baseMs: 10 } });
}, 120_000);
afterAll(() => h?.dispose());

async function inboundCount(chatId: string): Promise<number> {
  const [c] = await h.database.db.select().from(contacts).where(and(eq(contacts.channel, 'telegram'), eq(contacts.externalId, chatId)));
  if (!c) return 0;
  return (await h.database.db.select().from(messages).where(and(eq(messages.contactId, c.id), eq(messages.direction, 'in')))).length;
}

describe('Telegram long polling', () => {
  it('starts in the background, takes updates and answers them', async () => {
    expect(h.adapter.routes).toBeUndefined();
    expect(h.adapter.status()).toEqual({ mode: 'polling', state: 'stopped' });
    const started = Date.now();
    await h.adapter.start();
    expect(Date.now() - started).toBeLessThan(1000);
    await h.fake.waitFor(() => h.adapter.status().state === 'running', 5000, 'polling to start');
    // botInfo was given: no getMe; a webhook left over from another deployment is removed, pending updates kept.
    expect(h.fake.callsOf('getMe')).toEqual([]);
    expect(h.fake.callsOf('deleteWebhook')[0]!.params.drop_pending_updates).not.toBe(true);

    const chat = new TelegramChat(h, person('Siti'));
    const welcome = await chat.say('/start');
    expect(welcome.length).toBeGreaterThanOrEqual(2);
    expect(chat.buttons).toEqual(['id', 'en']);
    expect(h.fake.allowedUpdates).toEqual(['message', 'callback_query']);

    const menu = await chat.press('id');
    expect(textOf(menu).length).toBeGreaterThan(0);
    expect(chat.buttons).toContain('aid');
    await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length >= 1, 5000, 'answerCallbackQuery');
    await chat.press('aid');
    await chat.say('2171105203850001');
    await chat.say('2171100207180005');
    // NIK, KK and birth date (Siti's) alone: the public view of her programs, and how to prove it is her.
    const found = textOf(await chat.say('12-03-1985'));
    expect(found).toContain('Program Keluarga Harapan');
    expect(found).toContain('buktikan dulu');
    const [c] = await h.database.db.select().from(contacts).where(and(eq(contacts.channel, 'telegram'), eq(contacts.externalId, chat.chatId)));
    expect(c!.memberId).toBeNull();
  });

  it('tries an update again when the engine fails for a moment', async () => {
    await h.adapter.stop();
    let failures = 2;
    const flaky: Engine = {
      handle: (inbound) => (failures-- > 0 ? Promise.reject(new Error('Connection terminated unexpectedly')) : h.ctx.engine.handle(inbound)),
    };
    const adapter = h.adapterWith({ engine: flaky });
    await adapter.start();
    const chat = new TelegramChat({ ...h, adapter }, person('Budi'));
    const replies = await chat.say('/start');
    expect(replies.length).toBeGreaterThan(0);
    expect(await inboundCount(chat.chatId)).toBe(1);
    expect(adapter.status()).toMatchObject({ mode: 'polling', state: 'running' });
    await adapter.stop();
  });

  it('keeps polling after an update that cannot be handled', async () => {
    const poison = person('Poison');
    const engine: Engine = {
      handle: (inbound) => (inbound.chatId === String(poison.id) ? Promise.reject(new Error('relation "sessions" does not exist')) : h.ctx.engine.handle(inbound)),
    };
    const adapter = h.adapterWith({ engine });
    await adapter.start();
    h.fake.pushUpdate(textUpdate(poison, '/start'));
    const chat = new TelegramChat({ ...h, adapter }, person('Dewi'));
    const replies = await chat.say('/start');
    expect(replies.length).toBeGreaterThan(0);
    expect(h.fake.sent(poison.id)).toEqual([]);
    // Given up after three tries; the loop goes on, and status says what went wrong last.
    expect(adapter.status()).toMatchObject({ state: 'running' });
    await adapter.stop();
    expect(adapter.status()).toMatchObject({ state: 'stopped', lastError: expect.stringContaining('sessions') });
  });

  it('stops promptly while a getUpdates call is held open', async () => {
    const adapter = h.adapterWith({});
    await adapter.start();
    await h.fake.waitFor(() => adapter.status().state === 'running', 5000, 'polling to start');
    await new Promise((r) => setTimeout(r, 50)); // let the long poll begin
    const started = Date.now();
    await adapter.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(adapter.status()).toEqual({ mode: 'polling', state: 'stopped' });
  });

  it('gives up on a token Telegram rejects and says so in its status', async () => {
    const adapter = createTelegramAdapter({ ...h.ctx, logger: createLogger('silent') }, { ...h.config, token: '999999:AAwrong-token-for-this-test_xyz' });
    await adapter.start();
    await h.fake.waitFor(() => adapter.status().state === 'error', 5000, 'the error state');
    // Without botInfo grammY asks getMe first; Telegram answers 401 and polling never begins.
    expect(h.fake.callsOf('getMe').at(-1)).toMatchObject({ status: 401 });
    expect(adapter.status()).toMatchObject({ mode: 'polling', state: 'error', lastError: expect.stringContaining('Unauthorized') });
    await adapter.stop();
  });
});
