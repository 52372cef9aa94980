import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type Composition } from '../../../src/app/compose.ts';
import { createWhatsappCloudAdapter } from '../../../src/channels/whatsapp-cloud/adapter.ts';
import type { WhatsappCloudConfig } from '../../../src/channels/whatsapp-cloud/sender.ts';
import { DEFAULT_PUBLIC_LIMITS } from '../../../src/config.ts';
import { createApp } from '../../../src/http/app.ts';
import { BODY_LIMITS, SERVER_TIMEOUTS } from '../../../src/http/limits/body.ts';
import { createLogger } from '../../../src/log.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { PASSWORD, signedIn } from '../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { cookieFor, externalIdOf } from '../../helpers/webchat.ts';

// Issue 15, item 4: a 300 MB chunked body to /webhooks/whatsapp was read whole before the signature check
// (342 MB → 1,057 MB). Bodies are now limited before anything reads them, chunked ones included, and a body
// that trickles in is cut after REQUEST_BODY_TIMEOUT_MS. All over a real socket, as an attacker sends them.

const MB = 1024 * 1024;
// Short, so that the slow body's test does not wait long (the service's default is 15 s). The size tests run
// on a second app with the default, so that no deadline cuts a body before its size limit does.
const BODY_TIMEOUT_MS = 600;

const cloud: WhatsappCloudConfig = {
  accessToken: 'token-for-body-limit-tests',
  phoneNumberId: '1234567890',
  appSecret: 'whatsapp-app-secret-for-body-limits',
  verifyToken: 'verify-token-for-body-limits',
  apiRoot: 'http://127.0.0.1:9/v21.0', // never called: nothing here is sent
  ratePerSecond: 80,
  templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
};

interface Served {
  deps: Composition;
  server: ServerType;
  port: number;
}

let database: TestDatabase;
const served: Served[] = [];
/** The app with the service's default body deadline, and the one with a short deadline. */
let port: number;
let slow: Served;

/** The service's wiring with WhatsApp Cloud on, served as start.ts serves it. */
async function serveApp(bodyTimeoutMs: number): Promise<Served> {
  const deps = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', publicLimits: { ...DEFAULT_PUBLIC_LIMITS, bodyTimeoutMs } }, createLogger('silent'), {
    adapters: (ctx) => [createWhatsappCloudAdapter(ctx, cloud)],
  });
  deps.dispatcher.startChannel('webchat');
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, serverOptions: SERVER_TIMEOUTS }, () => resolve(s));
  });
  const one = { deps, server, port: (server.address() as AddressInfo).port };
  served.push(one);
  return one;
}

beforeAll(async () => {
  database = await createTestDatabase();
  port = (await serveApp(DEFAULT_PUBLIC_LIMITS.bodyTimeoutMs)).port;
  slow = await serveApp(BODY_TIMEOUT_MS);
}, 60_000);

afterAll(async () => {
  for (const { deps, server } of served) {
    await deps.stop();
    (server as import('node:http').Server).closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  await database?.dispose();
});

interface Sent {
  status: number | undefined;
  body: string;
  /** Bytes of the body the client got onto the wire before the server answered and closed. */
  bytesSent: number;
  /** The highest resident set size of this process (server and client both) while it was sending. */
  peakRss: number;
}

/**
 * POSTs `total` bytes in 64 KB chunks (chunked transfer encoding unless `contentLength`), as fast as the server
 * takes them, and stops when the server answers or drops the connection. One buffer is written over and over,
 * so the client itself holds nothing.
 */
function flood(path: string, total: number, headers: Record<string, string | number> = {}): Promise<Sent> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    let bytesSent = 0;
    let peakRss = process.memoryUsage().rss;
    let status: number | undefined;
    let body = '';
    let settled = false;
    // Also between writes, while the client waits for the server to take more.
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
    const done = () => {
      if (settled) return;
      settled = true;
      clearInterval(sampler);
      resolve({ status, body, bytesSent, peakRss });
    };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } });
    req.on('response', (res: IncomingMessage) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        done();
      });
      res.on('error', done);
    });
    req.on('error', done); // EPIPE / ECONNRESET once the server has had enough
    req.on('close', () => setImmediate(done));
    const pump = () => {
      while (!settled && status === undefined && bytesSent < total) {
        bytesSent += chunk.length;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (bytesSent >= total && !settled) req.end();
    };
    pump();
  });
}

async function idleRss(): Promise<number> {
  // Whatever the app allocates on its first requests is allocated before the baseline is taken.
  await fetch(`http://127.0.0.1:${port}/health`);
  await flood('/webhooks/whatsapp', 2 * MB);
  return process.memoryUsage().rss;
}

