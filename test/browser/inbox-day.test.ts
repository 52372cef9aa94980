import type { Browser, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, kecamatan } from '../../src/db/schema/index.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { contact, file } from '../services/complaints/lifecycle.fixtures.ts';

// Issue 18, an officer's day in Chromium: a resident asks for an officer and the badge appears without a
// reload; Rina takes the chat and Andi sees that she has it; the resident reads Rina's name above her answer;
// a supervisor verifies a complaint with a corrected kecamatan, hands it to Rina and corrects its kind; many
// complaints are closed as spam only after a confirmation with their count. axe on every page of the path.

const PASSWORD = 'kata-sandi-yang-panjang-1';

describe('an officer\'s day in the inbox (Chromium)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 30 });
    // Unverified chats go to city-wide staff (the central desk), so these officers have no kecamatan.
    await createStaffUser(database.db, 'system', { email: 'rina@pintu.test', name: 'Rina Wulandari', role: 'operator', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'andi@pintu.test', name: 'Andi Saputra', role: 'operator', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'spv@pintu.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    t = await createTestApp(database);
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'id-ID', viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(/\/console\/complaints/);
    return page;
  }

  async function noSeriousViolations(page: Page) {
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
  }

  it('brings a waiting resident to the officer without a reload; one officer answers, the other sees who', async () => {
    const rina = await signIn('rina@pintu.test');
    await noSeriousViolations(rina);
    await rina.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
    const before = Number((await rina.locator('#work-badge').getAttribute('data-attention')) ?? '0');

    // The resident asks for an officer on the web chat.
    const resident = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await resident.goto(`${base}/chat`);
    await expect.poll(() => resident.locator('.msg.bot').count()).toBeGreaterThan(0);
    await resident.getByRole('button', { name: /Bahasa Indonesia/ }).click();
    await expect.poll(() => resident.locator('.msg.bot').last().innerText(), { timeout: 10_000 }).toMatch(/\S/);
    const asked = await resident.request.post(`${base}/webchat/messages`, { data: { text: 'saya mau bicara dengan petugas' } });
    expect(asked.status()).toBe(200);

    // The badge and the tab title change by themselves on the page Rina already had open.
    await expect.poll(async () => Number((await rina.locator('#work-badge').getAttribute('data-attention')) ?? '0'), { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => rina.title(), { timeout: 10_000 }).toMatch(/^\(\d+\) /);
    expect(await rina.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
    await expect.poll(() => rina.getByTestId('work-tabs').locator('[data-tab="chats"] .count').innerText(), { timeout: 10_000 }).toBe('1');

    // Rina opens the live chats tab, then the chat, and takes it.
    await rina.getByTestId('work-tabs').locator('[data-tab="chats"]').click();
    await rina.waitForURL(/\/console\/handovers$/);
    await noSeriousViolations(rina);
    await rina.locator('[data-testid="handovers"] a').first().click();
    await rina.waitForURL(/\/console\/handovers\/\d+$/);
    expect(await rina.getByTestId('language').innerText()).toBe('Bahasa Indonesia');
    await rina.getByRole('button', { name: 'Ambil chat ini' }).click();
    await expect.poll(() => rina.getByTestId('claimed-by').innerText(), { timeout: 10_000 }).toBe('Rina Wulandari');
    await noSeriousViolations(rina);
    const chatUrl = rina.url();

    // Andi opens the same chat: he sees that Rina has it and has no box to write over her.
    const andi = await signIn('andi@pintu.test');
    await andi.goto(chatUrl);
    expect(await andi.getByTestId('claimed-by-other').innerText()).toContain('Rina Wulandari sedang menjawab');
    expect(await andi.locator('#reply-text').count()).toBe(0);
    await andi.goto(`${base}/console/handovers`);
    expect(await andi.getByTestId('answering').first().innerText()).toContain('Rina Wulandari sedang menjawab');

    // Rina answers with Ctrl+Enter; the resident reads her name above the answer.
    const box = rina.getByLabel('Pesan Anda untuk warga');
    await box.fill('Selamat siang, Bapak/Ibu. Ada yang bisa saya bantu?');
    await box.press('Control+Enter');
    await rina.waitForURL(/done=reply/);
    await expect
      .poll(async () => (await resident.locator('#log').innerText()).includes('Rina Wulandari, petugas Dinas Sosial:'), { timeout: 15_000 })
      .toBe(true);
    expect(await resident.locator('#log').innerText()).toContain('Ada yang bisa saya bantu?');
  }, 120_000);

  it('lets a supervisor verify with a corrected kecamatan, hand a complaint to an officer and correct its kind', async () => {
    const db = database.db;
    const [sagulung] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Sagulung'));
    const [nongsa] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Nongsa'));
    const filed = await file(db, { contactId: await contact(db), kecamatanId: sagulung!.id, now: new Date(), summary: 'Jalan ke lokasi penyaluran di Nongsa tergenang banjir.' });

    const spv = await signIn('spv@pintu.test');
    await spv.goto(`${base}/console/complaints/${filed.id}`);
    await noSeriousViolations(spv);
    expect(await spv.getByTestId('take-first').innerText()).toContain('Verifikasi dan tangani');
    await spv.evaluate(() => ((window as unknown as { stay: number }).stay = 2));
    await spv.getByText('Perbaiki wilayah, bidang, atau jenis').first().click();
    await spv.locator('#take-kecamatan').selectOption({ label: 'Nongsa' });
    await spv.getByRole('button', { name: 'Verifikasi dan tangani' }).click();
    await expect.poll(() => spv.getByTestId('kecamatan').innerText(), { timeout: 10_000 }).toBe('Nongsa');
    expect(await spv.getByTestId('status').innerText()).toBe('Sedang ditangani');
    // The reply box is there now, without a reload.
    await expect.poll(() => spv.locator('#reply-text').count(), { timeout: 10_000 }).toBe(1);

    // Hand it to Rina, then correct the kind it was filed under.
    await spv.locator('#assign-to').selectOption({ label: 'Rina Wulandari' });
    await spv.getByRole('button', { name: 'Berikan', exact: true }).click();
    await expect.poll(() => spv.getByTestId('assignee').innerText(), { timeout: 10_000 }).toBe('Rina Wulandari');
    await spv.getByText('Perbaiki wilayah, bidang, atau jenis').first().click();
    await spv.locator('#route-category').selectOption('site_too_far');
    await spv.getByRole('button', { name: 'Simpan perbaikan' }).click();
    await expect.poll(() => spv.getByTestId('events').innerText(), { timeout: 10_000 }).toContain('Diubah: jenis');
    expect(await spv.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(2);

    const [row] = await db.select().from(complaints).where(eq(complaints.id, filed.id));
    expect({ kecamatanId: row!.kecamatanId, category: row!.category, status: row!.status }).toEqual({ kecamatanId: nongsa!.id, category: 'site_too_far', status: 'in_progress' });
    // Rina, an operator, still holds it though the kecamatan moved: she works city-wide.
    const [rinaRow] = await db.select({ assigneeId: complaints.assigneeId }).from(complaints).where(eq(complaints.id, filed.id));
    expect(rinaRow!.assigneeId).not.toBeNull();
    // The page opened once is one read in the audit log, however long it stayed open and refreshed itself.
    const reads = await db.select().from(auditLog).where(eq(auditLog.action, 'complaint.read'));
    expect(reads.filter((r) => r.entityId === String(filed.id))).toHaveLength(1);
  }, 90_000);

  it('closes many complaints as spam only after a confirmation that counts them; nothing is sent', async () => {
    const db = database.db;
    const [sagulung] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Sagulung'));
    const a = await file(db, { contactId: await contact(db), kecamatanId: sagulung!.id, now: new Date(), summary: 'Promo pinjaman cepat tanpa agunan 1' });
    const b = await file(db, { contactId: await contact(db), kecamatanId: sagulung!.id, now: new Date(), summary: 'Promo pinjaman cepat tanpa agunan 2' });

    const spv = await signIn('spv@pintu.test');
    await spv.goto(`${base}/console/complaints?queue=all&q=Promo`);
    await spv.locator(`#pick-${a.id}`).check();
    await spv.locator(`#pick-${b.id}`).check();
    await spv.locator('#bulk-op').selectOption('spam');
    await spv.locator('#bulk-note').fill('Iklan pinjaman, bukan pengaduan');
    await spv.getByRole('button', { name: 'Lanjut' }).click();
    expect(await spv.getByTestId('bulk-summary').innerText()).toBe('2 pengaduan akan ditutup sebagai spam.');
    await noSeriousViolations(spv);
    // Nothing has changed yet.
    const open = await db.select({ status: complaints.status }).from(complaints).where(eq(complaints.id, a.id));
    expect(open[0]!.status).toBe('received');
    await spv.getByRole('button', { name: 'Ya, tutup 2 pengaduan' }).click();
    await spv.waitForURL(/bulk_done=2/);
    expect(await spv.getByRole('status').first().innerText()).toContain('2 pengaduan diubah');
    const closed = await db.select({ status: complaints.status, closeReason: complaints.closeReason }).from(complaints).where(eq(complaints.id, b.id));
    expect(closed[0]).toEqual({ status: 'closed', closeReason: 'spam' });
  }, 60_000);
});
