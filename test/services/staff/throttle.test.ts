import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, signinThrottle, staffUsers } from '../../../src/db/schema/index.ts';
import { login, purgeExpiredSessions, type LoginResult } from '../../../src/services/staff/sessions.ts';
import { accountOf, BACK_OFF, backOffMs, FORGET_MS } from '../../../src/services/staff/throttle.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from './fixtures.ts';

// The sign-in back-off (services/staff/throttle.ts) on a real database: what an outsider can and cannot do to
// a real account, and that nothing in the answers tells a real e-mail from an unknown one. Time is passed in
// (`now`), never waited for.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const T0 = new Date('2026-11-24T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const ok = (r: LoginResult) => r.ok;
const answer = (r: LoginResult) => (r.ok ? 'ok' : r.reason);

// Every test uses addresses of its own, so the per-address keys never leak from one test into another.
let nextNet = 10;
const net = () => {
  const n = nextNet++;
  return (host: number) => `10.${n}.0.${host}`;
};

describe('back-off per e-mail and address', () => {
  it('doubles from one minute after the fifth failure, up to an hour, and waiting it out does not wipe it', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    const wrong = (now: Date) => login(database.db, { email: u.email, password: 'not-the-password', ip, now });
    const right = (now: Date) => login(database.db, { email: u.email, password: u.password, ip, now });

    let t = 0;
    for (let i = 1; i <= 5; i++) expect(answer(await wrong(at((t += SECOND))))).toBe('invalid');
    // After the n-th failure in a row the wait is 1, 2, 4, 8, 16, 32, 60, 60 minutes: just before its end
    // even the right password is refused, just after it another guess is let through (and fails).
    const waits = [1, 2, 4, 8, 16, 32, 60, 60].map((m) => m * MINUTE);
    for (const wait of waits) {
      expect(answer(await right(at(t + wait - SECOND)))).toBe('throttled');
      t += wait + SECOND;
      expect(answer(await wrong(at(t)))).toBe('invalid');
    }
    expect(backOffMs(BACK_OFF.pair, 5)).toBe(MINUTE);
    expect(backOffMs(BACK_OFF.pair, 11)).toBe(HOUR);
    expect(backOffMs(BACK_OFF.pair, 500)).toBe(HOUR);
    // A success ends it all.
    expect(ok(await right(at(t + HOUR + SECOND)))).toBe(true);
    expect(answer(await wrong(at(t + HOUR + 2 * SECOND)))).toBe('invalid');
  });

  it('refused attempts neither count nor lengthen the wait', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    for (let i = 1; i <= 5; i++) await login(database.db, { email: u.email, password: 'nope-nope-nope', ip, now: at(i) });
    for (let i = 0; i < 30; i++) {
      expect(answer(await login(database.db, { email: u.email, password: 'nope-nope-nope', ip, now: at(30 * SECOND + i) }))).toBe('throttled');
    }
    expect(ok(await login(database.db, { email: u.email, password: u.password, ip, now: at(MINUTE + SECOND) }))).toBe(true);
  });

  it('forgets a quiet key after a day', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    for (let i = 1; i <= 5; i++) await login(database.db, { email: u.email, password: 'nope-nope-nope', ip, now: at(i) });
    // Past the first minute, four more failures would each open a longer wait…
    const later = at(FORGET_MS + MINUTE);
    // …but a day without attempts starts again at zero: five free ones.
    for (let i = 1; i <= 5; i++) expect(answer(await login(database.db, { email: u.email, password: 'nope-nope-nope', ip, now: new Date(later.getTime() + i) }))).toBe('invalid');
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip, now: new Date(later.getTime() + 10) }))).toBe('throttled');
    // The housekeeping job frees rows only once they are forgotten and not waiting.
    const account = accountOf(u.email);
    expect(await database.db.select().from(signinThrottle).where(eq(signinThrottle.account, account))).not.toEqual([]);
    await purgeExpiredSessions(database.db, new Date(later.getTime() + 10));
    expect(await database.db.select().from(signinThrottle).where(eq(signinThrottle.account, account))).not.toEqual([]);
    await purgeExpiredSessions(database.db, new Date(later.getTime() + 2 * FORGET_MS));
    expect(await database.db.select().from(signinThrottle).where(eq(signinThrottle.account, account))).toEqual([]);
  });

  it('lets no parallel guess slip past while the password is being checked', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    for (let i = 1; i <= 4; i++) await login(database.db, { email: u.email, password: `wrong-${i}`, ip, now: at(i) });
    // Ten guesses at once where one was left: exactly one is checked, the rest wait.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => login(database.db, { email: u.email, password: `burst-${i}`, ip, now: at(10) })));
    expect(burst.map(answer).sort()).toEqual(['invalid', ...Array<string>(9).fill('throttled')]);
  });
});

