import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientMiddleware, clientOf, normalizeAddress } from '../../src/http/client.ts';

// The client address the identity limits count (src/http/client.ts), without a server: the socket is faked
// the way @hono/node-server hands it to the app (c.env.incoming.socket).

describe('client address', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:198.51.100.7', '198.51.100.7'],
    ['[2001:db8::1]', '2001:db8:0:0::/64'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:0db8:00aa:000b::ffff', '2001:db8:aa:b::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
  ])('counts %s as %s', (raw, want) => {
    expect(normalizeAddress(raw)).toBe(want);
  });

  it.each([['unknown'], [''], ['1.2.3'], ['198.51.100.7:8080'], ['<script>']])('takes %j for no address', (raw) => {
    expect(normalizeAddress(raw)).toBeUndefined();
  });

  const seen = async (trustProxy: boolean, headers: Record<string, string>, remoteAddress?: string) => {
    const app = new Hono();
    app.use('*', clientMiddleware(trustProxy));
    app.get('/', (c) => c.json({ address: clientAddress(c) ?? null }));
    const env = remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined;
    return ((await (await app.request('/', { headers }, env)).json()) as { address: string | null }).address;
  };

  it('reads X-Forwarded-For only when told to trust the proxy, and then only its right-most entry', async () => {
    const headers = { 'X-Forwarded-For': '10.9.9.9, 203.0.113.9' };
    expect(await seen(false, headers, '::ffff:10.0.0.2')).toBe('10.0.0.2');
    expect(await seen(true, headers, '::ffff:10.0.0.2')).toBe('203.0.113.9');
    expect(await seen(true, { 'X-Forwarded-For': '203.0.113.9, garbage' }, '10.0.0.2')).toBe('10.0.0.2');
    expect(await seen(true, {}, '10.0.0.2')).toBe('10.0.0.2');
  });

  it('is unknown without a socket (app.request) and without a trusted header', async () => {
    expect(await seen(false, { 'X-Forwarded-For': '203.0.113.9' })).toBeNull();
    expect(await seen(true, { 'X-Forwarded-For': '203.0.113.9' })).toBe('203.0.113.9');
  });

  const read = async (trustProxy: boolean, url: string, headers: Record<string, string>, remoteAddress?: string) => {
    const app = new Hono();
    app.use('*', clientMiddleware(trustProxy));
    app.get('/', (c) => c.json(clientOf(c)));
    const env = remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined;
    return (await (await app.request(url, { headers }, env)).json()) as { https: boolean; local: boolean };
  };

  it('without TRUST_PROXY a forwarded request is remote and its claimed scheme is ignored', async () => {
    expect((await read(false, 'http://x/', {}, '127.0.0.1')).local).toBe(true);
    expect((await read(false, 'http://x/', {}, '::ffff:127.0.0.1')).local).toBe(true);
    expect((await read(false, 'http://x/', {}, '10.0.0.2')).local).toBe(false);
    for (const h of ['Forwarded', 'X-Forwarded-For', 'X-Real-IP', 'X-Forwarded-Proto', 'X-Forwarded-Host']) {
      expect((await read(false, 'http://x/', { [h]: 'for=1.2.3.4' }, '127.0.0.1')).local, h).toBe(false);
    }
    expect((await read(false, 'http://x/', { 'X-Forwarded-Proto': 'https' }, '10.0.0.2')).https).toBe(false);
    expect((await read(false, 'https://x/', {}, '10.0.0.2')).https).toBe(true);
  });

  it('with TRUST_PROXY the proxy tells the scheme, and the client is local only when the proxy says so', async () => {
    expect(await read(true, 'http://x/', { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' }, '127.0.0.1')).toEqual({ address: '203.0.113.9', https: true, local: false });
    expect((await read(true, 'http://x/', { 'X-Forwarded-For': '127.0.0.1' }, '127.0.0.1')).local).toBe(true);
    expect((await read(true, 'http://x/', {}, '127.0.0.1')).local).toBe(true);
    expect((await read(true, 'http://x/', { 'X-Forwarded-Proto': 'http' }, '127.0.0.1')).https).toBe(false);
    // A proxy that does not say is taken to terminate TLS: cookies stay Secure.
    expect((await read(true, 'http://x/', { 'X-Forwarded-For': '203.0.113.9' }, '127.0.0.1')).https).toBe(true);
  });
});
