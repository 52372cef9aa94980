import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { readQr } from '../helpers/qr.ts';
import { contacts } from '../../src/db/schema/index.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { launchChromium } from '../helpers/browser.ts';

// The newcomer's path in a real browser: open /chat, pick a language, check aid for a demo resident.
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

  it('lets a resident check Siti Aminah\'s aid by clicking and typing', async () => {
    const page = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 640 } });
    await page.goto(`${base}/chat`);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    expect(await page.locator('.msg.bot').first().innerText()).toContain('Selamat datang');

    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await page.getByRole('button', { name: /Cek bansos saya/ }).last().click();
    await expect.poll(() => lastBotText(page)).toMatch(/NIK/);

    await page.getByRole('textbox').fill('2171105203850001');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastBotText(page)).toMatch(/tanggal lahir/i);
    await page.getByRole('textbox').fill('12-03-1985');
    await page.keyboard.press('Enter');

    await expect.poll(async () => (await page.locator('#log').innerText()).includes('Program Keluarga Harapan'), { timeout: 10_000 }).toBe(true);
    const log = await page.locator('#log').innerText();
    expect(log).toContain('Program Sembako');
    expect(log).toMatch(/pukul \d{2}\.\d{2} WIB/); // her invitation
    expect(log).toContain('S*** A****');
    // The log shows what the resident typed, but no reply repeats the NIK.
    const replies = await page.locator('.msg.bot').allInnerTexts();
    expect(replies.join('\n')).not.toContain('2171105203850001');
    await page.screenshot({ path: 'test/browser/last-webchat.png' });
    await page.close();
  }, 60_000);

  it('switches the conversation to English', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${base}/chat`);
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => lastBotText(page)).toContain('How can we help you?');
    await page.close();
  }, 60_000);

  it('shows an invitation\'s QR code that a scanner can read back', async () => {
    const page = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 640 } });
    await page.goto(`${base}/chat`);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(1);
    const chatId = (await page.evaluate(() => localStorage.getItem('pintu.chatId')))!;
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, chatId));
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
  }, 60_000);
});
