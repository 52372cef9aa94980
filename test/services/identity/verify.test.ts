import { identityVolume } from '../../../src/metrics/gauges.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { auditLog, contactLinks, contacts, households, members, outbox } from '../../../src/db/schema/index.ts';
import { DEFAULT_IDENTITY_LIMITS } from '../../../src/config.ts';
import { createI18n } from '../../../src/i18n.ts';
import type { IdentityEnv } from '../../../src/services/identity/env.ts';
import { checkIdentity, lockState, proveByOwnPhone, recordFailure, registryVerdict } from '../../../src/services/identity/verify.ts';
import { linkContact } from '../../../src/services/identity/links.ts';
import { addressKey, peek } from '../../../src/services/identity/limits.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { testIdentityEnv } from '../../helpers/services.ts';
import { hours, memberOf, minutes, newContact, resident, SEED_NOW, seededDatabase, TZ } from '../seeded.ts';

// Identity by possession (issue 14): NIK, KK and birth date find a person and show only the public view;
// the chat is linked only when its own number is the family's registry phone (or by a code, codes.test.ts).

let database: TestDatabase;
let env: IdentityEnv;
beforeAll(async () => {
  database = await seededDatabase();
  env = testIdentityEnv(await createI18n('id'), { limits: DEFAULT_IDENTITY_LIMITS });
  // Phones of our own, so these tests do not depend on what the demo seed lists.
  await setPhone(resident('Siti').nik, '0812-5550-0001');
  await setPhone(resident('Dewi').nik, null);
});
afterAll(async () => {
  await database?.dispose();
});

async function setPhone(nik: string, phone: string | null) {
  await database.db.update(members).set({ phone }).where(eq(members.nik, nik));
}

const siti = () => resident('Siti');
const facts = (name: 'Siti' | 'Ahmad' | 'Budi' | 'Dewi') => ({ nik: resident(name).nik, noKk: resident(name).noKk, birthDate: resident(name).birthDate });
const wrongDate = { nik: '2171105203850001', noKk: '2171100207180005', birthDate: '1885-03-12' }; // agrees with the NIK, not the registry
const at = (ms: number) => new Date(SEED_NOW.getTime() + ms);
const check = (contactId: number, f: { nik: string; noKk: string; birthDate: string }, now = SEED_NOW, clientAddress?: string) =>
  checkIdentity(database.db, env, { contactId, ...f, now, timeZone: TZ, clientAddress });

async function contactRow(id: number) {
  const [c] = await database.db.select().from(contacts).where(eq(contacts.id, id));
  return c!;
}

async function phoneChat(phone: string): Promise<number> {
  const [row] = await database.db.insert(contacts).values({ channel: 'whatsapp_cloud', externalId: phone, phone }).returning({ id: contacts.id });
  return row!.id;
}

describe('registryVerdict', () => {
  it.each(['Siti', 'Ahmad', 'Budi', 'Dewi'] as const)('matches %s with NIK, KK and birth date', async (name) => {
    const m = await memberOf(database.db, resident(name).nik);
    expect(await registryVerdict(database.db, facts(name))).toEqual({ outcome: 'match', memberId: m.id, householdId: m.householdId, deceased: false });
  });

  it('tolerates spaces and dots in the NIK and the KK', async () => {
    const r = siti();
    const spaced = (n: string) => `${n.slice(0, 4)} ${n.slice(4, 8)}.${n.slice(8, 12)}-${n.slice(12)}`;
    expect((await registryVerdict(database.db, { nik: spaced(r.nik), noKk: spaced(r.noKk), birthDate: r.birthDate })).outcome).toBe('match');
  });

  it.each([
    ['15 digits', '217110520385000'],
    ['letters', '21711052038500O1'],
    ['impossible birth part', '2171109913850001'],
    ['empty', ''],
  ])('invalid_nik: %s', async (_label, nik) => {
    expect(await registryVerdict(database.db, { nik, noKk: siti().noKk, birthDate: '1985-03-12' })).toEqual({ outcome: 'invalid_nik' });
  });

  it('a wrong KK, a birth date the NIK disagrees with, and one the registry disagrees with are all the same mismatch', async () => {
    expect(await registryVerdict(database.db, { ...facts('Siti'), noKk: facts('Dewi').noKk })).toEqual({ outcome: 'mismatch' });
    expect(await registryVerdict(database.db, { ...facts('Siti'), birthDate: '1985-03-13' })).toEqual({ outcome: 'mismatch' });
    expect(await registryVerdict(database.db, wrongDate)).toEqual({ outcome: 'mismatch' });
  });

  it('not_found for a well-formed NIK that agrees with the date but is not registered', async () => {
    expect(await registryVerdict(database.db, { nik: '2171105203859999', noKk: siti().noKk, birthDate: '1985-03-12' })).toEqual({ outcome: 'not_found' });
  });
});

