import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { Translator } from '../../i18n.ts';
import { tooMany, tooManyInstead } from './answers.ts';

// Live-update streams (the web chat's, the console's, the demo phones') are held open for as long as a page
// is: each costs this process a connection, a stream and a timer. A client opening thousands of them (3,000
// from one address took 160 MB) is told 429 past its share: per chat or console session (a browser talks
// to one host over at most six connections, so five streams is already every tab it can keep live), and per
// client address for the public ones. The counts are this process's own, like the connections they count.

/** A count that one stream takes a slot of, and how many slots it has. */
export interface Slot {
  key: string;
  max: number;
}

/** How long a refused page is asked to wait: slots free up only when another of its streams closes. */
const RETRY_AFTER_S = 30;

export class StreamSlots {
  private readonly held = new Map<string, number>();

  /** A slot under every key, or none when any of them is full. The function returned gives them back, once. */
  take(slots: readonly Slot[]): (() => void) | undefined {
    if (slots.some((s) => this.count(s.key) >= s.max)) return undefined;
    for (const s of slots) this.held.set(s.key, this.count(s.key) + 1);
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      for (const s of slots) {
        const left = this.count(s.key) - 1;
        if (left > 0) this.held.set(s.key, left);
        else this.held.delete(s.key);
      }
    };
  }

  /** Streams held under a key now. */
  count(key: string): number {
    return this.held.get(key) ?? 0;
  }
}

/**
 * Counts the event streams of the routes it is mounted on under the slots `slotsOf` names (none: not
 * counted), and answers 429 with Retry-After past them. An EventSource says what it wants (`Accept:
 * text/event-stream`), so its slot is taken before the route does any work; a client that does not say so is
 * counted once the route has answered with a stream, which is then closed unread if there is no room. A slot
 * is held until the connection closes. Requests that never reach a socket (app.request in tests) are not counted.
 */
export function limitLiveStreams<C extends Context>(deps: { limits: { streams: StreamSlots }; i18n: Translator }, slotsOf: (c: C) => Slot[]): MiddlewareHandler {
  return async (c, next) => {
    const outgoing = outgoingOf(c);
    const slots = outgoing && c.req.method === 'GET' ? slotsOf(c as C) : [];
    if (!outgoing || slots.length === 0) return next();
    let release = announcesStream(c) ? deps.limits.streams.take(slots) : undefined;
    if (announcesStream(c) && !release) return tooMany(c, deps, RETRY_AFTER_S);
    try {
      await next();
    } catch (err) {
      release?.();
      throw err;
    }
    if (!isStream(c.res)) return release?.();
    release ??= deps.limits.streams.take(slots);
    if (!release) {
      await c.res.body?.cancel().catch(() => {});
      c.res = undefined; // not merged into the answer below: the stream's headers are not the 429's
      c.res = tooManyInstead(c, deps, RETRY_AFTER_S);
      return;
    }
    if (outgoing.closed) release();
    else outgoing.once('close', release);
  };
}

function announcesStream(c: Context): boolean {
  return c.req.header('accept')?.toLowerCase().includes('text/event-stream') ?? false;
}

function isStream(res: Response): boolean {
  return res.headers.get('content-type')?.toLowerCase().startsWith('text/event-stream') ?? false;
}

function outgoingOf(c: Context): ServerResponse | undefined {
  const env = c.env as { outgoing?: ServerResponse } | undefined;
  return env?.outgoing && typeof env.outgoing.once === 'function' ? env.outgoing : undefined;
}
