import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contacts } from '../../src/db/schema/index.ts';
import { counterCode } from '../../src/services/identity/codes.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { memberOf, newContact, resident, SEED_NOW, seededDatabase } from '../services/seeded.ts';

// The in-person link page (issue 14) in Chromium: the form, the comparison and the success pass axe.

const PASSWORD = 'kata-sandi-yang-panjang-1';

describe('in-person link in Chromium', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await seededDatabase(50);
    await createStaffUser(database.db, 'system', { email: 'spv.link@pintu.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  it('links a chat by counter code and NIK; every step passes axe', async () => {
    const db = database.db;
    const siti = await memberOf(db, resident('Siti').nik);
    const chat = await newContact(db);
    const { code } = await counterCode(db, { contactId: chat, now: SEED_NOW });

    const page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill('spv.link@pintu.test');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.getByRole('link', { name: 'Tautkan di loket' }).click();
    await page.waitForURL(/\/console\/identity\/link$/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Kode loket').fill(code.toLowerCase());
    await page.getByLabel('NIK (dari KTP)').fill(siti.nik);
    await page.getByRole('button', { name: 'Periksa' }).click();
    await page.getByRole('heading', { name: 'Cocokkan dengan KTP' }).waitFor();
    expect(await page.locator('dl.facts').innerText()).toContain(siti.birthDate);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Cocok, tautkan chat' }).click();
    await page.waitForURL(/done=linked/);
    await page.getByRole('status').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBe(siti.id);
  });
});
