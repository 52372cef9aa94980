import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactLinks, contacts, members } from '../../src/db/schema/index.ts';
import { DEMO_PHONES, DEMO_RESIDENTS, seedDemoCity } from '../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createDemoPhoneApp, demoPhoneOf, phoneScreen, writeAs, type DemoPhoneApp } from '../helpers/demo-phones.ts';
import { externalIdOf, WebchatBrowser } from '../helpers/webchat.ts';

// Every proof README's demo table promises, tried as a newcomer on the embedded default with no WhatsApp:
// the web chat in one tab, the demo phones' page in another. Each row of DEMO_PHONES is checked to do what
// its `shows` says.

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

const resident = (name: string) => DEMO_RESIDENTS.find((r) => r.name === name)!;
const shows = (name: string) => DEMO_PHONES.find((p) => p.resident === name)!.shows;

/** The web chat up to "prove it is you": language, aid check, NIK, KK number, birth date. */
async function knownByFacts(chatName: string, name: string) {
  const r = resident(name);
  const chat = new WebchatBrowser(t.app, chatName);
  await chat.say({ text: 'halo' });
  await chat.say({ choice: 'id' });
  await chat.say({ choice: 'aid' });
  await chat.say({ text: r.nik });
  await chat.say({ text: r.noKk });
  const found = await chat.say({ text: r.birthDate.split('-').reverse().join('-') });
  return { chat, found: found.replies.map((x) => x.text).join('\n'), options: found.replies.flatMap((x) => x.options ?? []).map((o) => o.id) };
}

/** The phone's conversation as the registry-phone proof starts it: "cek bansos", the language, the facts. */
async function factsFromPhone(name: 'Siti Aminah' | 'Ahmad Yusuf' | 'Budi Santoso', facts = resident(name)) {
  const phone = demoPhoneOf(name);
  // A first message is greeted with the language question whatever it says; then "cek bansos" opens the check.
  for (const text of ['cek bansos', '1', 'cek bansos', facts.nik, facts.noKk, facts.birthDate.split('-').reverse().join('-')]) {
    expect((await writeAs(t.app, phone, text)).status).toBe(303);
  }
  return phone;
}

async function openLinks(externalId: string, channel: 'webchat' | 'demo_phone') {
  return database.db
    .select({ proof: contactLinks.proof, memberId: contactLinks.memberId })
    .from(contactLinks)
    .innerJoin(contacts, eq(contacts.id, contactLinks.contactId))
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, externalId), isNull(contactLinks.endedAt)));
}

const lastCode = (screen: string) => [...screen.matchAll(/Kode Pintu Bapak\/Ibu: (\d{6})/g)].at(-1)?.[1];

describe('Siti Aminah: her own registry phone', () => {
  it('is what the table says', () => expect(shows('Siti Aminah')).toBe('ownPhone'));

  it('one-time code: asked for on the web chat, read on her demo phone, typed back, and the chat is hers', async () => {
    // The code goes to her registry phone with the answer to the birth date.
    const { chat, found, options } = await knownByFacts('siti-code', 'Siti Aminah');
    expect(options).toContain('resend');
    expect(found).toContain('0812****1001');

    const phone = demoPhoneOf('Siti Aminah');
    const code = lastCode(await phoneScreen(t.app, phone));
    expect(code).toMatch(/^\d{6}$/);

    const linked = await chat.texts({ text: code! });
    expect(linked).toContain('Kode benar');
    expect(linked).toContain('Program Keluarga Harapan');
    expect(await openLinks(externalIdOf('siti-code'), 'webchat')).toMatchObject([{ proof: 'code' }]);
    // Her phone hears that a new chat now speaks for the family.
    expect(await phoneScreen(t.app, phone)).toContain('sebuah chat baru sekarang terhubung dengan data keluarga');
  });

  it('registry phone: "cek bansos" from her demo phone gives the full aid summary after NIK, KK and birth date', async () => {
    const phone = await factsFromPhone('Siti Aminah');
    const screen = await phoneScreen(t.app, phone);
    expect(screen).toContain('Nomor ini terdaftar untuk keluarga Bapak/Ibu');
    expect(screen).toContain('Ya, keluarga Bapak/Ibu menerima Program Keluarga Harapan');
    expect(screen).toContain('Program Sembako (BPNT)');
    expect(screen).toMatch(/Undangan berikutnya/);
    expect(await openLinks(phone.normal, 'demo_phone')).toMatchObject([{ proof: 'registry_phone' }]);
  });
});

describe("Ahmad Yusuf: the family's number, held by his daughter Nurhayati", () => {
  it('is what the table says', () => expect(shows('Ahmad Yusuf')).toBe('familyPhone'));

  it("sends Ahmad's code to her phone", async () => {
    const { chat, found, options } = await knownByFacts('ahmad-code', 'Ahmad Yusuf');
    expect(options).toContain('resend');
    expect(found).toContain('0812****1002');
    const code = lastCode(await phoneScreen(t.app, demoPhoneOf('Ahmad Yusuf')));
    expect(await chat.texts({ text: code! })).toContain('Kode benar');
  });

  it('lets her phone speak for his household', async () => {
    const phone = await factsFromPhone('Ahmad Yusuf');
    const screen = await phoneScreen(t.app, phone);
    expect(screen).toContain('Nomor ini terdaftar untuk keluarga Bapak/Ibu');
    expect(screen).toMatch(/Ya, keluarga Bapak\/Ibu menerima [^.]*Bansos Lansia Kota Batam/);
    const [member] = await database.db.select({ id: members.id }).from(members).where(eq(members.nik, resident('Ahmad Yusuf').nik));
    expect(await openLinks(phone.normal, 'demo_phone')).toEqual([{ proof: 'registry_phone', memberId: member!.id }]);
  });
});

describe('Budi Santoso: his own number, desil 5', () => {
  it('is what the table says', () => expect(shows('Budi Santoso')).toBe('aboveLine'));

  it('once linked from his phone, learns his family is above the desil 1–4 line', async () => {
    const screen = await phoneScreen(t.app, await factsFromPhone('Budi Santoso'));
    expect(screen).toContain('Nomor ini terdaftar untuk keluarga Bapak/Ibu');
    expect(screen).toContain('desil 5');
    expect(screen).toMatch(/desil 1–4/);
  });
});

describe('Dewi Lestari: no phone in the registry', () => {
  it('is what the table says', () => expect(shows('Dewi Lestari')).toBe('inPerson'));

  it('is offered only the visit: no code, and nothing on any demo phone', async () => {
    const { chat, options } = await knownByFacts('dewi', 'Dewi Lestari');
    expect(options).not.toContain('resend');
    expect(options).toContain('visit');
    expect(await chat.texts({ choice: 'visit' })).toMatch(/sebutkan kode ini kepada petugas: [A-Z0-9]{6}/);
    expect(await openLinks(externalIdOf('dewi'), 'webchat')).toEqual([]);
  });
});
