import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachments,
  auditLog,
  complaints,
  contactLinks,
  contacts,
  identityCodes,
  members,
  messages,
  outbox,
  sessions,
} from '../../../src/db/schema/index.ts';
import { purgeIdleWebchats } from '../../../src/services/rights/idle-webchats.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// Issue 15, item 8: web chats were never purged, so a flood of them stayed for ever. Unlinked web chats idle
// for WEBCHAT_IDLE_DAYS, and those never used past their first message after a day, now go whole; every
// chat something still needs stays. On PGlite and on real Postgres (TEST_DATABASE_URL).

const NOW = new Date('2026-11-24T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const IDLE_DAYS = 30;

let database: TestDatabase;
const db = () => database.db;
/** Contact ids by what the case is. */
const gone: Record<string, number> = {};
const kept: Record<string, number> = {};
let goneMessage: number;
let photo: number;

async function chat(name: string, created: Date, lastInbound: Date | null, extra: Partial<typeof contacts.$inferInsert> = {}) {
  const [c] = await db()
    .insert(contacts)
    .values({ channel: 'webchat', externalId: `idle-${name}`, createdAt: created, lastInboundAt: lastInbound, ...extra })
    .returning({ id: contacts.id });
  return c!.id;
}

async function message(contactId: number, at: Date, direction: 'in' | 'out' = 'in') {
  const [m] = await db().insert(messages).values({ contactId, channel: 'webchat', direction, kind: 'text', body: 'isi', createdAt: at }).returning({ id: messages.id });
  return m!.id;
}

async function outRow(contactId: number, at: Date, status: 'pending' | 'sent', broadcastId: number | null = null) {
  await db().insert(outbox).values({ contactId, channel: 'webchat', payload: { text: 'isi' }, status, notBefore: at, createdAt: at, broadcastId });
}

/** A chat last heard 40 days ago: idle by WEBCHAT_IDLE_DAYS unless something keeps it. */
async function idleChat(name: string, extra: Partial<typeof contacts.$inferInsert> = {}) {
  const id = await chat(name, ago(60 * DAY), ago(40 * DAY), extra);
  await message(id, ago(60 * DAY));
  await message(id, ago(40 * DAY));
  await message(id, ago(40 * DAY), 'out');
  return id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 2 });
  const [member] = await db().select({ id: members.id, householdId: members.householdId }).from(members).orderBy(asc(members.id)).limit(1);

  // Idle for 40 days: goes with its session, history, finished outbox row and expired code. A photo that
  // pointed at one of its messages stays, without the pointer.
  gone.idle = await idleChat('idle');
  goneMessage = await message(gone.idle, ago(41 * DAY));
  const [p] = await db().insert(attachments).values({ messageId: goneMessage, mimeType: 'image/jpeg' }).returning({ id: attachments.id });
  photo = p!.id;
  await outRow(gone.idle, ago(40 * DAY), 'sent');
  await db().insert(sessions).values({ contactId: gone.idle, flow: 'menu', step: 'main', data: {}, expiresAt: ago(39 * DAY) });
  await db().insert(identityCodes).values({ purpose: 'counter', contactId: gone.idle, code: 'OLD001', createdAt: ago(40 * DAY), expiresAt: ago(40 * DAY - HOUR) });
  // What a flood makes: the page's start two days ago, its answer, nothing since.
  gone.unused = await chat('unused', ago(2 * DAY), ago(2 * DAY));
  await message(gone.unused, ago(2 * DAY));
  await message(gone.unused, ago(2 * DAY), 'out');

  // Kept: written in ten days ago.
  kept.recent = await chat('recent', ago(60 * DAY), ago(10 * DAY));
  await message(kept.recent, ago(10 * DAY));
  // Kept: the resident was quiet, but an officer wrote to the chat five days ago.
  kept.answered = await idleChat('answered');
  await message(kept.answered, ago(5 * DAY), 'out');
  // Kept: a message still waits in the outbox for the page to open.
  kept.owed = await idleChat('owed');
  await outRow(kept.owed, ago(40 * DAY), 'pending');
  // Kept: a broadcast's row (its statistics count it).
  kept.broadcast = await idleChat('broadcast');
  await outRow(kept.broadcast, ago(40 * DAY), 'sent', 7);
  // Kept: linked to a member now, or ever (the link's record).
  kept.linked = await idleChat('linked', { memberId: member!.id, verifiedAt: ago(50 * DAY) });
  kept.wasLinked = await idleChat('was-linked');
  await db().insert(contactLinks).values({ contactId: kept.wasLinked, memberId: member!.id, householdId: member!.householdId, proof: 'code', linkedAt: ago(50 * DAY), endedAt: ago(45 * DAY), endReason: 'idle' });
  // Kept: filed a complaint, even one long closed.
  kept.complained = await idleChat('complained');
  await db().insert(complaints).values({ trackingId: 'ADU-IDLE-00001', category: 'not_received', status: 'closed', contactId: kept.complained, summary: 'isi', closedAt: ago(41 * DAY) });
  // Kept: an officer holds the chat.
  kept.handover = await idleChat('handover', { handoverAt: ago(40 * DAY) });
  // Kept: a code it asked for is still good.
  kept.code = await idleChat('code');
  await db().insert(identityCodes).values({ purpose: 'counter', contactId: kept.code, code: 'NEW001', createdAt: ago(HOUR), expiresAt: new Date(NOW.getTime() + HOUR) });
  // Kept: another channel's contact, however idle.
  const [wa] = await db().insert(contacts).values({ channel: 'whatsapp_cloud', externalId: '6281200000000', createdAt: ago(400 * DAY), lastInboundAt: ago(400 * DAY) }).returning({ id: contacts.id });
  kept.whatsapp = wa!.id;
  // Kept: opened the page two hours ago (a day to come back to it).
  kept.fresh = await chat('fresh', ago(2 * HOUR), ago(2 * HOUR));
  await message(kept.fresh, ago(2 * HOUR));
  // Kept: two days old but the resident typed something after the start (not idle for 30 days yet).
  kept.typed = await chat('typed', ago(2 * DAY), ago(2 * DAY + 60_000));
  await message(kept.typed, ago(2 * DAY));
  await message(kept.typed, ago(2 * DAY - 60_000));
  // Kept: an old chat whose only message left (the rest aged out) came two days ago: it came back.
  kept.cameBack = await chat('came-back', ago(200 * DAY), ago(2 * DAY));
  await message(kept.cameBack, ago(2 * DAY));
}, 120_000);