describe('checkIdentity', () => {
  it('knowledge alone: the public view and the code offer, no link, audited without the NIK', async () => {
    const contactId = await newContact(database.db);
    const m = await memberOf(database.db, siti().nik);
    const result = await check(contactId, facts('Siti'));
    expect(result).toMatchObject({ outcome: 'knowledge', memberId: m.id, householdId: m.householdId, offer: { kind: 'code', masked: '0812****0001' } });
    if (result.outcome !== 'knowledge') throw new Error('unreachable');
    expect(result.programs.map((p) => p.active)).toEqual(result.programs.map(() => true));
    expect(result.programs.length).toBeGreaterThan(0);
    // Only names and whether active: no amount, period or desil travels in the public view.
    for (const p of result.programs) expect(Object.keys(p).sort()).toEqual(['active', 'name', 'nameEn']);
    expect((await contactRow(contactId)).memberId).toBeNull();
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.contactId, contactId));
    expect(audits.map((a) => a.details)).toEqual([{ outcome: 'knowledge' }]);
    expect(JSON.stringify(audits)).not.toContain(siti().nik);
    expect(JSON.stringify(audits)).not.toContain(siti().noKk);
  });

  it('a member with no registry phone is offered the visit only', async () => {
    const contactId = await newContact(database.db);
    expect(await check(contactId, facts('Dewi'))).toMatchObject({ outcome: 'knowledge', offer: { kind: 'none' } });
  });

  it('no channel reaches phones: no code is offered', async () => {
    const contactId = await newContact(database.db);
    const result = await checkIdentity(database.db, { ...env, phoneChannel: null }, { contactId, ...facts('Siti'), now: SEED_NOW, timeZone: TZ });
    expect(result).toMatchObject({ outcome: 'knowledge', offer: { kind: 'none' } });
  });

  it('the WhatsApp sender is the registry phone: linked, recorded as such, and the family told', async () => {
    const m = await memberOf(database.db, siti().nik);
    // Another chat already linked to the family hears of the new one.
    const other = await newContact(database.db);
    await linkContact(database.db, env, { contactId: other, memberId: m.id, householdId: m.householdId, proof: 'code', now: SEED_NOW });
    const before = await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.contactId, other));

    const contactId = await phoneChat('6281255500001');
    const result = await check(contactId, facts('Siti'), at(minutes(1)));
    expect(result).toMatchObject({ outcome: 'linked', memberId: m.id, householdId: m.householdId });
    expect(await contactRow(contactId)).toMatchObject({ memberId: m.id, verifiedAt: at(minutes(1)) });
    const links = await database.db.select().from(contactLinks).where(eq(contactLinks.contactId, contactId));
    expect(links).toMatchObject([{ memberId: m.id, proof: 'registry_phone', endedAt: null }]);
    const told = await database.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.contactId, other));
    expect(told.length).toBe(before.length + 1);
    expect(JSON.stringify(told.at(-1))).toContain('LAPOR');
  });

  it('a number listed for two households proves neither', async () => {
    const ahmad = await memberOf(database.db, resident('Ahmad').nik);
    const budi = await memberOf(database.db, resident('Budi').nik);
    await database.db.update(members).set({ phone: '081255500077' }).where(inArray(members.id, [ahmad.id, budi.id]));
    try {
      const contactId = await phoneChat('6281255500077');
      expect(await check(contactId, facts('Ahmad'))).toMatchObject({ outcome: 'knowledge', offer: { kind: 'none' } });
      expect(await proveByOwnPhone(database.db, env, { contactId, memberId: ahmad.id, now: SEED_NOW })).toEqual({ linked: false });
      expect((await contactRow(contactId)).memberId).toBeNull();
    } finally {
      await database.db.update(members).set({ phone: null }).where(inArray(members.id, [ahmad.id, budi.id]));
    }
  });

  it('does not link a deceased member, even from the registry phone', async () => {
    const [dead] = await database.db
      .select({ nik: members.nik, birthDate: members.birthDate, noKk: households.noKk, id: members.id })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(eq(members.deceased, true))
      .limit(1);
    expect(dead).toBeDefined();
    const contactId = await newContact(database.db);
    expect(await check(contactId, { nik: dead!.nik, noKk: dead!.noKk, birthDate: dead!.birthDate })).toEqual({ outcome: 'deceased', memberId: dead!.id, paceMs: 0 });
    expect((await contactRow(contactId)).memberId).toBeNull();
  });

  it('counts mismatches down and locks the chat for an hour on the fifth', async () => {
    const contactId = await newContact(database.db);
    // A day of its own: the per-member count of Siti's lookups from other tests must not interfere.
    const at = (ms: number) => new Date(SEED_NOW.getTime() + hours(24 * 10) + ms);
    for (let i = 1; i <= 4; i++) expect(await check(contactId, wrongDate, at(minutes(i)))).toMatchObject({ outcome: 'mismatch', remaining: 5 - i });
    expect(await check(contactId, wrongDate, at(minutes(5)))).toMatchObject({ outcome: 'locked_now', until: at(minutes(5) + hours(1)) });
    // Locked: even the right answer is not looked at.
    expect(await check(contactId, facts('Siti'), at(minutes(30)))).toEqual({ outcome: 'locked', until: at(minutes(5) + hours(1)) });
    // The lock runs out; the count starts again.
    const after = at(minutes(5) + hours(1) + 1000);
    expect(await lockState(database.db, env, contactId, after)).toEqual({ locked: false, failures: 0 });
    expect(await check(contactId, wrongDate, after)).toMatchObject({ outcome: 'mismatch', remaining: 4 });
    expect((await check(contactId, facts('Siti'), after)).outcome).toBe('knowledge');
    expect((await contactRow(contactId)).failedVerifications).toBe(0);
  });

  it('typos do not count; every lookup that reaches the registry does, whatever its outcome', async () => {
    const contactId = await newContact(database.db);
    for (let i = 0; i < 12; i++) expect((await check(contactId, { ...facts('Siti'), nik: '12345' })).outcome).toBe('invalid_nik');
    const outcomes: string[] = [];
    for (let i = 0; i < env.limits.perChatHour + 2; i++) outcomes.push((await check(contactId, { nik: '2171105203859999', noKk: siti().noKk, birthDate: '1985-03-12' })).outcome);
    expect(outcomes.filter((o) => o === 'not_found')).toHaveLength(env.limits.perChatHour);
    expect(outcomes.slice(env.limits.perChatHour)).toEqual(['locked', 'locked']);
    expect((await lockState(database.db, env, contactId, SEED_NOW)).locked).toBe(true);
    expect((await lockState(database.db, env, contactId, at(hours(1) + 1000))).locked).toBe(false);
  });

  it('per client address: new chats from one address are refused after the limit, other addresses are not', async () => {
    const address = '203.0.113.9';
    const outcomes: string[] = [];
    for (let i = 0; i < env.limits.perAddressHour + 3; i++) outcomes.push((await check(await newContact(database.db), { nik: '2171105203859999', noKk: siti().noKk, birthDate: '1985-03-12' }, at(hours(3)), address)).outcome);
    expect(outcomes.filter((o) => o === 'not_found')).toHaveLength(env.limits.perAddressHour);
    expect(outcomes.slice(env.limits.perAddressHour)).toEqual(['limited', 'limited', 'limited']);
    expect((await check(await newContact(database.db), facts('Budi'), at(hours(3)), '198.51.100.7')).outcome).toBe('knowledge');
  });

  it('a lookup refused by the chat\'s hour uses none of its address\'s hour and is not counted in the city\'s minute (one statement counts all three)', async () => {
    const address = '192.0.2.44';
    const now = at(hours(450));
    const contactId = await newContact(database.db);
    const outcomes: string[] = [];
    for (let i = 0; i < env.limits.perChatHour + 3; i++) outcomes.push((await check(contactId, { nik: '2171105203859999', noKk: siti().noKk, birthDate: '1985-03-12' }, now, address)).outcome);
    expect(outcomes.slice(env.limits.perChatHour)).toEqual(['locked', 'locked', 'locked']);
    expect((await peek(database.db, addressKey(address)))?.count).toBe(env.limits.perChatHour);
    expect((await identityVolume(database, now)).lastMinute).toBe(env.limits.perChatHour);
  });

  it('per member: a person looked up from more than the allowed new chats in a day is refused to the next, not to the earlier ones', async () => {
    const chats = await Promise.all(Array.from({ length: env.limits.chatsPerMemberDay + 1 }, () => newContact(database.db)));
    const day = at(hours(30));
    const outcomes = [];
    for (const c of chats) outcomes.push((await check(c, facts('Ahmad'), day)).outcome);
    expect(outcomes).toEqual([...Array(env.limits.chatsPerMemberDay).fill('knowledge'), 'limited']);
    expect((await check(chats[0]!, facts('Ahmad'), day)).outcome).toBe('knowledge');
    // The next day the count starts again.
    expect((await check(chats.at(-1)!, facts('Ahmad'), new Date(day.getTime() + hours(24)))).outcome).toBe('knowledge');
  });

  it('per member: wrong facts from many chats do not use up the member\'s chats of the day (only a match is counted)', async () => {
    const day = at(hours(430));
    for (let i = 0; i < env.limits.chatsPerMemberDay + 2; i++) {
      expect((await check(await newContact(database.db), { ...facts('Budi'), noKk: '2171100207189999' }, day)).outcome).toBe('mismatch');
    }
    expect((await check(await newContact(database.db), facts('Budi'), day)).outcome).toBe('knowledge');
  });

  it('volume above the alert threshold is audited once a minute, slows each answer a little more, and refuses nobody', async () => {
    const small = { ...env, limits: { ...env.limits, alertPerMinute: 12 } }; // one lookup per 5 s
    const now = at(hours(500));
    const paces = [];
    for (let i = 0; i < 15; i++) {
      const r = await checkIdentity(database.db, small, { contactId: await newContact(database.db), nik: '2171105203859999', noKk: siti().noKk, birthDate: '1985-03-12', now, timeZone: TZ });
      expect(r.outcome).toBe('not_found');
      paces.push(r.paceMs);
    }
    expect(paces).toEqual([...Array(12).fill(0), 5_000, 10_000, 15_000]);
    // The resident the flood is not about: found, answered, only held back.
    const siti_ = await checkIdentity(database.db, small, { contactId: await newContact(database.db), nik: siti().nik, noKk: siti().noKk, birthDate: '1985-03-12', now, timeZone: TZ });
    expect(siti_.outcome).toBe('knowledge');
    expect(siti_.paceMs).toBe(15_000); // held to MAX_PACE_MS
    // The city's count is spread over rows by chat; /metrics reads their sum.
    expect((await identityVolume(database, now)).lastMinute).toBe(16);
    // A minute later the pace is gone.
    const later = await checkIdentity(database.db, small, { contactId: await newContact(database.db), nik: siti().nik, noKk: siti().noKk, birthDate: '1985-03-12', now: new Date(now.getTime() + 60_000), timeZone: TZ });
    expect(later.paceMs).toBe(0);
    const rows = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'identity.volume'), sql`${auditLog.createdAt} = ${now.toISOString()}::timestamptz`));
    expect(rows).toHaveLength(1);
  });

  it('locks per chat: another chat is not affected', async () => {
    const a = await newContact(database.db);
    const b = await newContact(database.db);
    for (let i = 0; i < 5; i++) await check(a, wrongDate, at(hours(70)));
    expect((await lockState(database.db, env, a, at(hours(70)))).locked).toBe(true);
    expect(await lockState(database.db, env, b, at(hours(70)))).toEqual({ locked: false, failures: 0 });
  });
});

