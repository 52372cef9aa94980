import { and, eq, sql } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaints, contacts, members, messages, outbox, sessions } from '../../src/db/schema/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createI18n } from '../../src/i18n.ts';
import { linkContact } from '../../src/services/identity/links.ts';
import { driver, flowHarness, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';
import { testIdentityEnv } from '../helpers/services.ts';

// The data subject's rights in the chat (flows/rights.ts): BERHENTI/MULAI, DATA SAYA, HAPUS RIWAYAT, from a
// fresh chat and in the middle of a conversation; and the sealed session (conversation/seal.ts).

const SITI = { nik: '2171105203850001', name: 'Siti Aminah' };

let h: FlowHarness;
let tr: Record<Locale, TFunction>;
let i18n: Awaited<ReturnType<typeof createI18n>>;

beforeAll(async () => {
  h = await flowHarness();
  i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

const t = (key: string, vars?: Record<string, unknown>) => tr.id(key, vars);
const db = () => h.database.db;

async function contactOf(c: ChatDriver) {
  const [row] = await db().select().from(contacts).where(eq(contacts.externalId, c.chatId));
  return row!;
}

async function onMenu(): Promise<ChatDriver> {
  const c = driver(h.engine);
  await c.start('id');
  return c;
}

/** Links the chat to Siti as the code proof would, without driving the code steps. */
async function linkToSiti(c: ChatDriver) {
  const [m] = await db().select({ id: members.id, householdId: members.householdId }).from(members).where(eq(members.nik, SITI.nik));
  const contact = await contactOf(c);
  await linkContact(db(), testIdentityEnv(i18n), { contactId: contact.id, memberId: m!.id, householdId: m!.householdId, proof: 'code', now: h.clock() });
  return { contactId: contact.id, memberId: m!.id };
}

async function audits(action: string, contactId: number) {
  return db().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.contactId, contactId)));
}

describe('BERHENTI and MULAI', () => {
  it('stops from a fresh chat: the notice, then what stops, that replies still come, and MULAI', async () => {
    const c = driver(h.engine);
    await c.say('BERHENTI');
    expect(c.text).toContain(t('chat:notice'));
    expect(c.text).toContain(t('rights:stop.done'));
    expect(c.text).not.toContain(t('menu:greeting'));
    expect(t('rights:stop.done')).toContain('MULAI');
    expect(c.options).toEqual(['resume', 'cmd:menu']);
    const contact = await contactOf(c);
    expect(contact.stoppedAt).not.toBeNull();
    expect(await audits('contact.stop', contact.id)).toHaveLength(1);

    // Writing again is answered (a reply), by the menu.
    await c.say('cek bansos');
    expect(c.text).toContain(t('aid:intro'));
  });

  it('stops in the middle of a conversation, with a typo, and says since when when asked again', async () => {
    const c = await onMenu();
    await c.choose('aid');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    await c.say('berhnti');
    expect(c.text).toContain(t('rights:stop.done'));
    const first = (await contactOf(c)).stoppedAt;
    expect(first).not.toBeNull();
    h.clock.advance(60_000);
    await c.say('stop');
    const [lead] = t('rights:stop.already', { since: '\u0000' }).split('\u0000');
    expect(c.text).toContain(lead);
    expect((await contactOf(c)).stoppedAt).toEqual(first);
    expect(await audits('contact.stop', (await contactOf(c)).id)).toHaveLength(1);
  });

  it('MULAI restores messages and goes on to the menu; the button does the same', async () => {
    const c = await onMenu();
    await c.say('unsubscribe');
    await c.say('mulai');
    expect(c.text).toContain(t('rights:resume.done'));
    expect(c.text).toContain(t('menu:promptAgain'));
    expect((await contactOf(c)).stoppedAt).toBeNull();
    expect(await audits('contact.resume', (await contactOf(c)).id)).toHaveLength(1);

    await c.say('stop');
    await c.choose('resume');
    expect(c.text).toContain(t('rights:resume.done'));
    expect((await contactOf(c)).stoppedAt).toBeNull();
  });

  it('"start" from a chat that never stopped is what it always was: the welcome first, the menu later', async () => {
    const fresh = driver(h.engine);
    await fresh.say('/start');
    expect(fresh.text).toContain(t('menu:greeting'));
    expect(fresh.text).not.toContain(t('rights:resume.done'));

    const c = await onMenu();
    await c.choose('complaint');
    await c.say('mulai');
    expect(c.text).not.toContain(t('rights:resume.done'));
    expect(c.last.text).toBe(t('menu:prompt'));
    expect(await audits('contact.resume', (await contactOf(c)).id)).toHaveLength(0);
  });

  it('"batal" still cancels and stops nothing', async () => {
    const c = await onMenu();
    await c.choose('complaint');
    await c.say('batal');
    expect(c.text).toContain(t('chat:cancelled'));
    expect((await contactOf(c)).stoppedAt).toBeNull();
  });

  it('is honoured while an officer has the chat, which it hands back', async () => {
    const c = await onMenu();
    const contact = await contactOf(c);
    await db().update(contacts).set({ handoverAt: h.clock() }).where(eq(contacts.id, contact.id));
    await c.say('STOP');
    expect(c.text).toContain(t('chat:handoverEnded'));
    expect(c.text).toContain(t('rights:stop.done'));
    const after = await contactOf(c);
    expect(after.stoppedAt).not.toBeNull();
    expect(after.handoverAt).toBeNull();
  });
});

