import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints, contacts, outbox, satisfaction } from '../../src/db/schema/index.ts';
import type { Actor } from '../../src/services/actor.ts';
import { closeComplaint, replyToResident, verifyComplaint } from '../../src/services/complaints/lifecycle.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// After filing: the resident writes more about an answered report (it reopens), and rates a closed one
// from the buttons of the rating question, which arrive long after the conversation ended.
describe('a resident after their report is answered and closed', () => {
  let h: FlowHarness;
  let admin: Actor;
  beforeAll(async () => {
    h = await flowHarness({ households: 30 });
    const { id } = await createStaffUser(h.database.db, 'system', { email: 'admin@test.local', name: 'Admin', role: 'admin' });
    admin = { kind: 'staff', id, role: 'admin', kecamatanId: null, bidang: null };
  }, 120_000);
  afterAll(() => h.dispose());

  async function fileServiceComplaint(chat: ReturnType<typeof driver>) {
    await chat.start('id');
    await chat.choose('complaint');
    await chat.choose('service');
    // Answer each question until the read-back offers to send.
    for (let i = 0; i < 8 && !chat.options.includes('send'); i++) {
      if (chat.options.includes('skip')) await chat.choose('skip');
      else await chat.say('Petugas di loket kelurahan tidak ramah dan antrean sangat lama sekali.');
    }
    await chat.choose('send');
    const trackingId = /ADU-\d{4}-\d{5}/.exec(chat.text)![0];
    const [c] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    return c!;
  }

  it('joins a message written after the answer to the report, reopening it', async () => {
    const chat = driver(h.engine);
    const c = await fileServiceComplaint(chat);
    expect((await verifyComplaint(h.database.db, admin, c.id)).ok).toBe(true);
    expect((await replyToResident(h.database.db, admin, c.id, { text: 'Mohon sebutkan nama kelurahannya.' })).ok).toBe(true);

    await chat.say('menu');
    await chat.say('Kelurahan Tembesi, hari Senin pagi');
    expect(chat.text).toContain(c.trackingId);
    const [after] = await h.database.db.select().from(complaints).where(eq(complaints.id, c.id));
    expect(after!.status).toBe('reopened');
  });

  it('records a rating pressed from the question sent at closing, hours after the chat went idle', async () => {
    const chat = driver(h.engine);
    const c = await fileServiceComplaint(chat);
    await verifyComplaint(h.database.db, admin, c.id);
    await replyToResident(h.database.db, admin, c.id, { text: 'Sudah kami tegur petugasnya. Terima kasih laporannya.' });
    expect((await closeComplaint(h.database.db, admin, c.id)).ok).toBe(true);

    const [contact] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, chat.chatId));
    const queued = await h.database.db.select().from(outbox).where(eq(outbox.contactId, contact!.id)).orderBy(outbox.id);
    const question = queued.at(-1)!.payload as { text: string; options: { id: string }[] };
    expect(question.text).toContain(c.trackingId);
    const [asked] = await h.database.db.select().from(satisfaction).where(eq(satisfaction.complaintId, c.id));
    expect(question.options.map((o) => o.id)).toEqual([1, 2, 3, 4, 5].map((n) => `csat:${asked!.id}:${n}`));

    h.clock.advance(5 * 60 * 60 * 1000); // the session expired long ago
    await chat.choose(`csat:${asked!.id}:4`);
    expect(chat.text).toMatch(/saran atau catatan/);
    await chat.say('Semoga antrean lebih cepat.');
    expect(chat.text).toMatch(/sudah kami catat/);
    const [rated] = await h.database.db.select().from(complaints).where(eq(complaints.id, c.id));
    expect(rated).toMatchObject({ csat: 4, csatComment: 'Semoga antrean lebih cepat.' });

    expect((await h.database.db.select().from(satisfaction).where(eq(satisfaction.id, asked!.id)))[0]).toMatchObject({ score: 4, comment: 'Semoga antrean lebih cepat.' });

    // Pressed again: thanked, not counted twice.
    await chat.choose(`csat:${asked!.id}:1`);
    expect(chat.text).toMatch(/sudah pernah Bapak\/Ibu berikan/);
    // Another chat's question: nothing to rate here.
    await chat.choose(`csat:${asked!.id + 1000}:1`);
    expect(chat.text).toMatch(/Tidak ada penilaian yang menunggu/);
    expect((await h.database.db.select().from(complaints).where(eq(complaints.id, c.id)))[0]!.csat).toBe(4);
  });

  it('still takes the old "csat:<score>" buttons of questions sent before issue 20', async () => {
    const db = h.database.db;
    // Asked and open: the old button rates the chat's open complaint question.
    const chat = driver(h.engine);
    const c = await fileServiceComplaint(chat);
    await verifyComplaint(db, admin, c.id);
    await replyToResident(db, admin, c.id, { text: 'Sudah kami tindak lanjuti.' });
    await closeComplaint(db, admin, c.id);
    await chat.choose('csat:2');
    await chat.choose('skip');
    expect((await db.select().from(satisfaction).where(eq(satisfaction.complaintId, c.id)))[0]).toMatchObject({ score: 2 });
    expect((await db.select().from(complaints).where(eq(complaints.id, c.id)))[0]!.csat).toBe(2);

    // Closed before the satisfaction store existed (no asked row): the rating is written when given.
    const old = driver(h.engine);
    const d = await fileServiceComplaint(old);
    await verifyComplaint(db, admin, d.id);
    await replyToResident(db, admin, d.id, { text: 'Sudah kami tindak lanjuti.' });
    await closeComplaint(db, admin, d.id);
    await db.delete(satisfaction).where(eq(satisfaction.complaintId, d.id));
    await old.choose('csat:5');
    await old.say('Terima kasih');
    expect((await db.select().from(satisfaction).where(eq(satisfaction.complaintId, d.id)))[0]).toMatchObject({ service: 'complaint', score: 5, comment: 'Terima kasih' });
    expect((await db.select().from(complaints).where(eq(complaints.id, d.id)))[0]!.csat).toBe(5);
  });

  // WhatsApp Web shows the rating question as a numbered list; a template (outside the 24 hours) has no buttons.
  it('takes a typed number as the rating when the question is the last thing sent and the chat is resting', async () => {
    const db = h.database.db;
    const closedFor = async (chat: ReturnType<typeof driver>) => {
      const c = await fileServiceComplaint(chat);
      await verifyComplaint(db, admin, c.id);
      await replyToResident(db, admin, c.id, { text: 'Sudah kami tindak lanjuti.' });
      await closeComplaint(db, admin, c.id);
      return c;
    };

    // Resting at the menu (and later expired): "5" is a rating of 5, not the menu's fifth item.
    const chat = driver(h.engine);
    const c = await closedFor(chat);
    h.clock.advance(2 * 60 * 60 * 1000);
    await chat.say('5');
    expect(chat.text).toMatch(/saran atau catatan/);
    await chat.choose('skip');
    expect((await db.select().from(complaints).where(eq(complaints.id, c.id)))[0]!.csat).toBe(5);

    // Once something else was said since the question, a number means what it means there.
    const other = driver(h.engine);
    const d = await closedFor(other);
    await other.say('menu'); // the menu is now the last thing sent
    await other.say('5');
    expect(other.text).not.toMatch(/saran atau catatan/);
    expect((await db.select().from(complaints).where(eq(complaints.id, d.id)))[0]!.csat).toBeNull();

    // In the middle of another conversation the question does not cut in.
    const busy = driver(h.engine);
    const e = await closedFor(busy);
    await busy.choose('csat:3'); // rate by button first: asks for a comment
    await busy.say('5'); // the comment step takes "5" as its text, as before
    expect((await db.select().from(complaints).where(eq(complaints.id, e.id)))[0]!.csat).toBe(3);
  });
});