describe('proveByOwnPhone', () => {
  it('links when the chat phone is the registry phone, and refuses any other number', async () => {
    const m = await memberOf(database.db, siti().nik);
    const stranger = await newContact(database.db);
    await database.db.update(contacts).set({ phone: '6281299999999' }).where(eq(contacts.id, stranger));
    expect(await proveByOwnPhone(database.db, env, { contactId: stranger, memberId: m.id, now: SEED_NOW })).toEqual({ linked: false });
    const own = await newContact(database.db);
    await database.db.update(contacts).set({ phone: '6281255500001' }).where(eq(contacts.id, own));
    expect(await proveByOwnPhone(database.db, env, { contactId: own, memberId: m.id, now: SEED_NOW })).toEqual({ linked: true, householdId: m.householdId });
    const open = await database.db.select().from(contactLinks).where(and(eq(contactLinks.contactId, own), isNull(contactLinks.endedAt)));
    expect(open).toMatchObject([{ proof: 'registry_phone' }]);
  });
});

describe('lock primitives', () => {
  it('recordFailure never loses a count under concurrent messages', async () => {
    const contactId = await newContact(database.db);
    const results = await Promise.all(Array.from({ length: 4 }, () => recordFailure(database.db, contactId, SEED_NOW)));
    expect(results.map((r) => (r.locked ? 'locked' : r.failures)).sort()).toEqual([1, 2, 3, 4]);
    expect(await recordFailure(database.db, contactId, SEED_NOW)).toEqual({ locked: true, until: at(hours(1)) });
  });

  it('recordFailure while locked keeps the lock as it is', async () => {
    const contactId = await newContact(database.db);
    for (let i = 0; i < 5; i++) await recordFailure(database.db, contactId, SEED_NOW);
    expect(await recordFailure(database.db, contactId, at(minutes(10)))).toEqual({ locked: true, until: at(hours(1)) });
  });

  it('recordFailure after an expired lock starts from one', async () => {
    const contactId = await newContact(database.db);
    for (let i = 0; i < 5; i++) await recordFailure(database.db, contactId, SEED_NOW);
    expect(await recordFailure(database.db, contactId, at(hours(2)))).toEqual({ locked: false, failures: 1 });
  });

});
