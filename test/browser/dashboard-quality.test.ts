import type { Browser, Page } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints, findings, satisfaction } from '../../src/db/schema/index.ts';
import { scanFindings } from '../../src/services/registry/quality/scan.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { qualityWorld, type QualityWorld } from '../services/registry/quality.fixtures.ts';

// Issue 18 in Chromium: the dashboard's new charts draw with links and a click lands on the inbox with the
// chart's filter; a finding is accepted as is with a reason and shows under its own filter; the import page
// names the accepted values and keeps the kind. Every page: no serious or critical axe violation.

const PASSWORD = 'kata-sandi-yang-panjang-1';
const NOW = new Date('2026-11-20T05:00:00Z'); // Friday, 12:00 WIB
const DAY = 86_400_000;

/** What a person relying on assistive technology cannot get past: axe's serious and critical findings. */
async function blocking(page: Page) {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('dashboard, data quality and import in Chromium', () => {
  let database: TestDatabase;
  let w: QualityWorld;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let supervisorId: number;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    w = await qualityWorld(db, new Date(NOW.getTime() - 2 * DAY));
    await scanFindings(db, { now: new Date(NOW.getTime() - DAY) });
    supervisorId = (await createStaffUser(db, 'system', { email: 'spv.nongsa@pintu.test', name: 'Rina Supervisor', role: 'supervisor', kecamatanId: w.nongsa, password: PASSWORD })).id;
    // Nongsa's complaints of the last days: one answered on time and rated, one in progress held by Rina,
    // one nobody holds yet.
    const at = (days: number) => new Date(NOW.getTime() - days * DAY);
    const [done] = await db
      .insert(complaints)
      .values({ trackingId: 'ADU-WEB-B1', summary: 'Rahasia', category: 'not_received', status: 'closed', kecamatanId: w.nongsa, createdAt: at(3), answeredAt: at(2.9), closedAt: at(2), csat: 4, assigneeId: supervisorId })
      .returning({ id: complaints.id });
    // A rating lives in the one satisfaction store (issue 20); the complaint keeps a copy for its page.
    await db.insert(satisfaction).values({ service: 'complaint', complaintId: done!.id, kecamatanId: w.nongsa, score: 4, askedAt: at(2), answeredAt: at(2) });
    await db.insert(complaintEvents).values({ complaintId: done!.id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: at(2.95) });
    await db.insert(complaints).values({ trackingId: 'ADU-WEB-B2', summary: 'Rahasia', category: 'service', status: 'in_progress', kecamatanId: w.nongsa, createdAt: at(2), assigneeId: supervisorId });
    await db.insert(complaints).values({ trackingId: 'ADU-WEB-B3', summary: 'Rahasia', category: 'service', status: 'received', kecamatanId: w.nongsa, createdAt: at(1) });
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'id-ID', viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill('spv.nongsa@pintu.test');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  it('draws the new charts with links, and a click lands on the filtered inbox', async () => {
    await page.goto(`${base}/console/dashboard?days=7`);
    expect(await blocking(page)).toEqual([]);
    for (const id of ['chart-status', 'chart-sla', 'chart-ikm', 'chart-workload']) {
      expect(await page.locator(`svg[aria-labelledby="${id}-title"]`).isVisible(), id).toBe(true);
      expect(await page.locator(`a[data-chart-link="${id}"]`).count(), id).toBeGreaterThan(0);
    }
    expect(await page.locator('a[data-chart-link="chart-workload"]').getAttribute('href')).toBe(`/console/complaints?queue=all&officer=${supervisorId}`);
    // The CSV of a chart is a download of its figures.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="workload"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^dasbor-workload-7hari-2026-11-20\.csv$/);

    await page.locator('a[data-chart-link="chart-status"][aria-label*="Sedang ditangani"]').click();
    await page.waitForURL((u) => u.pathname === '/console/complaints');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ queue: 'all', status: 'in_progress', from: '2026-11-18', to: '2026-11-18' });
  });

  it('accepts a finding as is with a reason; the filter shows it; the page passes axe', async () => {
    await page.goto(`${base}/console/quality`);
    expect(await blocking(page)).toEqual([]);
    const [dead] = await database.db.select().from(findings).where(and(eq(findings.kind, 'deceased_enrolled'), eq(findings.kecamatanId, w.nongsa)));
    const row = page.locator(`tr[data-finding="${dead!.id}"]`);
    // Without a reason the browser refuses the form and nothing changes.
    await row.getByRole('button', { name: 'Data benar apa adanya' }).click();
    expect(page.url()).toBe(`${base}/console/quality`);
    await row.getByLabel('Alasan data sudah benar').fill('Akta kematian keliru; Disdukcapil sudah mengoreksi, warga masih hidup.');
    await row.getByRole('button', { name: 'Data benar apa adanya' }).click();
    await page.waitForURL(/done=accepted/);
    expect(await page.getByRole('status').innerText()).toContain('benar apa adanya');
    expect(await page.locator(`tr[data-finding="${dead!.id}"]`).count()).toBe(0); // gone from the open list

    await page.getByLabel('Status').selectOption('accepted');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.waitForURL(/status=accepted/);
    expect(await page.locator(`tr[data-finding="${dead!.id}"] [data-closed="accepted"]`).innerText()).toContain('Akta kematian keliru');
    expect(await blocking(page)).toEqual([]);
    // The scan leaves it accepted.
    await scanFindings(database.db, { now: NOW });
    expect((await database.db.select().from(findings).where(eq(findings.id, dead!.id)))[0]!.status).toBe('accepted');
  });

  it('names the accepted values in the import report and keeps the kind', async () => {
    await page.goto(`${base}/console/import`);
    expect(await blocking(page)).toEqual([]);
    await page.getByLabel('Jenis file').selectOption('enrollments');
    await page.getByLabel('File CSV').setInputFiles({ name: 'kepesertaan.csv', mimeType: 'text/csv', buffer: Buffer.from('program,nik,no_kk,status,periode,nominal\nPKH,,2171020000000002,aktif,2026-Q4,\n') });
    await page.getByRole('button', { name: 'Impor' }).click();
    await page.getByTestId('report').waitFor();
    expect(await page.locator('td[data-reason="status_invalid"]').innerText()).toBe('Status tidak dikenal (isian: «aktif»). Isian yang diterima: proposed, verified, active, suspended, ended.');
    expect(await page.getByLabel('Jenis file').inputValue()).toBe('enrollments');
    expect(await blocking(page)).toEqual([]);
  });
});
