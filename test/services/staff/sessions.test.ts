import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffSessions, staffUsers } from '../../../src/db/schema/index.ts';
import { authenticate, changePassword, checkCsrf, login, logout, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../../src/services/staff/sessions.ts';
import { BACK_OFF } from '../../../src/services/staff/throttle.ts';
import { sha256 } from '../../../src/services/staff/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from './fixtures.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const T0 = new Date('2026-11-24T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const minute = 60_000;

describe('login', () => {
  it('signs in with the right password and returns a session and a CSRF token, storing only the hash', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const r = await login(database.db, { email: `  ${u.email.toUpperCase()} `, password: u.password, ip: '10.0.0.7', userAgent: 'vitest', now: T0 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.staff).toMatchObject({ id: u.id, role: 'operator', email: u.email });
    const rows = await database.db.select().from(staffSessions).where(eq(staffSessions.staffId, u.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(r.sessionToken));
    expect(JSON.stringify(rows)).not.toContain(r.sessionToken);
    expect(rows[0]!.ip).toBe('10.0.0.7');
  });

  it('gives the same answer for an unknown email and a wrong password, in similar time', async () => {
    const u = await staffActor(database.db, { role: 'viewer' });
    // CPU time of this process (argon2 runs on its thread pool, which counts), not the wall clock: the work
    // done does not change when other processes keep the machine busy, so this cannot fail on a loaded CI.
    const timed = async (email: string) => {
      const started = process.cpuUsage();
      const r = await login(database.db, { email, password: 'not-the-password', now: T0 });
      const used = process.cpuUsage(started);
      return { r, ms: (used.user + used.system) / 1000 };
    };
    await timed('warm@up.test'); // the dummy hash is made on first use
    const unknown = await timed('nobody@dinsos.test');
    const wrong = await timed(u.email);
    expect(unknown.r).toEqual({ ok: false, reason: 'invalid' });
    expect(wrong.r).toEqual(unknown.r);
    // Both spend one argon2 verification; without the dummy, the unknown email would answer in ~1 ms.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 4);
  });

  it('holds this address back after five wrong passwords, the right one included, with no time and no lock on the account', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const from = { ip: '192.0.2.50' };
    for (let i = 1; i <= BACK_OFF.pair.free; i++) {
      expect(await login(database.db, { email: u.email, password: `wrong-${i}`, ...from, now: at(i * 1000) })).toEqual({ ok: false, reason: 'invalid' });
    }
    // The fifth opened a minute's wait for this e-mail from this address: even the right password waits.
    const during = await login(database.db, { email: u.email, password: u.password, ...from, now: at(5000 + 59_000) });
    expect(during).toEqual({ ok: false, reason: 'throttled' });
    // Another address was never held: nothing here is a lock on the account.
    expect((await login(database.db, { email: u.email, password: u.password, ip: '192.0.2.51', now: at(5000 + 59_000) })).ok).toBe(true);
    expect((await login(database.db, { email: u.email, password: u.password, ...from, now: at(5000 + 61_000) })).ok).toBe(true);
  });

  it('a successful login resets the count of failures', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const from = { ip: '192.0.2.52' };
    for (let i = 0; i < BACK_OFF.pair.free - 1; i++) await login(database.db, { email: u.email, password: 'nope-nope-nope', ...from, now: T0 });
    expect((await login(database.db, { email: u.email, password: u.password, ...from, now: T0 })).ok).toBe(true);
    // Four more would have made nine in a row; after the success they are the first four again.
    for (let i = 0; i < BACK_OFF.pair.free - 1; i++) {
      expect(await login(database.db, { email: u.email, password: 'nope-nope-nope', ...from, now: T0 })).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await login(database.db, { email: u.email, password: u.password, ...from, now: T0 })).ok).toBe(true);
  });

  it('refuses a deactivated user like an unknown one', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    await database.db.update(staffUsers).set({ active: false }).where(eq(staffUsers.id, u.id));
    expect(await login(database.db, { email: u.email, password: u.password, now: T0 })).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('sessions', () => {
  async function signedIn(role: 'operator' | 'supervisor' = 'operator') {
    const u = await staffActor(database.db, { role });
    const r = await login(database.db, { email: u.email, password: u.password, now: T0 });
    if (!r.ok) throw new Error('login failed');
    return { u, r };
  }

  it('authenticates the cookie to the actor and its CSRF token', async () => {
    const { u, r } = await signedIn('supervisor');
    const s = await authenticate(database.db, r.sessionToken, at(minute), '10.1.2.3');
    expect(s?.actor).toEqual({ kind: 'staff', id: u.id, role: 'supervisor', kecamatanId: null, bidang: null, ip: '10.1.2.3' });
    expect(s?.csrfToken).toBe(r.csrfToken);
    expect(await authenticate(database.db, 'made-up-token', at(minute))).toBeNull();
    expect(await authenticate(database.db, undefined, at(minute))).toBeNull();
  });

  it('expires after the idle time, and slides while in use up to the absolute limit', async () => {
    const idle = await signedIn();
    expect(await authenticate(database.db, idle.r.sessionToken, at(SESSION_IDLE_MS - minute))).not.toBeNull();
    // That request moved the idle deadline on.
    expect(await authenticate(database.db, idle.r.sessionToken, at(SESSION_IDLE_MS + minute))).not.toBeNull();
    expect(await authenticate(database.db, idle.r.sessionToken, at(2 * SESSION_IDLE_MS + 2 * minute))).toBeNull();

    const busy = await signedIn();
    let t = 0;
    for (; t < SESSION_ABSOLUTE_MS - SESSION_IDLE_MS / 2; t += SESSION_IDLE_MS / 2) {
      expect(await authenticate(database.db, busy.r.sessionToken, at(t))).not.toBeNull();
    }
    expect(await authenticate(database.db, busy.r.sessionToken, at(SESSION_ABSOLUTE_MS + minute))).toBeNull();
  });

  it('refuses the cookie of a logged-out session', async () => {
    const { r } = await signedIn();
    await logout(database.db, r.sessionToken);
    expect(await authenticate(database.db, r.sessionToken, at(minute))).toBeNull();
    await logout(database.db, r.sessionToken); // twice is harmless
  });

  it('refuses the session of a user deactivated after signing in', async () => {
    const { u, r } = await signedIn();
    await database.db.update(staffUsers).set({ active: false }).where(eq(staffUsers.id, u.id));
    expect(await authenticate(database.db, r.sessionToken, at(minute))).toBeNull();
  });

  it('picks up a role change on the next request', async () => {
    const { u, r } = await signedIn();
    await database.db.update(staffUsers).set({ role: 'viewer' }).where(eq(staffUsers.id, u.id));
    expect((await authenticate(database.db, r.sessionToken, at(minute)))?.actor.role).toBe('viewer');
  });
});

describe('checkCsrf', () => {
  it('accepts only the exact token', () => {
    const token = 'q0Yw8k1v3tZ8c4HfN2xJmL5pR7sT9uV1wX3yZ5a7b9c';
    expect(checkCsrf(token, token)).toBe(true);
    expect(checkCsrf(token, token.slice(0, -1) + 'd')).toBe(false);
    expect(checkCsrf(token, token.slice(0, 10))).toBe(false);
    expect(checkCsrf(token, '')).toBe(false);
    expect(checkCsrf(token, undefined)).toBe(false);
    expect(checkCsrf(token, null)).toBe(false);
    expect(checkCsrf('', '')).toBe(false);
  });
});

describe('changePassword', () => {
  it('checks the current password, enforces a minimum, and ends the other sessions', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const here = await login(database.db, { email: u.email, password: u.password, now: T0 });
    const elsewhere = await login(database.db, { email: u.email, password: u.password, now: T0 });
    if (!here.ok || !elsewhere.ok) throw new Error('login failed');

    expect(await changePassword(database.db, u, { current: 'wrong-password', next: 'a-new-long-password', now: T0 })).toEqual({ ok: false, reason: 'wrong_password' });
    expect(await changePassword(database.db, u, { current: u.password, next: 'short', now: T0 })).toEqual({ ok: false, reason: 'too_short' });
    expect(await changePassword(database.db, u, { current: u.password, next: '123456789', now: T0 })).toEqual({ ok: false, reason: 'too_short' });

    const next = 'kata-sandi-baru-2026';
    expect(await changePassword(database.db, u, { current: u.password, next, sessionToken: here.sessionToken, now: T0 })).toEqual({ ok: true });
    expect(await authenticate(database.db, here.sessionToken, at(minute))).not.toBeNull();
    expect(await authenticate(database.db, elsewhere.sessionToken, at(minute))).toBeNull();

    expect((await login(database.db, { email: u.email, password: u.password, now: at(minute) })).ok).toBe(false);
    expect((await login(database.db, { email: u.email, password: next, now: at(minute) })).ok).toBe(true);
    const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.id, u.id));
    expect(row!.passwordChangedAt).toEqual(T0);
  });

  it('holds the form back after five wrong current passwords, the right one included, until the wait ends', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const next = 'another-long-password';
    for (let i = 1; i <= BACK_OFF.password.free; i++) {
      expect(await changePassword(database.db, u, { current: `wrong-${i}`, next, now: at(i * 1000) })).toEqual({ ok: false, reason: 'wrong_password' });
    }
    expect(await changePassword(database.db, u, { current: u.password, next, now: at(5000 + 30_000) })).toEqual({ ok: false, reason: 'throttled' });
    // Its own key: signing in is not held by it.
    expect((await login(database.db, { email: u.email, password: u.password, ip: '192.0.2.53', now: at(5000 + 30_000) })).ok).toBe(true);
    expect(await changePassword(database.db, u, { current: u.password, next, now: at(5000 + 61_000) })).toEqual({ ok: true });
  });

  it('without a session token ends every session', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const s = await login(database.db, { email: u.email, password: u.password, now: T0 });
    if (!s.ok) throw new Error('login failed');
    expect(await changePassword(database.db, u, { current: u.password, next: 'another-long-password', now: T0 })).toEqual({ ok: true });
    expect(await authenticate(database.db, s.sessionToken, at(minute))).toBeNull();
  });
});
