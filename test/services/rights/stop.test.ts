import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, broadcasts, contacts, messages, outbox } from '../../../src/db/schema/index.ts';
import type { Channel } from '../../../src/domain/vocabulary.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { Dispatcher } from '../../../src/outbox/dispatcher.ts';
import { enqueue, enqueueMany } from '../../../src/outbox/enqueue.ts';
import type { ChannelSender, Recipient, SendResult } from '../../../src/outbox/sender.ts';
import { createBroadcast, previewBroadcast, scheduleBroadcast } from '../../../src/services/broadcasts/index.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { householdsWithoutChat } from '../../../src/services/distribution/paper.ts';
import { resumeMessages, stopMessages } from '../../../src/services/rights/stop.ts';
import { distributionWorld, makeEvent, makeHousehold, NOW, TZ, type DistributionWorld } from '../distribution/fixtures.ts';

// BERHENTI in the outbox: bulk rows are not queued for a stopped chat (in the same statement as the others),
// those queued before it stopped are skipped when claimed, replies still go, and what broadcasts and
// invitations report as queued is what was queued.

class RecordingSender implements ChannelSender {
  readonly sent: { chatId: string; text: string }[] = [];
  readonly limits = { perSecond: 1000, perChatIntervalMs: 0 };
  constructor(readonly channel: Channel) {}
  async send(to: Recipient, m: OutboundMessage): Promise<SendResult> {
    this.sent.push({ chatId: to.chatId, text: m.text });
    return { status: 'sent' };
  }
}

let w: DistributionWorld;
let i18n: Translator;
beforeAll(async () => {
  w = await distributionWorld();
  i18n = await createI18n('id');
});
afterAll(() => w?.dispose());

const household = (chats = 1) =>
  makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: Array.from({ length: chats }, () => ({ language: 'id' as const })) });
const stop = (contactId: number) => stopMessages(w.db, { contactId, now: NOW });
const rowsFor = (contactId: number) => w.db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(outbox.id);

describe('enqueue', () => {
  it('leaves bulk rows for a stopped chat out, with their history lines, and keeps replies', async () => {
    const a = await household();
    const b = await household();
    const [stopped, open] = [a.contactIds[0]!, b.contactIds[0]!];
    await stop(stopped);
    const ids = await enqueueMany(
      w.db,
      [
        { contactId: stopped, channel: 'webchat', message: { text: 'Pengumuman 1' } },
        { contactId: open, channel: 'webchat', message: { text: 'Pengumuman 2' } },
      ],
      { priority: 'bulk', now: NOW },
    );
    expect(ids).toHaveLength(1);
    expect((await rowsFor(stopped)).length).toBe(0);
    expect((await rowsFor(open)).map((r) => r.id)).toEqual(ids);
    expect(await w.db.select().from(messages).where(eq(messages.contactId, stopped))).toEqual([]);

    const replies = await enqueue(w.db, { contactId: stopped, channel: 'webchat', messages: [{ text: 'Balasan' }], priority: 'reply', now: NOW });
    expect(replies).toHaveLength(1);
    expect(await w.db.select().from(messages).where(eq(messages.contactId, stopped))).toHaveLength(1);

    // MULAI: bulk messages come again.
    expect(await resumeMessages(w.db, { contactId: stopped, now: NOW })).toBe(true);
    expect(await resumeMessages(w.db, { contactId: stopped, now: NOW })).toBe(false);
    expect(await enqueueMany(w.db, [{ contactId: stopped, channel: 'webchat', message: { text: 'Pengumuman 3' } }], { priority: 'bulk', now: NOW })).toHaveLength(1);
  });
});

