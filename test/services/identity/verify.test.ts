import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, contacts, members } from '../../../src/db/schema/index.ts';
import { checkIdentity, lockState, recordFailure, recordSuccess } from '../../../src/services/identity/verify.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { hours, memberOf, minutes, newContact, resident, SEED_NOW, seededDatabase } from '../seeded.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const siti = () => resident('Siti');
const wrongDate = { nik: '2171105203850001', birthDate: '1885-03-12' }; // agrees with the NIK, not the registry
const at = (ms: number) => new Date(SEED_NOW.getTime() + ms);

async function contactRow(id: number) {
  const [c] = await database.db.select().from(contacts).where(eq(contacts.id, id));
  return c!;
}

describe('checkIdentity', () => {
  it('links the chat to the member on a match and audits it without the NIK', async () => {
    const contactId = await newContact(database.db);
    const m = await memberOf(database.db, siti().nik);
    const result = await checkIdentity(database.db, { contactId, nik: siti().nik, birthDate: siti().birthDate, now: SEED_NOW });
    expect(result).toEqual({ outcome: 'match', memberId: m.id, householdId: m.householdId, deceased: false });
    const c = await contactRow(contactId);
    expect(c.memberId).toBe(m.id);
    expect(c.verifiedAt).toEqual(SEED_NOW);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.contactId, contactId));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorKind: 'resident', action: 'identity.lookup', entity: 'member', entityId: String(m.id), details: { outcome: 'match' } });
    expect(JSON.stringify(audits)).not.toContain(siti().nik);
    expect(JSON.stringify(audits)).not.toContain('1985-03-12');
  });

  it('does not link the chat to a deceased member, even with the right birth date', async () => {
    const [dead] = await database.db.select().from(members).where(eq(members.deceased, true)).limit(1);
    expect(dead).toBeDefined();
    const contactId = await newContact(database.db);
    const result = await checkIdentity(database.db, { contactId, nik: dead!.nik, birthDate: dead!.birthDate, now: SEED_NOW });
    expect(result).toMatchObject({ outcome: 'match', deceased: true });
    expect((await contactRow(contactId)).memberId).toBeNull();
  });

  it('counts mismatches down and locks the chat for an hour on the fifth', async () => {
    const contactId = await newContact(database.db);
    for (let i = 1; i <= 4; i++) {
      expect(await checkIdentity(database.db, { contactId, ...wrongDate, now: at(minutes(i)) })).toEqual({ outcome: 'mismatch', remaining: 5 - i });
    }
    const fifth = await checkIdentity(database.db, { contactId, ...wrongDate, now: at(minutes(5)) });
    expect(fifth).toEqual({ outcome: 'locked_now', until: at(minutes(5) + hours(1)) });

    // Locked: even the right answer is not looked at.
    const meanwhile = await checkIdentity(database.db, { contactId, nik: siti().nik, birthDate: siti().birthDate, now: at(minutes(30)) });
    expect(meanwhile).toEqual({ outcome: 'locked', until: at(minutes(5) + hours(1)) });
    expect((await contactRow(contactId)).memberId).toBeNull();

    // The lock runs out; the count starts again and the right answer works.
    const after = at(minutes(5) + hours(1) + 1000);
    expect(await lockState(database.db, contactId, after)).toEqual({ locked: false, failures: 0 });
    expect(await checkIdentity(database.db, { contactId, ...wrongDate, now: after })).toEqual({ outcome: 'mismatch', remaining: 4 });
    expect((await checkIdentity(database.db, { contactId, nik: siti().nik, birthDate: siti().birthDate, now: after })).outcome).toBe('match');
    const c = await contactRow(contactId);
    expect(c.failedVerifications).toBe(0);
    expect(c.lockedUntil).toBeNull();

    const outcomes = await database.db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.contactId, contactId), eq(auditLog.action, 'identity.lookup')))
      .orderBy(auditLog.id);
    expect(outcomes.map((o) => o.details!.outcome)).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'locked_now', 'locked', 'mismatch', 'match']);
  });

  it('a birth date that disagrees with the NIK counts the same as one the registry disagrees with', async () => {
    const contactId = await newContact(database.db);
    expect(await checkIdentity(database.db, { contactId, nik: siti().nik, birthDate: '1985-03-13', now: SEED_NOW })).toEqual({ outcome: 'mismatch', remaining: 4 });
    expect(await checkIdentity(database.db, { contactId, ...wrongDate, now: SEED_NOW })).toEqual({ outcome: 'mismatch', remaining: 3 });
  });

  it('typos and unknown NIKs do not count towards the lock', async () => {
    const contactId = await newContact(database.db);
    for (let i = 0; i < 6; i++) {
      expect(await checkIdentity(database.db, { contactId, nik: '12345', birthDate: '1985-03-12', now: SEED_NOW })).toEqual({ outcome: 'invalid_nik' });
      expect(await checkIdentity(database.db, { contactId, nik: '2171105203859999', birthDate: '1985-03-12', now: SEED_NOW })).toEqual({ outcome: 'not_found' });
    }
    expect(await lockState(database.db, contactId, SEED_NOW)).toEqual({ locked: false, failures: 0 });
  });

  it('a match clears earlier failures', async () => {
    const contactId = await newContact(database.db);
    await checkIdentity(database.db, { contactId, ...wrongDate, now: SEED_NOW });
    await checkIdentity(database.db, { contactId, ...wrongDate, now: SEED_NOW });
    await checkIdentity(database.db, { contactId, nik: siti().nik, birthDate: siti().birthDate, now: SEED_NOW });
    expect(await lockState(database.db, contactId, SEED_NOW)).toEqual({ locked: false, failures: 0 });
  });

  it('locks per chat: another chat is not affected', async () => {
    const a = await newContact(database.db);
    const b = await newContact(database.db);
    for (let i = 0; i < 5; i++) await checkIdentity(database.db, { contactId: a, ...wrongDate, now: SEED_NOW });
    expect((await lockState(database.db, a, SEED_NOW)).locked).toBe(true);
    expect(await lockState(database.db, b, SEED_NOW)).toEqual({ locked: false, failures: 0 });
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

  it('recordSuccess links and clears', async () => {
    const contactId = await newContact(database.db);
    const m = await memberOf(database.db, resident('Dewi').nik);
    await recordFailure(database.db, contactId, SEED_NOW);
    await recordSuccess(database.db, contactId, m.id, SEED_NOW);
    expect(await contactRow(contactId)).toMatchObject({ memberId: m.id, verifiedAt: SEED_NOW, failedVerifications: 0, lockedUntil: null });
  });
});
