import { and, eq, isNull, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contactLinks, contacts, households, identityCodes, kelurahan, kecamatan, members } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { counterCode } from '../../../src/services/identity/codes.ts';
import type { IdentityEnv } from '../../../src/services/identity/env.ts';
import { findForCounter, linkInPerson } from '../../../src/services/identity/in-person.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { testIdentityEnv } from '../../helpers/services.ts';
import { staffActor } from '../staff/fixtures.ts';
import { hours, memberOf, newContact, resident, SEED_NOW, seededDatabase } from '../seeded.ts';

// Issue 14, the in-person proof: the officer types the chat's counter code and the NIK off the KTP.

let database: TestDatabase;
let env: IdentityEnv;
let siti: Awaited<ReturnType<typeof memberOf>>;
let sitiKec: number;
let otherKec: number;
beforeAll(async () => {
  database = await seededDatabase();
  env = testIdentityEnv(await createI18n('id'));
  siti = await memberOf(database.db, resident('Siti').nik);
  const [h] = await database.db
    .select({ kec: kelurahan.kecamatanId })
    .from(households)
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .where(eq(households.id, siti.householdId));
  sitiKec = h!.kec;
  const [o] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(ne(kecamatan.id, sitiKec)).limit(1);
  otherKec = o!.id;
});
afterAll(async () => {
  await database?.dispose();
});

const at = (ms: number) => new Date(SEED_NOW.getTime() + ms);
const codeRow = async (contactId: number) => (await database.db.select().from(identityCodes).where(and(eq(identityCodes.contactId, contactId), eq(identityCodes.purpose, 'counter'))))[0]!;
const auditOf = async (staffId: number) => database.db.select().from(auditLog).where(eq(auditLog.staffId, staffId));

describe('findForCounter and linkInPerson', () => {
  it('shows masked facts, then links the chat in person with the officer, uses the code and audits', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'operator', kecamatanId: sitiKec });
    const chat = await newContact(db);
    const { code } = await counterCode(db, { contactId: chat, now: SEED_NOW });
    // Typed as read aloud: lower case, with a space.
    const typed = `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`;
    const nikTyped = `${siti.nik.slice(0, 4)} ${siti.nik.slice(4)}`;

    const found = await findForCounter(db, officer, { code: typed, nik: nikTyped, now: at(hours(1)) });
    expect(found).toMatchObject({ ok: true, match: { contactId: chat, memberId: siti.id, householdId: siti.householdId, birthDate: siti.birthDate, channel: 'webchat', alreadyLinked: false } });
    if (!found.ok) throw new Error('not found');
    expect(found.match.maskedName).toMatch(/^S\*+/);
    expect(found.match.maskedName).not.toContain(siti.name.split(' ')[0]!.slice(1));
    expect(found.match.kelurahan.length).toBeGreaterThan(0);
    // A read, not a link: the chat is still unlinked and the code still waits.
    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBeNull();
    expect((await codeRow(chat)).usedAt).toBeNull();
    expect((await auditOf(officer.id)).map((a) => a.action)).toEqual(['identity.counter_read']);

    const linked = await linkInPerson(db, env, officer, { code: typed, nik: nikTyped, now: at(hours(2)) });
    expect(linked).toMatchObject({ ok: true, match: { contactId: chat, memberId: siti.id } });
    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBe(siti.id);
    expect(await db.select().from(contactLinks).where(and(eq(contactLinks.contactId, chat), isNull(contactLinks.endedAt)))).toMatchObject([
      { memberId: siti.id, householdId: siti.householdId, proof: 'in_person', staffId: officer.id },
    ]);
    expect((await codeRow(chat)).usedAt).toEqual(at(hours(2)));
    const audits = await auditOf(officer.id);
    expect(audits.map((a) => a.action).sort()).toEqual(['identity.counter_read', 'identity.link']);
    const link = audits.find((a) => a.action === 'identity.link')!;
    expect(link).toMatchObject({ entity: 'member', entityId: String(siti.id), details: { proof: 'in_person', contactId: chat } });
    // No NIK in the audit log.
    expect(JSON.stringify(audits)).not.toContain(siti.nik);

    // Used once: the same code again is refused.
    expect(await linkInPerson(db, env, officer, { code, nik: siti.nik, now: at(hours(3)) })).toEqual({ ok: false, reason: 'unknown_code' });
  });

  it('lets a city-wide supervisor link; refuses a viewer outright', async () => {
    const db = database.db;
    const supervisor = await staffActor(db, { role: 'supervisor' });
    const chat = await newContact(db);
    const { code } = await counterCode(db, { contactId: chat, now: SEED_NOW });
    expect((await linkInPerson(db, env, supervisor, { code, nik: siti.nik, now: at(hours(1)) })).ok).toBe(true);

    const viewer = await staffActor(db, { role: 'viewer' });
    const other = await newContact(db);
    const second = await counterCode(db, { contactId: other, now: SEED_NOW });
    await expect(findForCounter(db, viewer, { code: second.code, nik: siti.nik, now: at(hours(1)) })).rejects.toBeInstanceOf(Forbidden);
    await expect(linkInPerson(db, env, viewer, { code: second.code, nik: siti.nik, now: at(hours(1)) })).rejects.toBeInstanceOf(Forbidden);
    expect((await codeRow(other)).usedAt).toBeNull();
  });

  it('refuses an unknown or expired code, an unknown NIK, an officer of another kecamatan and a deceased member, changing nothing', async () => {
    const db = database.db;
    const officer = await staffActor(db, { role: 'operator', kecamatanId: sitiKec });
    const outsider = await staffActor(db, { role: 'operator', kecamatanId: otherKec });
    const chat = await newContact(db);
    const { code } = await counterCode(db, { contactId: chat, now: SEED_NOW });
    const now = at(hours(1));

    expect(await findForCounter(db, officer, { code: 'ZZZZZZ', nik: siti.nik, now })).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await linkInPerson(db, env, officer, { code, nik: siti.nik, now: at(hours(25)) })).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await linkInPerson(db, env, officer, { code, nik: '9999999999999999', now })).toEqual({ ok: false, reason: 'unknown_nik' });
    expect(await linkInPerson(db, env, officer, { code, nik: '12345', now })).toEqual({ ok: false, reason: 'unknown_nik' });
    expect(await findForCounter(db, outsider, { code, nik: siti.nik, now })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(await linkInPerson(db, env, outsider, { code, nik: siti.nik, now })).toEqual({ ok: false, reason: 'out_of_scope' });

    const [dead] = await db
      .select({ id: members.id, nik: members.nik })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .where(and(eq(kelurahan.kecamatanId, sitiKec), ne(members.id, siti.id)))
      .limit(1);
    await db.update(members).set({ deceased: true }).where(eq(members.id, dead!.id));
    try {
      expect(await findForCounter(db, officer, { code, nik: dead!.nik, now })).toEqual({ ok: false, reason: 'deceased' });
      expect(await linkInPerson(db, env, officer, { code, nik: dead!.nik, now })).toEqual({ ok: false, reason: 'deceased' });
    } finally {
      await db.update(members).set({ deceased: false }).where(eq(members.id, dead!.id));
    }

    expect((await db.select().from(contacts).where(eq(contacts.id, chat)))[0]!.memberId).toBeNull();
    expect(await db.select().from(contactLinks).where(eq(contactLinks.contactId, chat))).toEqual([]);
    expect((await codeRow(chat)).usedAt).toBeNull();
    expect(await auditOf(officer.id)).toEqual([]);
    expect(await auditOf(outsider.id)).toEqual([]);
  });
});
