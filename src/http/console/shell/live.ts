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
      if (now !== last) {
        last = now;
        quietSince = Date.now();
        await stream.writeSSE({ event: 'changed', data: now });
      } else if (Date.now() - quietSince > KEEPALIVE_MS) {
        quietSince = Date.now();
        await stream.write(': keepalive\n\n'); // proxies close idle connections
      }
    }
  });
}
