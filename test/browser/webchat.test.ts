import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { readQr } from '../helpers/qr.ts';
import { contacts } from '../../src/db/schema/index.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { sha256 } from '../../src/services/staff/secrets.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { launchChromium } from '../helpers/browser.ts';
import { CHAT_COOKIE } from '../helpers/webchat.ts';

// The newcomer's path in a real browser: open /chat, pick a language, check aid for a demo resident. The chat
// is the server's session cookie, which the page's script never sees; Keluar starts a new chat.
describe('web chat in Chromium', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50 });
    t = await createTestApp(database);
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  async function lastBotText(page: Page) {
    return page.locator('.msg.bot').last().innerText();
  }

  /** The session cookie as the browser keeps it. */
  async function chatCookie(context: BrowserContext) {
    return (await context.cookies()).find((c) => c.name === CHAT_COOKIE);
  }

  /** The contact of the chat this browser holds: its externalId is the hash of the cookie. */
  async function contactOf(context: BrowserContext) {
    const cookie = await chatCookie(context);
    const [c] = await database.db.select().from(contacts).where(eq(contacts.externalId, sha256(cookie!.value)));
    return c;
  }

  async function opened(locale: string) {
    const context = await browser.newContext({ locale, viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${base}/chat`);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    return { context, page };
  }

  it('lets a resident check Siti Aminah\'s aid by clicking and typing', async () => {
    const { context, page } = await opened('id-ID');
    expect(await page.locator('.msg.bot').first().innerText()).toContain('Selamat datang');

    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await page.getByRole('button', { name: /Cek bansos saya/ }).last().click();
    await expect.poll(() => lastBotText(page)).toMatch(/NIK/);

    await page.getByRole('textbox').fill('2171105203850001');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastBotText(page)).toMatch(/nomor KK/);
    await page.getByRole('textbox').fill('2171100207180005');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastBotText(page)).toMatch(/tanggal lahir/i);
    await page.getByRole('textbox').fill('12-03-1985');
    await page.keyboard.press('Enter');

    await expect.poll(async () => (await page.locator('#log').innerText()).includes('Program Keluarga Harapan'), { timeout: 10_000 }).toBe(true);
    // The log shows what the resident typed, but no reply repeats the NIK.
    const replies = await page.locator('.msg.bot').allInnerTexts();
    expect(replies.join('\n')).not.toContain('2171105203850001');
    await page.screenshot({ path: 'test/browser/last-webchat.png' });
    await context.close();
  }, 60_000);

  it('keeps the chat in an HttpOnly cookie that the page cannot read, and nothing in storage', async () => {
    const { context, page } = await opened('id-ID');
    const cookie = (await chatCookie(context))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(await page.evaluate(() => document.cookie)).not.toContain(CHAT_COOKIE);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await context.close();
  }, 60_000);

  it('switches the conversation to English', async () => {
    const { context, page } = await opened('en-US');
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => lastBotText(page)).toContain('How can we help?');
    await context.close();
  }, 60_000);

  it('keeps an officer\'s handover through a reload; otherwise a reload shows the menu of the same chat', async () => {
    const { context, page } = await opened('id-ID');
    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => lastBotText(page)).toContain('Ada yang bisa kami bantu?');
    const chat = (await contactOf(context))!;

    await page.reload();
    await expect.poll(() => lastBotText(page)).toContain('Ada yang bisa kami bantu?');
    expect((await contactOf(context))!.id).toBe(chat.id);

    await page.getByRole('textbox').fill('petugas');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await contactOf(context))!.handoverAt).not.toBeNull();
    await page.reload();
    await expect.poll(() => lastBotText(page)).toMatch(/^Pintu\s*Petugas sedang menangani percakapan ini/);
    expect((await contactOf(context))!.handoverAt).not.toBeNull();
    await context.close();
  }, 60_000);

  it('Keluar starts a new chat in the same tab; the page passes axe', async () => {
    const { context, page } = await opened('id-ID');
    const found = await axeViolations(page);
    expect(found, JSON.stringify(found)).toEqual([]);
    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => lastBotText(page)).toContain('Ada yang bisa kami bantu?');
    const before = (await chatCookie(context))!.value;

    await page.getByRole('button', { name: 'Keluar' }).click();
    await expect.poll(() => page.locator('.msg.bot').first().innerText()).toContain('Bapak/Ibu sudah keluar');
    await expect.poll(() => lastBotText(page)).toMatch(/Selamat datang|Bahasa Indonesia/);
    expect(await page.locator('#log').innerText()).not.toContain('Ada yang bisa kami bantu?');
    const after = (await chatCookie(context))!.value;
    expect(after).not.toBe(before);
    // The new chat's stream works: a message queued for it arrives in the page.
    const fresh = (await contactOf(context))!;
    await enqueue(database.db, { contactId: fresh.id, channel: 'webchat', messages: [{ text: 'Pesan untuk percakapan baru.' }], priority: 'reply' });
    await expect.poll(async () => (await page.locator('#log').innerText()).includes('Pesan untuk percakapan baru.'), { timeout: 15_000 }).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows an invitation\'s QR code that a scanner can read back', async () => {
    const { context, page } = await opened('id-ID');
    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(1);
    const contact = await contactOf(context);
    // As an invitation is queued: the outbox keeps the code, the page gets the drawn image.
    await enqueue(database.db, { contactId: contact!.id, channel: 'webchat', messages: [{ text: 'Undangan penyaluran. Kode: K7MQ-4XRT', qrCode: 'K7MQ4XRT' }], priority: 'bulk' });
    const qr = page.locator('img.qr');
    await expect.poll(() => qr.count(), { timeout: 15_000 }).toBe(1);
    expect(await qr.getAttribute('alt')).toMatch(/Kode QR undangan/);
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    // Read the pixels back the way a scanner would.
    const data = await qr.evaluate((img: HTMLImageElement) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return { width: canvas.width, height: canvas.height, rgba: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data) };
    });
    expect(readQr(Uint8ClampedArray.from(data.rgba), data.width, data.height)).toBe('K7MQ4XRT');
    await context.close();
  }, 60_000);
});
