import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations } from '../../src/db/schema/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { writeQrVideo } from '../helpers/fake-camera.ts';
import { at, distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, type DistributionWorld } from '../services/distribution/fixtures.ts';

// The check-in page's camera: Chromium's fake camera plays a video of an invitation's QR code, the officer
// presses "scan", and the page fills the code in and looks it up, exactly as if it had been typed.

const PASSWORD = 'kata-sandi-yang-panjang-1';
const CODE = 'K7MQ4XRT';

describe('check-in by scanning the QR code with the phone camera', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'pintu-camera-'));

  beforeAll(async () => {
    w = await distributionWorld();
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Sungai Binti', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 10 }] });
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: [{}] });
    await makeInvitation(w.db, { eventId: ev.eventId, householdId: hh.householdId, slotId: ev.slotIds[0]!, code: CODE, status: 'confirmed' });
    await createStaffUser(w.db, 'system', { email: 'lapangan@scan.test', name: 'Petugas Lapangan', role: 'field_officer', kecamatanId: w.area.kecA, password: PASSWORD });
    t = await createTestApp(w.database, { clock: () => at(EVENT_DATE, '08:30') });
    base = await t.listen();
    const video = join(dir, 'qr.y4m');
    writeQrVideo(video, CODE);
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await w?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the code from the camera, looks it up and lets the officer confirm', async () => {
    const phone = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['camera'] });
    const page = await phone.newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill('lapangan@scan.test');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(/\/console\/checkin/);

    const scan = page.getByRole('button', { name: 'Pindai QR dengan kamera' });
    await expect.poll(() => scan.isVisible()).toBe(true); // shown only where a camera can be used
    await scan.click();
    await expect.poll(() => page.getByTestId('lookup').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('lookup').innerText()).toContain('K7MQ-4XRT');

    await page.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).click();
    await expect.poll(() => page.getByTestId('checkin-notice').innerText()).toContain('Tercatat: kode K7MQ-4XRT');
    const [row] = await w.db.select().from(invitations).where(eq(invitations.code, CODE));
    expect(row!.status).toBe('collected');
  }, 90_000);
});
