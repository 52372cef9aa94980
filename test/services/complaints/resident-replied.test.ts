import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { recentComplaints } from '../../../src/services/complaints/file.ts';
import { autoCloseDue, closeComplaint, replyToResident, residentReplied, verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { complaintRow, contact, file, kecamatanId, staff, wib } from './lifecycle.fixtures.ts';
import { seededDatabase } from '../seeded.ts';

// A resident's message after the officer's answer: thanks stay with the report and leave it answered (the
// officer can still close it, and it still closes by itself); a question or "belum selesai" reopens it.

let database: TestDatabase;
let admin: Actor;
let nongsa: number;
const db = () => database.db;

beforeAll(async () => {
  database = await seededDatabase(30);
  nongsa = await kecamatanId(db(), 'Nongsa');
  admin = await staff(db(), 'admin');
}, 120_000);
afterAll(() => database.dispose());

async function answered(at: Date) {
  const contactId = await contact(db());
  const { id, trackingId } = await file(db(), { contactId, kecamatanId: nongsa, now: at });
  expect((await verifyComplaint(db(), admin, id, { now: at })).ok).toBe(true);
  const reply = await replyToResident(db(), admin, id, { text: 'Bantuan Ibu sudah kami cek, cair minggu depan.', now: at });
  if (!reply.ok) throw new Error(reply.reason);
  return { contactId, id, trackingId, autoCloseAt: reply.autoCloseAt };
}

describe('residentReplied after an answer', () => {
  it.each([
    'baik pak terima kasih infonya',
    'Terima kasih banyak, Bu',
    'makasih',
    'ok',
    'Oke siap pak',
    'baik',
    'Alhamdulillah sudah cair, terima kasih',
    '👍',
    '🙏🙏',
    'thanks',
    'Thank you very much',
    'ok noted',
  ])('keeps "%s" with the report and leaves it answered', async (text) => {
    const a = await answered(wib('2027-03-01T10:00:00'));
    const before = await complaintRow(db(), a.id);
    const replied = await residentReplied(db(), { contactId: a.contactId, text, now: wib('2027-03-02T09:00:00') });
    expect(replied).toMatchObject({ complaintId: a.id, reopened: false, acknowledged: true });
    const after = await complaintRow(db(), a.id);
    expect(after).toMatchObject({ status: 'answered', answerDueAt: before.answerDueAt, autoCloseAt: a.autoCloseAt });
    const events = await db().select().from(complaintEvents).where(eq(complaintEvents.complaintId, a.id)).orderBy(asc(complaintEvents.id));
    expect(events.at(-1)).toMatchObject({ kind: 'message_in', body: text });
  });

  it.each([
    'masih belum pak',
    'belum selesai',
    'Terima kasih, tapi kapan cairnya?',
    'ok?',
    'Bantuannya belum masuk juga bu',
    'not solved, thanks',
    'Baik, tapi nama saya masih salah di data',
    'terima kasih, saya mau tanya lagi soal PKH',
  ])('reopens on "%s"', async (text) => {
    const a = await answered(wib('2027-03-01T10:00:00'));
    const replied = await residentReplied(db(), { contactId: a.contactId, text, now: wib('2027-03-02T09:00:00') });
    expect(replied).toEqual({ complaintId: a.id, trackingId: a.trackingId, reopened: true });
    expect(await complaintRow(db(), a.id)).toMatchObject({ status: 'reopened', autoCloseAt: null });
  });

  it('lets the officer close a report the resident thanked for, and auto-close still runs', async () => {
    const a = await answered(wib('2027-03-01T10:00:00'));
    await residentReplied(db(), { contactId: a.contactId, text: 'baik pak terima kasih infonya', now: wib('2027-03-02T09:00:00') });
    expect(await closeComplaint(db(), admin, a.id, { now: wib('2027-03-02T10:00:00') })).toMatchObject({ ok: true });
    expect((await complaintRow(db(), a.id)).status).toBe('closed');

    const b = await answered(wib('2027-03-01T10:00:00'));
    await residentReplied(db(), { contactId: b.contactId, text: 'ok makasih', now: wib('2027-03-02T09:00:00') });
    expect(await autoCloseDue(db(), new Date(b.autoCloseAt.getTime() + 1000))).toBeGreaterThanOrEqual(1);
    expect((await complaintRow(db(), b.id)).status).toBe('closed');
  });

  it('still only joins, without reopening, a report not answered yet', async () => {
    const contactId = await contact(db());
    const c = await file(db(), { contactId, kecamatanId: nongsa, now: wib('2027-03-01T10:00:00') });
    expect(await residentReplied(db(), { contactId, text: 'terima kasih', now: wib('2027-03-01T11:00:00') })).toEqual({ complaintId: c.id, trackingId: c.trackingId, reopened: false });
    expect((await complaintRow(db(), c.id)).status).toBe('received');
  });
});

describe('recentComplaints', () => {
  it("lists this chat's own reports, newest first, at most the limit", async () => {
    const contactId = await contact(db());
    const other = await contact(db());
    const mine = [];
    for (let day = 1; day <= 6; day++) mine.push(await file(db(), { contactId, kecamatanId: nongsa, now: wib(`2027-04-0${day}T10:00:00`), category: day % 2 ? 'service' : 'other' }));
    await file(db(), { contactId: other, kecamatanId: nongsa, now: wib('2027-04-09T10:00:00') });

    const listed = await recentComplaints(db(), { contactId }, 5);
    expect(listed.map((c) => c.trackingId)).toEqual(mine.slice(1).reverse().map((c) => c.trackingId));
    expect(listed[0]).toMatchObject({ category: 'other', status: 'received', createdAt: wib('2027-04-06T10:00:00') });
    expect(await recentComplaints(db(), { contactId: await contact(db()) })).toEqual([]);
  });
});
