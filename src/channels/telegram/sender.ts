import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import type { Config } from '../../config.ts';
import type { ChannelSender, Recipient, SendResult } from '../../outbox/sender.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import { renderTelegram, type TelegramCall } from './render.ts';

export type TelegramConfig = NonNullable<Config['telegram']>;

// Well under the dispatcher's claim (two minutes): a hung request must end while the row is still ours.
const REQUEST_TIMEOUT_SECONDS = 30;
// A message split in parts: once the first part is out, a passing error on a later part is waited out here
// rather than handed back, because a retry of the row would send the first part again.
const CONTINUATION_TRIES = 3;
const CONTINUATION_MAX_WAIT_MS = 20_000;

// Telegram says these in the description of errors that mean "this chat cannot get messages from the bot".
const UNREACHABLE = [
  /bot was blocked by the user/i,
  /user is deactivated/i,
  /chat not found/i,
  /bot was kicked/i,
  /bot can't initiate conversation/i,
  /PEER_ID_INVALID/i,
  /have no rights to send a message/i,
];

export interface TelegramSenderOptions {
  /** An Api to use instead of one built from the config (polling mode shares the bot's). */
  api?: Api;
  sleep?: (ms: number) => Promise<void>;
}

/** The way out to Telegram: renders a message (render.ts) and makes the Bot API calls it needs. */
export function createTelegramSender(config: Pick<TelegramConfig, 'token' | 'apiRoot' | 'ratePerSecond'>, opts: TelegramSenderOptions = {}): ChannelSender {
  const api = opts.api ?? createTelegramApi(config);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  return {
    channel: 'telegram',
    // Telegram's own guidance: about 30 messages a second overall, one a second in a chat.
    limits: { perSecond: config.ratePerSecond ?? 30, perChatIntervalMs: 1000 },
    async send(to: Recipient, message: OutboundMessage): Promise<SendResult> {
      const calls = renderTelegram(message);
      let lastId: number | undefined;
      for (const [i, call] of calls.entries()) {
        for (let attempt = 1; ; attempt++) {
          try {
            lastId = (await perform(api, to.chatId, call)).message_id;
            break;
          } catch (err) {
            const result = classifyTelegramError(err);
            if (i === 0 || result.status === 'failed') return result;
            const wait = result.retryAfterMs ?? 1000 * attempt;
            if (attempt >= CONTINUATION_TRIES || wait > CONTINUATION_MAX_WAIT_MS) {
              // Handing the row back means its first parts go again: a repeated paragraph is better than a
              // lost one (the last part carries the buttons).
              return { ...result, reason: `${result.reason} (after ${i} of ${calls.length} parts; earlier parts will repeat)` };
            }
            await sleep(wait);
          }
        }
      }
      return lastId === undefined ? { status: 'sent' } : { status: 'sent', providerMessageId: String(lastId) };
    },
  };
}

/** A grammY Api for the configured Bot API server (TELEGRAM_API_ROOT: Telegram, a local Bot API server, a fake). */
export function createTelegramApi(config: Pick<TelegramConfig, 'token' | 'apiRoot'>, timeoutSeconds = REQUEST_TIMEOUT_SECONDS): Api {
  return new Api(config.token, { apiRoot: config.apiRoot, timeoutSeconds });
}

function perform(api: Api, chatId: string, call: TelegramCall): Promise<Message> {
  const markup = call.reply_markup ? { reply_markup: call.reply_markup } : {};
  switch (call.method) {
    case 'sendMessage':
      return api.sendMessage(chatId, call.text, { ...markup, link_preview_options: { is_disabled: true } });
    case 'sendPhoto':
      return api.sendPhoto(chatId, new InputFile(call.file.data, call.file.fileName), { ...markup, ...(call.caption ? { caption: call.caption } : {}) });
    case 'sendDocument':
      return api.sendDocument(chatId, new InputFile(call.file.data, call.file.fileName), { ...markup, ...(call.caption ? { caption: call.caption } : {}) });
  }
}

/**
 * What a failed Bot API call means for the outbox row:
 * - 429: wait as long as Telegram says (`retry_after`), then again;
 * - 403 (blocked, deactivated, kicked) and "chat not found": the chat is gone; staff see it, no more tries;
 * - any other 400: this message is wrong (too long, bad markup) and will not get better by resending;
 * - 5xx, 401/404 (token revoked or Bot API server misconfigured: the channel's trouble, not the message's),
 *   network errors and timeouts: passing; the dispatcher tries again with backoff.
 * The reason holds Telegram's description, which names the problem and never the message's text.
 */
export function classifyTelegramError(err: unknown): Extract<SendResult, { status: 'retry' | 'failed' }> {
  if (err instanceof GrammyError) {
    const reason = `telegram ${err.error_code}: ${err.description}`.slice(0, 300);
    if (err.error_code === 429) {
      const after = err.parameters.retry_after;
      return after !== undefined ? { status: 'retry', reason, retryAfterMs: after * 1000 } : { status: 'retry', reason };
    }
    if (err.error_code === 403 || UNREACHABLE.some((re) => re.test(err.description))) return { status: 'failed', reason, unreachable: true };
    if (err.error_code === 400) return { status: 'failed', reason, unreachable: false };
    return { status: 'retry', reason };
  }
  if (err instanceof HttpError) return { status: 'retry', reason: err.message.slice(0, 300) };
  return { status: 'retry', reason: err instanceof Error ? err.message.slice(0, 300) : 'telegram send failed' };
}
