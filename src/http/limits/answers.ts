import type { Context } from 'hono';
import type { Translator } from '../../i18n.ts';

// 429 with Retry-After (whole seconds, at least 1) and the reason in the reader's language. JSON, because
// everything limited per address is read by a script (the web chat page shows `message`, an EventSource
// reads only the status); the demo phone's form answers in its own words (http/demo-phone/routes.tsx).

type Deps = { i18n: Translator };

function refusal(c: Context, deps: Deps, retryAfterS: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterS));
  return { seconds, body: { error: 'too_many_requests', message: deps.i18n.t('limits:tooMany', { lng: c.get('locale') }), retryAfter: seconds } };
}

/** The 429 of a route that has not answered yet. */
export function tooMany(c: Context, deps: Deps, retryAfterS: number): Response {
  const { seconds, body } = refusal(c, deps, retryAfterS);
  c.header('Retry-After', String(seconds));
  return c.json(body, 429);
}

/**
 * The 429 that replaces an answer a route already made (a stream, http/limits/streams.ts): a Response of its
 * own, because what the route set on the context (a stream's chunked encoding) must not come along.
 */
export function tooManyInstead(c: Context, deps: Deps, retryAfterS: number): Response {
  const { seconds, body } = refusal(c, deps, retryAfterS);
  return new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(seconds) } });
}
