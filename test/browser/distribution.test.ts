import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations } from '../../src/db/schema/index.ts';
import { formatInvitationCode } from '../../src/domain/invitation-code.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { at, distributionWorld, EVENT_DATE, makeHousehold, NOW, type DistributionWorld } from '../services/distribution/fixtures.ts';

// A distribution run end to end in Chromium: a supervisor creates an event in the console and invites the
// households of a kelurahan, and keeps the progress page open in a second tab; a field officer on a phone
// checks in one invitation code; the supervisor's progress page counts it without a reload (SSE + htmx).

const PASSWORD = 'kata-sandi-yang-panjang-1';

describe('distribution in Chromium', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let now = NOW;

  beforeAll(async () => {
    w = await distributionWorld();
    const enroll = { programId: w.householdProgramId };
    for (let i = 0; i < 3; i++) await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll, chats: [{}] });
    await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll }); // no chat: a paper invitation
    await makeHousehold(w.db, { kelurahanId: w.area.kelA2, enroll, chats: [{}] }); // another kelurahan: not invited
    await createStaffUser(w.db, 'system', { email: 'spv@dist.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    await createStaffUser(w.db, 'system', { email: 'lapangan@dist.test', name: 'Petugas Lapangan', role: 'field_officer', kecamatanId: w.area.kecA, password: PASSWORD });
    // The office's clock stands on 24 November 2026, before the event day; it moves to the day for check-in.
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

  it('creates an event, invites, checks a code in on a phone and the open progress page counts it', async () => {
    const dialogs: string[] = [];
    const watch = (p: Page) =>
      p.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });

    // The supervisor creates the event from the console menu.
    const desk = await browser.newContext({ locale: 'id-ID' });
    const spv = await desk.newPage();
    watch(spv);
    await signIn(spv, 'spv@dist.test');
    await spv.getByRole('link', { name: 'Penyaluran' }).click();
    await spv.waitForURL(/\/console\/distribution$/);
    await spv.getByRole('link', { name: 'Buat kegiatan penyaluran baru' }).click();
    await spv.waitForURL(/\/console\/distribution\/new$/);
    // Program options read "name (code)": pick the household programme by its name.
    const program = await spv.locator('#ev-program option', { hasText: 'Bantuan Sembako Uji' }).getAttribute('value');
    await spv.getByLabel('Program', { exact: true }).selectOption(program!);
    await spv.getByLabel('Tahap / periode').fill('2026 Tahap IV');
    await spv.getByLabel('Judul kegiatan').fill('Penyaluran Sembako Sungai Binti');
    await spv.getByLabel('Tanggal penyaluran').fill(EVENT_DATE);
    await spv.getByLabel('Lokasi baris 1').selectOption({ label: 'Kantor Kelurahan Sungai Binti' });
    await spv.getByLabel('Jam mulai baris 1').fill('08:00');
    await spv.getByLabel('Jam selesai baris 1').fill('12:00');
    await spv.getByLabel('Kuota baris 1').fill('50');
    await spv.getByRole('button', { name: 'Simpan kegiatan' }).click();
    await spv.waitForURL(/\/console\/distribution\/\d+\?done=created$/);
    const eventId = Number(/\/distribution\/(\d+)/.exec(spv.url())![1]);
    expect(await spv.getByTestId('event-title').innerText()).toBe('Penyaluran Sembako Sungai Binti');

    // Count first, then send.
    await spv.getByLabel('Wilayah').selectOption({ label: 'Kelurahan Sungai Binti' });
    await spv.getByRole('button', { name: 'Hitung' }).click();
    await expect.poll(() => spv.getByTestId('preview').getAttribute('data-count')).toBe('4');
    await spv.getByRole('button', { name: 'Kirim undangan' }).click(); // the count above is its confirmation
    await spv.waitForURL(/done=invited/);
    expect(await spv.getByTestId('done').innerText()).toContain('Undangan dibuat untuk 4 keluarga');
    const invited = await w.db.select().from(invitations).where(eq(invitations.eventId, eventId));
    expect(invited).toHaveLength(4);

    // The progress page, open in a second tab.
    const progress = await desk.newPage();
    watch(progress);
    await progress.goto(`${base}/console/distribution/${eventId}/progress`);
    expect(await progress.getByTestId('total-invited').innerText()).toBe('4');
    expect(await progress.getByTestId('total-collected').innerText()).toBe('0');
    // Two charts: progress per kelurahan, and how the invitations went out per path (delivery).
    expect(await progress.locator('svg[role="img"][aria-labelledby="progress-chart-title"]').count()).toBe(1);
    expect(await progress.getByTestId('delivery').locator('svg[role="img"]').count()).toBe(1);
    // Three families have a chat (their invitations wait in the outbox), one has neither chat nor phone: paper.
    expect(await progress.getByTestId('delivery-chat-pending').innerText()).toBe('3');
    expect(await progress.getByTestId('delivery-paper-none').innerText()).toBe('1');
    await progress.evaluate(() => ((window as unknown as { stay: number }).stay = 42));

    // The field officer, on a phone, types the code of one invitation.
    const phone = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const officer = await phone.newPage();
    watch(officer);
    await signIn(officer, 'lapangan@dist.test');
    await officer.goto(`${base}/console/checkin`);
    // Made for the phone: nothing wider than its screen.
    expect(await officer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await officer.getByLabel('Kegiatan penyaluran').selectOption(String(eventId));
    await officer.getByRole('button', { name: 'Pilih' }).click();
    const code = formatInvitationCode(invited[0]!.code);
    await officer.getByLabel('Kode undangan').fill(code.toLowerCase());
    await officer.getByRole('button', { name: 'Cari' }).click();
    await expect.poll(() => officer.getByTestId('lookup').isVisible()).toBe(true);
    expect(await officer.getByTestId('lookup').innerText()).toContain(code); // shown as on the invitation
    // Before the event's day the code is found but cannot be collected: the page says from when.
    expect(await officer.getByTestId('lookup').innerText()).toContain('Mohon catat mulai Kamis, 10 Desember 2026');
    expect(await officer.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).count()).toBe(0);

    now = at(EVENT_DATE, '08:30');
    await officer.getByLabel('Kode undangan').fill(code.toLowerCase());
    await officer.getByRole('button', { name: 'Cari' }).click();
    await expect.poll(() => officer.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).count()).toBe(1);
    await officer.getByRole('button', { name: 'Konfirmasi: bantuan diserahkan' }).click();
    await expect.poll(() => officer.getByTestId('checkin-notice').innerText()).toContain(`Tercatat: kode ${code}`);

    // The supervisor's open progress page counts it by itself.
    await expect.poll(() => progress.getByTestId('total-collected').innerText(), { timeout: 15_000 }).toBe('1');
    expect(await progress.getByTestId('total-invited').innerText()).toBe('4');
    expect(await progress.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(42); // never reloaded
    expect(await progress.locator('script:not([src^="/console/assets/"])').count()).toBe(0);

    const [collected] = await w.db.select().from(invitations).where(eq(invitations.id, invited[0]!.id));
    expect(collected!.status).toBe('collected');
    expect(dialogs).toEqual([]);
  }, 90_000);
});