describe('DATA SAYA', () => {
  it('from a chat not linked: needs possession, and offers the identity check', async () => {
    const fresh = driver(h.engine);
    await fresh.say('data saya');
    expect(fresh.text).toContain(t('chat:notice'));
    expect(fresh.text).toContain(t('rights:data.needsLink'));

    const c = await onMenu();
    await c.choose('complaint');
    await c.say('Data Saya');
    expect(c.last.text).toBe(t('rights:data.needsLink'));
    expect(c.options).toEqual(['verify', 'cmd:menu']);
    await c.choose('verify');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    const [s] = await db().select().from(sessions).where(eq(sessions.contactId, (await contactOf(c)).id));
    expect(s).toMatchObject({ flow: 'identity', step: 'nik' });
    expect(s!.data.then).toBe('myData');
  });

  it('shows a linked chat its record, masked, says how it was linked and how to correct it, and audits the read', async () => {
    const c = await onMenu();
    const { contactId, memberId } = await linkToSiti(c);
    await c.say('my data');
    const text = c.text;
    expect(text).toContain(t('rights:data.name', { name: 'S*** A****' }));
    expect(text).toContain(t('rights:data.nik', { nik: '217110******0001' }));
    expect(text).toMatch(/Nomor KK: \d{6}\*{6}\d{4}/);
    expect(text).toMatch(/Tahun lahir: 1985\n/);
    expect(text).toMatch(/Nomor HP di data keluarga: 0\d{3}\*{4}\d{4}/);
    expect(text).toContain(t('rights:data.familyHeader'));
    expect(text).toContain(t('rights:relationship.kepala'));
    expect(text).toContain(t('rights:data.you'));
    expect(text).toContain('Program Keluarga Harapan');
    expect(text).toContain(t('rights:proof.code'));
    expect(text).toContain(t('rights:data.correct'));
    // Nothing in full: no name, no 16 digits, no birth date, no phone.
    expect(text).not.toContain(SITI.name);
    expect(text.replace(/[\s.-]/g, '')).not.toMatch(/\d{16}/);
    expect(text).not.toContain('12-03-1985');
    expect(text).not.toMatch(/08\d{8,}/);

    const [read] = await audits('rights.data_read', contactId);
    expect(read).toMatchObject({ entity: 'member', entityId: String(memberId), actorKind: 'resident' });
    expect(JSON.stringify(read!.details ?? {})).not.toMatch(/\d{16}|Siti/);

    // Correcting is a report of its own.
    await c.choose('correct');
    expect(c.text).toContain(t('complaint:intro.wrong_data'));
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.what.prompt'));
  });

  it('shows it in English too', async () => {
    const c = driver(h.engine);
    await c.start('en');
    await linkToSiti(c);
    await c.say('data saya');
    expect(c.text).toContain(tr.en('rights:data.header'));
    expect(c.text).toContain('NIK: 217110******0001');
  });
});

