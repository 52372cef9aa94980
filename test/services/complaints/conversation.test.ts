import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { complaintEvents, messages } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { replyToResident, residentReplied, verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { complaintConversation, complaintVersion } from '../../../src/services/complaints/queries.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { contact, file, kecamatanId, staff } from './lifecycle.fixtures.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';

// A chat holds several cases at once; each complaint's conversation is its own messages (messages.complaint_id):
// the filing dialogue, the officers' answers and notices, and the resident's answers joined to it.

let database: TestDatabase;
let sagulung: number;
let admin: Actor;
let operator: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 0 });
  sagulung = await kecamatanId(database.db, 'Sagulung');
  admin = await staff(database.db, 'admin');
  operator = await staff(database.db, 'operator', { kecamatanId: sagulung });
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

const db = () => database.db;

async function inbound(contactId: number, body: string): Promise<number> {
  const [m] = await db().insert(messages).values({ contactId, channel: 'webchat', direction: 'in', kind: 'text', body }).returning({ id: messages.id });
  return m!.id;
}
const bodies = async (actor: Actor, id: number) => {
  const c = await complaintConversation(db(), actor, id);
  return c && !c.hidden ? c.messages.map((m) => m.body) : c;
};

describe("a complaint's conversation", () => {
  it('is its own filing dialogue and what was said about it since, never another case of the same chat', async () => {
    const chat = await contact(db(), { channel: 'webchat' });
    await inbound(chat, 'cek bansos saya'); // before any report: no case's
    const named = await file(db(), { contactId: chat, kecamatanId: sagulung, now: new Date(), conversationFrom: await inbound(chat, 'Antrean di kelurahan lama') });
    const anonymous = await file(db(), {
      contactId: chat,
      kecamatanId: sagulung,
      now: new Date(),
      anonymous: true,
      category: 'sanggahan',
      conversationFrom: await inbound(chat, 'Pak Joko tidak layak'),
    });

    expect(await bodies(operator, named.id)).toEqual(['Antrean di kelurahan lama']);
    expect(await bodies(operator, anonymous.id)).toEqual({ hidden: true });
    expect(await bodies(admin, anonymous.id)).toEqual(['Pak Joko tidak layak']);

    // The officer answers the older, named report; the resident's next message answers that one, not the newer
    // anonymous sanggahan, and joins its conversation.
    const before = await complaintVersion(db(), operator, named.id);
    expect((await verifyComplaint(db(), operator, named.id)).ok).toBe(true);
    expect((await replyToResident(db(), operator, named.id, { text: 'Mohon sebut hari kejadiannya.' })).ok).toBe(true);
    expect(await complaintVersion(db(), operator, named.id)).not.toBe(before);
    const answer = await inbound(chat, 'Senin pagi, Pak');
    const joined = await residentReplied(db(), { contactId: chat, text: 'Senin pagi, Pak', now: new Date(), messageId: answer });
    expect(joined?.complaintId).toBe(named.id);
    expect(await bodies(operator, named.id)).toEqual(['Antrean di kelurahan lama', 'Mohon sebut hari kejadiannya.', 'Senin pagi, Pak']);
    expect(await bodies(admin, anonymous.id)).toEqual(['Pak Joko tidak layak']);
    const events = await db().select({ body: complaintEvents.body }).from(complaintEvents).where(and(eq(complaintEvents.complaintId, anonymous.id), eq(complaintEvents.kind, 'message_in')));
    expect(events.map((e) => e.body)).not.toContain('Senin pagi, Pak');
  });

  it('joins a reply to the newest open report when the office has written about none', async () => {
    const chat = await contact(db(), { channel: 'webchat' });
    await file(db(), { contactId: chat, kecamatanId: sagulung, now: new Date() });
    const newer = await file(db(), { contactId: chat, kecamatanId: sagulung, now: new Date() });
    const id = await inbound(chat, 'Ada kabar?');
    expect((await residentReplied(db(), { contactId: chat, text: 'Ada kabar?', now: new Date(), messageId: id }))?.complaintId).toBe(newer.id);
    const [m] = await db().select({ complaintId: messages.complaintId }).from(messages).where(eq(messages.id, id)).orderBy(asc(messages.id));
    expect(m!.complaintId).toBe(newer.id);
  });
});
