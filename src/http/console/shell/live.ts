import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { Forbidden } from '../../../services/access.ts';

// Live pages in the console (a complaint, a handover conversation) keep an EventSource open here. The
// stream polls a cheap "version" of what the page shows and sends `changed` when it moves; the page then
// fetches its fresh fragment over the ordinary, scope-checked route. Polling the database (not an
// in-process bus) means a change made by another service process shows up too. A few dozen staff with a
// page open each cost a few small queries per second.

export interface LiveOptions {
  pollMs?: number;
  /** The event the main reader's changes are sent as ('changed' unless told). */
  event?: string;
  /**
   * More things the page watches on the same connection, each sent as its own event when it changes (the
   * menu's work badge beside a complaint). One stream per page: a browser keeps six connections to a host.
   */
  also?: Record<string, { read: () => Promise<string | null>; everyMs: number }>;
  /** Streams end after this long; EventSource reconnects by itself, and the session is checked again then. */
  maxMs?: number;
}

const KEEPALIVE_MS = 25_000;

/**
 * `version()` answers null when the thing is gone or no longer visible to the person: the stream then ends.
 * Answer 404 before streaming when it is not visible at all, so a guessed id tells nothing.
 */
export async function liveStream(c: Context, read: () => Promise<string | null>, opts: LiveOptions = {}): Promise<Response> {
  const pollMs = opts.pollMs ?? 500;
  const event = opts.event ?? 'changed';
  const also = Object.entries(opts.also ?? {}).map(([name, r]) => ({ name, ...r, last: null as string | null, due: 0 }));
  const maxMs = opts.maxMs ?? 10 * 60_000;
  // A thing the person may no longer see is, for the stream, a thing that is gone. Inside the stream no
  // error handler can answer any more, so the services' Forbidden is read here rather than in errors.ts.
  const version = () => read().catch((err: unknown) => (err instanceof Forbidden ? null : Promise.reject(err)));
  const first = await version();
  if (first === null) return c.text('', 404);
  return streamSSE(c, async (stream) => {
    let last = first;
    const until = Date.now() + maxMs;
    let quietSince = Date.now();
    await stream.writeSSE({ event: 'ready', data: '' });
    while (!stream.aborted && !stream.closed && Date.now() < until) {
      await stream.sleep(pollMs);
      if (stream.aborted) break;
      const now = await version().catch(() => last); // a failed poll is retried on the next tick
      if (now === null) break;
      for (const a of also) {
        if (Date.now() < a.due) continue;
        a.due = Date.now() + a.everyMs;
        const v = await a.read().catch(() => a.last);
        if (v !== null && v !== a.last) {
          // The first reading is sent too: the stream may be a reconnection after changes it did not see.
          await stream.writeSSE({ event: a.name, data: v });
          a.last = v;
          quietSince = Date.now();
        }
      }
      if (now !== last) {
        last = now;
        quietSince = Date.now();
        await stream.writeSSE({ event, data: now });
      } else if (Date.now() - quietSince > KEEPALIVE_MS) {
        quietSince = Date.now();
        await stream.write(': keepalive\n\n'); // proxies close idle connections
      }
    }
  });
}