describe('the dispatcher', () => {
  it('skips a bulk row queued before the chat stopped, and then sends the chat its reply', async () => {
    const hh = await household();
    const contactId = hh.contactIds[0]!;
    // Everything else pending in this database is another test's business.
    await w.db.update(outbox).set({ status: 'skipped' }).where(eq(outbox.status, 'pending'));
    const [bulk] = await enqueueMany(w.db, [{ contactId, channel: 'webchat', message: { text: 'Undangan lama' } }], { priority: 'bulk' });
    await stop(contactId);
    const [reply] = await enqueue(w.db, { contactId, channel: 'webchat', messages: [{ text: 'Balasan untuk Ibu' }], priority: 'reply' });

    const sender = new RecordingSender('webchat');
    const d = new Dispatcher(w.database, createLogger('silent'), { pollMs: 10 });
    d.register(sender);
    for (let i = 0; i < 4; i++) await d.runOnce('webchat');

    expect(sender.sent).toEqual([{ chatId: hh.chatIds[0], text: 'Balasan untuk Ibu' }]);
    const rows = await rowsFor(contactId);
    expect(rows.find((r) => r.id === bulk)).toMatchObject({ status: 'skipped', lastError: 'contact_stopped', attempts: 0 });
    expect(rows.find((r) => r.id === reply)).toMatchObject({ status: 'sent' });
  });
});

describe('what is reported as queued', () => {
  it('a broadcast neither counts nor queues a stopped chat', async () => {
    const kel = w.area.kelA2;
    const a = await makeHousehold(w.db, { kelurahanId: kel, enroll: { programId: w.personProgramId, unit: 'person' }, chats: [{ language: 'id' }, { language: 'id' }] });
    await stop(a.contactIds[1]!);
    const segment = { kelurahanIds: [kel] };
    const preview = await previewBroadcast(w.db, w.admin, segment, { i18n });
    expect(preview).toMatchObject({ ok: true, preview: { total: 1 } });
    const created = await createBroadcast(w.db, w.admin, { title: 'Uji', texts: { id: 'Pengumuman uji' }, segment }, { now: NOW });
    if (!created.ok) throw new Error(created.reason);
    const sent = await scheduleBroadcast(w.db, w.admin, created.broadcastId, 'now', { now: NOW, timeZone: TZ, i18n, defaultLocale: 'id' });
    expect(sent).toMatchObject({ ok: true, status: 'sent', recipientCount: 1 });
    const rows = await w.db.select().from(outbox).where(eq(outbox.broadcastId, created.broadcastId));
    expect(rows.map((r) => r.contactId)).toEqual([a.contactIds[0]]);
    const [b] = await w.db.select().from(broadcasts).where(eq(broadcasts.id, created.broadcastId));
    expect(b!.recipientCount).toBe(1);
  });

  it('an invitation round counts a household whose every chat stopped as one without a chat', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }] });
    const mixed = await household(2);
    const silent = await household(1);
    await stop(mixed.contactIds[1]!);
    await stop(silent.contactIds[0]!);
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [mixed.householdId, silent.householdId] }, { now: NOW, timeZone: TZ });
    expect(r).toMatchObject({ ok: true, invited: 2, queuedChats: 1, withoutChat: 1 });
    const queued = await w.db.select().from(outbox).where(inArray(outbox.contactId, [...mixed.contactIds, ...silent.contactIds]));
    expect(queued.map((q) => q.contactId)).toEqual([mixed.contactIds[0]]);
    // The one without a chat is on the paper list for the RT/RW.
    const paper = await householdsWithoutChat(w.db, w.admin, ev.eventId, { now: NOW });
    expect(paper.ok && paper.rows.map((p) => p.householdId)).toEqual([silent.householdId]);
  });

  it('records stopping once, as the resident, without personal data', async () => {
    const hh = await household();
    const contactId = hh.contactIds[0]!;
    expect(await stop(contactId)).toMatchObject({ already: false });
    expect(await stop(contactId)).toMatchObject({ already: true });
    const rows = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'contact.stop'), eq(auditLog.contactId, contactId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorKind: 'resident', entity: 'contact', entityId: String(contactId) });
    const [c] = await w.db.select({ stoppedAt: contacts.stoppedAt }).from(contacts).where(eq(contacts.id, contactId));
    expect(c!.stoppedAt).toEqual(NOW);
  });
});
