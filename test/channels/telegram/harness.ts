import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Update } from 'grammy/types';
import { Hono } from 'hono';
import type { AdapterContext, ChannelAdapter } from '../../../src/channels/adapter.ts';
import { createTelegramAdapter, type TelegramAdapterOptions } from '../../../src/channels/telegram/adapter.ts';
import type { TelegramConfig } from '../../../src/channels/telegram/sender.ts';
import { composeApp, type Composition } from '../../../src/app/compose.ts';
import { createLogger } from '../../../src/log.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { drainOutbox } from '../../helpers/drain.ts';
import { callbackUpdate, FAKE_BOT, FakeTelegram, textUpdate, type FakeSent, type Person } from '../../fakes/telegram.ts';

export const SECRET = 'pintu-test-webhook-secret_0123456789';

export interface TelegramHarness {
  database: TestDatabase;
  fake: FakeTelegram;
  composition: Composition;
  /** The context composeApp gave the adapters (engine, logger, wakeDispatcher). */
  ctx: AdapterContext;
  adapter: ChannelAdapter;
  config: TelegramConfig;
  /** Base URL of the HTTP server with the adapter's routes (webhook mode). */
  baseUrl: string;
  /** Another adapter over the same database and fake, e.g. with an engine that fails. */
  adapterWith(ctx: Partial<AdapterContext>, opts?: TelegramAdapterOptions): ChannelAdapter;
  dispose(): Promise<void>;
}

/**
 * A seeded demo city, the engine as composeApp builds it, a fake Bot API, and the Telegram adapter. In
 * webhook mode its routes are served over real HTTP (mounted here; the service mounts them in createApp).
 */
export async function telegramHarness(mode: 'webhook' | 'polling', opts: TelegramAdapterOptions = {}): Promise<TelegramHarness> {
  const database = await createTestDatabase();
  await seedDemoCity(database, { households: 60, today: new Date() });
  const fake = await FakeTelegram.start();
  const config: TelegramConfig = { token: fake.token, mode, webhookSecret: mode === 'webhook' ? SECRET : undefined, apiRoot: fake.apiRoot, ratePerSecond: 30 };
  const logger = createLogger('silent');
  let ctx!: AdapterContext;
  let adapter!: ChannelAdapter;
  const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, logger, {
    adapters: (c) => {
      ctx = c;
      adapter = createTelegramAdapter(c, config, { botInfo: FAKE_BOT, ...opts });
      return [adapter];
    },
  });

  let server: ServerType | undefined;
  let baseUrl = '';
  if (adapter.routes) {
    const app = new Hono();
    app.route('/', adapter.routes);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const extra: ChannelAdapter[] = [];
  return {
    database,
    fake,
    composition,
    ctx,
    adapter,
    config,
    baseUrl,
    adapterWith(overrides, adapterOpts) {
      const a = createTelegramAdapter({ ...ctx, ...overrides }, config, { botInfo: FAKE_BOT, ...opts, ...adapterOpts });
      extra.push(a);
      return a;
    },
    async dispose() {
      await Promise.all([adapter, ...extra].map((a) => a.stop()));
      if (server) {
        (server as Server).closeAllConnections();
        await new Promise((r) => server!.close(r));
      }
      await fake.close();
      await database.dispose();
    },
  };
}

let nextPersonId = 810_000_000;

/** A resident's Telegram account, unique per test file run. */
export function person(firstName: string, languageCode = 'id'): Person {
  return { id: ++nextPersonId + Math.floor(Math.random() * 1000) * 1000, firstName, languageCode };
}

/**
 * One resident's chat seen from Telegram: updates go in (by webhook or by the fake's getUpdates), the outbox
 * is drained through the real sender, and what the fake Bot API received comes back.
 */
export class TelegramChat {
  private seen = 0;

  constructor(
    private readonly h: TelegramHarness,
    readonly who: Person,
  ) {}

  get chatId(): string {
    return String(this.who.id);
  }

  /** Everything the bot has sent to this chat. */
  get all(): FakeSent[] {
    return this.h.fake.sent(this.who.id);
  }

  /** The message with the inline keyboard the resident sees last. */
  get keyboard(): FakeSent | undefined {
    return [...this.all].reverse().find((m) => m.replyMarkup?.inline_keyboard);
  }

  /** Callback data of the buttons on the last inline keyboard. */
  get buttons(): string[] {
    return this.keyboard?.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data ?? '') ?? [];
  }

  /** The reply keyboard on screen: the last one sent, unless a later message took it away. */
  get replyKeyboard(): NonNullable<FakeSent['replyMarkup']>['keyboard'] {
    const last = [...this.all].reverse().find((m) => m.replyMarkup?.keyboard || m.replyMarkup?.remove_keyboard);
    return last?.replyMarkup?.keyboard;
  }

  async say(text: string): Promise<FakeSent[]> {
    return this.deliver(textUpdate(this.who, text));
  }

  /** Presses a button on the last keyboard, as Telegram reports it (callback_query with the message). */
  async press(data: string): Promise<FakeSent[]> {
    const kb = this.keyboard;
    if (!kb || !this.buttons.includes(data)) throw new Error(`no button ${data} on the last keyboard (${this.buttons.join(', ')})`);
    return this.deliver(callbackUpdate(this.who, data, kb));
  }

  /** Hands an update to the adapter, waits until it is handled, drains the outbox, returns the new messages. */
  async deliver(update: Omit<Update, 'update_id'> & { update_id?: number }): Promise<FakeSent[]> {
    if (this.h.config.mode === 'webhook') {
      const res = await postUpdate(this.h.baseUrl, update);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    } else {
      const u = this.h.fake.pushUpdate(update);
      await this.h.fake.waitFor(() => !this.h.fake.pendingUpdates().some((p) => p.update_id === u.update_id), 10_000, `update ${u.update_id} to be handled`);
    }
    return this.drain();
  }

  async drain(): Promise<FakeSent[]> {
    await drainOutbox(this.h.database, this.h.adapter.sender);
    const fresh = this.all.slice(this.seen);
    this.seen = this.all.length;
    return fresh;
  }
}

export function postUpdate(baseUrl: string, body: unknown, headers: Record<string, string> = { 'X-Telegram-Bot-Api-Secret-Token': SECRET }): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function textOf(messages: FakeSent[]): string {
  return messages.map((m) => m.text ?? m.caption ?? '').join('\n\n');
}
