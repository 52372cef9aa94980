import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannedResponses } from '../../src/db/schema/index.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { launchChromium } from '../helpers/browser.ts';

// An officer answers a resident who wrote on the web chat: the complaint is filed in the chat, opened and
// answered in the console, and the answer shows up in the resident's open chat page (SSE from the outbox).

const PASSWORD = 'kata-sandi-yang-panjang-1';
const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>';
const TRACKING = /ADU-\d{4}-\d{5}/;
const CANNED = 'Terima kasih, laporan {{nomor_tiket}} sudah kami teruskan ke kelurahan. Salam, {{petugas}}.';

describe('console in Chromium', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50 });
    // A complaint filed without identity has no kecamatan yet: a city-wide supervisor routes it.
    await createStaffUser(database.db, 'system', { email: 'spv@pintu.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    await database.db.insert(cannedResponses).values({ title: 'Sudah diteruskan', language: 'id', body: CANNED });
    t = await createTestApp(database);
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  /** A post from the resident's page: the page's request context sends its session cookie, as the page does. */
  async function say(page: Page, message: { text: string } | { choice: string }) {
    const res = await page.request.post(`${base}/webchat/messages`, { data: message });
    expect(res.status()).toBe(200);
    return (await res.json()) as { replies: { text: string }[] };
  }

  it('answers a web chat complaint from the console; the resident sees the answer; hostile text stays text', async () => {
    const dialogs: string[] = [];

    // The resident opens the web chat and files a complaint (through the chat's own endpoint, with the page's cookie).
    const resident = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    resident.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await resident.goto(`${base}/chat`);
    await expect.poll(() => resident.locator('.msg.bot').count()).toBeGreaterThan(0);
    await resident.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => resident.locator('.msg.bot').last().innerText()).toMatch(/\S/);
    await say(resident, { choice: 'complaint' });
    await say(resident, { choice: 'other' });
    await say(resident, { text: `Kantor kelurahan tidak menjawab ${XSS}` });
    await say(resident, { choice: 'skip' });
    const sent = await say(resident, { choice: 'send' });
    const trackingId = TRACKING.exec(sent.replies.map((r) => r.text).join('\n'))?.[0];
    expect(trackingId).toBeTruthy();

    // The officer signs in (a separate browser profile: its own cookies).
    const officer = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    officer.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await officer.goto(`${base}/console`);
    await expect.poll(() => officer.url()).toContain('/console/login');
    await officer.getByLabel('Email').fill('spv@pintu.test');
    await officer.getByLabel('Kata sandi').fill(PASSWORD);
    await officer.getByRole('button', { name: 'Masuk' }).click();
    await officer.waitForURL(/\/console\/complaints/);
    await officer.getByRole('link', { name: trackingId! }).click();
    await officer.waitForURL(/\/console\/complaints\/\d+$/);

    // The hostile text is shown as text: no element, no alert.
    const summary = await officer.getByTestId('summary').innerText();
    expect(summary).toContain('<script>alert(1)</script>');
    expect(summary).toContain('"><img src=x onerror=alert(1)>');
    expect(await officer.locator('main img').count()).toBe(0);
    // Only our own script files are on the page (htmx); nothing the resident wrote became a script.
    expect(await officer.locator('script:not([src^="/console/assets/"])').count()).toBe(0);

    // One click verifies, takes and starts it; the page is not reloaded (htmx), and the reply box appears.
    await officer.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
    await officer.getByRole('button', { name: 'Verifikasi dan tangani' }).click();
    await expect.poll(() => officer.getByTestId('status').innerText(), { timeout: 10_000 }).toBe('Sedang ditangani');
    expect(await officer.getByTestId('assignee').innerText()).toBe('Supervisor Kota');
    expect(await officer.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);

    // A canned response goes into the typed draft at the cursor, without losing it; its placeholders are
    // filled only when it is sent. "/" at the start of a line opens the search over them.
    const box = officer.getByLabel('Balasan (dikirim ke warga)');
    await box.fill('Selamat siang.\n');
    await box.press('End');
    await box.press('/');
    await expect.poll(() => officer.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('canned-search');
    await officer.keyboard.type('diteruskan');
    await officer.keyboard.press('Enter');
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe(`Selamat siang.\n${CANNED}`);
    // Ctrl+Enter sends; the box empties only once the office accepted it.
    await box.press('Control+Enter');
    await expect.poll(() => officer.getByTestId('status').innerText(), { timeout: 10_000 }).toBe('Dijawab');
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe('');
    expect(await officer.getByTestId('events').innerText()).toContain(CANNED);
    expect(await officer.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);

    // The answer reaches the resident's open chat page, filled in.
    const filled = `laporan ${trackingId} sudah kami teruskan ke kelurahan`;
    // Signed with the officer's name by the canned text itself ({{petugas}}): no second signature on top.
    await expect.poll(async () => (await resident.locator('#log').innerText()).includes(filled), { timeout: 15_000 }).toBe(true);

    // The resident answers in the chat; the officer's page shows it without a reload (SSE + htmx).
    await officer.evaluate(() => ((window as unknown as { stay: number }).stay = 42));
    await resident.getByRole('textbox').fill('Baik, terima kasih. Tapi sampai sekarang belum ada kabar.');
    await resident.keyboard.press('Enter');
    await expect
      .poll(async () => (await officer.getByTestId('events').innerText()).includes('Tapi sampai sekarang belum ada kabar.'), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => officer.getByTestId('status').innerText()).toBe('Dibuka kembali');
    expect(await officer.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(42); // the same page, never reloaded
    expect(await officer.getByTestId('conversation').innerText()).toContain(filled);

    // Back in the inbox, a new complaint appears in the list by itself.
    await officer.goto(`${base}/console/complaints`);
    await officer.evaluate(() => ((window as unknown as { stay: number }).stay = 7));
    await say(resident, { text: 'menu' });
    await say(resident, { choice: 'complaint' });
    await say(resident, { choice: 'other' });
    await say(resident, { text: 'Lampu jalan di depan balai warga mati sejak seminggu.' });
    await say(resident, { choice: 'skip' });
    const second = TRACKING.exec((await say(resident, { choice: 'send' })).replies.map((r) => r.text).join('\n'))?.[0];
    expect(second).toBeTruthy();
    await expect.poll(async () => (await officer.locator('#inbox-list').innerText()).includes(second!), { timeout: 10_000 }).toBe(true);
    expect(await officer.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(7);

    await officer.screenshot({ path: 'test/browser/last-console.png', fullPage: false });
    expect(dialogs).toEqual([]);
  }, 90_000);

  it('shows an operator of another kecamatan a 404 for a complaint out of scope', async () => {
    const db = database.db;
    const { kecamatanId, contact, file } = await import('../services/complaints/lifecycle.fixtures.ts');
    const nongsa = await kecamatanId(db, 'Nongsa');
    const sagulung = await kecamatanId(db, 'Sagulung');
    await createStaffUser(db, 'system', { email: 'op.nongsa@pintu.test', name: 'Operator Nongsa', role: 'operator', kecamatanId: nongsa, password: PASSWORD });
    const filed = await file(db, { contactId: await contact(db), kecamatanId: sagulung, now: new Date(), summary: 'Di Sagulung' });

    const page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill('op.nongsa@pintu.test');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(/\/console\/complaints/);
    const res = await page.goto(`${base}/console/complaints/${filed.id}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Tidak ditemukan');
    expect(await page.content()).not.toContain(filed.trackingId);
  }, 60_000);
});
