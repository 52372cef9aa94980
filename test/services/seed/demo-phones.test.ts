import { readFileSync } from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households, members } from '../../../src/db/schema/index.ts';
import { normalizePhone } from '../../../src/domain/phone.ts';
import { demoPhoneless, demoPhoneList, findDemoPhone } from '../../../src/services/demo-phone/phones.ts';
import { demoPhonesSeeded } from '../../../src/services/demo-phone/seeded.ts';
import { registryPhoneOf } from '../../../src/services/identity/registry-phone.ts';
import { BATAM, DEMO_PHONES, DEMO_RESIDENTS } from '../../../src/services/seed/batam.ts';
import { freshPhone, generateHouseholds, reservedPhones } from '../../../src/services/seed/generate.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { Random } from '../../../src/services/seed/random.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// The demo residents' phones (DEMO_PHONES): each a proof only while exactly one household lists it, so the
// seed writes them where the table says, the generated population never draws them, and the demo phone page
// (which exists only while they are proof) can tell a seeded demo city from any other database.

const phoneOf = (name: string) => DEMO_PHONES.find((p) => p.resident === name)!;

describe('the demo phone table', () => {
  it('gives Siti, Ahmad (on his daughter) and Budi a number, and Dewi none', () => {
    expect(DEMO_PHONES.map((p) => [p.resident, p.phone, p.holder, p.shows])).toEqual([
      ['Siti Aminah', '0812-7700-1001', null, 'ownPhone'],
      ['Ahmad Yusuf', '0812-7700-1002', 'Nurhayati', 'familyPhone'],
      ['Budi Santoso', '0812-7700-1003', null, 'aboveLine'],
      ['Dewi Lestari', null, null, 'inPerson'],
    ]);
    // Every resident of the table is a demo resident, and every demo resident is in the table.
    expect(DEMO_PHONES.map((p) => p.resident).sort()).toEqual(DEMO_RESIDENTS.map((r) => r.name).sort());
  });

  it('numbers WhatsApp could reach, each with a page of its own and no other', () => {
    expect(demoPhoneList().map((p) => [p.normal, p.slug])).toEqual([
      ['6281277001001', '081277001001'],
      ['6281277001002', '081277001002'],
      ['6281277001003', '081277001003'],
    ]);
    expect(demoPhoneless().map((p) => p.resident)).toEqual(['Dewi Lestari']);
    expect(findDemoPhone('+62 812-7700-1001')?.resident).toBe('Siti Aminah');
    expect(findDemoPhone('6281277001002')?.resident).toBe('Ahmad Yusuf');
    expect(findDemoPhone('081277001004')).toBeUndefined();
    expect(findDemoPhone('events')).toBeUndefined();
  });

  it('is the table README shows a newcomer', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const p of DEMO_PHONES) {
      const row = readme.split('\n').find((line) => line.startsWith('|') && line.includes(p.resident) && (p.phone === null || line.includes(p.phone)));
      expect({ resident: p.resident, row }).toEqual({ resident: p.resident, row: expect.any(String) });
      if (p.holder) expect(row).toContain(p.holder);
    }
  });
});

describe('the generated population', () => {
  it('never draws a demo number: a draw that hits one is drawn again', () => {
    const reserved = reservedPhones(BATAM.demoHouseholds);
    expect([...reserved].sort()).toEqual(['081277001001', '081277001002', '081277001003']);
    // The same draw with its first number reserved must come out different, and not reserved.
    const first = freshPhone(new Random(42), new Set());
    const again = freshPhone(new Random(42), new Set([first]));
    expect(again).not.toBe(first);
    expect(again).toMatch(/^08\d{9,10}$/);
  });

  it('lists none of them in 20,000 households', () => {
    const demo = new Set(demoPhoneList().map((p) => p.normal));
    let phones = 0;
    for (const h of generateHouseholds(BATAM, { households: 20_000, seed: 1, today: '2026-11-24' })) {
      for (const m of h.members) {
        if (!m.phone) continue;
        phones++;
        expect(demo.has(normalizePhone(m.phone)!)).toBe(false);
      }
    }
    expect(phones).toBeGreaterThan(10_000);
  });
});

describe('the seeded demo city', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 200, today: new Date('2026-11-24T02:00:00Z') });
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
  });

  const listed = (phone: string) =>
    database.db
      .select({ name: members.name, noKk: households.noKk, source: households.source })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(eq(members.phoneNorm, phone));

  it('lists each number once, on the member the table names, in a household of the demo seed', async () => {
    const resident = (name: string) => DEMO_RESIDENTS.find((r) => r.name === name)!;
    expect(await listed('6281277001001')).toEqual([{ name: 'Siti Aminah', noKk: resident('Siti Aminah').noKk, source: 'demo' }]);
    expect(await listed('6281277001002')).toEqual([{ name: 'Nurhayati', noKk: resident('Ahmad Yusuf').noKk, source: 'demo' }]);
    expect(await listed('6281277001003')).toEqual([{ name: 'Budi Santoso', noKk: resident('Budi Santoso').noKk, source: 'demo' }]);
    // As the registry writes it; the generated column gives the form chats are compared in.
    const [siti] = await database.db.select({ phone: members.phone }).from(members).where(eq(members.nik, resident('Siti Aminah').nik));
    expect(siti!.phone).toBe(phoneOf('Siti Aminah').phone);
  });

  it("gives Ahmad his family's number, and Dewi's family none at all", async () => {
    const memberId = async (name: string) => (await database.db.select({ id: members.id }).from(members).where(eq(members.name, name)))[0]!.id;
    expect(await registryPhoneOf(database.db, await memberId('Ahmad Yusuf'))).toEqual({ kind: 'phone', phone: '6281277001002' });
    expect(await registryPhoneOf(database.db, await memberId('Dewi Lestari'))).toEqual({ kind: 'none' });
  });

  it('is recognised as the demo city whose phones are proof', async () => {
    expect(await demoPhonesSeeded(database.db)).toBe(true);
  });

  it('is not, once a demo number is listed for a second household', async () => {
    const [other] = await database.db.select({ id: members.id }).from(members).innerJoin(households, eq(households.id, members.householdId)).where(inArray(households.noKk, [DEMO_RESIDENTS.find((r) => r.name === 'Dewi Lestari')!.noKk])).limit(1);
    await database.db.update(members).set({ phone: '0812 7700 1003' }).where(eq(members.id, other!.id));
    try {
      expect(await demoPhonesSeeded(database.db)).toBe(false);
    } finally {
      await database.db.update(members).set({ phone: null }).where(eq(members.id, other!.id));
    }
    expect(await demoPhonesSeeded(database.db)).toBe(true);
  });
});

describe('a database without the demo city', () => {
  it('has no demo phones', async () => {
    const database = await createTestDatabase();
    try {
      expect(await demoPhonesSeeded(database.db)).toBe(false);
    } finally {
      await database.dispose();
    }
  });
});
