import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';
import type { AdapterContext, ChannelAdapter } from '../adapter.ts';
import { parseWebhook } from './inbound.ts';
import { createWhatsappCloudMediaFetcher } from './media.ts';
import { createWhatsappCloudSender, type WhatsappCloudConfig } from './sender.ts';
import { verifySignature } from './signature.ts';
import { recordStatuses } from './statuses.ts';

export const WEBHOOK_PATH = '/webhooks/whatsapp';
// Meta's webhooks are a few kilobytes; anything near this is not from Meta.
const MAX_BODY_BYTES = 1024 * 1024;

export interface WhatsappCloudAdapterOptions {
  /** The service's translator, for the words the renderer adds (list button, "reply with a number"). */
  i18n?: Translator;
  defaultLocale?: Locale;
  /** For the 24-hour window and status times; the engine keeps its own clock. */
  clock?: () => Date;
}

/**
 * WhatsApp through Meta's Cloud API: Meta calls our webhook with residents' messages and the fate of ours,
 * and the outbox dispatcher sends through the Graph API. Nothing to start: the routes work behind any load
 * balancer, in every process.
 */
export function createWhatsappCloudAdapter(ctx: AdapterContext, config: WhatsappCloudConfig, opts: WhatsappCloudAdapterOptions = {}): ChannelAdapter {
  const log = ctx.logger.child({ channel: 'whatsapp_cloud' });
  const clock = opts.clock ?? (() => new Date());
  let sendError: string | undefined;
  let lastWebhookAt: Date | undefined;

  const sender = createWhatsappCloudSender(config, {
    logger: log,
    i18n: opts.i18n,
    defaultLocale: opts.defaultLocale,
    clock: opts.clock,
    onHealth: (h) => {
      sendError = h.ok ? undefined : h.error;
    },
  });

  const routes = new Hono();

  // Meta's subscription handshake: echo the challenge when the verify token is ours.
  routes.get(WEBHOOK_PATH, (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token') ?? '';
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode !== 'subscribe' || !sameSecret(token, config.verifyToken) || !challenge || challenge.length > 256) {
      log.warn('webhook verification refused');
      return c.text('Forbidden', 403);
    }
    log.info('webhook verified by Meta');
    return c.text(challenge, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  // The limit stands before anything reads the body: a Content-Length over it is refused unread, and a chunked
  // body is cut the moment it passes it (hono/body-limit), so no more than 1 MB is ever held for the signature
  // check. Reading first and measuring after let a 300 MB body into memory whole.
  const bounded = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'too_large' }, 413) });

  routes.post(WEBHOOK_PATH, bounded, async (c) => {
    // The signature covers the bytes as sent, so they are read before anything parses them.
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!verifySignature(raw, c.req.header('x-hub-signature-256'), config.appSecret)) {
      log.warn({ signed: c.req.header('x-hub-signature-256') !== undefined }, 'webhook refused: bad or missing X-Hub-Signature-256');
      return c.json({ error: 'bad_signature' }, 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return c.json({ error: 'bad_payload', reason: 'body is not JSON' }, 400);
    }
    const parsed = parseWebhook(body, { phoneNumberId: config.phoneNumberId });
    if (!parsed.ok) {
      log.warn({ reason: parsed.reason }, 'webhook refused: malformed');
      return c.json({ error: 'bad_payload', reason: parsed.reason }, 400);
    }
    lastWebhookAt = clock();
    if (parsed.errors.length) log.warn({ codes: parsed.errors.map((e) => e.code) }, 'WhatsApp reported account-level errors');

    let queued = false;
    try {
      // One by one, in the order Meta lists them. If the database fails halfway, Meta redelivers the whole
      // webhook and the messages already handled are recognised by their wamid and skipped.
      for (const inbound of parsed.inbound) {
        const result = await ctx.engine.handle(inbound);
        if (!result.duplicate) queued = true;
      }
      if (parsed.statuses.length) {
        const summary = await ctx.database.db.transaction((tx) => recordStatuses(tx, parsed.statuses, clock()));
        if (summary.failed || summary.unreachable) log.info(summary, 'delivery failures recorded');
      }
    } catch (err) {
      log.error({ err }, 'webhook not processed; Meta will deliver it again');
      return c.json({ error: 'unavailable' }, 500);
    } finally {
      if (queued) ctx.wakeDispatcher();
    }
    log.debug({ messages: parsed.inbound.length, statuses: parsed.statuses.length, ignored: parsed.ignored }, 'webhook handled');
    return c.json({ ok: true });
  });

  return {
    channel: 'whatsapp_cloud',
    sender,
    media: createWhatsappCloudMediaFetcher(config),
    routes,
    status() {
      return {
        state: sendError ? 'error' : 'ready',
        ...(sendError ? { lastError: sendError } : {}),
        ...(lastWebhookAt ? { lastWebhookAt: lastWebhookAt.toISOString() } : {}),
      };
    },
    async start() {},
    async stop() {},
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