describe('request bodies are limited before they are read', () => {
  it('answers a 300 MB chunked body to /webhooks/whatsapp 413 and stays within 50 MB of idle', async () => {
    const idle = await idleRss();
    const sent = await flood('/webhooks/whatsapp', 300 * MB);
    expect(sent.peakRss - idle, `peak ${Math.round(sent.peakRss / MB)} MB, idle ${Math.round(idle / MB)} MB`).toBeLessThan(50 * MB);
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body)).toEqual({ error: 'too_large' });
    // The server stopped reading: the client could not get the 300 MB onto the wire.
    expect(sent.bytesSent).toBeLessThan(300 * MB);
  }, 120_000);

  it('refuses a Content-Length over the limit without reading a byte of the body', async () => {
    // Only the headers are sent: the answer comes all the same, because nothing waits for the body.
    const res = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/webhooks/whatsapp', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 300 * MB } });
      req.on('response', (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (body += d));
        r.on('end', () => {
          req.destroy();
          resolve({ status: r.statusCode, body });
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'too_large' });
  });

  it('takes a webhook body under 1 MB as far as the signature check', async () => {
    const sent = await flood('/webhooks/whatsapp', 256 * 1024);
    expect(sent.status).toBe(401); // read whole, then refused for its signature, not its size
  });

  it("limits the web chat's posts to 16 KB, chunked or not", async () => {
    const post = (text: string, chunked: boolean) =>
      new Promise<{ status?: number; body: string }>((resolve, reject) => {
        const payload = Buffer.from(JSON.stringify({ text }));
        const headers: Record<string, string | number> = { 'content-type': 'application/json', cookie: cookieFor(`body-limit-${chunked}-${text.length}`) };
        if (!chunked) headers['content-length'] = payload.length;
        const req = request({ host: '127.0.0.1', port, path: '/webchat/messages', method: 'POST', headers });
        req.on('response', (r) => {
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (d: string) => (body += d));
          r.on('end', () => resolve({ status: r.statusCode, body }));
        });
        req.on('error', reject);
        // In two writes: a chunked body arrives in pieces, as it would from a client that means it.
        req.write(payload.subarray(0, 1000));
        req.end(payload.subarray(1000));
      });
    for (const chunked of [false, true]) {
      const over = await post('x'.repeat(BODY_LIMITS.webchat), chunked);
      expect(over.status, `chunked: ${chunked}`).toBe(413);
      expect(JSON.parse(over.body)).toEqual({ error: 'too_large', message: 'Pesan terlalu panjang.' });
      // The page's longest message (5,000 characters, even of three-byte letters) is well inside.
      const longest = await post('ꦲ'.repeat(5000), chunked);
      expect(longest.status, `chunked: ${chunked} ${longest.body}`).toBe(200);
    }
  }, 30_000);
});

describe("the registry import's upload", () => {
  it('is refused at once when its Content-Length is over 512 MB, before a byte of it is read', async () => {
    await createStaffUser(database.db, 'system', { email: 'admin.upload@pintu.test', name: 'Admin Upload', role: 'admin', password: PASSWORD });
    const { b } = await signedIn(`http://127.0.0.1:${port}`, 'admin.upload@pintu.test');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/console/import',
        method: 'POST',
        agent: false,
        headers: { cookie, 'content-type': 'multipart/form-data; boundary=x', 'content-length': BODY_LIMITS.registryImport + MB },
      });
      req.on('response', (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (body += d));
        r.on('end', () => {
          req.destroy();
          resolve({ status: r.statusCode, body });
        });
      });
      req.on('error', reject);
      req.flushHeaders(); // and nothing more: the answer must not wait for the body
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain('512');
  });
});

describe('a body that trickles in is cut', () => {
  it('closes a connection whose body has not arrived in REQUEST_BODY_TIMEOUT_MS, and leaves a live stream open', async () => {
    // A live-update stream opened first must outlive the deadline: it is a response, not a request body.
    const chat = 'slow-body-stream';
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: slow.port, path: '/webchat/events', headers: { accept: 'text/event-stream', cookie: cookieFor(chat) } }, resolve)
        .on('error', reject)
        .end();
    });
    expect(stream.statusCode).toBe(200);
    let streamed = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (streamed += d));

    // Headers, then a few bytes of a body that says it has 100: the rest never comes.
    const socket = connect(slow.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(`POST /webchat/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\nCookie: ${cookieFor('slow-body')}\r\n\r\n{"text":"`);
    // The server closes it: without the deadline this would wait for ever (and the test time out).
    await closed;
    expect(answer).toBe(''); // nothing was answered: the body never came, so neither did a turn

    // The stream, older than the cut connection and so older than the deadline, still carries a reply.
    await slow.deps.webchat.send({ contactId: 0, chatId: externalIdOf(chat), language: null, lastInboundAt: null }, { text: 'masih tersambung' });
    await new Promise<void>((resolve) => {
      const check = () => (streamed.includes('masih tersambung') ? resolve() : stream.once('data', check));
      check();
    });
    expect(streamed).toContain('masih tersambung');
    stream.destroy();
  }, 30_000);
});

describe('the body deadline on a keep-alive connection', () => {
  // One connection may carry thousands of requests (a reverse proxy keeps its connections open): what the
  // deadline hangs on the socket must leave with each request, or listeners pile up on it.
  it('leaves no listener behind on the socket after each request', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 30; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/webchat/messages', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('socket', (s) => sockets.add(s));
          req.on('error', reject);
          req.end(JSON.stringify({ text: 'halo' }));
        });
        expect(status).toBeLessThan(500);
      }
      expect(sockets.size).toBe(1); // all 30 on one connection
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      agent.destroy();
      process.off('warning', onWarning);
    }
  });
});