describe('HAPUS RIWAYAT', () => {
  it('asks first, says what stays, and keeps everything when told no', async () => {
    const c = await onMenu();
    const contactId = (await contactOf(c)).id;
    const before = await db().select().from(messages).where(eq(messages.contactId, contactId));
    await c.say('hapus riwayat');
    expect(c.last.text).toBe(t('rights:delete.confirm'));
    expect(t('rights:delete.confirm')).toMatch(/laporan atau pengaduan/);
    await c.say('tidak');
    expect(c.text).toContain(t('rights:delete.kept'));
    const after = await db().select().from(messages).where(eq(messages.contactId, contactId));
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('deletes the history and the session in the middle of a report; the report, unsent messages and the link stay', async () => {
    const c = await onMenu();
    const { contactId } = await linkToSiti(c);
    // A report filed earlier from this chat.
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Lampu jalan di depan balai warga mati sejak minggu lalu.');
    if (c.options.includes('skip')) await c.choose('skip');
    else await c.say('lewati');
    await c.choose('send');
    const [filed] = await db().select().from(complaints).where(eq(complaints.contactId, contactId));
    expect(filed).toBeDefined();

    // Everything said so far has gone out, except one message still waiting.
    await db().update(outbox).set({ status: 'sent', sentAt: new Date() }).where(eq(outbox.contactId, contactId));
    const [waiting] = await db()
      .update(outbox)
      .set({ status: 'pending' })
      .where(eq(outbox.id, sql`(select max(id) from outbox where contact_id = ${contactId})`))
      .returning({ id: outbox.id, createdAt: outbox.createdAt });

    // Halfway through a new report, the resident asks.
    await c.choose('complaint');
    await c.choose('other');
    await c.say('delete history');
    expect(c.last.text).toBe(t('rights:delete.confirm'));
    expect(c.options).toEqual(['yes', 'no']);
    await c.choose('yes');
    expect(c.text).toContain(t('rights:delete.done'));

    const left = await db().select().from(messages).where(eq(messages.contactId, contactId));
    const rows = await db().select().from(outbox).where(eq(outbox.contactId, contactId));
    // What is left is the history of messages not sent yet (no dispatcher runs here): the one waiting from
    // before, the replies of the turns since, and this turn's answer, written after the deletion.
    const unsentAt = new Set(rows.filter((r) => r.status === 'pending').map((r) => r.createdAt.getTime()));
    expect(left.filter((m) => m.direction === 'in')).toEqual([]);
    expect(left.every((m) => unsentAt.has(m.createdAt.getTime()))).toBe(true);
    expect(left.some((m) => m.createdAt.getTime() === waiting!.createdAt.getTime())).toBe(true);
    // Outbox: what was sent is gone, what waits stays.
    expect(rows.filter((r) => r.status === 'sent')).toEqual([]);
    expect(rows.some((r) => r.id === waiting!.id)).toBe(true);
    // The report and the link stay; the half-written one is gone with the session.
    expect(await db().select().from(complaints).where(eq(complaints.contactId, contactId))).toHaveLength(1);
    expect((await contactOf(c)).memberId).not.toBeNull();
    const [s] = await db().select().from(sessions).where(eq(sessions.contactId, contactId));
    expect(s).toMatchObject({ flow: 'menu', step: 'main' });
    expect(s!.data.answers).toBeUndefined();

    const [deleted] = await audits('rights.history_delete', contactId);
    expect(deleted!.details).toMatchObject({ messageCount: expect.any(Number), outboxCount: expect.any(Number) });
    expect((deleted!.details as { messageCount: number }).messageCount).toBeGreaterThan(5);
  });

  it('is asked for from a fresh chat, and tolerates a typo', async () => {
    const c = driver(h.engine);
    await c.say('hapus riwyat');
    expect(c.text).toContain(t('rights:delete.confirm'));
  });
});

describe('the session at rest', () => {
  it('keeps a typed NIK and KK number sealed, and the identity check still reads them', async () => {
    const c = await onMenu();
    const contactId = (await contactOf(c)).id;
    await c.choose('aid');
    await c.say(SITI.nik);
    const raw = async () => JSON.stringify((await db().select().from(sessions).where(eq(sessions.contactId, contactId)))[0]!.data);
    expect(await raw()).not.toContain(SITI.nik);
    expect(await raw()).toContain('sealed:v1:');
    await c.say('2171 0000 0000 0001');
    expect(await raw()).not.toMatch(/\d{4}\D?\d{4}\D?\d{4}\D?\d{4}/);
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    // The birth step finds both: a wrong date is a mismatch (it read the NIK and KK), not a question asked again.
    await c.say('01-01-1990');
    expect(c.text).not.toContain(t('aid:nik.prompt'));
  });

  it('drops a sealed value that does not open, and asks again', async () => {
    const c = await onMenu();
    const contactId = (await contactOf(c)).id;
    await c.choose('aid');
    await c.say(SITI.nik);
    await db().execute(sql`update sessions set data = jsonb_set(data, '{nik}', '"sealed:v1:AAAA"') where contact_id = ${contactId}`);
    await c.say('2171 0000 0000 0001');
    await c.say('12-03-1985');
    expect(c.text).toContain(t('aid:nik.prompt'));
  });

  it('seals the NIK a report keeps', async () => {
    const c = await onMenu();
    const contactId = (await contactOf(c)).id;
    await c.choose('complaint');
    await c.choose('usulan');
    await c.choose('other');
    await c.say('Rahmat Hidayat');
    await c.say(SITI.nik);
    const [s] = await db().select().from(sessions).where(eq(sessions.contactId, contactId));
    expect(JSON.stringify(s!.data)).not.toContain(SITI.nik);
    expect(typeof (s!.data.answers as Record<string, unknown>).nik).toBe('string');
  });

  it('a chat whose session the purge removed comes back to the menu, not the welcome', async () => {
    const c = await onMenu();
    await db().delete(sessions).where(eq(sessions.contactId, (await contactOf(c)).id));
    await c.say('cek bansos');
    expect(c.text).not.toContain(t('menu:greeting'));
    expect(c.text).toContain(t('aid:intro'));
  });
});

describe('every aid summary shown is audited', () => {
  it('audits the summary a linked chat sees', async () => {
    const c = await onMenu();
    const { contactId, memberId } = await linkToSiti(c);
    await c.choose('aid');
    expect(c.options).toContain('again');
    await c.choose('again');
    const rows = await audits('aid.summary', contactId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ entity: 'member', entityId: String(memberId) });
  });
});
