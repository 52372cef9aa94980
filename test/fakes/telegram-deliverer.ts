import type { Update } from 'grammy/types';

/**
 * Telegram's side of webhook delivery, for tests: POSTs each update to the webhook URL with the secret
 * header, and on anything but a 2xx (or a connection error, or no answer in time) delivers the same update
 * again later, waiting longer each time. Like Telegram it keeps a chat's updates in order (the next one goes
 * only after the one before it was accepted) and has at most `maxConnections` requests in flight (Telegram's
 * setWebhook max_connections, 40 by default).
 */

export interface DelivererOptions {
  url: string;
  secret: string;
  maxConnections?: number;
  /** First wait before a redelivery, doubled on each failure of the same update up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long a request may go unanswered before it counts as failed and the update is delivered again. */
  timeoutMs?: number;
}

/** One POST of one update. */
export interface Attempt {
  updateId: number;
  chatId: string;
  /** Date.now() when sent and when settled. */
  startedAt: number;
  endedAt: number;
  /** The HTTP status, or why there was none. */
  status: number | 'connection_error' | 'timeout';
}

interface Queued {
  update: Update;
  failures: number;
}

export class TelegramDeliverer {
  readonly attempts: Attempt[] = [];
  private readonly queues = new Map<string, Queued[]>();
  /** Chats with a request in flight or waiting out a backoff: their next update must not go yet. */
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly maxConnections: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: DelivererOptions) {
    this.maxConnections = opts.maxConnections ?? 40;
    this.backoffMs = opts.backoffMs ?? 250;
    this.maxBackoffMs = opts.maxBackoffMs ?? 4000;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Queues updates for delivery (in the given order within each chat). */
  deliver(...updates: Update[]): void {
    for (const update of updates) {
      const chatId = chatOf(update);
      const q = this.queues.get(chatId) ?? [];
      q.push({ update, failures: 0 });
      this.queues.set(chatId, q);
    }
    this.pump();
  }

  /** Updates not yet accepted by the webhook. */
  get pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Updates the webhook accepted with a 2xx. */
  get accepted(): number {
    return this.attempts.filter((a) => typeof a.status === 'number' && a.status >= 200 && a.status < 300).length;
  }

  /** Resolves once every queued update has been accepted. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops redelivering; requests in flight settle on their own. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private pump() {
    if (this.closed) return;
    for (const [chatId, q] of this.queues) {
      if (this.inFlight >= this.maxConnections) return;
      if (q.length === 0 || this.busy.has(chatId)) continue;
      this.busy.add(chatId);
      this.inFlight++;
      void this.post(chatId, q[0]!);
    }
  }

  private async post(chatId: string, item: Queued) {
    const startedAt = Date.now();
    let status: Attempt['status'];
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': this.opts.secret },
        body: JSON.stringify(item.update),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection_error';
    }
    this.attempts.push({ updateId: item.update.update_id, chatId, startedAt, endedAt: Date.now(), status });
    this.inFlight--;
    const q = this.queues.get(chatId)!;
    if (typeof status === 'number' && status >= 200 && status < 300) {
      q.shift();
      if (q.length === 0) this.queues.delete(chatId);
      this.busy.delete(chatId);
      if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    } else {
      // The chat stays busy while it waits: a later update of it must not overtake this one.
      const wait = Math.min(this.backoffMs * 2 ** item.failures, this.maxBackoffMs);
      item.failures++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.busy.delete(chatId);
        this.pump();
      }, wait);
      this.timers.add(timer);
    }
    this.pump();
  }
}

function chatOf(update: Update): string {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat;
  return chat ? String(chat.id) : `update:${update.update_id}`;
}
