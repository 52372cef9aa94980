import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createDemoPhoneApp, type DemoPhoneApp } from '../helpers/demo-phones.ts';

// The newcomer's way to try every proof with no WhatsApp, in a real browser: the demo phones' page in one tab,
// the web chat in another. The code Siti asks for on the web chat appears on her phone's page by itself.

describe('demo phones in Chromium', () => {
  let database: TestDatabase;
  let t: DemoPhoneApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 30 });
    t = await createDemoPhoneApp(database);
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  const lastBotText = (page: Page) => page.locator('.msg.bot').last().innerText();

  it('lists the demo phones, accessibly, in both languages', async () => {
    const page = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 740 } });
    await page.goto(`${base}/demo/phones`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Telepon warga demo');
    const phones = page.getByRole('region', { name: 'Nomor telepon warga demo' }).getByRole('listitem');
    expect(await phones.count()).toBe(4);
    expect(await phones.filter({ hasText: 'Dewi Lestari' }).innerText()).toContain('Tidak ada nomor');
    expect(await phones.filter({ hasText: 'Ahmad Yusuf' }).innerText()).toContain('0812-7700-1002 · Nurhayati (nomor keluarga)');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test/browser/last-demo-phones.png', fullPage: true });

    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe("The demo residents' phones");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it("Siti asks for a code on the web chat; it arrives on her phone's open page; typed back, the chat is hers", async () => {
    // The list in a tab of its own: its count for Siti's phone moves by itself too.
    const list = await browser.newPage({ locale: 'id-ID' });
    await list.goto(`${base}/demo/phones`);
    await list.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);
    const sitiCard = list.locator('[data-phone="081277001001"]');
    expect(await sitiCard.innerText()).toContain('belum ada pesan');

    const phone = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 740 } });
    await phone.goto(`${base}/demo/phones`);
    await phone.getByRole('link', { name: /0812-7700-1001/ }).click();
    await phone.waitForURL(/\/demo\/phones\/081277001001$/);
    expect(await phone.getByRole('heading', { level: 1 }).innerText()).toBe('Telepon 0812-7700-1001');
    expect(await phone.title()).toBe('Telepon 0812-7700-1001 — Pintu');
    expect(await axeViolations(phone)).toEqual([]);
    // The stream is open before the code is sent, so the code must come by itself, with no reload.
    await phone.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);

    const chat = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 740 } });
    await chat.goto(`${base}/chat`);
    await chat.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await chat.getByRole('button', { name: /Cek bansos saya/ }).last().click();
    await expect.poll(() => lastBotText(chat)).toMatch(/NIK/);
    for (const [typed, next] of [
      ['2171105203850001', /KK/],
      ['2171100207180005', /tanggal lahir/i],
      // The code goes to her registry phone with the answer to the birth date.
      ['12-03-1985', /Kode 6 angka sudah kami kirim ke WhatsApp 0812\*\*\*\*1001/],
    ] as const) {
      await chat.getByRole('textbox').fill(typed);
      await chat.keyboard.press('Enter');
      await expect.poll(() => lastBotText(chat), { timeout: 10_000 }).toMatch(next);
    }

    const messages = phone.getByTestId('messages');
    await expect.poll(() => messages.innerText(), { timeout: 10_000 }).toMatch(/Kode Pintu Bapak\/Ibu: \d{6}/);
    const code = /Kode Pintu Bapak\/Ibu: (\d{6})/.exec(await messages.innerText())![1]!;
    await expect.poll(() => sitiCard.innerText(), { timeout: 10_000 }).toMatch(/1 pesan, terakhir/);
    await phone.screenshot({ path: 'test/browser/last-demo-phone.png', fullPage: true });

    await chat.getByRole('textbox').fill(code);
    await chat.keyboard.press('Enter');
    // The public view already named PKH; the code's answer is "Kode benar", then the answer first ("Ya, …").
    await expect.poll(async () => (await chat.locator('#log').innerText()).includes('Kode benar'), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await chat.locator('#log').innerText()).includes('Ya, keluarga Bapak/Ibu menerima'), { timeout: 10_000 }).toBe(true);
    // And her phone is told that a new chat speaks for the family.
    await expect.poll(() => messages.innerText(), { timeout: 10_000 }).toContain('sebuah chat baru sekarang terhubung');
    await chat.close();
    await phone.close();
    await list.close();
  }, 90_000);

  it('writes as Budi\'s phone: "cek bansos" and the facts link it, and the summary shows on the page', async () => {
    const page = await browser.newPage({ locale: 'id-ID', viewport: { width: 360, height: 740 } });
    await page.goto(`${base}/demo/phones/081277001003`);
    const shown = page.getByTestId('messages').locator(':scope > li');
    for (const text of ['cek bansos', '1', 'cek bansos', '2171112007900003', '2171111006190008', '20-07-1990']) {
      const before = await shown.count();
      await page.getByRole('textbox', { name: 'Pesan' }).fill(text);
      await page.getByRole('button', { name: 'Kirim' }).click();
      await page.waitForURL(/\/demo\/phones\/081277001003#reply$/);
      // What was written and the office's answer (the history keeps a NIK masked, so it is counted, not read).
      await expect.poll(() => shown.count()).toBeGreaterThan(before + 1);
    }
    const screen = await page.getByTestId('messages').innerText();
    expect(screen).toContain('Nomor ini terdaftar untuk keluarga Bapak/Ibu');
    expect(screen).toContain('desil 5');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 90_000);
});
