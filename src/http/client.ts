import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';

// Who is on the other end of a request, as far as the server can tell, read once per request (app.ts) and
// used by everything that depends on it: limits per address, the sign-in throttle, the audit log's address,
// the Secure flag of cookies, and the pages that answer only on this machine (/metrics, the WhatsApp Web
// pairing page).
//
// TRUST_PROXY off (the default): only the socket counts. A request carrying forwarding headers came through
// a proxy, maybe one on this very machine, so it is never "local" whatever its socket says; its scheme is the
// URL's own. TRUST_PROXY on: our own reverse proxy is in front; the right-most X-Forwarded-For entry (the one
// it appended) is the client, and the browser used https unless the proxy's X-Forwarded-Proto says http.

export interface Client {
  /** For limits and the audit log: the address as a limit counts it (IPv6 as its /64). Undefined when unknown. */
  address: string | undefined;
  /** The browser reached us over https (directly, or through the trusted proxy). */
  https: boolean;
  /** The request comes from this machine itself, with nobody forwarding it. */
  local: boolean;
}

export type ClientEnv = { Variables: { client: Client } };

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-host'];

/** The client of a request; the rules above. */
export function readClient(c: Context, trustProxy: boolean): Client {
  const socket = socketAddress(c);
  const ownHttps = new URL(c.req.url).protocol === 'https:';
  if (trustProxy) {
    const forwarded = lastEntry(c.req.header('x-forwarded-for'));
    const address = (forwarded ? normalizeAddress(forwarded) : undefined) ?? (socket ? normalizeAddress(socket) : undefined);
    // A proxy in front of a public service terminates TLS: unless it says the browser used plain http, the
    // cookies are Secure (issue 15: they were Secure only when the proxy remembered to send the header).
    const proto = lastEntry(c.req.header('x-forwarded-proto'))?.toLowerCase();
    // Without X-Forwarded-For the proxy did not forward at all: the socket is the client.
    const local = forwarded ? isLoopback(forwarded) : isLoopback(socket);
    return { address, https: ownHttps || proto !== 'http', local };
  }
  const forwardedAtAll = FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
  return { address: socket ? normalizeAddress(socket) : undefined, https: ownHttps, local: !forwardedAtAll && isLoopback(socket) };
}

/** Sets c.var.client for every later handler (app.ts mounts it first). */
export function clientMiddleware(trustProxy: boolean): MiddlewareHandler<ClientEnv> {
  return async (c, next) => {
    c.set('client', readClient(c, trustProxy));
    await next();
  };
}

/**
 * The request's client as the middleware read it; read afresh when a sub-app is run on its own (tests that
 * build one route module without createApp), with TRUST_PROXY off.
 */
export function clientOf(c: Context): Client {
  return (c.get('client') as Client | undefined) ?? readClient(c, false);
}

/** The client's address, for limits per address and the audit log. */
export function clientAddress(c: Context): string | undefined {
  return clientOf(c).address;
}

/** Whether cookies set on this answer should be Secure. */
export function isHttps(c: Context): boolean {
  return clientOf(c).https;
}

function lastEntry(header: string | undefined): string | undefined {
  const entry = header?.split(',').at(-1)?.trim();
  return entry ? entry : undefined;
}

function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** 127.0.0.0/8, ::1 and IPv4 loopback written as IPv6; an unknown address (no socket) is not loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/i, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || v4 === '::1';
}

/** The address in the form a limit counts it, or undefined when it is not an IP address at all. */
export function normalizeAddress(raw: string): string | undefined {
  const address = raw.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  return `${ipv6Hextets(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, "::" expanded, without leading zeros. */
function ipv6Hextets(address: string): string[] {
  const plain = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) is not part of the address
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(head);
  const right = groups(tail);
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => (parseInt(g, 16) || 0).toString(16));
}
