import type { Config } from '../../config.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import { createI18n, pickLocale, type Translator } from '../../i18n.ts';
import type { Logger } from '../../log.ts';
import type { ChannelSender, Recipient, SendResult } from '../../outbox/sender.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import { renderCodeTemplate, renderMessage, renderTemplate, toRequest, withMedia, type MediaUpload, type Part, type RenderTexts } from './render.ts';
import { graphHeaders } from './user-agent.ts';

export type WhatsappCloudConfig = NonNullable<Config['whatsappCloud']>;

/** Meta lets a business write freely for 24 hours after the resident's last message; after that only templates. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
// A message queued in the window's last minute could reach Meta after it closed; send the template instead.
const WINDOW_MARGIN_MS = 60 * 1000;

export const OUTSIDE_WINDOW = 'outside_24h_window';
export const TOKEN_INVALID = 'access_token_invalid: the WhatsApp Cloud access token was refused (expired or revoked); set a new WHATSAPP_CLOUD_ACCESS_TOKEN';

// Error codes of the Cloud API (Graph API error `code`), grouped by what the dispatcher should do.
const RATE_LIMITED = new Set([4, 80007, 130429, 131056]);
const PASSING = new Set([1, 2, 131000, 131016]);
const UNREACHABLE = new Set([131026, 131030, 131021]);
const TOKEN = new Set([190]);
const REENGAGEMENT = 131047;

export interface WhatsappCloudSenderOptions {
  logger: Logger;
  /** The service's translator; the sender makes its own when none is given. */
  i18n?: Translator;
  defaultLocale?: Locale;
  clock?: () => Date;
  /** Per Graph API call. */
  timeoutMs?: number;
  /** Told after every call whether the API took our token and requests, for the channel's status. */
  onHealth?: (health: { ok: true } | { ok: false; error: string }) => void;
  /** Waits between in-message retries of a later part (tests shorten it). */
  partRetryDelayMs?: number;
}

type CallResult<T> = { ok: true; value: T } | { ok: false; result: Extract<SendResult, { status: 'retry' | 'failed' }>; code?: number };

/**
 * Sends outbox messages through the Cloud API. Within the 24-hour window a message goes as rendered (text,
 * buttons, list, image, document); outside it only its template can go, and a message without one fails
 * with `outside_24h_window` so staff see why instead of it vanishing. A one-time code goes as its
 * authentication template in either case.
 */
