import type { Browser, Page } from 'playwright-core';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, agents, cannedResponses, complaints, contacts, distributionEvents, enrollments, households, offices, recipientLists, referralEvents, referrals } from '../../src/db/schema/index.ts';
import type { StaffRole } from '../../src/domain/vocabulary.ts';
import type { Actor } from '../../src/services/actor.ts';
import { createBroadcast } from '../../src/services/broadcasts/index.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { contact, file } from '../services/complaints/lifecycle.fixtures.ts';
import { SEED_NOW, seededDatabase } from '../services/seeded.ts';

// Issue 18, "Keyboard": every console page, for every role that can reach it, in Chromium: axe finds no serious
// or critical violation; Tab once from load lands on the skip link and following it puts focus on <main>; the
// menu marks the page shown with aria-current; a focused link or button draws a visible focus ring.
//
// The list below is every GET page of the console. The first test reads the routes the app really declares, so
// a new page fails here until it is added to PAGES (and checked) or to SKIPPED with its reason.

const PASSWORD = 'kata-sandi-yang-panjang-1';

/** The ids a page with parameters is opened on: rows of the seeded city and the fixtures below. */
interface Ids {
  complaint: number;
  event: number;
  broadcast: number;
  handover: number;
  household: number;
  user: number;
  canned: number;
  office: number;
  agency: number;
  /** A seeded e-warong. */
  agent: number;
  referral: number;
  program: number;
  recipientList: number;
}

/** Route as declared → the address it is opened at. */
const PAGES: Record<string, (ids: Ids) => string> = {
  '/console/complaints': () => '/console/complaints',
  '/console/complaints/:id': (i) => `/console/complaints/${i.complaint}`,
  '/console/handovers': () => '/console/handovers',
  '/console/handovers/:contactId': (i) => `/console/handovers/${i.handover}`,
  '/console/residents': () => '/console/residents',
  '/console/residents/households/:id': (i) => `/console/residents/households/${i.household}`,
  '/console/identity/link': () => '/console/identity/link',
  '/console/dashboard': () => '/console/dashboard',
  '/console/reports/social': () => '/console/reports/social',
  '/console/reports/monthly': () => '/console/reports/monthly',
  '/console/checkin': () => '/console/checkin',
  '/console/distribution': () => '/console/distribution',
  '/console/distribution/new': () => '/console/distribution/new',
  '/console/distribution/:id': (i) => `/console/distribution/${i.event}`,
  '/console/distribution/:id/progress': (i) => `/console/distribution/${i.event}/progress`,
  '/console/distribution/:id/follow-up': (i) => `/console/distribution/${i.event}/follow-up`,
  '/console/broadcasts': () => '/console/broadcasts',
  '/console/broadcasts/new': () => '/console/broadcasts/new',
  '/console/broadcasts/:id': (i) => `/console/broadcasts/${i.broadcast}`,
  '/console/templates': () => '/console/templates',
  '/console/import': () => '/console/import',
  '/console/proposals': () => '/console/proposals',
  '/console/quality': () => '/console/quality',
  '/console/duty': () => '/console/duty',
  '/console/password': () => '/console/password',
  '/console/admin': () => '/console/admin',
  '/console/admin/users': () => '/console/admin/users',
  '/console/admin/users/:id': (i) => `/console/admin/users/${i.user}`,
  '/console/admin/tokens': () => '/console/admin/tokens',
  '/console/admin/routes': () => '/console/admin/routes',
  '/console/admin/canned': () => '/console/admin/canned',
  '/console/admin/canned/:id': (i) => `/console/admin/canned/${i.canned}`,
  '/console/admin/faq': () => '/console/admin/faq',
  // A built-in topic: its page exists in every language before anyone writes it.
  '/console/admin/faq/:language/:key': () => '/console/admin/faq/id/documents',
  '/console/admin/holidays': () => '/console/admin/holidays',
  '/console/admin/offices': () => '/console/admin/offices',
  '/console/admin/offices/:id': (i) => `/console/admin/offices/${i.office}`,
  '/console/admin/audit': () => '/console/admin/audit',
  '/console/admin/field-roles': () => '/console/admin/field-roles',
  '/console/admin/field-roles/:key': () => '/console/admin/field-roles/tksk',
  '/console/field': () => '/console/field',
  '/console/referrals': () => '/console/referrals',
  '/console/referrals/new': (i) => `/console/referrals/new?source=complaint&id=${i.complaint}`,
  '/console/referrals/:id': (i) => `/console/referrals/${i.referral}`,
  '/console/admin/agencies': () => '/console/admin/agencies',
  '/console/admin/agencies/:id': (i) => `/console/admin/agencies/${i.agency}`,
  '/console/admin/agents': () => '/console/admin/agents',
  '/console/admin/agents/:id': (i) => `/console/admin/agents/${i.agent}`,
  '/console/admin/checklists': () => '/console/admin/checklists',
  '/console/programs': () => '/console/programs',
  '/console/programs/new': () => '/console/programs/new',
  '/console/programs/:id': (i) => `/console/programs/${i.program}`,
  '/console/programs/:id/lists': (i) => `/console/programs/${i.program}/lists`,
  '/console/programs/:id/lists/:listId': (i) => `/console/programs/${i.program}/lists/${i.recipientList}`,
  '/console/disbursements': () => '/console/disbursements',
  '/console/disbursements/failed': () => '/console/disbursements/failed',
};

