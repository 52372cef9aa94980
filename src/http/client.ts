import { isIP } from 'node:net';
import type { Context } from 'hono';

// Who is on the other end of a request, as far as the server can tell.

/**
 * The client's address, for limits per address (identity lookups). The socket's peer; or, only when
 * TRUST_PROXY says our own reverse proxy is in front, the right-most X-Forwarded-For entry: the one our proxy
 * appended. Everything left of it came from the client and could be anything, so it is never read.
 * IPv4 in IPv6 form (::ffff:1.2.3.4) is the IPv4 address; an IPv6 address counts as its /64, because one
 * home or phone holds a whole /64 and may pick a new address in it for every request.
 * Undefined when there is no socket (app.request in tests) and no usable header.
 */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    const address = forwarded ? normalizeAddress(forwarded) : undefined;
    if (address) return address;
  }
  return socketAddress(c);
}

function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  return address ? normalizeAddress(address) : undefined;
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

/** Behind a TLS-terminating proxy the request URL is http; the proxy's header says what the browser used. */
export function isHttps(c: Context): boolean {
  // A client that claims https over plain http only gets Secure cookies its browser will not send back.
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