describe('what an outsider cannot do to a real account', () => {
  it('failing on the first admin from one address never stops the admin from another address', async () => {
    const admin = await staffActor(database.db, { role: 'admin', email: 'admin@pintu.local' });
    const outsider = net()(66);
    // Hours of guessing at the admin's pace: every attempt it is allowed, and many it is not.
    let t = 0;
    for (let i = 0; i < 40; i++) {
      await login(database.db, { email: 'admin@pintu.local', password: `guess-${i}`, ip: outsider, now: at(t) });
      t += 20 * MINUTE;
    }
    expect(answer(await login(database.db, { email: 'admin@pintu.local', password: admin.password, ip: outsider, now: at(t) }))).toBe('throttled');
    const office = net()(1);
    expect(ok(await login(database.db, { email: 'admin@pintu.local', password: admin.password, ip: office, now: at(t) }))).toBe(true);
    // The account itself was never locked: no column for it, and the audit log says who was held, and how.
    const held = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'staff.signin_held'), eq(auditLog.entityId, String(admin.id))));
    expect(held.find((h) => h.details?.attempts === 5)).toMatchObject({ actorKind: 'system', entity: 'staff_user', ip: outsider, details: { by: 'pair', attempts: 5, waitSeconds: 60 } });
  });

  it('a browser that signed in before gets in even when guesses from many addresses hold the account, and from the guessers’ own address', async () => {
    const u = await staffActor(database.db, { role: 'supervisor' });
    const office = net()(1);
    const first = await login(database.db, { email: u.email, password: u.password, ip: office, now: at(0) });
    if (!first.ok) throw new Error('sign-in failed');
    const device = first.device.token;
    expect(device).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A botnet: 30 addresses × 4 guesses each, under every per-address limit, past the account-wide one.
    for (let a = 0; a < 30; a++) {
      const bot = net()(a + 1);
      for (let i = 0; i < 4; i++) await login(database.db, { email: u.email, password: `bot-${a}-${i}`, ip: bot, now: at(MINUTE + a * 10 + i) });
    }
    // Now the account-wide key waits: a new browser is refused with the plain answer, even with the password…
    const fresh = net()(9);
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip: fresh, now: at(MINUTE + 30 * SECOND) }))).toBe('invalid');
    // …but the person's own browser is not held by it.
    const again = await login(database.db, { email: u.email, password: u.password, ip: office, device, now: at(MINUTE + 30 * SECOND) });
    expect(ok(again)).toBe(true);
    expect(again.ok && again.device.token).toBe(device); // the same browser keeps its token

    // The same office address also held by a guesser there (a shared NAT): the known browser still gets in.
    for (let i = 0; i < 25; i++) await login(database.db, { email: `someone${i}@dinsos.test`, password: 'x-x-x-x-x-x', ip: office, now: at(3 * MINUTE + i) });
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip: office, now: at(3 * MINUTE + 30 * SECOND) }))).toBe('throttled');
    expect(ok(await login(database.db, { email: u.email, password: u.password, ip: office, device, now: at(3 * MINUTE + 30 * SECOND) }))).toBe(true);
  });

  it('a known browser still has a back-off of its own, and is known only for the account it signed in to', async () => {
    const u = await staffActor(database.db, { role: 'operator' });
    const other = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    const first = await login(database.db, { email: u.email, password: u.password, ip, now: at(0) });
    if (!first.ok) throw new Error('sign-in failed');
    const device = first.device.token;
    for (let i = 1; i <= 5; i++) expect(answer(await login(database.db, { email: u.email, password: `wrong-${i}`, ip, device, now: at(i) }))).toBe('invalid');
    expect(answer(await login(database.db, { email: u.email, password: u.password, ip, device, now: at(30 * SECOND) }))).toBe('throttled');
    expect(ok(await login(database.db, { email: u.email, password: u.password, ip, device, now: at(MINUTE + SECOND) }))).toBe(true);

    // For a colleague's account the cookie counts for nothing: the pair and address keys apply.
    for (let i = 1; i <= 5; i++) await login(database.db, { email: other.email, password: `wrong-${i}`, ip, device, now: at(2 * MINUTE + i) });
    expect(answer(await login(database.db, { email: other.email, password: other.password, ip, device, now: at(2 * MINUTE + 30 * SECOND) }))).toBe('throttled');
    // A made-up cookie is not adopted: the browser gets a token the service issued.
    const planted = await login(database.db, { email: u.email, password: u.password, ip: net()(1), device: 'chosen-by-someone-else', now: at(3 * MINUTE) });
    expect(planted.ok && planted.device.token).not.toBe('chosen-by-someone-else');
  });
});

