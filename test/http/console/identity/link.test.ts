import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contactLinks, contacts, households, kelurahan } from '../../../../src/db/schema/index.ts';
import { counterCode } from '../../../../src/services/identity/codes.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, PASSWORD, signedIn } from '../../../helpers/console.ts';
import type { TestDatabase } from '../../../helpers/db.ts';
import { memberOf, newContact, resident, SEED_NOW, seededDatabase } from '../../../services/seeded.ts';

// The in-person link page (issue 14) through the real app: the form, the masked facts, the confirmation.

describe('console: link a chat at the counter', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let siti: Awaited<ReturnType<typeof memberOf>>;

  beforeAll(async () => {
    database = await seededDatabase(50);
    t = await createTestApp(database, { clock: () => SEED_NOW });
    base = await t.listen();
    const db = database.db;
    siti = await memberOf(db, resident('Siti').nik);
    const [h] = await db.select({ kec: kelurahan.kecamatanId }).from(households).innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId)).where(eq(households.id, siti.householdId));
    await createStaffUser(db, 'system', { email: 'op.link@pintu.test', name: 'Operator', role: 'operator', kecamatanId: h!.kec, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'viewer.link@pintu.test', name: 'Viewer', role: 'viewer', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('checks the code and NIK, shows masked facts, links on confirmation and says so', async () => {
    const db = database.db;
    const chat = await newContact(db);
    const { code } = await counterCode(db, { contactId: chat, now: SEED_NOW });
    const b = new Browser(base);
    const { csrf } = await signedIn(b, 'op.link@pintu.test');

    const form = await b.fetch('/console/identity/link');
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('action="/console/identity/link/check"');
    expect(formHtml).toContain('href="/console/identity/link"'); // the nav link

    // Without the CSRF token nothing happens.
    expect((await b.post('/console/identity/link/check', { code, nik: siti.nik })).status).toBe(403);

    const bad = await b.post('/console/identity/link/check', { _csrf: csrf, code: 'ZZZZZZ', nik: siti.nik });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(t.deps.i18n.t('identity_console:errors.unknown_code', { lng: 'id' }));

    const check = await b.post('/console/identity/link/check', { _csrf: csrf, code, nik: siti.nik });
    expect(check.status).toBe(200);
    const page = await check.text();
    expect(page).toContain(siti.birthDate);
    expect(page).toContain('action="/console/identity/link/confirm"');
    expect(page).not.toContain(siti.name);
    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBeNull();

    const confirm = await b.post('/console/identity/link/confirm', { _csrf: csrf, code, nik: siti.nik });
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get('location')).toBe('/console/identity/link?done=linked');
    expect(await (await b.fetch('/console/identity/link?done=linked')).text()).toContain(t.deps.i18n.t('identity_console:linked', { lng: 'id' }));
    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBe(siti.id);
    const [link] = await db.select().from(contactLinks).where(and(eq(contactLinks.contactId, chat), isNull(contactLinks.endedAt)));
    expect(link).toMatchObject({ proof: 'in_person', memberId: siti.id });
    expect(link!.staffId).not.toBeNull();
    const actions = (await db.select().from(auditLog).where(eq(auditLog.staffId, link!.staffId!))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['identity.counter_read', 'identity.link']));

    // Confirming again: the code is used.
    const again = await b.post('/console/identity/link/confirm', { _csrf: csrf, code, nik: siti.nik });
    expect(again.status).toBe(422);
  });

  it('answers 403 to a role that may not link, and shows it no link in the menu', async () => {
    const b = new Browser(base);
    const { csrf } = await signedIn(b, 'viewer.link@pintu.test');
    expect((await b.fetch('/console/identity/link')).status).toBe(403);
    expect((await b.post('/console/identity/link/check', { _csrf: csrf, code: 'ABCDEF', nik: siti.nik })).status).toBe(403);
    const home = await (await b.fetch('/console/password')).text();
    expect(home).not.toContain('href="/console/identity/link"');
  });
});
