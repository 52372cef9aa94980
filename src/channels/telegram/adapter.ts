import { createHash, timingSafeEqual } from 'node:crypto';
import { Api, Bot, GrammyError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { scrubDigits } from '../../log.ts';
import type { AdapterContext, ChannelAdapter } from '../adapter.ts';
import { ALLOWED_UPDATES, telegramInbound } from './inbound.ts';
import { updateProblem } from './shape.ts';
import { createTelegramMediaFetcher } from './media.ts';
import { createTelegramApi, createTelegramSender, type TelegramConfig } from './sender.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
// A Telegram update is a few kilobytes; anything near this is not from Telegram.
const MAX_BODY_BYTES = 1024 * 1024;

export interface TelegramAdapterOptions {
  /** The bot's own user (from getMe); given, grammY skips its getMe call at start. */
  botInfo?: UserFromGetMe;
  /**
   * Polling only: how often an update is tried when the engine throws (the database is away), with waits
   * doubling from `baseMs`. After the last try the update is lost, because grammY moves past it.
   */
  retry?: { attempts?: number; baseMs?: number; maxMs?: number };
}

type State = 'running' | 'stopped' | 'error';

/**
 * Telegram through grammY. Webhook mode: `POST /webhooks/telegram`, checked by the secret token header, one
 * update per request, answered only once the engine's transaction committed (so an error makes Telegram
 * deliver again, and the de-duplication in the engine makes that harmless). Polling mode: grammY's long
 * polling in the background. Either way replies go through the outbox; nothing is sent from here except
 * the acknowledgement of a pressed button.
 *
 * Webhook mode does not call setWebhook: the public URL is the deployment's business. Register it once with
 * `secret_token` = TELEGRAM_WEBHOOK_SECRET and `allowed_updates` = ["message","callback_query"].
 */
export function createTelegramAdapter(ctx: AdapterContext, config: TelegramConfig, opts: TelegramAdapterOptions = {}): ChannelAdapter {
  const log = ctx.logger.child({ channel: 'telegram' });
  const bot =
    config.mode === 'polling'
      ? new Bot(config.token, { botInfo: opts.botInfo, client: { apiRoot: config.apiRoot } })
      : undefined;
  // Acknowledging a button is quick or pointless: a short timeout, not the sender's.
  const ackApi: Api = bot?.api ?? createTelegramApi(config, 10);
  const sender = createTelegramSender(config);

  let state: State = 'stopped';
  let lastError: string | undefined;
  let stopping = false;
  const acks = new Set<Promise<void>>();

  function acknowledge(callbackQueryId: string) {
    // Stops the spinner on the resident's button. Best effort: the answer itself comes through the outbox.
    const p = ackApi
      .answerCallbackQuery(callbackQueryId)
      .then(() => undefined)
      .catch((err: unknown) => log.debug({ err: describe(err) }, 'answerCallbackQuery failed'))
      .finally(() => acks.delete(p));
    acks.add(p);
  }

  /** The one path of an update, in both modes. Throws when the engine cannot commit. */
  async function accept(update: Update): Promise<void> {
    // Polling gets updates from Telegram itself, but a malformed one must be passed over, not retried.
    const problem = updateProblem(update);
    if (problem) {
      log.warn({ updateId: update.update_id, reason: problem }, 'Telegram update passed over: malformed');
      return;
    }
    const inbound = telegramInbound(update);
    if (inbound) {
      const result = await ctx.engine.handle(inbound);
      if (!result.duplicate) ctx.wakeDispatcher();
    }
    if (update.callback_query) acknowledge(update.callback_query.id);
  }

  function succeeded() {
    if (state === 'error' && !stopping) state = 'running';
  }

  function failed(err: unknown) {
    lastError = describe(err);
    if (!stopping) state = 'error';
  }

  const routes = config.mode === 'webhook' ? webhookRoutes() : undefined;

  function webhookRoutes(): Hono {
    if (!config.webhookSecret) throw new Error('TELEGRAM_WEBHOOK_SECRET is required in webhook mode');
    const expected = digest(config.webhookSecret);
    const app = new Hono();
    app.post(
      TELEGRAM_WEBHOOK_PATH,
      async (c, next) => {
        // Nothing is read, stored or answered before the secret is checked.
        const given = c.req.header(SECRET_HEADER);
        if (given === undefined || !timingSafeEqual(digest(given), expected)) return c.json({ error: 'unauthorized' }, 401);
        // Shutting down: Telegram keeps the update and delivers it to whoever runs next.
        if (stopping) return c.json({ error: 'unavailable' }, 503);
        await next();
      },
      bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'too_large' }, 413) }),
      async (c) => {
        let update: unknown;
        try {
          update = JSON.parse(await c.req.text());
        } catch {
          return c.json({ error: 'bad_json', reason: 'body is not JSON' }, 400);
        }
        if (!isUpdate(update)) return c.json({ error: 'not_an_update', reason: 'body is not an object with a whole-number update_id' }, 400);
        const problem = updateProblem(update);
        if (problem) {
          log.warn({ updateId: update.update_id, reason: problem }, 'Telegram update refused: malformed');
          return c.json({ error: 'bad_update', reason: problem }, 400);
        }
        try {
          await accept(update);
        } catch (err) {
          failed(err);
          log.error({ err, updateId: update.update_id }, 'Telegram update not handled; Telegram will deliver it again');
          return c.json({ error: 'unavailable' }, 500);
        }
        succeeded();
        return c.body(null, 200);
      },
    );
    return app;
  }

  // --- polling ---

  const retry = { attempts: opts.retry?.attempts ?? 6, baseMs: opts.retry?.baseMs ?? 1000, maxMs: opts.retry?.maxMs ?? 30_000 };
  let loop: Promise<void> | undefined;
  let wakeSleep: (() => void) | undefined;

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleep = undefined;
        resolve();
      }
      wakeSleep = done;
    });
  }

  async function acceptWithRetry(update: Update): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await accept(update);
        succeeded();
        return;
      } catch (err) {
        failed(err);
        if (attempt >= retry.attempts || stopping) throw err;
        log.warn({ err, updateId: update.update_id, attempt }, 'Telegram update not handled; trying again');
        await pause(Math.min(retry.baseMs * 2 ** (attempt - 1), retry.maxMs));
      }
    }
  }

  if (bot) {
    bot.use((c) => acceptWithRetry(c.update));
    // Without this grammY would stop polling at the first failed update.
    bot.catch((e) => {
      log.error({ err: e.error, updateId: e.ctx.update.update_id }, 'Telegram update lost after retries');
    });
  }

  async function poll(b: Bot): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        await b.start({
          drop_pending_updates: false,
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: () => {
            failures = 0;
            state = 'running';
            log.info({ bot: b.botInfo.username }, 'Telegram long polling started');
          },
        });
        return; // bot.stop() was called
      } catch (err) {
        failed(err);
        // A wrong token will not get better; anything else (network, Telegram away, another poller) may.
        if (err instanceof GrammyError && err.error_code === 401) {
          log.error({ err: describe(err) }, 'Telegram rejected the bot token; polling stopped');
          return;
        }
        failures++;
        log.warn({ err: describe(err), failures }, 'Telegram polling failed; starting again');
        await pause(Math.min(1000 * 2 ** Math.min(failures, 6), 60_000));
      }
    }
  }

  return {
    channel: 'telegram',
    sender,
    media: createTelegramMediaFetcher(config, { api: ackApi }),
    routes,
    status() {
      return { mode: config.mode, state, ...(lastError ? { lastError } : {}) };
    },
    async start() {
      stopping = false;
      if (!bot) {
        state = 'running';
        return;
      }
      if (loop) return;
      // Resolves at once: polling (and the getMe/deleteWebhook before it) carries on in the background.
      loop = poll(bot).finally(() => {
        loop = undefined;
        if (state !== 'error' || stopping) state = 'stopped';
      });
    },
    async stop() {
      stopping = true;
      wakeSleep?.();
      if (bot && loop) {
        if (bot.isRunning()) await bot.stop().catch((err: unknown) => log.warn({ err: describe(err) }, 'Telegram polling did not stop cleanly'));
        await loop;
      }
      await Promise.all([...acks]);
      state = 'stopped';
    },
  };
}

function digest(s: string): Buffer {
  // Equal-length inputs for timingSafeEqual, whatever length the caller sent.
  return createHash('sha256').update(s, 'utf8').digest();
}

function isUpdate(v: unknown): v is Update {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as { update_id?: unknown }).update_id);
}

/** An error as one line for status and logs: grammY's messages name the method and Telegram's reason, never a message text. */
function describe(err: unknown): string {
  return scrubDigits(err instanceof Error ? err.message : String(err)).slice(0, 300);
}
