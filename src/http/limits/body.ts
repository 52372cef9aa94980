import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';

// How much a request may send, and how long it may take to send it. Every route that reads a body mounts a
// limit from BODY_LIMITS before anything reads it (hono/body-limit: a Content-Length over the limit is
// refused unread, a chunked body is cut the moment it passes the limit, and at most the limit is ever held),
// and the whole app carries one deadline for the body to arrive (bodyDeadline below). Both answer at once;
// @hono/node-server then drains what the client still sends for half a second at most and closes the
// connection, so a refused body costs neither memory nor a connection for long.
//
// The webhooks' own limits sit in their channels (channels/telegram/adapter.ts, channels/whatsapp-cloud/
// adapter.ts: 1 MB each, as Telegram's and Meta's payloads are a few kilobytes).

const KB = 1024;
const MB = 1024 * KB;

export const BODY_LIMITS = {
  /** A web chat message: the page caps the text at 5,000 characters, under 16 KB as JSON in any script. */
  webchat: 16 * KB,
  /** A demo phone's message form. */
  demoPhone: 16 * KB,
  /** The REST API's JSON: the largest real body (an event's 500 slots, pretty-printed) is tens of kilobytes. */
  api: 1 * MB,
  /** A console form: a reply is at most 4,000 characters. */
  consoleForm: 256 * KB,
  /** The verification meeting's answer sheet (a few thousand short lines). */
  proposalOutcomes: 2 * MB,
  /** A bank's result file for a tranche (console and API), streamed to a temporary file: 500,000 lines are about 40 MB. */
  disbursementFile: 128 * MB,
  /** The registry import: a whole city's DTSEN export, streamed to a temporary file, never held in memory. */
  registryImport: 512 * MB,
} as const;

/**
 * The registry import's upload may take this long: 512 MB at about 1.2 Mbit/s. Anything slower is better
 * served by `npm run import` on the server itself.
 */
export const REGISTRY_IMPORT_TIMEOUT_MS = 60 * 60_000;
export const REGISTRY_IMPORT_PATH = '/console/import';

/**
 * The Node HTTP server's own timeouts (app/start.ts): headers must arrive within 10 s of the request's first
 * byte (Node's default is a minute), checked every second rather than every 30. `requestTimeout` is only the
 * backstop of bodyDeadline below: it is server-wide, and the registry import's upload needs an hour, which
 * must not become every public route's deadline. Responses are not covered: a live-update stream, which
 * sends for as long as its page is open, is never cut by either.
 */
export const SERVER_TIMEOUTS: Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'connectionsCheckingInterval'> = {
  headersTimeout: 10_000,
  requestTimeout: REGISTRY_IMPORT_TIMEOUT_MS + 60_000,
  connectionsCheckingInterval: 1_000,
};

/** A request body that did not arrive whole in time; errors.ts answers it 408 (to a connection already closed). */
export class BodyTimeout extends Error {
  readonly status = 408;
  constructor() {
    super('request body too slow');
    this.name = 'BodyTimeout';
  }
}

/**
 * The body of every request must have arrived whole `ms` after the request began (the registry import's upload:
 * REGISTRY_IMPORT_TIMEOUT_MS). A client that sends its headers and then trickles the body would otherwise
 * hold a connection, and whatever the handler holds while it waits, for as long as it likes. Past the
 * deadline the connection is closed: whoever is reading the body gets BodyTimeout. A body that has arrived
 * but is not read yet is not cut. Requests that never reach a socket (app.request in tests) have no deadline.
 */
export function bodyDeadline(ms: number): MiddlewareHandler {
  return async (c, next) => {
    const incoming = incomingOf(c);
    if (!incoming || incoming.complete || !declaresBody(c)) return next();
    const deadline = c.req.method === 'POST' && c.req.path === REGISTRY_IMPORT_PATH ? REGISTRY_IMPORT_TIMEOUT_MS : ms;
    const timer = setTimeout(() => {
      // `complete`: the parser has the whole message, read by the handler or not.
      if (!incoming.complete && !incoming.destroyed) incoming.destroy(new BodyTimeout());
    }, deadline);
    timer.unref();
    // The socket outlives the request on a keep-alive connection (a proxy may send thousands of requests over
    // one): its listener must go with this request, or they pile up on it.
    const socket = incoming.socket;
    const clear = () => {
      clearTimeout(timer);
      socket?.off('close', clear);
    };
    incoming.once('end', clear);
    incoming.once('error', clear);
    socket?.once('close', clear);
    // Answered: what the client still sends is @hono/node-server's to drain (half a second at most).
    outgoingOf(c)?.once('close', clear);
    await next();
  };
}

function declaresBody(c: Context): boolean {
  if (c.req.header('transfer-encoding') !== undefined) return true;
  const length = Number(c.req.header('content-length') ?? 0);
  return !Number.isFinite(length) || length > 0;
}

function outgoingOf(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

function incomingOf(c: Context): IncomingMessage | undefined {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  // Only HTTP/1.1 requests have `complete`; an HTTP/2 request (not served here) would be left alone.
  return env?.incoming && typeof env.incoming.complete === 'boolean' ? env.incoming : undefined;
}
