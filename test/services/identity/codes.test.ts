import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { auditLog, contactLinks, contacts, identityCodes, members, outbox } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import { chatOfCounterCode, checkCode, counterCode, sendCode, CODE_TRIES } from '../../../src/services/identity/codes.ts';
import type { IdentityEnv } from '../../../src/services/identity/env.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { testIdentityEnv } from '../../helpers/services.ts';
import { memberOf, minutes, newContact, resident, SEED_NOW, seededDatabase } from '../seeded.ts';

// The one-time code to the registry phone (possession) and the counter code read to an officer.

let database: TestDatabase;
let env: IdentityEnv;
let sitiId: number;
beforeAll(async () => {
  database = await seededDatabase();
  env = testIdentityEnv(await createI18n('id'));
  await database.db.update(members).set({ phone: '0812 5550 0001' }).where(eq(members.nik, resident('Siti').nik));
  await database.db.update(members).set({ phone: null }).where(eq(members.nik, resident('Dewi').nik));
  sitiId = (await memberOf(database.db, resident('Siti').nik)).id;
});
afterAll(async () => {
  await database?.dispose();
});

const at = (ms: number) => new Date(SEED_NOW.getTime() + ms);

/** The code in the last message queued to Siti's phone, as she reads it on WhatsApp. */
async function codeOnPhone(): Promise<{ code: string; text: string; contactChannel: string; externalId: string }> {
  const [row] = await database.db
    .select({ payload: outbox.payload, channel: contacts.channel, externalId: contacts.externalId })
    .from(outbox)
    .innerJoin(contacts, eq(contacts.id, outbox.contactId))
    .where(eq(contacts.externalId, '6281255500001'))
    .orderBy(desc(outbox.id))
    .limit(1);
  const payload = row!.payload as { text: string; template: { kind: string; params: string[] } };
  expect(payload.template.kind).toBe('code');
  return { code: payload.template.params[0]!, text: payload.text, contactChannel: row!.channel, externalId: row!.externalId };
}

describe('sendCode and checkCode', () => {
  it('sends six digits to the registry phone on the phone channel, and the right code links the chat', async () => {
    const chat = await newContact(database.db);
    const sent = await sendCode(database.db, env, { contactId: chat, memberId: sitiId, locale: 'id', now: SEED_NOW });
    expect(sent).toEqual({ kind: 'sent', masked: '0812****0001', expiresAt: at(minutes(10)) });
    const phone = await codeOnPhone();
    expect(phone).toMatchObject({ contactChannel: 'demo_phone', externalId: '6281255500001' });
    expect(phone.code).toMatch(/^\d{6}$/);
    expect(phone.text).toContain(phone.code);
    // Stored hashed: the code itself is nowhere in the table.
    const stored = await database.db.select().from(identityCodes).where(eq(identityCodes.contactId, chat));
    expect(JSON.stringify(stored)).not.toContain(phone.code);

    expect(await checkCode(database.db, env, { contactId: chat, code: phone.code, now: at(minutes(2)) })).toMatchObject({ kind: 'linked', memberId: sitiId });
    const [c] = await database.db.select().from(contacts).where(eq(contacts.id, chat));
    expect(c!.memberId).toBe(sitiId);
    expect(await database.db.select().from(contactLinks).where(and(eq(contactLinks.contactId, chat), isNull(contactLinks.endedAt)))).toMatchObject([{ proof: 'code' }]);
    // Used once: the same code again proves nothing.
    expect(await checkCode(database.db, env, { contactId: chat, code: phone.code, now: at(minutes(3)) })).toEqual({ kind: 'expired' });
    const actions = (await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.contactId, chat))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['identity.code_sent', 'identity.link']));
  });

  it('three wrong tries use the code up; a new one waits 60 s', async () => {
    const chat = await newContact(database.db);
    const t0 = at(minutes(100));
    expect((await sendCode(database.db, env, { contactId: chat, memberId: sitiId, locale: 'id', now: t0 })).kind).toBe('sent');
    const { code } = await codeOnPhone();
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await checkCode(database.db, env, { contactId: chat, code: wrong, now: t0 })).toEqual({ kind: 'wrong', remaining: CODE_TRIES - 1 });
    expect(await checkCode(database.db, env, { contactId: chat, code: wrong, now: t0 })).toEqual({ kind: 'wrong', remaining: CODE_TRIES - 2 });
    expect(await checkCode(database.db, env, { contactId: chat, code: wrong, now: t0 })).toEqual({ kind: 'expired' });
    // Even the right code is dead now.
    expect(await checkCode(database.db, env, { contactId: chat, code, now: t0 })).toEqual({ kind: 'expired' });
    expect(await sendCode(database.db, env, { contactId: chat, memberId: sitiId, locale: 'id', now: at(minutes(100) + 30_000) })).toEqual({ kind: 'too_soon', retryAt: at(minutes(101)) });
    // Another chat asking for the same phone within the minute waits as well: the phone is not flooded.
    const other = await newContact(database.db);
    expect((await sendCode(database.db, env, { contactId: other, memberId: sitiId, locale: 'id', now: at(minutes(100) + 40_000) })).kind).toBe('too_soon');
    expect((await sendCode(database.db, env, { contactId: chat, memberId: sitiId, locale: 'id', now: at(minutes(101)) })).kind).toBe('sent');
  });

  it('a code runs out after 10 minutes, and it works only in the chat that asked', async () => {
    const chat = await newContact(database.db);
    const thief = await newContact(database.db);
    const t0 = at(minutes(200));
    await sendCode(database.db, env, { contactId: chat, memberId: sitiId, locale: 'id', now: t0 });
    const { code } = await codeOnPhone();
    expect(await checkCode(database.db, env, { contactId: thief, code, now: t0 })).toEqual({ kind: 'expired' });
    expect(await checkCode(database.db, env, { contactId: chat, code, now: at(minutes(211)) })).toEqual({ kind: 'expired' });
  });

  it('no code without a registry phone or a channel that reaches phones', async () => {
    const chat = await newContact(database.db);
    const dewi = await memberOf(database.db, resident('Dewi').nik);
    expect(await sendCode(database.db, env, { contactId: chat, memberId: dewi.id, locale: 'id', now: at(minutes(300)) })).toEqual({ kind: 'no_phone' });
    expect(await sendCode(database.db, { ...env, phoneChannel: null }, { contactId: chat, memberId: sitiId, locale: 'id', now: at(minutes(300)) })).toEqual({ kind: 'no_phone' });
  });
});

describe('counterCode', () => {
  it('names the chat that asked, replaces its earlier code, and runs out after a day', async () => {
    const chat = await newContact(database.db);
    const first = await counterCode(database.db, { contactId: chat, now: SEED_NOW });
    expect(first.code).toMatch(/^[A-HJ-KM-NP-Z2-9]{6}$/);
    const second = await counterCode(database.db, { contactId: chat, now: at(minutes(1)) });
    expect(await chatOfCounterCode(database.db, first.code, at(minutes(2)))).toBeUndefined();
    expect(await chatOfCounterCode(database.db, second.code.toLowerCase(), at(minutes(2)))).toMatchObject({ contactId: chat });
    expect(await chatOfCounterCode(database.db, second.code, at(minutes(60 * 25)))).toBeUndefined();
  });
});