describe('per client address, across accounts', () => {
  it('one address spraying many e-mails is held after twenty failures, for every account, right passwords included', async () => {
    const sprayer = net()(7);
    const victims = await Promise.all(Array.from({ length: 3 }, () => staffActor(database.db, { role: 'viewer' })));
    for (let i = 0; i < BACK_OFF.address.free; i++) {
      const email = i < victims.length ? victims[i]!.email : `guess${i}@dinsos.test`;
      expect(answer(await login(database.db, { email, password: 'Bansos2026!', ip: sprayer, now: at(i) }))).toBe('invalid');
    }
    for (const v of victims) {
      expect(answer(await login(database.db, { email: v.email, password: v.password, ip: sprayer, now: at(30 * SECOND) }))).toBe('throttled');
      expect(ok(await login(database.db, { email: v.email, password: v.password, ip: net()(1), now: at(30 * SECOND) }))).toBe(true);
    }
    // The wait doubles like any other: two minutes after the 21st failure.
    expect(answer(await login(database.db, { email: 'late@dinsos.test', password: 'x-x-x-x-x', ip: sprayer, now: at(MINUTE + SECOND) }))).toBe('invalid');
    expect(answer(await login(database.db, { email: victims[0]!.email, password: victims[0]!.password, ip: sprayer, now: at(MINUTE + SECOND + 2 * MINUTE - SECOND) }))).toBe('throttled');
    expect(ok(await login(database.db, { email: victims[0]!.email, password: victims[0]!.password, ip: sprayer, now: at(MINUTE + SECOND + 2 * MINUTE + SECOND) }))).toBe(true);
  });

  it('signing in to one’s own account does not wipe what the address did to others', async () => {
    const insider = await staffActor(database.db, { role: 'operator' });
    const ip = net()(1);
    for (let i = 0; i < BACK_OFF.address.free - 1; i++) await login(database.db, { email: `colleague${i}@dinsos.test`, password: 'Bansos2026!', ip, now: at(i) });
    expect(ok(await login(database.db, { email: insider.email, password: insider.password, ip, now: at(100) }))).toBe(true);
    // Nineteen still count: the twentieth failure opens the wait.
    expect(answer(await login(database.db, { email: 'colleague99@dinsos.test', password: 'Bansos2026!', ip, now: at(101) }))).toBe('invalid');
    expect(answer(await login(database.db, { email: 'colleague98@dinsos.test', password: 'Bansos2026!', ip, now: at(102) }))).toBe('throttled');
  });
});

describe('one answer for every failure', () => {
  it('an unknown e-mail, a wrong password and an inactive account answer alike, attempt by attempt, waits included', async () => {
    const real = await staffActor(database.db, { role: 'operator' });
    const inactive = await staffActor(database.db, { role: 'operator' });
    await database.db.update(staffUsers).set({ active: false }).where(eq(staffUsers.id, inactive.id));
    const run = async (email: string, password: string) => {
      const ip = net()(1);
      const out: string[] = [];
      for (let i = 0; i < 8; i++) out.push(answer(await login(database.db, { email, password, ip, now: at(i * 10 * SECOND) })));
      return out;
    };
    const unknown = await run('nobody-here@dinsos.test', 'not-the-password');
    expect(unknown).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'throttled', 'throttled', 'throttled']);
    expect(await run(real.email, 'not-the-password')).toEqual(unknown);
    // The inactive account's right password too.
    expect(await run(inactive.email, inactive.password)).toEqual(unknown);
  });
});
