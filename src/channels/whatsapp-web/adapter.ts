import type { Locale } from '../../domain/vocabulary.ts';
import type { Inbound } from '../../conversation/types.ts';
import { scrubDigits } from '../../log.ts';
import type { AdapterContext, ChannelAdapter } from '../adapter.ts';
import { createAckRecorder, DEFAULT_ACK_TIMING, type AckedMessageLike, type AckRecorder } from './acks.ts';
import { loadWwebjsRuntime, type ClientLike, type WwebjsRuntime } from './client.ts';
import { toInbound, whyIgnored, type WwebjsMessageLike } from './inbound.ts';
import { createWhatsappWebMediaFetcher, type MediaClientLike } from './media.ts';
import type { MediaSpec } from './render.ts';
import { createWhatsappWebSender, type WhatsappWebSender } from './sender.ts';
import { createSessionLock, type SessionLock } from './session-lock.ts';

export type { ClientLike, SentMessageLike, WwebjsChatLike } from './client.ts';
export type { SessionLock } from './session-lock.ts';

/**
 * - stopped: not started, or stopped; - standby: another process holds the session (session-lock.ts);
 * - starting: Chromium and WhatsApp Web are loading; - qr: waiting for a phone to scan the pairing code;
 * - authenticated: paired, WhatsApp Web still syncing; - ready: sending and receiving;
 * - disconnected / auth_failure: lost; a new client follows after a backoff.
 */
export type WhatsappWebState = 'stopped' | 'standby' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'disconnected' | 'auth_failure';

export interface WhatsappWebStatus {
  state: WhatsappWebState;
  /** When the state began (ISO 8601). */
  since: string;
  /** The latest pairing code while the state is `qr` (render it as a QR image to scan). */
  qr?: string;
  /** What last went wrong, without personal data. */
  lastError?: string;
  /** WhatsApp Web's own connection state (CONNECTED, OPENING, TIMEOUT, CONFLICT, …), when it has said one. */
  connection?: string;
  /** Failed connects since the last `ready`. */
  reconnectAttempts?: number;
  /** When the next connect (or, on standby, the next try for the session lock) is due (ISO 8601). */
  nextAttemptAt?: string;
  [key: string]: unknown;
}

export interface WhatsappWebAdapter extends ChannelAdapter {
  readonly channel: 'whatsapp_web';
  readonly sender: WhatsappWebSender;
  status(): WhatsappWebStatus;
}

export interface WhatsappWebAdapterConfig {
  chromiumPath: string;
  minIntervalMs: number;
  maxIntervalMs: number;
  dataDir: string;
  /** The language of the renderer's words for a contact without one. */
  defaultLocale?: Locale;
}

export interface WhatsappWebTiming {
  /** First wait before a new client after a disconnect; doubles on each failure up to reconnectMaxMs. */
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** How often a process on standby asks for the session lock. */
  lockRetryMs: number;
  /** How often the holder checks that the lock is still its own. */
  lockCheckMs: number;
  /**
   * After taking the lock from another process, how long to wait before starting a client: a holder whose
   * database connection broke still drives WhatsApp until its next check, and two clients must never overlap.
   */
  takeoverGraceMs: number;
  /** Tries after the first for an inbound message the engine failed on (a database hiccup). */
  inboundRetries: number;
  inboundRetryBaseMs: number;
  /** After `ready`, unread messages younger than this (sent while we were away) are answered. */
  catchUpMaxAgeMs: number;
  /** Waits before looking again for the outbox row of an ack that came before the row was marked sent (acks.ts). */
  ackRetryMs: readonly number[];
}

export const DEFAULT_TIMING: WhatsappWebTiming = {
  reconnectBaseMs: 5_000,
  reconnectMaxMs: 5 * 60_000,
  lockRetryMs: 30_000,
  lockCheckMs: 10_000,
  takeoverGraceMs: 15_000,
  inboundRetries: 4,
  inboundRetryBaseMs: 1_000,
  catchUpMaxAgeMs: 24 * 60 * 60_000,
  ackRetryMs: DEFAULT_ACK_TIMING.ackRetryMs,
};

