import { request, type IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { sha256 } from '../../../src/services/staff/secrets.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { PASSWORD, signedIn } from '../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { cookieFor, externalIdOf } from '../../helpers/webchat.ts';

// Issue 15, item 8: one client held 3,000 live-update connections (+160 MB). Streams are now counted per
// chat or console session (LIVE_STREAMS_PER_SESSION, 5) and, on the public routes, per client address
// (LIVE_STREAMS_PER_ADDRESS, 50); past either the answer is 429 with Retry-After, before any stream is made.
// Real connections from the test, as a browser's EventSource opens them.

const MB = 1024 * 1024;

// A settled heap to measure: garbage from before (and from the test's own bookkeeping) is not growth.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heap(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

let database: TestDatabase;
let t: TestApp;
let port: number;
const held: IncomingMessage[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database);
  port = Number(new URL(await t.listen()).port);
}, 60_000);

afterAll(async () => {
  for (const res of held) res.destroy();
  await t?.close();
  await database?.dispose();
});

/**
 * Opens an event stream as EventSource does (or, `quiet`, without saying it wants one), on a connection of its
 * own; resolves with the answer's head.
 */
function open(path: string, cookie: string, quiet = false): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { ...(quiet ? {} : { accept: 'text/event-stream' }), cookie } }, (res) => {
      held.push(res);
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until the server has let go of the slots under `key` down to `n` (a closed stream's connection closes). */
async function untilHeld(key: string, n: number): Promise<void> {
  while (t.deps.limits.streams.count(key) > n) await new Promise((r) => setTimeout(r, 10));
}

describe('live-update streams', () => {
  it('refuses the 51st stream from one address, and 3,000 of them do not grow memory with their number', async () => {
    const before = heap();
    const statuses = new Map<number, number>();
    const refused: IncomingMessage[] = [];
    // 3,000 chats, one stream each, from 127.0.0.1, in waves of 250 (the listen backlog is 511).
    for (let wave = 0; wave < 12; wave++) {
      const answers = await Promise.all(Array.from({ length: 250 }, (_, i) => open('/webchat/events', cookieFor(`stream-flood-${wave}-${i}`))));
      for (const res of answers) {
        statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
        if (res.statusCode === 429) refused.push(res);
      }
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 50, 429: 2950 });
    expect(refused[0]!.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    const body = await new Promise<string>((resolve) => {
      let text = '';
      refused[0]!.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(text));
    });
    expect(JSON.parse(body)).toMatchObject({ error: 'too_many_requests' });
    expect(t.deps.limits.streams.count('address:127.0.0.1')).toBe(50);
    // Every connection is still held by the client, the 2,950 refused ones too, and the client's side of all
    // 3,000 is in this process's heap as well (about 25 MB together). 3,000 streams let in cost four times that
    // (about 40 MB a thousand when measured): what the server keeps is 50 streams and idle sockets.
    const after = heap();
    expect(after - before, `${Math.round(before / MB)} MB → ${Math.round(after / MB)} MB`).toBeLessThan(50 * MB);

    // A page that closes gives its slot back: the next stream from the address is let in.
    held.find((r) => r.statusCode === 200)!.destroy();
    await untilHeld('address:127.0.0.1', 49);
    expect((await open('/webchat/events', cookieFor('stream-flood-after'))).statusCode).toBe(200);
    for (const res of held.splice(0)) res.destroy();
    await untilHeld('address:127.0.0.1', 0);
  }, 120_000);

  it('lets one chat hold five streams, refuses the sixth, and counts no stream it did not open', async () => {
    const cookie = cookieFor('five-tabs');
    const five = await Promise.all(Array.from({ length: 5 }, () => open('/webchat/events', cookie)));
    expect(five.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await open('/webchat/events', cookie);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBeDefined();
    // A client that does not say it wants a stream is counted once it has one, and refused all the same.
    const quiet = await open('/webchat/events', cookie, true);
    expect(quiet.statusCode).toBe(429);
    expect(quiet.headers['content-type']).toMatch(/^application\/json/);
    expect(quiet.headers['transfer-encoding']).toBeUndefined();
    // Another chat from the same address is not refused for this one's tabs.
    expect((await open('/webchat/events', cookieFor('another-chat'))).statusCode).toBe(200);
    // A request with no session is answered 401 and holds nothing.
    const none = await open('/webchat/events', '');
    expect(none.statusCode).toBe(401);
    expect(t.deps.limits.streams.count(`webchat:${externalIdOf('five-tabs')}`)).toBe(5);
    expect(t.deps.limits.streams.count('address:127.0.0.1')).toBe(6);
    for (const res of held.splice(0)) res.destroy();
    await untilHeld('address:127.0.0.1', 0);
  });

  it("counts a console session's live pages per session, not per address", async () => {
    await createStaffUser(database.db, 'system', { email: 'admin.streams@pintu.test', name: 'Admin Streams', role: 'admin', password: PASSWORD });
    const base = `http://127.0.0.1:${port}`;
    const one = await signedIn(base, 'admin.streams@pintu.test');
    const two = await signedIn(base, 'admin.streams@pintu.test');
    const cookieOf = (s: typeof one) => [...s.b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const five = await Promise.all(Array.from({ length: 5 }, () => open('/console/complaints/events', cookieOf(one))));
    expect(five.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect((await open('/console/complaints/events', cookieOf(one))).statusCode).toBe(429);
    // The same person's other session (another browser), from the same address, is not refused.
    expect((await open('/console/complaints/events', cookieOf(two))).statusCode).toBe(200);
    expect(t.deps.limits.streams.count(`console:${sha256(one.b.cookies.get('pintu_session')!)}`)).toBe(5);
    for (const res of held.splice(0)) res.destroy();
  });
});
