import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../src/domain/dates.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { Browser as HttpClient, csrfIn } from '../helpers/console.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { SEED_NOW, seededDatabase } from '../services/seeded.ts';

// The admin pages of issue 18 in Chromium: getting a colleague back in (the held account found on the list,
// unlocked there, a new password that signs in), the FAQ, holidays and office hours pages, and the audit
// log's filters. axe-core runs on every page and after every refusal; nothing serious or critical may show.

const PASSWORD = 'kata-sandi-yang-panjang-1';

const serious = async (page: Page) => (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

describe('admin pages in Chromium', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    database = await seededDatabase(0);
    await createStaffUser(database.db, 'system', { email: 'kepala@pintu.test', name: 'Kepala Admin', role: 'admin', password: PASSWORD });
    await createStaffUser(database.db, 'system', { email: 'lupa@pintu.test', name: 'Petugas Lupa', role: 'operator', password: PASSWORD });
    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill('kepala@pintu.test');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  const signIn = async (email: string, password: string) => {
    const b = new HttpClient(base);
    const form = await (await b.fetch('/console/login')).text();
    return (await b.post('/console/login', { _csrf: csrfIn(form), email, password })).status;
  };

  it('shows a held account on the list, lifts the hold from its row, and resets its password to one that signs in', async () => {
    for (let i = 0; i < 5; i++) expect(await signIn('lupa@pintu.test', `salah-${i}-salah`)).toBe(401);
    expect(await signIn('lupa@pintu.test', PASSWORD)).toBe(401); // held

    await page.goto(`${base}/console/admin/users`);
    await page.getByTestId('held-summary').waitFor();
    const row = page.locator('tr', { hasText: 'lupa@pintu.test' });
    expect(await row.locator('td[data-held]').innerText()).toBe('Ya');
    expect(await serious(page)).toEqual([]);
    await row.getByRole('button', { name: 'Buka tahanan masuk' }).click();
    await page.waitForURL(/done=unlock/);
    expect(await page.getByRole('status').innerText()).toContain('Tahanan masuk akun sudah dibuka');
    expect(await page.locator('tr', { hasText: 'lupa@pintu.test' }).locator('td[data-held]').innerText()).toBe('Tidak');
    expect(await serious(page)).toEqual([]);

    await page.locator('tr', { hasText: 'lupa@pintu.test' }).getByRole('link', { name: 'Ubah' }).click();
    expect(await serious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    const fresh = (await page.getByTestId('new-password').innerText()).trim();
    expect(fresh.length).toBeGreaterThanOrEqual(12);
    expect(await serious(page)).toEqual([]);
    expect(await signIn('lupa@pintu.test', PASSWORD)).toBe(401);
    expect(await signIn('lupa@pintu.test', fresh)).toBe(303);
  });

  it('FAQ: edits a built-in answer, adds a topic and hides it', async () => {
    await page.goto(`${base}/console/admin`);
    await page.getByRole('link', { name: 'Tanya jawab (FAQ)' }).click();
    await page.waitForURL(/\/console\/admin\/faq$/);
    expect(await page.locator('tr[data-faq-key="documents"]').innerText()).toContain('Dokumen yang harus dibawa');
    expect(await serious(page)).toEqual([]);

    await page.locator('tr[data-faq-key="documents"]').getByRole('link', { name: 'Ubah' }).click();
    expect(await page.getByLabel('Jawaban').inputValue()).toContain('KTP asli penerima');
    expect(await serious(page)).toEqual([]);
    await page.getByLabel('Jawaban').fill('');
    await page.getByLabel('Jawaban').evaluate((el) => el.removeAttribute('required')); // the server's own refusal
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('Mohon isi jawaban.');
    expect(await serious(page)).toEqual([]);
    await page.getByLabel('Jawaban').fill('Mohon bawa KTP asli dan kode undangan.');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForURL(/done=update/);
    expect(await page.locator('tr[data-faq-key="documents"]').innerText()).toContain('Bawaan, sudah diubah');

    await page.getByLabel('Kode topik').fill('kks-hilang');
    await page.getByLabel('Judul (pertanyaan)').fill('Kartu KKS hilang');
    await page.getByLabel('Jawaban').fill('Mohon lapor ke bank penyalur.');
    await page.getByRole('button', { name: 'Tambah topik' }).click();
    await page.waitForURL(/done=create/);
    const added = page.locator('tr[data-faq-key="kks-hilang"]');
    await added.getByRole('button', { name: 'Sembunyikan' }).click();
    await page.waitForURL(/done=hide/);
    expect(await page.locator('tr[data-faq-key="kks-hilang"]').getAttribute('data-active')).toBe('false');
    expect(await serious(page)).toEqual([]);
    await page.getByRole('link', { name: 'English' }).first().click();
    await page.waitForURL(/lang=en/);
    expect(await serious(page)).toEqual([]);
    await page.goto(`${base}/console/admin/faq?language=en&lang=id`); // the English topics, on the Indonesian console again
    expect(await page.locator('tr[data-faq-key="documents"]').innerText()).toContain('Documents to bring');
    expect(await serious(page)).toEqual([]);
  });

  it('holidays: adds one, flags a past one, refuses a duplicate, removes', async () => {
    await page.goto(`${base}/console/admin/holidays`);
    expect(await serious(page)).toEqual([]);
    await page.getByLabel('Tanggal').fill('2026-12-07');
    await page.getByLabel('Nama hari libur').fill('Libur daerah');
    await page.getByRole('button', { name: 'Tambah hari libur' }).click();
    await page.waitForURL(/done=add$/);
    await page.getByLabel('Tanggal').fill('2026-11-02');
    await page.getByLabel('Nama hari libur').fill('Dicatat terlambat');
    await page.getByRole('button', { name: 'Tambah hari libur' }).click();
    await page.waitForURL(/done=addPast/);
    expect(await page.getByRole('status').innerText()).toContain('sudah lewat');
    expect(await page.locator('tr[data-day="2026-11-02"]').innerText()).toContain('Sudah lewat');
    expect(await serious(page)).toEqual([]);
    await page.getByLabel('Tanggal').fill('2026-12-07');
    await page.getByLabel('Nama hari libur').fill('Lagi');
    await page.getByRole('button', { name: 'Tambah hari libur' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('Tanggal ini sudah tercatat sebagai hari libur.');
    expect(await serious(page)).toEqual([]);
    await page.locator('tr[data-day="2026-12-07"]').getByRole('button', { name: 'Hapus' }).click();
    await page.waitForURL(/done=remove/);
    expect(await page.locator('tr[data-day="2026-12-07"]').count()).toBe(0);
  });

  it('office hours: refuses opens after closes, saves a schedule shown in words', async () => {
    await page.goto(`${base}/console/admin/offices`);
    expect(await serious(page)).toEqual([]);
    await page.getByRole('link', { name: 'Ubah' }).first().click();
    expect(await serious(page)).toEqual([]);
    const span1 = page.locator('fieldset[data-span="1"]');
    await span1.getByLabel('Jam buka').fill('16:00');
    await span1.getByLabel('Jam tutup').fill('08:00');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().innerText()).toBe('Jadwal 1: jam buka harus sebelum jam tutup.');
    expect(await serious(page)).toEqual([]);
    await span1.getByLabel('Jam buka').fill('07:30');
    await span1.getByLabel('Jam tutup').fill('15:00');
    await span1.getByLabel('Jumat').check();
    const span2 = page.locator('fieldset[data-span="2"]');
    await span2.getByLabel('Jumat').uncheck();
    await span2.getByLabel('Jam buka').fill('');
    await span2.getByLabel('Jam tutup').fill('');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForURL(/done=update/);
    expect(await page.getByTestId('schedule').first().innerText()).toBe('Senin–Jumat 07.30–15.00 WIB');
  });

  it('audit log: filters by an action from the select, an officer and dates, and keeps them', async () => {
    await page.goto(`${base}/console/admin/audit`);
    expect(await serious(page)).toEqual([]);
    await page.getByLabel('Tindakan').selectOption('holiday.add');
    await page.getByLabel('Petugas').selectOption({ label: 'Kepala Admin' });
    // The log's own clock is the database's, not the app's test clock: today, in the office's zone.
    const today = todayIn('Asia/Jakarta', new Date());
    await page.getByLabel('Dari tanggal').fill(today);
    await page.getByLabel('Sampai tanggal').fill(today);
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.waitForURL(/action=holiday.add/);
    const actions = await page.locator('table[data-testid="audit"] tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions).toEqual(['holiday.add', 'holiday.add']);
    expect(await page.getByLabel('Tindakan').inputValue()).toBe('holiday.add');
    expect(await serious(page)).toEqual([]);
  });
});
