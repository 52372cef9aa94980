import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints, contacts, outbox } from '../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import type { Actor } from '../../src/services/actor.ts';
import { replyInHandover } from '../../src/services/handover.ts';
import { offerReportsToWaitingChats } from '../../src/services/handover-desk/offer.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 17, "handover is a silent room": the wait for an officer is acknowledged once, names the next opening
// outside office hours (the seeded schedule: Monday–Thursday 08–16, Friday 08–16.30 WIB), and after two
// hours without an officer becomes a report with a tracking ID if the resident wants.
describe('waiting for an officer', () => {
  let h: FlowHarness;
  let i18n: Translator;
  let officer: Actor;
  const at = (local: string) => new Date(`${local}+07:00`);
  beforeAll(async () => {
    h = await flowHarness({ households: 20 });
    i18n = await createI18n('id');
    const { id } = await createStaffUser(h.database.db, 'system', { email: 'rina@test.local', name: 'Rina', role: 'operator' });
    officer = { kind: 'staff', id, role: 'operator', kecamatanId: null, bidang: null };
  }, 120_000);
  afterAll(() => h.dispose());

  const contactOf = async (chatId: string) => (await h.database.db.select().from(contacts).where(eq(contacts.externalId, chatId)))[0]!;

  it('at 21.38 on a Tuesday says the office is closed and when an officer answers, once', async () => {
    h.clock.set(at('2026-12-08T21:38:00'));
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('petugas');
    expect(chat.text).toContain('Kantor sedang tutup');
    expect(chat.text).toContain('Rabu, 9 Desember 2026 pukul 08.00 WIB');
    await chat.say('Bantuan PKH saya belum masuk bulan ini');
    expect(chat.text).toBe(i18n.t('handover:receivedClosed', { lng: 'id', when: 'Rabu, 9 Desember 2026 pukul 08.00 WIB' }));
    // Once per wait: the next messages are recorded and not answered again.
    expect(await chat.say('Mohon dibantu')).toEqual([]);
    expect((await contactOf(chat.chatId)).handoverAt).not.toBeNull();
  });

  it('on a Friday evening names Monday, in English with the hours in English', async () => {
    h.clock.set(at('2026-12-11T18:00:00'));
    const chat = driver(h.engine);
    await chat.start('en');
    await chat.say('officer');
    expect(chat.text).toContain('The office is closed now');
    expect(chat.text).toContain('Monday, 14 December 2026 at 08:00 WIB');
  });

  it('in office hours acknowledges once, stays quiet while the officer writes, and acknowledges a new wait', async () => {
    h.clock.set(at('2026-12-09T10:00:00'));
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('petugas');
    expect(chat.text).toContain('Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WIB');
    await chat.say('Saya mau tanya jadwal');
    expect(chat.text).toBe(i18n.t('handover:received', { lng: 'id' }));
    expect(await chat.say('Halo?')).toEqual([]);

    const c = await contactOf(chat.chatId);
    h.clock.advance(5 * 60_000);
    const sent = await replyInHandover(h.database.db, officer, c.id, { text: 'Baik Bu, jadwalnya Kamis.', now: h.clock(), i18n });
    expect(sent.ok).toBe(true);
    h.clock.advance(60_000);
    expect(await chat.say('Terima kasih, jam berapa?')).toEqual([]); // the officer is in the conversation
    h.clock.advance(30 * 60_000);
    await chat.say('Pak, masih di sana?');
    expect(chat.text).toBe(i18n.t('handover:received', { lng: 'id' }));
  });

  it('after two hours with no officer offers a report, which keeps what was written, with a tracking ID', async () => {
    h.clock.set(at('2026-12-09T09:00:00'));
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('petugas');
    await chat.say('KKS saya hilang, bagaimana mengurusnya?');
    h.clock.advance(2 * 60 * 60_000 + 60_000);
    await chat.say('Halo, masih menunggu');
    expect(chat.text).toBe(i18n.t('handover:offerReport', { lng: 'id' }));
    expect(chat.options).toEqual(['handover:file', 'handover:wait']);
    await chat.choose('handover:file');
    const trackingId = /ADU-\d{4}-\d{5}/.exec(chat.text)?.[0];
    expect(trackingId).toBeDefined();
    const [filed] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId!));
    expect(filed!.summary).toBe('KKS saya hilang, bagaimana mengurusnya?\nHalo, masih menunggu');
    expect(filed!.category).toBe('other');
    // The chat is back with the bot.
    expect((await contactOf(chat.chatId)).handoverAt).toBeNull();
    await chat.say('cek bansos');
    expect(chat.text).toContain(i18n.t('aid:nik.prompt', { lng: 'id' }));
  });

  it('"keep waiting" keeps the chat with the officers and asks no more', async () => {
    h.clock.set(at('2026-12-09T09:00:00'));
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('petugas');
    h.clock.advance(3 * 60 * 60_000);
    await chat.say('Permisi');
    await chat.say('2'); // typed, as on WhatsApp Web's numbered lists
    expect(chat.text).toBe(i18n.t('handover:keepWaiting', { lng: 'id' }));
    expect(await chat.say('Saya tunggu')).toEqual([]);
    expect((await contactOf(chat.chatId)).handoverAt).not.toBeNull();
  });

  describe('the offer made by the job to a resident who stays silent', () => {
    const offer = () => offerReportsToWaitingChats(h.database.db, { now: h.clock(), timeZone: 'Asia/Jakarta', i18n });
    const offersTo = async (chatId: string) => {
      const c = await contactOf(chatId);
      const rows = await h.database.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.contactId, c.id)).orderBy(asc(outbox.id));
      return rows.filter((r) => JSON.stringify(r.payload).includes(i18n.t('handover:offerReport', { lng: 'id' }))).length;
    };
    const waiting = async (local: string) => {
      h.clock.set(at(local));
      const chat = driver(h.engine);
      await chat.start('id');
      await chat.say('petugas');
      await chat.say('Bantuan lansia ibu saya belum cair');
      return chat;
    };

    it('is sent once after two hours in office hours, and "1" typed back files the report', async () => {
      const chat = await waiting('2026-12-09T09:00:00');
      h.clock.set(at('2026-12-09T10:30:00'));
      await offer();
      expect(await offersTo(chat.chatId)).toBe(0); // not two hours yet
      h.clock.set(at('2026-12-09T11:01:00'));
      await offer();
      await offer(); // once per handover
      expect(await offersTo(chat.chatId)).toBe(1);
      // The resident answers the pushed offer by typing its number, as on WhatsApp Web.
      await chat.say('1');
      const trackingId = /ADU-\d{4}-\d{5}/.exec(chat.text)?.[0];
      expect(trackingId).toBeDefined();
      const [filed] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId!));
      expect(filed!.summary).toBe('Bantuan lansia ibu saya belum cair');
      expect((await contactOf(chat.chatId)).handoverAt).toBeNull();
    });

    it('is not sent when an officer wrote, nor when the resident already heard it in the chat', async () => {
      const answered = await waiting('2026-12-09T09:00:00');
      await replyInHandover(h.database.db, officer, (await contactOf(answered.chatId)).id, { text: 'Sedang kami cek, Bu.', now: h.clock(), i18n });
      const told = await waiting('2026-12-09T09:00:00');
      h.clock.set(at('2026-12-09T11:30:00'));
      await told.say('Halo?');
      expect(told.text).toBe(i18n.t('handover:offerReport', { lng: 'id' }));
      await offer();
      expect(await offersTo(answered.chatId)).toBe(0);
      expect(await offersTo(told.chatId)).toBe(1); // the one said in the chat, not a second
    });

    it('waits for office hours: a request at 21.38 is offered two hours after the office opens, not at night', async () => {
      const chat = await waiting('2026-12-09T21:38:00');
      h.clock.set(at('2026-12-09T23:45:00'));
      await offer();
      h.clock.set(at('2026-12-10T09:30:00'));
      await offer();
      expect(await offersTo(chat.chatId)).toBe(0);
      h.clock.set(at('2026-12-10T10:01:00'));
      await offer();
      expect(await offersTo(chat.chatId)).toBe(1);
    });
  });
});
