import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldTasks, fieldVisitPhotos, fieldVisits, findings, members } from '../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { fieldWorld, PASSWORD, PNG, type FieldWorld } from '../http/field/world.ts';

// Issue 19's loop on a phone in Chromium: a TKSK on a 390 px screen, with the location permission and a fixed
// position, opens their tasks, records a death (the date, which member, the location with its accuracy, a
// photo), loses the signal and sends: the visit waits on the phone and nothing reaches the server. The signal
// comes back: the visit is sent once (one row, the form's clientKey) and the page says so. The supervisor
// approves it on the desk: the member is deceased, the finding closed, the task done. Axe finds nothing on
// any of the three pages.

const POSITION = { latitude: 1.0457, longitude: 104.0306, accuracy: 9 };

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
}

describe('a visit recorded offline on the phone, sent once when the signal returns, approved on the desk', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let w: FieldWorld;
  let phone: BrowserContext | undefined;
  let desk: BrowserContext | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The real clock: the phone stamps the visit with its own time, which the server checks against its own.
    w = await fieldWorld(database.db, new Date(), { inA1: 2 });
    t = await createTestApp(database);
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await phone?.close();
    await desk?.close();
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  it('keeps the visit on the phone while offline, sends it once online, and the supervisor approves it', async () => {
    const { taskId, household, findingId } = w.inA1[0]!;
    const member = household.memberIds[1]!;
    const visits = () => database.db.select().from(fieldVisits).where(eq(fieldVisits.taskId, taskId));

    phone = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['geolocation'], geolocation: POSITION });
    const page = await phone.newPage();
    await signIn(page, base, w.tksk.email);
    // The menu's "Tugas lapangan" leads to /field, which takes the console's session over (one hop).
    await page.getByRole('link', { name: 'Tugas lapangan' }).click();
    await page.waitForURL((u) => u.pathname === '/field');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Tugas saya');
    await expectNoAxeViolations(page, '/field');
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.locator(`a[href="/field/tasks/${taskId}"]`).click();
    await page.waitForURL((u) => u.pathname === `/field/tasks/${taskId}`);
    await page.getByLabel('Meninggal', { exact: true }).check();
    await expect.poll(() => page.getByLabel('Tanggal meninggal').isVisible()).toBe(true);
    expect(await page.getByLabel('Pindah ke mana').isVisible()).toBe(false); // only the chosen outcome's part
    const diedOn = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Tanggal meninggal').fill(diedOn);
    await page.getByLabel('Anggota keluarga yang dimaksud').selectOption(String(member));
    await page.getByRole('button', { name: 'Ambil lokasi' }).click();
    await expect.poll(() => page.locator('#location-status').innerText()).toBe('Akurasi ± 9 m');
    await page.locator('#photos').setInputFiles({ name: 'rumah.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('Catatan').fill('Keterangan dari ketua RT.');
    const clientKey = await page.locator('input[name="clientKey"]').inputValue();
    // Every change is a draft on the phone: a reload (a closed tab, a dead battery) brings back the same form.
    await page.reload();
    await expect.poll(() => page.getByLabel('Catatan').inputValue()).toBe('Keterangan dari ketua RT.');
    expect(await page.getByLabel('Meninggal', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Tanggal meninggal').inputValue()).toBe(diedOn);
    expect(await page.getByLabel('Anggota keluarga yang dimaksud').inputValue()).toBe(String(member));
    expect(await page.locator('input[name="clientKey"]').inputValue()).toBe(clientKey);
    await expect.poll(() => page.locator('#photos').evaluate((el: HTMLInputElement) => el.files?.length ?? 0)).toBe(1);
    expect(await page.locator('#location-status').innerText()).toBe('Akurasi ± 9 m');
    await expectNoAxeViolations(page, 'the task page');
    // A thumb's targets: every button, field and choice of the form at least 44 px tall, and nothing sideways.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('#visit-form button, #visit-form select, #visit-form input:not([type=hidden]):not([type=radio]):not([type=checkbox]), #visit-form label.choice')]
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(small).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(clientKey).toMatch(/^[A-Za-z0-9_-]{16,64}$/);

    await phone.setOffline(true);
    await page.getByRole('button', { name: 'Kirim hasil kunjungan' }).click();
    await expect.poll(() => page.locator('#field-status').innerText()).toContain('Belum terkirim: tersimpan di HP ini dan akan dikirim otomatis saat ada sinyal.');
    expect(await visits()).toHaveLength(0);

    await phone.setOffline(false);
    await expect.poll(() => page.locator('#field-status').innerText(), { timeout: 40_000 }).toBe('Terkirim');
    const sent = await visits();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ clientKey, outcome: 'deceased', diedOn, memberId: member, latitude: POSITION.latitude, longitude: POSITION.longitude, accuracyM: POSITION.accuracy, review: 'pending' });
    expect(await database.db.select().from(fieldVisitPhotos).where(eq(fieldVisitPhotos.visitId, sent[0]!.id))).toHaveLength(1);
    // Sent means gone from the phone: a reload neither restores a draft nor sends again.
    await page.reload();
    await page.waitForTimeout(1_000);
    expect(await visits()).toHaveLength(1);
    await expect.poll(() => page.getByTestId('task-closed').innerText()).toBe('Sudah dikunjungi, menunggu persetujuan');
    expect(await page.locator('#visit-form').count()).toBe(0);

    desk = await browser.newContext({ locale: 'id-ID', viewport: { width: 1280, height: 900 } });
    const spv = await desk.newPage();
    await signIn(spv, base, w.supervisor.email);
    await spv.goto(`${base}/console/field`);
    await expect.poll(() => spv.getByTestId('pending-visit').count()).toBe(1);
    await expectNoAxeViolations(spv, '/console/field');
    await spv.getByRole('button', { name: 'Setujui' }).click();
    await expect.poll(() => spv.getByTestId('desk-notice').innerText()).toContain('Kunjungan disetujui');

    const [m] = await database.db.select({ deceased: members.deceased }).from(members).where(eq(members.id, member));
    expect(m!.deceased).toBe(true);
    const [f] = await database.db.select({ status: findings.status }).from(findings).where(eq(findings.id, findingId));
    expect(f!.status).not.toBe('open');
    const [task] = await database.db.select({ status: fieldTasks.status }).from(fieldTasks).where(eq(fieldTasks.id, taskId));
    expect(task!.status).toBe('done');
    expect(await visits()).toHaveLength(1);
  }, 120_000);

  it('shows a queued visit the server refuses, keeps it as a draft and does not send it again by itself', async () => {
    const { taskId } = w.inA1[1]!;
    const visits = () => database.db.select().from(fieldVisits).where(eq(fieldVisits.taskId, taskId));
    const page = await phone!.newPage();
    await page.goto(`${base}/field/tasks/${taskId}`);
    // "Moved" without where to: the phone cannot know that is refused until the server says so.
    await page.getByLabel('Pindah', { exact: true }).check();
    await page.getByLabel('Catatan').fill('Rumah kosong, kata tetangga sudah pindah.');
    await phone!.setOffline(true);
    await page.getByRole('button', { name: 'Kirim hasil kunjungan' }).click();
    await expect.poll(() => page.locator('#field-status').innerText()).toContain('Belum terkirim');
    await phone!.setOffline(false);
    await expect.poll(() => page.getByRole('alert').innerText(), { timeout: 40_000 }).toContain('Mohon tulis ke mana');
    expect(await visits()).toHaveLength(0);
    // Out of the queue, still a draft: a reload brings the answers back and sends nothing.
    await page.reload();
    await expect.poll(() => page.getByLabel('Catatan').inputValue()).toBe('Rumah kosong, kata tetangga sudah pindah.');
    expect(await page.getByLabel('Pindah', { exact: true }).isChecked()).toBe(true);
    await page.waitForTimeout(1_000);
    expect(await visits()).toHaveLength(0);
    // Completed and sent while online: one visit.
    await page.getByLabel('Pindah ke mana').fill('Ke rumah anaknya di Tanjung Uncang');
    await page.getByRole('button', { name: 'Kirim hasil kunjungan' }).click();
    await expect.poll(() => page.locator('#field-status').innerText()).toBe('Terkirim');
    const [visit] = await visits();
    expect(visit).toMatchObject({ outcome: 'moved', movedTo: 'Ke rumah anaknya di Tanjung Uncang' });
  }, 120_000);
});