export interface WhatsappWebDeps {
  /** Tests: a fake client. Production builds whatsapp-web.js's Client (client.ts). */
  createClient?: () => ClientLike;
  /** Defaults to whatsapp-web.js's MessageMedia (loaded on start). */
  createMedia?: (spec: MediaSpec) => unknown;
  /** Defaults to a Postgres advisory lock on the adapter's database (always held on PGlite). */
  lock?: SessionLock;
  /** Defaults to drawing the QR in the terminal. */
  printQr?: (qr: string) => void | Promise<void>;
  timing?: Partial<WhatsappWebTiming>;
  random?: () => number;
}

// At most this many unread messages per chat are picked up after a restart; a resident who wrote more is
// answered on the latest ones, which say what they still want.
const CATCH_UP_PER_CHAT = 20;

/**
 * WhatsApp through whatsapp-web.js: a linked device driven in a headless Chromium. Inbound arrives as client
 * events and goes to the engine (which queues replies in the outbox); outbound is the sender, driven by the
 * dispatcher. One process at a time holds the session (session-lock.ts); the client is rebuilt with backoff
 * whenever WhatsApp drops it.
 */
export function createWhatsappWebAdapter(ctx: AdapterContext, config: WhatsappWebAdapterConfig, deps: WhatsappWebDeps = {}): WhatsappWebAdapter {
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const random = deps.random ?? Math.random;
  const logger = ctx.logger.child({ channel: 'whatsapp_web' });
  const lock = deps.lock ?? createSessionLock(ctx.database);
  const printQr = deps.printQr ?? printQrInTerminal;

  let runtime: WwebjsRuntime | undefined;
  let running = false;
  let state: WhatsappWebState = 'stopped';
  let since = new Date();
  let qr: string | undefined;
  let lastError: string | undefined;
  let connection: string | undefined;
  let nextAttemptAt: Date | undefined;
  let reconnectAttempts = 0;
  let client: ClientLike | undefined;
  // Delivery ticks go to the outbox rows; one recorder per start, so that a stop forgets what still waits.
  let acks: AckRecorder | undefined;
  // Every client gets a generation; events of a client we have let go of are ignored.
  let generation = 0;
  let ownsLock = false;
  // Set once this process has found the lock taken: its next acquisition is a takeover (see takeoverGraceMs).
  let sawOtherHolder = false;
  let pending: NodeJS.Timeout | undefined;
  let lockCheck: NodeJS.Timeout | undefined;
  // Inbound per chat runs in arrival order; `inflight` is what stop() waits for.
  const chains = new Map<string, Promise<void>>();
  const inflight = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();

  const setState = (next: WhatsappWebState) => {
    if (next !== state) logger.info({ state: next, from: state }, 'whatsapp web state');
    state = next;
    since = new Date();
    if (next !== 'qr') qr = undefined;
  };

  const schedule = (ms: number, action: () => Promise<void>) => {
    clearTimeout(pending);
    nextAttemptAt = new Date(Date.now() + ms);
    pending = setTimeout(() => {
      pending = undefined;
      nextAttemptAt = undefined;
      action().catch((err: unknown) => logger.error({ err }, 'whatsapp web session step failed'));
    }, ms);
  };

  const session = {
    readyClient: () => (running && state === 'ready' && (connection === undefined || connection === 'CONNECTED') ? client : undefined),
    createMedia: (spec: MediaSpec) => {
      if (!runtime) throw new Error('whatsapp web is not started');
      return runtime.createMedia(spec);
    },
  };
  const sender = createWhatsappWebSender(session, { minIntervalMs: config.minIntervalMs, maxIntervalMs: config.maxIntervalMs, defaultLocale: config.defaultLocale });

  async function acquire(): Promise<void> {
    if (!running) return;
    let got = false;
    try {
      got = await lock.tryAcquire();
    } catch (err) {
      lastError = describe(err);
    }
    if (!running) {
      if (got) await lock.release();
      return;
    }
    if (!got) {
      sawOtherHolder = true;
      setState('standby');
      schedule(timing.lockRetryMs, acquire);
      return;
    }
    ownsLock = true;
    logger.info('whatsapp web session lock taken');
    clearInterval(lockCheck);
    lockCheck = setInterval(() => {
      checkLock().catch((err: unknown) => logger.error({ err }, 'whatsapp web lock check failed'));
    }, timing.lockCheckMs);
    lockCheck.unref();
    if (sawOtherHolder) {
      sawOtherHolder = false;
      setState('starting');
      schedule(timing.takeoverGraceMs, launch);
      return;
    }
    await launch();
  }

  async function checkLock(): Promise<void> {
    if (!running || !ownsLock) return;
    if (await lock.isHeld()) return;
    // Another process may take over any moment now: let WhatsApp go at once so that two never drive it.
    logger.error('whatsapp web session lock lost; leaving the session to another process');
    await letGo('session lock lost');
  }

  async function letGo(reason: string): Promise<void> {
    clearInterval(lockCheck);
    ownsLock = false;
    await retire();
    await lock.release().catch(() => {});
    lastError = reason;
    if (!running) return;
    sawOtherHolder = true;
    setState('standby');
    schedule(timing.lockRetryMs, acquire);
  }

  async function launch(): Promise<void> {
    if (!running || !runtime) return;
    if (!(await lock.isHeld())) return letGo('session lock lost');
    if (!running) return; // stopped while we asked
    const gen = ++generation;
    connection = undefined;
    setState('starting');
    let c: ClientLike;
    try {
      c = runtime.createClient();
    } catch (err) {
      return lost(gen, describe(err), 'disconnected');
    }
    client = c;
    wire(c, gen);
    // initialize() resolves once WhatsApp Web is open (or never, while the QR waits): events tell the rest.
    c.initialize().catch((err: unknown) => {
      logger.warn({ err: { message: describe(err) } }, 'whatsapp web client did not start');
      lost(gen, describe(err), 'disconnected');
    });
  }

  function wire(c: ClientLike, gen: number) {
    const mine = () => running && gen === generation;
    c.on('qr', (code: string) => {
      if (!mine()) return;
      setState('qr');
      qr = code;
      Promise.resolve(printQr(code)).catch(() => {});
    });
    c.on('authenticated', () => {
      if (mine()) setState('authenticated');
    });
    c.on('auth_failure', (message: unknown) => {
      if (mine()) lost(gen, `auth_failure: ${describe(message)}`, 'auth_failure');
    });
    c.on('ready', () => {
      if (!mine()) return;
      reconnectAttempts = 0;
      setState('ready');
      ctx.wakeDispatcher(); // what queued up while we were away can go now
      catchUp(c, gen).catch((err: unknown) => logger.warn({ err: { message: describe(err) } }, 'whatsapp web catch-up failed'));
    });
    c.on('change_state', (s: unknown) => {
      if (!mine()) return;
      connection = String(s);
      if (connection === 'CONNECTED') ctx.wakeDispatcher();
    });
    c.on('disconnected', (reason: unknown) => {
      if (mine()) lost(gen, `disconnected: ${describe(reason)}`, 'disconnected');
    });
    c.on('message', (msg: WwebjsMessageLike) => {
      if (running && gen === generation) receive(msg);
    });
    c.on('message_ack', (msg: AckedMessageLike, ack: number) => {
      if (mine()) acks?.take(msg, ack);
    });
  }

  /** The client `gen` is gone: let it go and build a new one after an exponential, jittered wait. */
  function lost(gen: number, reason: string, next: 'disconnected' | 'auth_failure') {
    if (!running || gen !== generation) return;
    generation++; // later events of the old client are ignored
    lastError = reason;
    setState(next);
    void retire();
    const delay = Math.min(timing.reconnectMaxMs, timing.reconnectBaseMs * 2 ** reconnectAttempts) * (0.8 + 0.4 * random());
    reconnectAttempts++;
    logger.warn({ state: next, reason: lastError, retryInMs: Math.round(delay), attempt: reconnectAttempts }, 'whatsapp web connection lost');
    schedule(Math.round(Math.min(delay, timing.reconnectMaxMs)), launch);
  }

  async function retire(): Promise<void> {
    generation++;
    const c = client;
    client = undefined;
    if (!c) return;
    c.removeAllListeners();
    await c.destroy().catch((err: unknown) => logger.warn({ err: { message: describe(err) } }, 'whatsapp web client did not close cleanly'));
  }

  function receive(msg: WwebjsMessageLike) {
    const ignored = whyIgnored(msg);
    if (ignored) {
      logger.debug({ reason: ignored, type: msg.type }, 'whatsapp web message ignored');
      return;
    }
    const inbound = toInbound(msg);
    if (!inbound) return;
    const prev = chains.get(inbound.chatId) ?? Promise.resolve();
    const next = prev.then(() => handle(inbound));
    chains.set(inbound.chatId, next);
    inflight.add(next);
    void next.finally(() => {
      inflight.delete(next);
      if (chains.get(inbound.chatId) === next) chains.delete(inbound.chatId);
    });
  }

  // WhatsApp Web delivers a message once and never again: a database hiccup must not lose it, so the engine
  // is asked again a few times (the provider id keeps a message that did get through from being answered twice).
  async function handle(inbound: Inbound): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await ctx.engine.handle(inbound);
        if (!result.duplicate) ctx.wakeDispatcher();
        return;
      } catch (err) {
        // Never the text or the number: only what failed and how often (UU 27/2022).
        if (attempt > timing.inboundRetries || !running) {
          logger.error({ err, kind: inbound.kind, attempts: attempt }, 'whatsapp web message could not be handled and is dropped');
          return;
        }
        logger.warn({ err, kind: inbound.kind, attempt }, 'whatsapp web message could not be handled; trying again');
        await sleep(timing.inboundRetryBaseMs * 2 ** (attempt - 1));
      }
    }
  }

  /** Unread messages that came while no process held the session: answered now, oldest first. */
  async function catchUp(c: ClientLike, gen: number): Promise<void> {
    if (!c.getChats) return;
    const chats = await c.getChats();
    const oldest = Date.now() - timing.catchUpMaxAgeMs;
    let picked = 0;
    for (const chat of chats) {
      if (!running || gen !== generation) return;
      if (chat.isGroup || !(chat.unreadCount > 0)) continue;
      const messages = await chat.fetchMessages({ limit: Math.min(chat.unreadCount, CATCH_UP_PER_CHAT) });
      for (const m of messages) {
        if (m.fromMe || (m.timestamp !== undefined && m.timestamp * 1000 < oldest)) continue;
        receive(m);
        picked++;
      }
    }
    if (picked > 0) logger.info({ messages: picked }, 'whatsapp web: answering messages that came while away');
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  }

  return {
    channel: 'whatsapp_web',
    sender,
    media: createWhatsappWebMediaFetcher(() => session.readyClient() as MediaClientLike | undefined),
    status() {
      return {
        state,
        since: since.toISOString(),
        ...(qr !== undefined && state === 'qr' ? { qr } : {}),
        ...(lastError ? { lastError } : {}),
        ...(connection ? { connection } : {}),
        ...(reconnectAttempts > 0 ? { reconnectAttempts } : {}),
        ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
      };
    },
    async start() {
      if (running) return;
      runtime = await resolveRuntime(config, deps);
      acks = createAckRecorder(ctx.database, logger, { ackRetryMs: timing.ackRetryMs });
      running = true;
      await acquire();
    },
    async stop() {
      if (!running && state === 'stopped') return;
      running = false;
      clearTimeout(pending);
      pending = undefined;
      nextAttemptAt = undefined;
      clearInterval(lockCheck);
      for (const wake of [...sleepers]) wake();
      await retire();
      await Promise.allSettled([...inflight]);
      await acks?.stop();
      acks = undefined;
      if (ownsLock) {
        ownsLock = false;
        await lock.release().catch((err: unknown) => logger.warn({ err }, 'whatsapp web session lock release failed'));
      }
      setState('stopped');
    },
  };
}

async function resolveRuntime(config: WhatsappWebAdapterConfig, deps: WhatsappWebDeps): Promise<WwebjsRuntime> {
  if (deps.createClient && deps.createMedia) return { createClient: deps.createClient, createMedia: deps.createMedia };
  const real = await loadWwebjsRuntime(config);
  return { createClient: deps.createClient ?? real.createClient, createMedia: deps.createMedia ?? real.createMedia };
}

/** For status and logs: an error's message with long digit runs (phone numbers) removed. */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  return scrubDigits(text).replace(/\s+/g, ' ').slice(0, 300);
}

async function printQrInTerminal(code: string): Promise<void> {
  const { default: QRCode } = await import('qrcode');
  const art = await QRCode.toString(code, { type: 'terminal', small: true });
  process.stdout.write(`\nWhatsApp Web: scan this code with the office phone (WhatsApp → Linked devices → Link a device)\n${art}\n`);
}