export function createWhatsappCloudSender(config: WhatsappCloudConfig, opts: WhatsappCloudSenderOptions): ChannelSender {
  const clock = opts.clock ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const defaultLocale = opts.defaultLocale ?? 'id';
  const partRetryDelayMs = opts.partRetryDelayMs ?? 1000;
  const log = opts.logger;
  let i18n: Promise<Translator> | undefined = opts.i18n ? Promise.resolve(opts.i18n) : undefined;
  const base = `${config.apiRoot}/${config.phoneNumberId}`;

  async function textsFor(language: string | null): Promise<RenderTexts> {
    i18n ??= createI18n(defaultLocale);
    const t = (await i18n).getFixedT(pickLocale(language, defaultLocale), 'whatsapp');
    return {
      listButton: t('list.button'),
      replyWithNumber: (count) => t('numbered.reply', { count }),
      tapNumber: (count) => t('numbered.tap', { count }),
    };
  }

  async function call<T>(path: string, init: { body: string | FormData; json: boolean }, read: (json: unknown) => T | undefined): Promise<CallResult<T>> {
    let res: Response;
    try {
      res = await fetch(`${base}/${path}`, {
        method: 'POST',
        headers: graphHeaders(config.accessToken, init.json ? { 'Content-Type': 'application/json' } : {}),
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network error';
      log.warn({ channel: 'whatsapp_cloud', reason }, 'Graph API call failed');
      return { ok: false, result: { status: 'retry', reason: `network: ${reason}` } };
    }
    const json = await res.json().catch(() => undefined);
    if (res.ok) {
      const value = read(json);
      if (value !== undefined) {
        opts.onHealth?.({ ok: true });
        return { ok: true, value };
      }
      return { ok: false, result: { status: 'retry', reason: 'unexpected Graph API answer' } };
    }
    return classify(res, json);
  }

  function classify(res: Response, json: unknown): CallResult<never> {
    const error = (json as { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } } | undefined)?.error;
    const code = typeof error?.code === 'number' ? error.code : undefined;
    const title = typeof error?.message === 'string' ? error.message.slice(0, 160) : `HTTP ${res.status}`;
    const what = code === undefined ? `HTTP ${res.status}` : `code ${code}`;
    log.warn({ channel: 'whatsapp_cloud', httpStatus: res.status, code }, 'Graph API refused a request');
    if (res.status === 429 || (code !== undefined && RATE_LIMITED.has(code))) {
      const retryAfterMs = retryAfter(res.headers.get('retry-after'));
      return { ok: false, code, result: { status: 'retry', reason: `rate_limited (${what}: ${title})`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
    }
    if (res.status === 401 || (code !== undefined && TOKEN.has(code))) {
      log.error({ channel: 'whatsapp_cloud', httpStatus: res.status, code }, 'WhatsApp Cloud access token refused: no message can be sent until it is replaced');
      opts.onHealth?.({ ok: false, error: TOKEN_INVALID });
      return { ok: false, code, result: { status: 'failed', reason: TOKEN_INVALID, unreachable: false } };
    }
    if (code === REENGAGEMENT) return { ok: false, code, result: { status: 'failed', reason: OUTSIDE_WINDOW, unreachable: false } };
    if (code !== undefined && UNREACHABLE.has(code)) {
      return { ok: false, code, result: { status: 'failed', reason: `recipient_unreachable (${what}: ${title})`, unreachable: true } };
    }
    if (res.status >= 500 || (code !== undefined && PASSING.has(code))) {
      return { ok: false, code, result: { status: 'retry', reason: `server_error (${what}: ${title})` } };
    }
    return { ok: false, code, result: { status: 'failed', reason: `whatsapp_error (${what}: ${title})`, unreachable: false } };
  }

  function upload(media: MediaUpload): Promise<CallResult<string>> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', media.mimeType);
    form.set('file', new Blob([Buffer.from(media.base64, 'base64')], { type: media.mimeType }), media.fileName);
    return call('media', { body: form, json: false }, (json) => {
      const id = (json as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' && id ? id : undefined;
    });
  }

  async function sendPart(to: string, part: Part): Promise<CallResult<string>> {
    let message = part.message;
    if (part.upload) {
      const up = await upload(part.upload);
      if (!up.ok) return up;
      message = withMedia(message, up.value);
    }
    return call('messages', { body: JSON.stringify(toRequest(to, message)), json: true }, (json) => {
      const id = (json as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
      return typeof id === 'string' && id ? id : undefined;
    });
  }

  return {
    channel: 'whatsapp_cloud',
    // Meta's default throughput is 80 messages a second per number. The small per-chat gap keeps a chat's
    // messages arriving in order (the API does not promise order for messages sent back to back).
    limits: { perSecond: config.ratePerSecond, perChatIntervalMs: 250, newConversationsPerDay: config.dailyNewConversations ?? 1000 },

    async send(to: Recipient, message: OutboundMessage): Promise<SendResult> {
      const now = clock().getTime();
      const open = to.lastInboundAt !== null && now - to.lastInboundAt.getTime() < SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
      let parts: Part[];
      if (message.template?.kind === 'code') {
        // A one-time code always goes as the authentication template, window or not: Meta wants codes sent
        // that way, and the registry phone it goes to has often never written to us (no window at all).
        const code = message.template.params[0];
        if (!code) return { status: 'failed', reason: 'empty_message: a code template without its code', unreachable: false };
        parts = [{ message: renderCodeTemplate(config.templates.code, config.templates.language, code) }];
      } else if (open) {
        parts = renderMessage(message, await textsFor(to.language));
      } else if (message.template) {
        // The template chosen for this message (an event's own invitation template), else the kind's setting.
        // Its quick-reply buttons, when the template has them, answer with the message's own options (an
        // invitation's "Hadir", "Ganti jadwal"…), in order.
        const { kind, name, language, params, quickReplies } = message.template;
        const payloads = (message.options ?? []).slice(0, quickReplies ?? 0).map((o) => o.id);
        parts = [{ message: renderTemplate(name || config.templates[kind], language || config.templates.language, params, payloads) }];
      } else {
        return { status: 'failed', reason: OUTSIDE_WINDOW, unreachable: false };
      }
      if (parts.length === 0) return { status: 'failed', reason: 'empty_message: nothing to send', unreachable: false };

      let providerMessageId: string | undefined;
      for (const [i, part] of parts.entries()) {
        let r = await sendPart(to.chatId, part);
        // Once a part is out, giving the row back to the queue would send that part twice: a later part that
        // meets passing trouble is tried again here, a little, and otherwise reported as partly sent.
        for (let attempt = 1; i > 0 && !r.ok && r.result.status === 'retry' && attempt <= 3; attempt++) {
          await sleep(Math.min(r.result.retryAfterMs ?? partRetryDelayMs * attempt, 10_000));
          r = await sendPart(to.chatId, part);
        }
        if (!r.ok) {
          log.warn({ channel: 'whatsapp_cloud', contactId: to.contactId, part: i + 1, parts: parts.length, code: r.code, status: r.result.status }, 'WhatsApp Cloud send failed');
          if (i === 0) return r.result;
          const reason = `partly_sent: ${i} of ${parts.length} parts went out, then ${r.result.reason}`;
          return { status: 'failed', reason, unreachable: r.result.status === 'failed' && r.result.unreachable };
        }
        providerMessageId = r.value;
      }
      // The last part carries the text and its options; its status updates are the ones followed.
      return { status: 'sent', providerMessageId };
    },
  };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
