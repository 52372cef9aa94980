import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { Browser, csrfIn, PASSWORD } from '../../../helpers/console.ts';

// The console's sign-in over real HTTP behind a trusted proxy, so each request can come from the address
// the test names (X-Forwarded-For): an outsider guessing at admin@pintu.local, the admin elsewhere, the
// admin's own browser on the outsider's very address, and the answers every one of them sees.

const FAILED = 'Email atau kata sandi salah.';
const WAIT = 'Mohon tunggu sebentar lalu coba lagi.';

async function signIn(b: Browser, from: string, email: string, password: string): Promise<{ status: number; page: string; res: Response }> {
  const headers = { 'x-forwarded-for': from };
  const form = await (await b.fetch('/console/login', { headers })).text();
  const res = await b.post('/console/login', { _csrf: csrfIn(form), email, password }, headers);
  return { status: res.status, page: res.status === 303 ? '' : await res.text(), res };
}

/** The error the login page shows, or '' when there is none. */
const errorOf = (page: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(page)?.[1]?.trim() ?? '';

describe('console sign-in: back-off that an outsider cannot turn on the account', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database, { trustProxy: true });
    base = await t.listen();
    await createStaffUser(database.db, 'system', { email: 'admin@pintu.local', name: 'Administrator', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'op@pintu.test', name: 'Operator', role: 'operator', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('gives an unknown e-mail, a wrong password and a held client the same status, and never a time or an account state', async () => {
    const unknown = await signIn(new Browser(base), '198.51.100.10', 'nobody@pintu.test', 'not-the-password');
    const wrong = await signIn(new Browser(base), '198.51.100.11', 'op@pintu.test', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(errorOf(unknown.page)).toBe(FAILED);
    expect(errorOf(wrong.page)).toBe(FAILED);
    // Whole pages alike but for the e-mail typed back and the form's one-time token.
    const plain = (page: string, email: string) => page.replaceAll(email, 'EMAIL').replace(/value="[A-Za-z0-9_-]{43}"/g, 'value="TOKEN"');
    expect(plain(unknown.page, 'nobody@pintu.test')).toBe(plain(wrong.page, 'op@pintu.test'));

    // Five more from each: both held the same way, with the same words, no time, no "locked".
    const held: string[] = [];
    for (const [from, email] of [['198.51.100.10', 'nobody@pintu.test'], ['198.51.100.11', 'op@pintu.test']] as const) {
      for (let i = 0; i < 4; i++) await signIn(new Browser(base), from, email, `wrong-${i}`);
      const r = await signIn(new Browser(base), from, email, 'one-more-wrong');
      expect(r.status).toBe(401);
      held.push(errorOf(r.page));
    }
    expect(held[0]).toContain(WAIT);
    expect(held[1]).toBe(held[0]);
    expect(held[0]).not.toMatch(/\d|kunci|lock/i);
  });

  it('an outsider failing on admin@pintu.local cannot stop the admin from another address, nor the admin’s browser on the outsider’s address', async () => {
    const office = '203.0.113.5';
    // The admin signed in here before: the browser holds a device cookie, HttpOnly and only for the login form.
    const adminBrowser = new Browser(base);
    const first = await signIn(adminBrowser, office, 'admin@pintu.local', PASSWORD);
    expect(first.status).toBe(303);
    const cookie = first.res.headers.getSetCookie().find((c) => c.startsWith('pintu_device='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/console\/login/i);

    // The outsider shares the office's address (one NAT) and keeps guessing, from many fresh browsers.
    for (let i = 0; i < 30; i++) await signIn(new Browser(base), office, 'admin@pintu.local', `guess-${i}`);
    const outsider = await signIn(new Browser(base), office, 'admin@pintu.local', PASSWORD);
    expect(outsider.status).toBe(401);
    expect(errorOf(outsider.page)).toContain(WAIT);

    // The admin from home, and from the office in the browser they always use.
    expect((await signIn(new Browser(base), '192.0.2.77', 'admin@pintu.local', PASSWORD)).status).toBe(303);
    expect((await signIn(adminBrowser, office, 'admin@pintu.local', PASSWORD)).status).toBe(303);
  });

  it('holds one address that sprays many e-mails, for every account, and nobody else', async () => {
    const sprayer = '198.51.100.99';
    for (let i = 0; i < 20; i++) await signIn(new Browser(base), sprayer, `guess${i}@pintu.test`, 'Bansos2026!');
    const op = await signIn(new Browser(base), sprayer, 'op@pintu.test', PASSWORD);
    expect(op.status).toBe(401);
    expect(errorOf(op.page)).toContain(WAIT);
    expect((await signIn(new Browser(base), '198.51.100.100', 'op@pintu.test', PASSWORD)).status).toBe(303);
  });
});
