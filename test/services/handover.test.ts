import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, messages, outbox } from '../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { Forbidden } from '../../src/services/access.ts';
import type { Actor } from '../../src/services/actor.ts';
import { closeHandover, getHandover, handoverVersion, listHandovers, replyInHandover } from '../../src/services/handover.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';
import { contact, file, staff } from './complaints/lifecycle.fixtures.ts';

describe('live handover service', () => {
  let h: FlowHarness;
  let operator: Actor;
  let viewer: Actor;
  let i18n: Translator;

  beforeAll(async () => {
    h = await flowHarness({ households: 5 });
    operator = await staff(h.database.db, 'operator');
    viewer = await staff(h.database.db, 'viewer');
    i18n = await createI18n('id');
  }, 120_000);
  afterAll(async () => {
    await h?.dispose();
  });

  const contactOf = async (chatId: string) => {
    const [c] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, chatId));
    return c!;
  };

  it('queues a resident who asks for an officer, lets staff answer, and hands the chat back to the bot on close', async () => {
    const db = h.database.db;
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('petugas');
    const c = await contactOf(chat.chatId);
    expect(c.handoverAt).not.toBeNull();

    const queue = await listHandovers(db, operator);
    const row = queue.find((r) => r.contactId === c.id)!;
    expect(row).toBeDefined();
    expect(row.channel).toBe('webchat');
    expect(row.maskedId).not.toBe(chat.chatId);
    expect(row.maskedId).toContain('*');
    expect(row.lastMessageAt).not.toBeNull();

    const view = (await getHandover(db, operator, c.id, { limit: 10 }))!;
    expect(view.messages.some((m) => m.direction === 'in' && m.body === 'petugas')).toBe(true);
    expect(view.blocked).toBeNull();
    const [a] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'conversation.read'), eq(auditLog.entityId, String(c.id))));
    expect(a?.staffId).toBe(operator.id);

    const sent = await replyInHandover(db, operator, c.id, { text: 'Halo, saya petugas Dinsos.' });
    expect(sent.ok).toBe(true);
    const [queued] = await db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(desc(outbox.id)).limit(1);
    expect((queued!.payload as { text: string }).text).toBe('Halo, saya petugas Dinsos.');
    const [out] = await db.select().from(messages).where(and(eq(messages.contactId, c.id), eq(messages.direction, 'out'))).orderBy(desc(messages.id)).limit(1);
    expect(out!.staffId).toBe(operator.id);

    // The resident answers: recorded, and the bot stays quiet.
    const quiet = await chat.say('Bantuan saya belum cair, NIK 2171105203850001');
    expect(quiet).toEqual([]);
    const again = (await getHandover(db, operator, c.id))!;
    expect(again.messages.at(-1)!.body).toBe('Bantuan saya belum cair, NIK 217110******0001');

    const closed = await closeHandover(db, operator, c.id, { i18n });
    expect(closed).toEqual({ ok: true, notified: true });
    expect((await contactOf(chat.chatId)).handoverAt).toBeNull();
    // The chat is told it ended, then (an officer wrote in it) asked to rate the chat with the officer.
    const [rating, ended] = await db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(desc(outbox.id)).limit(2);
    expect((ended!.payload as { text: string }).text).toBe(i18n.t('chat:handoverEnded', { lng: 'id' }));
    expect((rating!.payload as { text: string }).text).toMatch(/^Bagaimana layanan petugas kami/);
    expect(await getHandover(db, operator, c.id)).toBeNull();
    expect((await listHandovers(db, operator)).some((r) => r.contactId === c.id)).toBe(false);

    // The bot answers again.
    const back = await chat.say('halo');
    expect(back.length).toBeGreaterThan(0);
  });

  it('shows the chat from the request for an officer on: not what came before, nor a report\'s messages', async () => {
    const db = h.database.db;
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('Tetangga saya Pak Joko tidak layak menerima PKH');
    await chat.say('petugas');
    const c = await contactOf(chat.chatId);
    expect(c.handoverMessageId).not.toBeNull();
    // During the talk, an officer answers the resident's anonymous report: that message is the report's.
    const report = await file(db, { contactId: c.id, kecamatanId: null, now: new Date(), anonymous: true, category: 'sanggahan' });
    await enqueue(db, { contactId: c.id, channel: c.channel, messages: [{ text: `Laporan ${report.trackingId} kami periksa.` }], priority: 'reply', complaintId: report.id });
    await chat.say('Saya tanya soal jadwal pencairan');

    const view = (await getHandover(db, operator, c.id))!;
    // The request, the bot's answer to it, the question, and its acknowledgement ("Pesan diterima.").
    expect(view.messages.map((m) => m.body)).toEqual(['petugas', expect.any(String), 'Saya tanya soal jadwal pencairan', expect.stringMatching(/^Pesan diterima\./)]);
    expect(JSON.stringify(view)).not.toContain('Pak Joko');
    expect(JSON.stringify(view)).not.toContain(report.trackingId);
    await closeHandover(db, operator, c.id, { i18n });
    expect((await contactOf(chat.chatId)).handoverMessageId).toBeNull();
  });

  it('tells the resident in their own language', async () => {
    const chat = driver(h.engine);
    await chat.start('en');
    await chat.say('officer');
    const c = await contactOf(chat.chatId);
    await closeHandover(h.database.db, operator, c.id, { i18n });
    const [ended] = await h.database.db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(desc(outbox.id)).limit(1);
    expect((ended!.payload as { text: string }).text).toBe(i18n.t('chat:handoverEnded', { lng: 'en' }));
  });

  it('refuses what cannot be delivered, and chats not in handover', async () => {
    const db = h.database.db;
    const old = new Date(Date.now() - 30 * 3_600_000);
    const wa = await contact(db, { channel: 'whatsapp_cloud', lastInboundAt: old });
    await db.update(contacts).set({ handoverAt: old }).where(eq(contacts.id, wa));
    expect(await replyInHandover(db, operator, wa, { text: 'Halo' })).toEqual({ ok: false, reason: 'outside_24h_window' });
    expect((await getHandover(db, operator, wa))!.blocked).toBe('outside_24h_window');
    expect(await replyInHandover(db, operator, wa, { text: '   ' })).toEqual({ ok: false, reason: 'invalid_input' });
    const idle = await contact(db, { channel: 'webchat' });
    expect(await replyInHandover(db, operator, idle, { text: 'Halo' })).toEqual({ ok: false, reason: 'not_in_handover' });
    expect(await closeHandover(db, operator, idle, { i18n })).toEqual({ ok: false, reason: 'not_in_handover' });
    expect(await db.select().from(outbox).where(eq(outbox.contactId, wa))).toEqual([]);
    // Closing still ends the handover when the resident cannot be told.
    expect(await closeHandover(db, operator, wa, { i18n })).toEqual({ ok: true, notified: false });
  });

  it('is for staff who answer residents only', async () => {
    const db = h.database.db;
    await expect(listHandovers(db, viewer)).rejects.toBeInstanceOf(Forbidden);
    await expect(getHandover(db, viewer, 1)).rejects.toBeInstanceOf(Forbidden);
    await expect(replyInHandover(db, viewer, 1, { text: 'x' })).rejects.toBeInstanceOf(Forbidden);
    await expect(closeHandover(db, viewer, 1, { i18n })).rejects.toBeInstanceOf(Forbidden);
  });

  it('shows a verified resident only to staff of their kecamatan; an unverified one only to city-wide staff', async () => {
    const db = h.database.db;
    // A member of a seeded household, and the kecamatan that household lies in.
    const [m] = rowsOf<{ member_id: string; kecamatan_id: number }>(
      await db.execute(sql`select m.id as member_id, kl.kecamatan_id from members m join households hh on hh.id = m.household_id join kelurahan kl on kl.id = hh.kelurahan_id order by m.id limit 1`),
    );
    const home = m!.kecamatan_id;
    const [other] = rowsOf<{ id: number }>(await db.execute(sql`select id from kecamatan where id <> ${home} order by id limit 1`));
    const local = await staff(db, 'operator', { kecamatanId: home });
    const elsewhere = await staff(db, 'operator', { kecamatanId: other!.id });

    const verified = await contact(db, { channel: 'webchat' });
    await db.update(contacts).set({ memberId: Number(m!.member_id), verifiedAt: new Date(), handoverAt: new Date() }).where(eq(contacts.id, verified));
    const unverified = await contact(db, { channel: 'webchat' });
    await db.update(contacts).set({ handoverAt: new Date() }).where(eq(contacts.id, unverified));

    const ids = async (a: Actor) => (await listHandovers(db, a)).map((r) => r.contactId);
    expect(await ids(local)).toContain(verified);
    expect(await ids(operator)).toEqual(expect.arrayContaining([verified, unverified])); // city-wide
    expect(await ids(elsewhere)).not.toContain(verified);
    // Nobody knows where an unverified chat lives (issue 15): not every kecamatan's officers, the city's front desk.
    for (const scoped of [local, elsewhere]) {
      expect(await ids(scoped)).not.toContain(unverified);
      expect(await getHandover(db, scoped, unverified)).toBeNull();
      expect(await replyInHandover(db, scoped, unverified, { text: 'Halo' })).toEqual({ ok: false, reason: 'not_in_handover' });
    }
    expect(await getHandover(db, operator, unverified)).not.toBeNull();

    // Out of scope is the same as not in handover, for reading, answering and closing alike.
    expect(await getHandover(db, elsewhere, verified)).toBeNull();
    expect(await handoverVersion(db, elsewhere, verified)).toBeNull();
    expect(await replyInHandover(db, elsewhere, verified, { text: 'Halo' })).toEqual({ ok: false, reason: 'not_in_handover' });
    expect(await closeHandover(db, elsewhere, verified, { i18n })).toEqual({ ok: false, reason: 'not_in_handover' });
    expect(await db.select().from(outbox).where(eq(outbox.contactId, verified))).toEqual([]);
    expect((await db.select().from(contacts).where(eq(contacts.id, verified)))[0]!.handoverAt).not.toBeNull();

    // The version moves when a message arrives, so an open page refreshes.
    const before = await handoverVersion(db, local, verified);
    expect(before).not.toBeNull();
    expect((await replyInHandover(db, local, verified, { text: 'Halo, Bapak/Ibu.' })).ok).toBe(true);
    expect(await handoverVersion(db, local, verified)).not.toBe(before);
  });
});