/** GET routes under /console that are not pages a person reads, and why. */
const SKIPPED: [RegExp, string][] = [
  [/^\/console$/, 'redirects to the role\'s home page, visited above'],
  [/^\/console\/login$/, 'visited signed out, in its own test'],
  [/\/events$/, 'a server-sent event stream'],
  [/\/live$|\/progress\/delivery$|^\/console\/work\/badge$/, 'a fragment htmx swaps into a page'],
  [/\.(csv|xlsx|json|pdf)$/, 'a file download'],
  [/^\/console\/reports\/monthly\/:file$/, 'the monthly report as a file download (YYYY-MM.pdf, YYYY-MM.xlsx)'],
  [/\/attachments\//, 'a resident\'s file'],
  [/^\/console\/assets\//, 'a script the pages load'],
  [/^\/console\/field\/open$/, 'hands the console session to /field and redirects'],
  [/^\/console\/whatsapp$/, 'the local-only WhatsApp pairing page, outside the console shell: axe in its own test below'],
];

const skipped = (path: string) => SKIPPED.some(([re]) => re.test(path));

const DESK = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** The staff who walk the console, all city-wide so every fixture is in their scope; every page on a phone too (the admin reaches all). */
const ROLES: { role: StaffRole; email: string; viewport: { width: number; height: number } }[] = [
  { role: 'admin', email: 'a11y.admin@pintu.test', viewport: DESK },
  { role: 'admin', email: 'a11y.admin@pintu.test', viewport: PHONE },
  { role: 'supervisor', email: 'a11y.spv@pintu.test', viewport: DESK },
  { role: 'operator', email: 'a11y.op@pintu.test', viewport: DESK },
  { role: 'field_officer', email: 'a11y.field@pintu.test', viewport: PHONE },
];

describe('console keyboard and axe, every page, every role (Chromium)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ids: Ids;

  beforeAll(async () => {
    database = await seededDatabase(40);
    const db = database.db;
    const staffIds: Partial<Record<StaffRole, number>> = {};
    for (const r of ROLES) staffIds[r.role] ??= (await createStaffUser(db, 'system', { email: r.email, name: `Petugas ${r.role}`, role: r.role, password: PASSWORD })).id;
    const admin: Actor = { kind: 'staff', id: staffIds.admin!, role: 'admin', kecamatanId: null, bidang: null, ip: '127.0.0.1' };

    // A complaint in nobody's queue yet, so every officer in scope may open it.
    const reporter = await contact(db, { channel: 'webchat', language: 'id', lastInboundAt: SEED_NOW });
    await file(db, { contactId: reporter, kecamatanId: null, now: SEED_NOW, summary: 'Bantuan belum diterima' });
    const [complaint] = await db.select({ id: complaints.id }).from(complaints).orderBy(asc(complaints.id)).limit(1);
    // A chat waiting for an officer (unverified: city-wide staff see it).
    const waiting = await contact(db, { channel: 'webchat', language: 'id', lastInboundAt: SEED_NOW, displayName: 'Warga' });
    await db.update(contacts).set({ handoverAt: SEED_NOW }).where(eq(contacts.id, waiting));
    const made = await createBroadcast(db, admin, { title: 'Pengumuman penyaluran', texts: { id: 'Penyaluran dimulai pekan depan.' }, segment: {} }, { now: SEED_NOW });
    if (!made.ok) throw new Error(`broadcast refused: ${made.reason}`);
    const [event] = await db.select({ id: distributionEvents.id }).from(distributionEvents).orderBy(asc(distributionEvents.id)).limit(1);
    const [household] = await db.select({ id: households.id }).from(households).orderBy(asc(households.id)).limit(1);
    const [canned] = await db.select({ id: cannedResponses.id }).from(cannedResponses).orderBy(asc(cannedResponses.id)).limit(1);
    const [office] = await db.select({ id: offices.id }).from(offices).orderBy(asc(offices.id)).limit(1);
    if (!complaint || !event || !household || !canned || !office) throw new Error('the seeded city lacks a row a page needs');
    // A referral of that complaint to an LKS, with its first event, as the referral form leaves it.
    const [agency] = await db.insert(agencies).values({ name: 'Panti Werdha Kasih', kind: 'lks', services: 'panti jompo', phone: '0778 123456' }).returning({ id: agencies.id });
    const [referral] = await db.insert(referrals).values({ sourceKind: 'complaint', sourceId: complaint.id, agencyId: agency!.id, dueOn: '2099-01-01', note: 'Mohon asesmen' }).returning({ id: referrals.id });
    await db.insert(referralEvents).values({ referralId: referral!.id, status: 'sent', staffId: staffIds.admin!, note: 'Mohon asesmen' });
    // A draft recipient list of a seeded program, on a period its enrollments have.
    const [enrolled] = await db.select({ programId: enrollments.programId, period: enrollments.period }).from(enrollments).orderBy(asc(enrollments.id)).limit(1);
    if (!enrolled) throw new Error('the seeded city has no enrollment');
    const [recipientList] = await db.insert(recipientLists).values({ programId: enrolled.programId, period: enrolled.period }).returning({ id: recipientLists.id });
    ids = {
      complaint: complaint.id,
      event: event.id,
      broadcast: made.broadcastId,
      handover: waiting,
      household: household.id,
      user: staffIds.operator!,
      canned: canned.id,
      office: office.id,
      agency: agency!.id,
      agent: (await db.select({ id: agents.id }).from(agents).orderBy(asc(agents.id)).limit(1))[0]!.id,
      referral: referral!.id,
      program: enrolled.programId,
      recipientList: recipientList!.id,
    };

    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database?.dispose();
  });

  it('lists every GET page the console declares', () => {
    const declared = [...new Set(t.app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/console')).map((r) => r.path))];
    const unlisted = declared.filter((p) => !(p in PAGES) && !skipped(p));
    expect(unlisted, 'a console page no test visits: add it to PAGES (or SKIPPED with the reason)').toEqual([]);
    const gone = Object.keys(PAGES).filter((p) => !declared.includes(p));
    expect(gone, 'pages listed here that the app no longer declares').toEqual([]);
  });

  async function seriousViolations(page: Page) {
    return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /** Axe, the skip link, the focus ring and the menu's current page on the page as loaded. Returns the problems. */
  async function checkPage(page: Page, path: string): Promise<string[]> {
    const problems: string[] = [];
    const serious = await seriousViolations(page);
    if (serious.length > 0) problems.push(`axe: ${JSON.stringify(serious)}`);

    // The skip link comes first in the tab order and leads to <main>. A page that puts the cursor in its one
    // field on load (check-in: the desk types or scans a code at once) starts Tab from there, so for it the
    // order itself is read: the skip link first, nothing with a positive tabindex jumping ahead of it.
    const autofocused = await page.evaluate(() => document.activeElement?.hasAttribute('autofocus') ?? false);
    if (autofocused) {
      const order = await page.evaluate(() => {
        const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]')].filter(
          (e) => e.tabIndex >= 0 && !e.closest('[hidden]') && !(e as HTMLButtonElement).disabled,
        );
        return { first: focusable[0]?.className ?? null, jumping: focusable.filter((e) => e.tabIndex > 0).length };
      });
      if (order.first !== 'skip' || order.jumping > 0) problems.push(`tab order starts at ${JSON.stringify(order)}, not the skip link`);
      await page.locator('a.skip').focus();
    } else await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const a = document.activeElement as HTMLAnchorElement | null;
      return a ? { tag: a.tagName, cls: a.className, href: a.getAttribute('href') } : null;
    });
    if (first?.tag !== 'A' || first.cls !== 'skip' || first.href !== '#main') problems.push(`first Tab focuses ${JSON.stringify(first)}, not the skip link`);
    else {
      const skipShown = await page.evaluate(() => {
        const r = (document.activeElement as HTMLElement).getBoundingClientRect();
        return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
      });
      if (!skipShown) problems.push('the focused skip link is off screen');
      await page.keyboard.press('Enter');
      const focused = await page.evaluate(() => ({ tag: document.activeElement?.tagName, id: document.activeElement?.id }));
      if (focused.tag !== 'MAIN' || focused.id !== 'main') problems.push(`following the skip link focuses ${JSON.stringify(focused)}, not <main id="main">`);
    }

    // A visible focus ring: the next link or button reached by Tab draws an outline (or shadow) it lacks unfocused.
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || !['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY'].includes(el.tagName)) return { tag: el?.tagName ?? null, focused: '', blurred: '' };
      const look = () => {
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
        return `${outline}|${s.boxShadow === 'none' ? '' : s.boxShadow}`;
      };
      const focused = look();
      el.blur();
      return { tag: el.tagName, focused, blurred: look() };
    });
    if (ring.focused === '' || ring.focused === '|' || ring.focused === ring.blurred) problems.push(`no visible focus on ${ring.tag}: ${JSON.stringify(ring)}`);

    // The menu marks the page shown: the link whose address is the longest prefix of this page's.
    const menu = await page.evaluate(() =>
      [...document.querySelectorAll('header.top nav a')].map((a) => ({ href: a.getAttribute('href') ?? '', current: a.getAttribute('aria-current') })),
    );
    const pathOnly = path.split('?')[0]!;
    const owner = menu
      .filter((m) => pathOnly === m.href || pathOnly.startsWith(`${m.href}/`))
      .sort((a, b) => b.href.length - a.href.length)[0];
    const marked = menu.filter((m) => m.current === 'page').map((m) => m.href);
    const expected = owner ? [owner.href] : [];
    if (JSON.stringify(marked) !== JSON.stringify(expected)) problems.push(`menu marks ${JSON.stringify(marked)} as current, expected ${JSON.stringify(expected)}`);
    return problems;
  }

  async function signIn(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'id-ID', viewport })).newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    return page;
  }

  it('the login page', async () => {
    const page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await page.goto(`${base}/console/login`);
    expect(await checkPage(page, '/console/login')).toEqual([]);
    await page.context().close();
  });

  it('the WhatsApp pairing page (outside the console shell, local only)', async () => {
    // It re-reads the pairing state in place (htmx), not with a whole-page refresh, and says its language.
    const page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await page.goto(`${base}/console/whatsapp`);
    expect((await seriousViolations(page)).map((v) => v.id).sort()).toEqual([]);
    await page.context().close();
  });

  for (const { role, email, viewport } of ROLES) {
    it(`every page a ${role} can reach (${viewport.width} px)`, async () => {
      const page = await signIn(email, viewport);
      const problems: Record<string, string[]> = {};
      const reached: string[] = [];
      for (const [route, at] of Object.entries(PAGES)) {
        const path = at(ids);
        const res = await page.goto(`${base}${path}`);
        const status = res?.status() ?? 0;
        if (status === 403 || status === 404) continue;
        expect(status, `${role} ${path}`).toBe(200);
        reached.push(route);
        const found = await checkPage(page, path);
        if (found.length > 0) problems[path] = found;
      }
      // The household page behind its reason: opened as a desk officer would, then checked too.
      if (reached.includes('/console/residents/households/:id')) {
        const path = PAGES['/console/residents/households/:id']!(ids);
        await page.goto(`${base}${path}`);
        const reason = page.locator('main form select, main form input[type="radio"]').first();
        if ((await reason.count()) > 0) {
          if ((await reason.evaluate((e) => e.tagName)) === 'SELECT') await reason.selectOption({ index: 1 });
          else await reason.check();
          await page.locator('main form button[type="submit"]').first().click();
          await page.waitForLoadState();
          const found = await checkPage(page, path);
          if (found.length > 0) problems[`${path} (opened)`] = found;
        }
      }
      // Nobody sees a page of another role's: the forbidden answer is a console page too.
      if (role === 'operator') {
        await page.goto(`${base}/console/admin/users`);
        const found = await checkPage(page, '/console/admin/users');
        if (found.length > 0) problems['/console/admin/users (forbidden)'] = found;
      }
      expect(problems).toEqual({});
      if (role === 'admin') expect(reached).toEqual(Object.keys(PAGES));
      else expect(reached.length).toBeGreaterThan(0);
      await page.context().close();
    });
  }
});
