import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, messages, outbox } from '../../../src/db/schema/index.ts';
import { createTestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { createDemoPhoneApp, demoPhoneOf, htmlText, phoneScreen, writeAs, type DemoPhoneApp } from '../../helpers/demo-phones.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';

// The demo phone pages over HTTP: the list, one phone's screen, and writing as the phone. What the proofs
// do end to end is test/e2e/demo-phones.test.ts; the pages in a real browser, test/browser/demo-phone.test.ts.

let database: TestDatabase;
let t: DemoPhoneApp;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 30 });
  t = await createDemoPhoneApp(database);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await database?.dispose();
});

const siti = () => demoPhoneOf('Siti Aminah');

async function inboundCount(slugNormal: string): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .where(and(eq(contacts.channel, 'demo_phone'), eq(contacts.externalId, slugNormal), eq(messages.direction, 'in')));
  return row!.n;
}

describe('/demo/phones', () => {
  it('lists every demo resident with their number, whose it is and what it shows', async () => {
    const res = await t.app.request('/demo/phones', { headers: { 'Accept-Language': 'id' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const text = htmlText(html);
    for (const [name, phone] of [
      ['Siti Aminah', '0812-7700-1001'],
      ['Ahmad Yusuf', '0812-7700-1002'],
      ['Budi Santoso', '0812-7700-1003'],
    ]) {
      expect(text).toContain(name);
      expect(text).toContain(phone);
    }
    expect(text).toContain('Nurhayati (nomor keluarga)');
    expect(text).toMatch(/Dewi Lestari\nTidak ada nomor/);
    expect(html).toContain('href="/demo/phones/081277001001"');
  });

  it('speaks English when asked, and remembers it', async () => {
    const res = await t.app.request('/demo/phones?lang=en');
    expect(htmlText(await res.text())).toContain("The demo residents' phones");
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const again = await t.app.request('/demo/phones/081277001002', { headers: { Cookie: cookie } });
    expect(htmlText(await again.text())).toContain("Held by Nurhayati, listed for Ahmad Yusuf's family");
  });

  it('has a page for each demo number, however it is written, and for no other number', async () => {
    for (const written of ['081277001001', '6281277001001', '0812-7700-1001', '+62 812 7700 1001']) {
      expect((await t.app.request(`/demo/phones/${encodeURIComponent(written)}`)).status).toBe(200);
    }
    for (const other of ['081277001004', '081234567890', 'abc']) {
      expect((await t.app.request(`/demo/phones/${other}`)).status).toBe(404);
      expect((await writeAs(t.app, { ...siti(), slug: other }, 'halo')).status).toBe(404);
    }
  });

  it("shows the facts to try with on the phone's page", async () => {
    const text = htmlText(await (await t.app.request('/demo/phones/081277001001')).text());
    expect(text).toContain('2171105203850001');
    expect(text).toContain('2171100207180005');
    expect(text).toContain('12-03-1985');
    expect(text).toContain('Belum ada pesan');
  });
});

describe('writing as a demo phone', () => {
  it('hands the text to the engine as a message from the number, and shows the replies on the phone', async () => {
    const phone = demoPhoneOf('Budi Santoso');
    const res = await writeAs(t.app, phone, 'halo');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/demo/phones/${phone.slug}#reply`);
    const screen = await phoneScreen(t.app, phone);
    expect(screen).toContain('halo');
    expect(screen).toContain('Dari kantor');
    expect(screen).toContain('Mohon pilih bahasa. / Please choose a language.');
    expect(screen).toMatch(/Bahasa Indonesia\nEnglish/); // the options, as a numbered list
    // The chat is the number's: its phone is kept, so the registry-phone proof can see it.
    const [contact] = await database.db.select().from(contacts).where(and(eq(contacts.channel, 'demo_phone'), eq(contacts.externalId, phone.normal)));
    expect(contact!.phone).toBe(phone.normal);
    // The list counts the phone's messages.
    expect(htmlText(await (await t.app.request('/demo/phones/cards')).text())).toMatch(/Budi Santoso[\s\S]*?\d+ pesan/);
    // The replies leave the outbox like any channel's: the demo phones' sender takes them.
    const statuses = () => database.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.contactId, contact!.id));
    await expect.poll(async () => (await statuses()).map((r) => r.status), { timeout: 10_000 }).toEqual(expect.arrayContaining(['sent']));
    await expect.poll(async () => (await statuses()).every((r) => r.status === 'sent'), { timeout: 10_000 }).toBe(true);
  });

  it('answers a double submit of the same form once', async () => {
    const phone = demoPhoneOf('Ahmad Yusuf');
    const formId = crypto.randomUUID();
    await writeAs(t.app, phone, 'halo', formId);
    await writeAs(t.app, phone, 'halo', formId);
    expect(await inboundCount(phone.normal)).toBe(1);
  });

  it('refuses an empty message with the reason, and a post from another site', async () => {
    const phone = siti();
    const empty = await writeAs(t.app, phone, '   ');
    expect(empty.status).toBe(422);
    expect(htmlText(await empty.text())).toContain('Tulis pesan dulu');
    const forged = await t.app.request(`/demo/phones/${phone.slug}/messages`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: 'cek bansos' }),
    });
    expect(forged.status).toBe(403);
    expect(await inboundCount(phone.normal)).toBe(0);
  });
});

describe('without the demo phones', () => {
  it('answers 404 at every path of them, like any unknown path', async () => {
    const plain = await createTestApp(database);
    try {
      for (const path of ['/demo/phones', '/demo/phones/081277001001', '/demo/phones/081277001001/messages', '/demo/phones/events']) {
        const res = await plain.app.request(path);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: 'not_found' });
      }
      expect((await writeAs(plain.app, siti(), 'cek bansos')).status).toBe(404);
      // Nor is there a sender for the demo phones: nothing reaches registry phones without WhatsApp.
      await expect(plain.deps.dispatcher.runOnce('demo_phone')).rejects.toThrow(/no sender registered/);
    } finally {
      await plain.close();
    }
  });
});
