import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcasts, distributionEvents, invitations, outbox } from '../../src/db/schema/index.ts';
import { formatInvitationCode } from '../../src/domain/invitation-code.ts';
import { createBroadcast } from '../../src/services/broadcasts/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { at, distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, NOW, type DistributionWorld } from '../services/distribution/fixtures.ts';

// Issue 18, "Guards" and "Field phone", in Chromium: the big buttons (send a broadcast now, close or cancel
// a distribution event) ask first with counts and act only once confirmed; the check-in page fits a 390 px
// phone with 44 px targets, and so does a supervisor's long menu. axe on every page touched.

const PASSWORD = 'kata-sandi-yang-panjang-1';
const PHONE = { width: 390, height: 844 };

describe('guards and the field phone in Chromium', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let now = NOW;

  beforeAll(async () => {
    w = await distributionWorld();
    await createStaffUser(w.db, 'system', { email: 'admin@guard.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(w.db, 'system', { email: 'spv@guard.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    await createStaffUser(w.db, 'system', { email: 'lapangan@guard.test', name: 'Petugas Lapangan', role: 'field_officer', kecamatanId: w.area.kecA, password: PASSWORD });
    t = await createTestApp(w.database, { clock: () => now });
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await w?.dispose();
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  }

  /** axe's serious and critical findings (the brief's bar). */
  const serious = async (page: Page) => (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

  /** Every visible link and button of the header and main shorter than a thumb's 44 px. */
  const smallTargets = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('header a, header button, main a, main button')]
        .map((el) => ({ text: (el.textContent ?? '').trim().slice(0, 40), box: el.getBoundingClientRect() }))
        .filter((x) => x.box.width > 0 && x.box.height > 0 && x.box.height < 44)
        .map((x) => `${x.text}: ${Math.round(x.box.height)}px`),
    );
  const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('check-in on a 390 px phone: no sideways scroll, 44 px targets, the count per site, refused before the day', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Sembako Sungai Binti Tahap IV', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] });
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{}] });
    const other = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{}] });
    const inv = await makeInvitation(w.db, { eventId: ev.eventId, householdId: hh.householdId, slotId: ev.slotIds[0]!, status: 'confirmed' });
    await makeInvitation(w.db, { eventId: ev.eventId, householdId: other.householdId, slotId: ev.slotIds[0]!, status: 'invited' });

    const phone = await browser.newContext({ locale: 'id-ID', viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await signIn(page, 'lapangan@guard.test');
    await page.goto(`${base}/console/checkin?event=${ev.eventId}&site=${w.siteA}`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await smallTargets(page)).toEqual([]);
    expect(await page.getByTestId('checkin-counts').innerText()).toContain('0 dari 2 undangan');
    expect(await serious(page)).toEqual([]);

    // A week before the day: found, compared, but not recorded; the page says from when.
    const code = formatInvitationCode(inv.code);
    await page.getByLabel('Kode undangan').fill(code);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.getByTestId('lookup').waitFor();
    const lookup = await page.getByTestId('lookup').innerText();
    expect(lookup).toContain('Mohon catat mulai Kamis, 10 Desember 2026');
    expect(await page.getByTestId('nik-end').innerText()).toMatch(/^\d{4}$/);
    expect(await page.getByTestId('birth-date').innerText()).toMatch(/\d{4}$/);
    expect(await page.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await smallTargets(page)).toEqual([]);
    expect(await serious(page)).toEqual([]);
    // The service refused it, not only the page: a hand-made confirm changes nothing either.
    expect((await w.db.select().from(invitations).where(eq(invitations.id, inv.invitationId)))[0]!.status).toBe('confirmed');

    // On the day: recorded, and the count moves.
    now = at(EVENT_DATE, '08:30');
    try {
      await page.getByLabel('Kode undangan').fill(code);
      await page.getByRole('button', { name: 'Cari' }).click();
      await page.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).click();
      await expect.poll(() => page.getByTestId('checkin-notice').innerText()).toContain(`Tercatat: kode ${code}`);
      expect(await page.getByTestId('checkin-counts').innerText()).toContain('1 dari 2 undangan');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(await smallTargets(page)).toEqual([]);
      expect(await serious(page)).toEqual([]);
    } finally {
      now = NOW;
    }
    await phone.close();
  });

  it("a supervisor's long menu fits the phone: it scrolls inside itself, the page does not", async () => {
    const phone = await browser.newContext({ locale: 'id-ID', viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await signIn(page, 'spv@guard.test');
    for (const path of ['/console/distribution', '/console/broadcasts']) {
      await page.goto(`${base}${path}`);
      expect(await scrollWidth(page), path).toBeLessThanOrEqual(PHONE.width);
      const nav = await page.locator('header nav').boundingBox();
      expect(nav!.width, path).toBeLessThanOrEqual(PHONE.width);
      expect(await page.evaluate(() => document.querySelectorAll('header nav a').length), path).toBeGreaterThan(5);
      expect(await smallTargets(page), path).toEqual([]);
      expect(await serious(page), path).toEqual([]);
    }
    await phone.close();
  });

  it('a broadcast with no area says "seluruh kota" and is sent only after confirming', async () => {
    const created = await createBroadcast(w.db, w.admin, { title: 'Info sekota', texts: { id: 'Kantor tutup hari Senin.' }, segment: {} }, { now: NOW });
    if (!created.ok) throw new Error(created.reason);
    const id = created.broadcastId;
    const desk = await browser.newContext({ locale: 'id-ID' });
    const page = await desk.newPage();
    await signIn(page, 'admin@guard.test');
    await page.goto(`${base}/console/broadcasts/${id}`);
    expect(await serious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Kirim sekarang', exact: true }).click();
    await page.getByTestId('confirm').waitFor();
    expect(await page.getByTestId('confirm-area').innerText()).toContain('Seluruh kota');
    expect(await page.getByTestId('confirm').innerText()).toContain('obrolan');
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
    expect(await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).toHaveLength(0);
    expect(await serious(page)).toEqual([]);

    await page.getByRole('button', { name: 'Ya, kirim sekarang' }).click();
    await page.waitForURL(/done=sent/);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('sent');
    expect(await serious(page)).toEqual([]);
    await desk.close();
  });

  it('cancelling and closing an event ask first with the counts', async () => {
    const mk = async (title: string) => {
      const ev = await makeEvent(w.db, { programId: w.householdProgramId, title, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] });
      for (const status of ['confirmed', 'invited', 'collected'] as const) {
        const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{}] });
        await makeInvitation(w.db, { eventId: ev.eventId, householdId: hh.householdId, slotId: ev.slotIds[0]!, status });
      }
      return ev.eventId;
    };
    const statusOf = async (id: number) => (await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, id)))[0]!.status;
    const toCancel = await mk('Penyaluran Akan Batal');
    const toClose = await mk('Penyaluran Akan Ditutup');
    const desk = await browser.newContext({ locale: 'id-ID' });
    const page = await desk.newPage();
    await signIn(page, 'spv@guard.test');

    await page.goto(`${base}/console/distribution/${toCancel}`);
    await page.getByLabel('Alasan pembatalan (dibaca warga)').fill('Gudang banjir, barang belum siap');
    await page.getByRole('button', { name: 'Batalkan kegiatan', exact: true }).click();
    await page.getByTestId('confirm').waitFor();
    const cancelText = await page.getByTestId('confirm').innerText();
    expect(cancelText).toContain('2 undangan yang masih berlaku akan dibatalkan.');
    expect(cancelText).toContain('2 keluarga akan diberi tahu');
    expect(cancelText).toContain('Gudang banjir, barang belum siap');
    expect(await statusOf(toCancel)).toBe('open');
    expect(await serious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ya, batalkan kegiatan' }).click();
    await page.waitForURL(/done=cancelled/);
    expect(await statusOf(toCancel)).toBe('cancelled');

    now = at(EVENT_DATE, '17:00');
    try {
      await page.goto(`${base}/console/distribution/${toClose}`);
      await page.getByRole('button', { name: 'Tutup kegiatan', exact: true }).click();
      await page.getByTestId('confirm').waitFor();
      const closeText = await page.getByTestId('confirm').innerText();
      expect(closeText).toContain('Diundang: 3 keluarga');
      expect(closeText).toContain('Sudah mengambil: 1');
      expect(closeText).toContain('Belum mengambil: 2');
      expect(await statusOf(toClose)).toBe('open');
      expect(await serious(page)).toEqual([]);
      // "Kembali" changes nothing.
      await page.getByRole('link', { name: 'Kembali tanpa mengubah apa pun' }).click();
      await page.waitForURL(new RegExp(`/console/distribution/${toClose}$`));
      expect(await statusOf(toClose)).toBe('open');
      await page.getByRole('button', { name: 'Tutup kegiatan', exact: true }).click();
      await page.getByRole('button', { name: 'Ya, tutup kegiatan' }).click();
      await page.waitForURL(/done=closed&noShows=2/);
      expect(await statusOf(toClose)).toBe('done');
      expect(await serious(page)).toEqual([]);
    } finally {
      now = NOW;
    }
    await desk.close();
  });
});
