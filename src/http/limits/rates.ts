import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Translator } from '../../i18n.ts';
import { clientAddress } from '../client.ts';
import { tooMany } from './answers.ts';

// Request rates per client address on the public routes, counted by rate-limiter-flexible in this process's
// memory (a key lives one window, then its timer drops it). With N processes behind a balancer each counts
// on its own, so a client gets up to N times the rate: these limits are flood control, bounding what one
// client can make a process write and hold, not a quota to be exact about, and a shared store would put a
// round trip on every public request to be so. What must hold across processes is counted in Postgres (the
// identity lookup limits, services/identity/limits.ts).
//
// A request with no address (app.request in tests, never a served one) is not counted: there is nobody to
// count it against.

/**
 * Spends one point of `key` on `limiter`: undefined when there was one to spend, otherwise the seconds until
 * there is.
 */
export async function spend(limiter: RateLimiterMemory, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

/**
 * Posts to a public route family (`bucket`: the web chat, the demo phones), PUBLIC_POSTS_PER_ADDRESS a
 * minute per client address; 429 with Retry-After past it. `refuse` answers in the area's own words.
 */
export function limitPosts(
  deps: { limits: { posts: RateLimiterMemory }; i18n: Translator },
  bucket: string,
  refuse: (c: Context, retryAfterS: number) => Response = (c, s) => tooMany(c, deps, s),
): MiddlewareHandler {
  return async (c, next) => {
    const address = clientAddress(c);
    const wait = address ? await spend(deps.limits.posts, `${bucket}:${address}`) : undefined;
    if (wait !== undefined) return refuse(c, wait);
    await next();
  };
}
