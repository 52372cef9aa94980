import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints, outbox } from '../../../src/db/schema/index.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createStaffUser } from '../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { contact, file, kecamatanId } from '../../services/complaints/lifecycle.fixtures.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../helpers/console.ts';

// The console through the real app over HTTP, with a browser's cookie handling done by hand.

const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>';

async function signIn(b: Browser, email: string, password = PASSWORD): Promise<Response> {
  const form = await (await b.fetch('/console/login')).text();
  return b.post('/console/login', { _csrf: csrfIn(form), email, password });
}

/** Signs in and returns the session's CSRF token as the pages carry it, once the inbox has opened. */
async function session(b: Browser, email: string): Promise<string> {
  const { csrf } = await signedIn(b, email);
  const inbox = await b.fetch('/console/complaints');
  expect(inbox.status).toBe(200);
  return csrf;
}

describe('console', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let sagulung: number;
  let complaintId: number;
  let trackingId: string;
  let contactId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50 });
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    sagulung = await kecamatanId(db, 'Sagulung');
    const nongsa = await kecamatanId(db, 'Nongsa');
    await createStaffUser(db, 'system', { email: 'op.sagulung@pintu.test', name: 'Operator <b>Sagulung</b>', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'op.nongsa@pintu.test', name: 'Operator Nongsa', role: 'operator', kecamatanId: nongsa, password: PASSWORD });
    contactId = await contact(db, { channel: 'webchat' });
    const filed = await file(db, { contactId, kecamatanId: sagulung, now: new Date(), summary: `${XSS} ${'x'.repeat(10_000)}` });
    complaintId = filed.id;
    trackingId = filed.trackingId;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows the login form in Bahasa Indonesia by default and in English on request', async () => {
    const b = new Browser(base);
    const id = await (await b.fetch('/console/login')).text();
    expect(id).toContain('Masuk ke konsol');
    const en = await (await b.fetch('/console/login', { headers: { 'accept-language': 'en-US,en;q=0.9' } })).text();
    expect(en).toContain('Sign in to the console');
    const switched = await (await b.fetch('/console/login?lang=en')).text();
    expect(switched).toContain('Sign in to the console');
    expect(await (await b.fetch('/console/login')).text()).toContain('Sign in to the console'); // remembered
  });

  it('signs in with the right password and sets a safe session cookie', async () => {
    const b = new Browser(base);
    const res = await signIn(b, 'op.sagulung@pintu.test');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/complaints');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pintu_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Expires=/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http in the test; https requests get Secure
    const page = await (await b.fetch('/console/complaints')).text();
    expect(page).toContain('Kotak masuk');
    expect(page).toContain('Operator &lt;b&gt;Sagulung&lt;/b&gt;');
  });

  it('marks the session cookie Secure behind the trusted https proxy, and sends a strict content security policy', async () => {
    // TRUST_PROXY's reading of the scheme (test/http/console/shell/secure-cookie.test.ts has the rules).
    const proxied = await createTestApp(database, { trustProxy: true });
    try {
      const b = new Browser(await proxied.listen());
      const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.20' };
      const form = await b.fetch('/console/login', { headers: https });
      expect(form.headers.get('content-security-policy')).toContain("default-src 'none'");
      const res = await b.post('/console/login', { _csrf: csrfIn(await form.text()), email: 'op.sagulung@pintu.test', password: PASSWORD }, https);
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('pintu_session='))).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it('answers a wrong password and an unknown email with the same generic message', async () => {
    const wrong = await signIn(new Browser(base), 'op.nongsa@pintu.test', 'not-the-password');
    const unknown = await signIn(new Browser(base), 'nobody@pintu.test', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await wrong.text();
    const b = await unknown.text();
    expect(a).toContain('Email atau kata sandi salah.');
    expect(b).toContain('Email atau kata sandi salah.');
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('pintu_session='))).toBe(false);
  });

  it('refuses a login post without the login form token', async () => {
    const b = new Browser(base);
    const res = await b.post('/console/login', { email: 'op.sagulung@pintu.test', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('pintu_session='))).toBe(false);
  });

  it('asks a client that keeps failing to wait, with the same status, no time and nothing about the account', async () => {
    await createStaffUser(database.db, 'system', { email: 'locked@pintu.test', name: 'Locked', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) last = await signIn(new Browser(base), 'locked@pintu.test', 'wrong-password-x');
    expect(last!.status).toBe(401);
    // Five from this address: the next waits, the right password included, and is told only to wait.
    const held = await signIn(new Browser(base), 'locked@pintu.test');
    expect(held.status).toBe(401);
    const page = await held.text();
    expect(page).toContain('Mohon tunggu sebentar lalu coba lagi.');
    expect(page).not.toContain('Akun dikunci');
    expect(page).not.toMatch(/setelah \d/);
    expect(held.headers.getSetCookie().some((c) => c.startsWith('pintu_session='))).toBe(false);
  });

  it('sends a visitor without a session to the login page', async () => {
    const b = new Browser(base);
    for (const path of ['/console', '/console/complaints', `/console/complaints/${complaintId}`, '/console/password']) {
      const res = await b.fetch(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe('/console/login');
    }
    const post = await b.post(`/console/complaints/${complaintId}/note`, { text: 'x' });
    expect(post.status).toBe(401);
  });

  it('refuses a POST without the CSRF token and changes nothing', async () => {
    const b = new Browser(base);
    await session(b, 'op.sagulung@pintu.test');
    const before = await database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, complaintId));
    const none = await b.post(`/console/complaints/${complaintId}/note`, { text: 'catatan' });
    expect(none.status).toBe(403);
    const wrong = await b.post(`/console/complaints/${complaintId}/verify`, { _csrf: 'forged' });
    expect(wrong.status).toBe(403);
    const header = await b.post(`/console/complaints/${complaintId}/verify`, {}, { 'x-csrf-token': 'forged' });
    expect(header.status).toBe(403);
    const after = await database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, complaintId));
    expect(after.length).toBe(before.length);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, complaintId));
    expect(c!.status).toBe('received');
  });

  it('refuses the cookie of a logged-out session', async () => {
    const b = new Browser(base);
    const csrf = await session(b, 'op.sagulung@pintu.test');
    const stolen = b.cookies.get('pintu_session')!;
    const out = await b.post('/console/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(b.cookies.has('pintu_session')).toBe(false);
    const replay = new Browser(base);
    replay.cookies.set('pintu_session', stolen);
    const res = await replay.fetch('/console/complaints');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
    expect((await replay.post(`/console/complaints/${complaintId}/note`, { _csrf: csrf, text: 'x' })).status).toBe(401);
  });

  it('renders hostile complaint text escaped, whole', async () => {
    const b = new Browser(base);
    await session(b, 'op.sagulung@pintu.test');
    const res = await b.fetch(`/console/complaints/${complaintId}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(trackingId);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('x'.repeat(10_000));
    // The only scripts are our own two files (htmx); nothing inline, nothing from elsewhere.
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
    expect(scripts.map((m) => /src="([^"]+)"/.exec(m[0])?.[1])).toEqual(['/console/assets/htmx.min.js', '/console/assets/htmx-sse.min.js', '/console/assets/console.js']);
    expect(scripts.every((m) => m[1] === '')).toBe(true);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
  });

  it('lists the complaint in the inbox and treats SQL in the search box as data', async () => {
    const b = new Browser(base);
    await session(b, 'op.sagulung@pintu.test');
    const all = await (await b.fetch('/console/complaints?queue=unassigned')).text();
    expect(all).toContain(trackingId);
    const byId = await (await b.fetch(`/console/complaints?q=${encodeURIComponent(trackingId.toLowerCase())}`)).text();
    expect(byId).toContain(trackingId);
    const sqlRes = await b.fetch(`/console/complaints?q=${encodeURIComponent("' or 1=1 --")}`);
    expect(sqlRes.status).toBe(200);
    const sqlPage = await sqlRes.text();
    expect(sqlPage).not.toContain(trackingId);
    expect(sqlPage).toContain('Tidak ada pengaduan yang cocok.');
    expect(sqlPage).toContain('value="&#39; or 1=1 --"');
    const junk = await b.fetch('/console/complaints?status=drop%20table&sla=x&category=%27&kecamatan=1%3B&page=-1');
    expect(junk.status).toBe(200);
  });

  it('gives an operator of another kecamatan 404 for the complaint and its actions', async () => {
    const b = new Browser(base);
    const csrf = await session(b, 'op.nongsa@pintu.test');
    const page = await b.fetch(`/console/complaints/${complaintId}`);
    expect(page.status).toBe(404);
    const body = await page.text();
    expect(body).not.toContain(trackingId);
    expect(body).not.toContain('alert(1)');
    expect((await b.post(`/console/complaints/${complaintId}/verify`, { _csrf: csrf })).status).toBe(404);
    expect((await b.fetch('/console/complaints/999999999')).status).toBe(404);
    expect((await b.fetch('/console/complaints/abc')).status).toBe(404);
    const inbox = await (await b.fetch('/console/complaints?queue=all')).text();
    expect(inbox).not.toContain(trackingId);
  });

  it('verifies, takes and answers a complaint: the reply waits in the outbox for the resident', async () => {
    const b = new Browser(base);
    const csrf = await session(b, 'op.sagulung@pintu.test');
    // A reply before verification is refused with the reason, and what was typed stays in the form.
    const early = await b.post(`/console/complaints/${complaintId}/reply`, { _csrf: csrf, text: 'Terlalu cepat' });
    expect(early.status).toBe(422);
    const earlyPage = await early.text();
    expect(earlyPage).toContain('Tindakan ini tidak bisa dilakukan pada status pengaduan sekarang.');

    for (const step of ['verify', 'assign', 'start']) {
      const res = await b.post(`/console/complaints/${complaintId}/${step}`, { _csrf: csrf });
      expect(res.status, step).toBe(303);
      expect(res.headers.get('location')).toBe(`/console/complaints/${complaintId}?done=${step}`);
    }
    const note = await b.post(`/console/complaints/${complaintId}/note`, { _csrf: csrf, text: 'Cek data <DTSEN>' });
    expect(note.status).toBe(303);

    const reply = await b.post(`/console/complaints/${complaintId}/reply`, { _csrf: csrf, text: 'Bantuan Anda sedang kami cek. <b>Terima kasih</b>' });
    expect(reply.status).toBe(303);
    const [c] = await database.db.select().from(complaints).where(eq(complaints.id, complaintId));
    expect(c!.status).toBe('answered');
    const queued = await database.db.select().from(outbox).where(and(eq(outbox.contactId, contactId), eq(outbox.status, 'pending')));
    expect(queued.map((r) => JSON.stringify(r.payload)).join('\n')).toContain('Bantuan Anda sedang kami cek.');

    const page = await (await b.fetch(`/console/complaints/${complaintId}?done=reply`)).text();
    expect(page).toContain('Balasan masuk antrean kirim ke warga.');
    expect(page).toContain('Dijawab');
    expect(page).toContain('Bantuan Anda sedang kami cek. &lt;b&gt;Terima kasih&lt;/b&gt;');
    expect(page).toContain('Cek data &lt;DTSEN&gt;');
    expect(page).toContain('Tutup pengaduan');
  });

  it('refuses a reply that WhatsApp Cloud cannot deliver, with the reason', async () => {
    const db = database.db;
    const old = new Date(Date.now() - 30 * 3_600_000);
    const waContact = await contact(db, { channel: 'whatsapp_cloud', lastInboundAt: old });
    const filed = await file(db, { contactId: waContact, kecamatanId: sagulung, now: old, summary: 'Bantuan belum cair' });
    const b = new Browser(base);
    const csrf = await session(b, 'op.sagulung@pintu.test');
    expect((await b.post(`/console/complaints/${filed.id}/verify`, { _csrf: csrf })).status).toBe(303);
    const view = await (await b.fetch(`/console/complaints/${filed.id}`)).text();
    expect(view).toContain('lebih dari 24 jam');
    const res = await b.post(`/console/complaints/${filed.id}/reply`, { _csrf: csrf, text: 'Halo' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('Balasan ditolak: warga terakhir mengirim pesan lebih dari 24 jam yang lalu');
    expect(page).toContain('>Halo</textarea>');
    const queued = await db.select().from(outbox).where(eq(outbox.contactId, waContact));
    expect(queued).toEqual([]);
  });

  it('changes the password after checking the current one; other sessions end', async () => {
    await createStaffUser(database.db, 'system', { email: 'pw@pintu.test', name: 'Pw', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
    const other = new Browser(base);
    await session(other, 'pw@pintu.test');
    const b = new Browser(base);
    const csrf = await session(b, 'pw@pintu.test');
    const wrong = await b.post('/console/password', { _csrf: csrf, current: 'nope-nope-nope', next: 'baru-sekali-panjang-2', confirm: 'baru-sekali-panjang-2' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Kata sandi sekarang salah.');
    const mismatch = await b.post('/console/password', { _csrf: csrf, current: PASSWORD, next: 'baru-sekali-panjang-2', confirm: 'lain' });
    expect(mismatch.status).toBe(422);
    const noCsrf = await b.post('/console/password', { current: PASSWORD, next: 'baru-sekali-panjang-2', confirm: 'baru-sekali-panjang-2' });
    expect(noCsrf.status).toBe(403);
    const ok = await b.post('/console/password', { _csrf: csrf, current: PASSWORD, next: 'baru-sekali-panjang-2', confirm: 'baru-sekali-panjang-2' });
    expect(ok.status).toBe(303);
    expect((await b.fetch('/console/complaints')).status).toBe(200);
    expect((await other.fetch('/console/complaints')).status).toBe(303);
    expect((await signIn(new Browser(base), 'pw@pintu.test', 'baru-sekali-panjang-2')).status).toBe(303);
  });

  it('keeps the WhatsApp pairing page where it was', async () => {
    const res = await new Browser(base).fetch('/console/whatsapp');
    expect(res.status).toBe(200); // loopback, no session needed
    expect(await res.text()).toContain('WhatsApp Web');
  });
});