afterAll(() => database?.dispose());

describe('purging unused web chats', () => {
  it('deletes idle and never-used chats whole, and nothing any other chat or record still needs', async () => {
    const r = await purgeIdleWebchats(db(), { now: NOW, idleDays: IDLE_DAYS, batch: 1 });
    expect(r).toEqual({ idle: 1, unused: 1 });

    const left = (await db().select({ id: contacts.id }).from(contacts)).map((c) => c.id).sort((a, b) => a - b);
    expect(left).toEqual(Object.values(kept).sort((a, b) => a - b));
    const goneIds = Object.values(gone);
    expect(await db().select().from(messages).where(inArray(messages.contactId, goneIds))).toEqual([]);
    expect(await db().select().from(outbox).where(inArray(outbox.contactId, goneIds))).toEqual([]);
    expect(await db().select().from(sessions).where(inArray(sessions.contactId, goneIds))).toEqual([]);
    expect(await db().select().from(identityCodes).where(inArray(identityCodes.contactId, goneIds))).toEqual([]);
    // The photo stays, without its pointer to the deleted message.
    const [photoRow] = await db().select({ messageId: attachments.messageId }).from(attachments).where(eq(attachments.id, photo));
    expect(photoRow).toEqual({ messageId: null });
    // What the kept chats had is all there.
    expect((await db().select().from(messages).where(eq(messages.contactId, kept.answered!))).length).toBe(4);
    expect((await db().select().from(outbox).where(eq(outbox.contactId, kept.owed!))).length).toBe(1);

    const [line] = await db().select().from(auditLog).where(eq(auditLog.action, 'rights.webchat_purge'));
    expect(line?.details).toEqual({ idle: 1, unused: 1, idleDays: IDLE_DAYS });
  });

  it('finds nothing more on the next run, and writes no line for it', async () => {
    expect(await purgeIdleWebchats(db(), { now: NOW, idleDays: IDLE_DAYS })).toEqual({ idle: 0, unused: 0 });
    expect((await db().select().from(auditLog).where(eq(auditLog.action, 'rights.webchat_purge'))).length).toBe(1);
  });

  it('takes WEBCHAT_IDLE_DAYS as given: at 7 days, the chat written in ten days ago goes too', async () => {
    expect(await purgeIdleWebchats(db(), { now: NOW, idleDays: 7 })).toEqual({ idle: 1, unused: 0 });
    expect(await db().select().from(contacts).where(eq(contacts.id, kept.recent!))).toEqual([]);
  });
});
