import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelSender, Recipient, SendResult } from '../../../src/outbox/sender.ts';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { recordStatuses } from '../../../src/channels/whatsapp-cloud/statuses.ts';
import { createWhatsappCloudSender } from '../../../src/channels/whatsapp-cloud/sender.ts';
import type { Channel } from '../../../src/domain/vocabulary.ts';
import { auditLog, broadcasts, contacts, outbox } from '../../../src/db/schema/index.ts';
import { addDays, todayIn } from '../../../src/domain/dates.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import { Dispatcher, INTERRUPTED } from '../../../src/outbox/dispatcher.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import {
  broadcastStats,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  interruptedCount,
  previewBroadcast,
  resendInterrupted,
  scheduleBroadcast,
  sendDueBroadcasts,
  updateDraft,
} from '../../../src/services/broadcasts/index.ts';
import { startFakeGraph } from '../../fakes/graph.ts';
import { at, makeArea, makeHousehold, makeProgram, NOW, TZ, type DistributionArea } from '../distribution/fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const logger = createLogger('silent');

// A channel of the test's own: records what the dispatcher hands it, answers as scripted.
class ScriptedSender implements ChannelSender {
  readonly sent: { chatId: string; message: OutboundMessage; at: number }[] = [];
  script: (to: Recipient, m: OutboundMessage) => SendResult = () => ({ status: 'sent' });
  constructor(
    readonly channel: Channel,
    public limits: ChannelSender['limits'] = { perSecond: 1000, perChatIntervalMs: 0 },
  ) {}
  async send(to: Recipient, m: OutboundMessage): Promise<SendResult> {
    const r = this.script(to, m);
    if (r.status === 'sent') this.sent.push({ chatId: to.chatId, message: m, at: Date.now() });
    return r;
  }
}

let database: TestDatabase;
let i18n: Translator;
let admin: Actor;
let supervisorA: Actor;
let operator: Actor;
let area: DistributionArea;
let progHousehold: number;
let progPerson: number;
const opts = (now: Date) => ({ now, timeZone: TZ, i18n, defaultLocale: 'id' as const });

/** Contacts of the main world, by what the segment tests expect of them. */
const c: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  i18n = await createI18n('id');
  const db = database.db;
  area = await makeArea(db);
  progHousehold = await makeProgram(db, { unit: 'household' });
  progPerson = await makeProgram(db, { unit: 'person' });
  admin = await staffActor(db, { role: 'admin' });
  supervisorA = await staffActor(db, { role: 'supervisor', kecamatanId: area.kecA });
  operator = await staffActor(db, { role: 'operator' });
  const enrolledA = { programId: progHousehold };
  // h1: two chats, Indonesian web chat and English Telegram.
  const h1 = await makeHousehold(db, { kelurahanId: area.kelA1, enroll: enrolledA, chats: [{ language: 'id' }, { channel: 'telegram', language: 'en' }] });
  [c.h1id, c.h1en] = h1.contactIds as [number, number];
  // h2: the head is in the person program; its chat is on WhatsApp Cloud.
  c.h2 = (await makeHousehold(db, { kelurahanId: area.kelA2, enroll: { programId: progPerson, unit: 'person' }, chats: [{ channel: 'whatsapp_cloud' }] })).contactIds[0]!;
  // h3: same program, the other kecamatan.
  c.h3 = (await makeHousehold(db, { kelurahanId: area.kelB1, enroll: enrolledA, chats: [{}] })).contactIds[0]!;
  // h4: enrollment ended.
  c.h4 = (await makeHousehold(db, { kelurahanId: area.kelA1, enroll: { programId: progHousehold, status: 'ended' }, chats: [{}] })).contactIds[0]!;
  // h5: the chat is unreachable.
  c.h5 = (await makeHousehold(db, { kelurahanId: area.kelA1, enroll: enrolledA, chats: [{ unreachable: true }] })).contactIds[0]!;
  // h6: a chat that claims the member but never passed verification, and a chat linked to nobody.
  const h6 = await makeHousehold(db, { kelurahanId: area.kelA1, enroll: enrolledA });
  const [unverified] = await db
    .insert(contacts)
    .values({ channel: 'webchat', externalId: `unverified-${Date.now()}`, language: 'id', memberId: h6.memberIds[0]!, verifiedAt: null })
    .returning({ id: contacts.id });
  c.h6 = unverified!.id;
  await db.insert(contacts).values({ channel: 'webchat', externalId: `anonymous-${Date.now()}`, language: 'id' });
  // h7: a chat that never chose a language reads the default one.
  c.h7 = (await makeHousehold(db, { kelurahanId: area.kelA1, enroll: enrolledA, chats: [{ language: null }] })).contactIds[0]!;
});
afterAll(() => database.dispose());

const rowsOf = (broadcastId: number) => database.db.select().from(outbox).where(eq(outbox.broadcastId, broadcastId)).orderBy(outbox.id);

/** Earlier tests leave rows queued; a dispatcher test sends only its own broadcast's. */
async function setAsideOthers(broadcastId: number) {
  await database.db.execute(sql`update outbox set status = 'skipped' where status = 'pending' and broadcast_id is distinct from ${broadcastId}`);
}

async function draft(actor: Actor, segment: Parameters<typeof previewBroadcast>[2], texts: Record<string, string> = { id: 'Pembagian sembako hari Sabtu.' }) {
  const r = await createBroadcast(database.db, actor, { title: 'Pengumuman uji', texts, segment }, { now: NOW });
  if (!r.ok) throw new Error(`create refused: ${r.reason}`);
  return r.broadcastId;
}

describe('broadcast segments', () => {
  const recipientsOf = async (segment: Parameters<typeof previewBroadcast>[2]) => {
    const id = await draft(admin, segment, { id: 'Teks uji', en: 'Test text' });
    const r = await scheduleBroadcast(database.db, admin, id, 'now', opts(NOW));
    if (!r.ok) throw new Error(r.reason);
    return (await rowsOf(id)).map((row) => row.contactId).sort((a, b) => a - b);
  };
  const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);

  it('selects exactly the linked, reachable chats of households matching every part', async () => {
    expect(await recipientsOf({ programIds: [progHousehold], kecamatanIds: [area.kecA, area.kecB] })).toEqual(sorted(c.h1id!, c.h1en!, c.h3!, c.h7!));
    expect(await recipientsOf({ programIds: [progHousehold], kecamatanIds: [area.kecA] })).toEqual(sorted(c.h1id!, c.h1en!, c.h7!));
    expect(await recipientsOf({ programIds: [progPerson] })).toEqual([c.h2!]);
    expect(await recipientsOf({ kelurahanIds: [area.kelA2] })).toEqual([c.h2!]);
    expect(await recipientsOf({ kecamatanIds: [area.kecA], languages: ['en'] })).toEqual([c.h1en!]);
    // The chat without a language is read in the default one (id).
    expect(await recipientsOf({ kecamatanIds: [area.kecA], programIds: [progHousehold], languages: ['id'] })).toEqual(sorted(c.h1id!, c.h7!));
    // Ended enrollment, unreachable and unverified chats are left out even when the area alone is asked for.
    const all = await recipientsOf({ kelurahanIds: [area.kelA1] });
    expect(all).toEqual(sorted(c.h1id!, c.h1en!, c.h4!, c.h7!));
    expect(all).not.toContain(c.h5);
    expect(all).not.toContain(c.h6);
  });

  it('counts before sending exactly what it then queues, by channel and language, with a sample per language', async () => {
    const segment = { programIds: [progHousehold, progPerson], kecamatanIds: [area.kecA] };
    const texts = { id: 'Pembagian sembako hari Sabtu.', en: 'Food aid on Saturday.' };
    const p = await previewBroadcast(database.db, admin, segment, { i18n, texts });
    if (!p.ok) throw new Error(p.reason);
    expect(p.preview.total).toBe(4);
    expect(p.preview.counts).toEqual(
      expect.arrayContaining([
        { channel: 'webchat', language: 'id', count: 2 },
        { channel: 'telegram', language: 'en', count: 1 },
        { channel: 'whatsapp_cloud', language: 'id', count: 1 },
      ]),
    );
    expect(p.preview.samples.map((s) => s.language)).toEqual(['en', 'id']);
    expect(p.preview.samples.find((s) => s.language === 'en')!.text).toContain('Food aid on Saturday.');
    const id = await draft(admin, segment, texts);
    const r = await scheduleBroadcast(database.db, admin, id, 'now', opts(NOW));
    expect(r).toMatchObject({ ok: true, status: 'sent', recipientCount: 4 });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(p.preview.total);
    const [b] = await database.db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b).toMatchObject({ status: 'sent', recipientCount: 4 });
    // Bulk priority, each in the chat's language, with the notice template for a closed WhatsApp window.
    for (const row of rows) {
      expect(row.priority).toBe(1);
      const m = row.payload as unknown as OutboundMessage;
      expect(m.template).toEqual({ kind: 'notice', params: [m.text] });
      expect(m.text).toContain(row.contactId === c.h1en ? 'Food aid on Saturday.' : 'Pembagian sembako hari Sabtu.');
    }
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'broadcast'), eq(auditLog.entityId, String(id))));
    expect(audits.map((a) => a.action).sort()).toEqual(['broadcast.create', 'broadcast.schedule', 'broadcast.send']);
    expect(JSON.stringify(audits)).not.toContain('Saturday');
  });
});

describe('broadcast rules', () => {
  it('refuses bad input and changes nothing', async () => {
    const db = database.db;
    const before = (await db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n;
    const make = (title: string, texts: Record<string, string>, segment: object) => createBroadcast(db, admin, { title, texts, segment }, { now: NOW });
    expect(await make('  ', { id: 'x' }, {})).toEqual({ ok: false, reason: 'invalid_title' });
    expect(await make('T', { en: 'Only English' }, {})).toEqual({ ok: false, reason: 'text_missing' });
    expect(await make('T', { id: '   ' }, {})).toEqual({ ok: false, reason: 'text_missing' });
    expect(await make('T', { id: 'x'.repeat(4001) }, {})).toEqual({ ok: false, reason: 'text_too_long' });
    expect(await make('T', { id: 'x', fr: 'y' }, {})).toEqual({ ok: false, reason: 'invalid_text' });
    expect(await make('T', { id: 'x' }, { programIds: [999_999] })).toEqual({ ok: false, reason: 'unknown_program' });
    expect(await make('T', { id: 'x' }, { kelurahanIds: [999_999] })).toEqual({ ok: false, reason: 'unknown_area' });
    expect(await make('T', { id: 'x' }, { languages: ['jv'] })).toEqual({ ok: false, reason: 'invalid_segment' });
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n).toBe(before);
    // English only is fine when only English chats are chosen; exactly 4,000 characters is fine.
    expect(await make('T', { en: 'Only English' }, { languages: ['en'], kecamatanIds: [area.kecA] })).toMatchObject({ ok: true });
    expect(await make('T', { id: 'x'.repeat(4000) }, { kecamatanIds: [area.kecA] })).toMatchObject({ ok: true });
  });

  it('schedules only ahead, edits only drafts, and cancels only before sending', async () => {
    const db = database.db;
    const id = await draft(admin, { kecamatanIds: [area.kecA] });
    expect(await scheduleBroadcast(db, admin, id, new Date(NOW.getTime() - 60_000), opts(NOW))).toEqual({ ok: false, reason: 'time_in_past' });
    const later = at('2026-11-24', '15:00');
    expect(await scheduleBroadcast(db, admin, id, later, opts(NOW))).toMatchObject({ ok: true, status: 'scheduled' });
    expect(await updateDraft(db, admin, id, { title: 'Baru', texts: { id: 'y' }, segment: {} }, { now: NOW })).toEqual({ ok: false, reason: 'invalid_status' });
    // Not yet due: nothing is queued.
    expect(await sendDueBroadcasts(db, { ...opts(at('2026-11-24', '14:59')), onlyId: id })).toEqual({ broadcasts: 0, queued: 0 });
    expect(await cancelBroadcast(db, admin, id, { now: NOW })).toEqual({ ok: true });
    expect(await sendDueBroadcasts(db, { ...opts(at('2026-11-24', '15:05')), onlyId: id })).toEqual({ broadcasts: 0, queued: 0 });
    expect(await rowsOf(id)).toHaveLength(0);
    expect(await scheduleBroadcast(db, admin, id, 'now', opts(NOW))).toEqual({ ok: false, reason: 'invalid_status' });

    const sent = await draft(admin, { kecamatanIds: [area.kecA] });
    expect(await updateDraft(db, admin, sent, { title: 'Judul baru', texts: { id: 'Teks baru' }, segment: { kecamatanIds: [area.kecA] } }, { now: NOW })).toEqual({ ok: true });
    await scheduleBroadcast(db, admin, sent, 'now', opts(NOW));
    expect(await cancelBroadcast(db, admin, sent, { now: NOW })).toEqual({ ok: false, reason: 'invalid_status' });
    expect((await rowsOf(sent))[0]!.payload).toMatchObject({ text: expect.stringContaining('Teks baru') });
  });

  it('names the area for the confirmation: none is the whole city, a scoped supervisor’s blank area is theirs', async () => {
    const db = database.db;
    const city = await previewBroadcast(db, admin, { programIds: [progHousehold] });
    expect(city.ok && city.preview.area).toBeNull();
    const named = await previewBroadcast(db, admin, { kelurahanIds: [area.kelA1] });
    expect(named.ok && named.preview.area).toEqual({ kecamatan: [], kelurahan: ['Sungai Binti'] });
    const own = await previewBroadcast(db, supervisorA, {});
    expect(own.ok && own.preview.area?.kecamatan).toHaveLength(1);
    expect(own.ok && own.preview.area?.kelurahan).toEqual([]);
  });

  it('keeps a kecamatan-scoped supervisor to their kecamatan, and other roles out', async () => {
    const db = database.db;
    const make = (segment: object) => createBroadcast(db, supervisorA, { title: 'T', texts: { id: 'x' }, segment }, { now: NOW });
    expect(await make({ kecamatanIds: [area.kecB] })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(await make({ kecamatanIds: [area.kecA, area.kecB] })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(await make({ kelurahanIds: [area.kelB1] })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect((await previewBroadcast(db, supervisorA, { kecamatanIds: [area.kecB] })).ok).toBe(false);
    // Naming no area means their own kecamatan, not the city.
    const own = await make({ programIds: [progHousehold] });
    if (!own.ok) throw new Error(own.reason);
    expect((await getBroadcast(db, supervisorA, own.broadcastId))!.segment).toEqual({ programIds: [progHousehold], kecamatanIds: [area.kecA] });
    // A city-wide broadcast is not theirs to see, schedule or cancel.
    const cityWide = await draft(admin, { programIds: [progHousehold] });
    expect(await getBroadcast(db, supervisorA, cityWide)).toBeUndefined();
    expect(await scheduleBroadcast(db, supervisorA, cityWide, 'now', opts(NOW))).toEqual({ ok: false, reason: 'not_found' });
    expect(await cancelBroadcast(db, supervisorA, cityWide, { now: NOW })).toEqual({ ok: false, reason: 'not_found' });
    expect(await broadcastStats(db, supervisorA, cityWide)).toBeUndefined();
    const listed = (await listBroadcasts(db, supervisorA)).map((b) => b.id);
    expect(listed).toContain(own.broadcastId);
    expect(listed).not.toContain(cityWide);
    await expect(createBroadcast(db, operator, { title: 'T', texts: { id: 'x' }, segment: {} }, { now: NOW })).rejects.toBeInstanceOf(Forbidden);
    await expect(previewBroadcast(db, operator, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(broadcastStats(db, operator, cityWide)).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('a broadcast honouring quiet hours and rate limits', () => {
  it('queued at 22:00 local, its rows wait until 06:00 the next day and the dispatcher sends nothing before', async () => {
    const db = database.db;
    const own = await makeArea(db);
    for (let i = 0; i < 3; i++) await makeHousehold(db, { kelurahanId: own.kelA1, chats: [{ channel: 'telegram' }] });
    // Days ahead of the real clock, since the dispatcher claims by the database's own now().
    const day = addDays(todayIn(TZ, new Date()), 2);
    const scheduledAt = at(day, '22:00');
    const id = await draft(admin, { kecamatanIds: [own.kecA] });
    expect(await scheduleBroadcast(db, admin, id, scheduledAt, opts(at(day, '08:00')))).toMatchObject({ ok: true, status: 'scheduled' });
    expect(await sendDueBroadcasts(db, opts(scheduledAt))).toMatchObject({ queued: 3 });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.notBefore.toISOString()).toBe(at(addDays(day, 1), '06:00').toISOString());

    await setAsideOthers(id);
    const sender = new ScriptedSender('telegram');
    const d = new Dispatcher(database, logger, { pollMs: 10 });
    d.register(sender);
    for (let i = 0; i < 3; i++) expect((await d.runOnce('telegram')).handled).toBe(0);
    expect(sender.sent).toHaveLength(0);
    // The night passes: the rows come due at 06:00 and go out.
    await db.execute(sql`update outbox set not_before = now() - interval '1 second' where broadcast_id = ${id}`);
    for (let i = 0; i < 20 && sender.sent.length < 3; i++) await d.runOnce('telegram');
    expect(sender.sent).toHaveLength(3);
  });

  it('never sends more than the channel limit in any one-second window', async () => {
    const db = database.db;
    const own = await makeArea(db);
    const count = 45;
    for (let i = 0; i < count; i++) await makeHousehold(db, { kelurahanId: own.kelB1, chats: [{ channel: 'whatsapp_web' }] });
    const id = await draft(admin, { kecamatanIds: [own.kecB] });
    // 09:00 on a past day: due now, outside quiet hours.
    expect(await scheduleBroadcast(db, admin, id, 'now', opts(NOW))).toMatchObject({ recipientCount: count });
    await setAsideOthers(id);
    const limit = 15;
    const sender = new ScriptedSender('whatsapp_web', { perSecond: limit, perChatIntervalMs: 0 });
    const d = new Dispatcher(database, logger, { pollMs: 5 });
    d.register(sender);
    const deadline = Date.now() + 30_000;
    while (sender.sent.length < count && Date.now() < deadline) await d.runOnce('whatsapp_web');
    expect(sender.sent).toHaveLength(count);
    const times = sender.sent.map((s) => s.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(limit);
    expect(worst).toBeGreaterThan(1); // it did send in bursts, up to the limit
  });
});

describe('broadcast delivery', () => {
  it('goes to a WhatsApp Cloud chat outside the 24-hour window as the notice template', async () => {
    const db = database.db;
    const own = await makeArea(db);
    const hh = await makeHousehold(db, { kelurahanId: own.kelA1, chats: [{ channel: 'whatsapp_cloud' }] });
    await db
      .update(contacts)
      .set({ externalId: `62811${String(Date.now()).slice(-7)}`, lastInboundAt: new Date(Date.now() - 3 * 24 * 3600_000) })
      .where(eq(contacts.id, hh.contactIds[0]!));
    const id = await draft(admin, { kecamatanIds: [own.kecA] }, { id: 'Posyandu lansia\nbuka Sabtu pagi.' });
    await scheduleBroadcast(db, admin, id, 'now', opts(NOW));
    await setAsideOthers(id);
    const graph = await startFakeGraph();
    try {
      const sender = createWhatsappCloudSender(
        {
          accessToken: graph.token,
          phoneNumberId: graph.phoneNumberId,
          appSecret: 'secret',
          verifyToken: 'verify',
          apiRoot: graph.apiRoot,
          ratePerSecond: 80,
          templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
        },
        { logger, i18n },
      );
      const d = new Dispatcher(database, logger, { pollMs: 10 });
      d.register(sender);
      for (let i = 0; i < 10 && graph.sent().length === 0; i++) await d.runOnce('whatsapp_cloud');
      expect(graph.sent()).toHaveLength(1);
      const sent = graph.sent()[0]!;
      expect(sent.type).toBe('template');
      expect(sent.template.name).toBe('pintu_pemberitahuan');
      // The whole text as the one parameter, on one line as Meta requires.
      expect(sent.template.components[0].parameters[0].text).toMatch(/^Posyandu lansia buka Sabtu pagi\. — Pengumuman resmi Dinas Sosial/);
      const [row] = await rowsOf(id);
      expect(row).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^wamid\./) });
    } finally {
      await graph.close();
    }
  });

  it('counts queued, sent, delivered, read and failed by reason, from the outbox and WhatsApp status reports', async () => {
    const db = database.db;
    const own = await makeArea(db);
    for (let i = 0; i < 6; i++) await makeHousehold(db, { kelurahanId: own.kelA2, chats: [{ channel: 'whatsapp_cloud' }] });
    const id = await draft(admin, { kelurahanIds: [own.kelA2] });
    await scheduleBroadcast(db, admin, id, 'now', opts(NOW));
    expect(await broadcastStats(db, admin, id)).toMatchObject({ total: 6, queued: 6, sent: 0, failed: 0 });

    await setAsideOthers(id);
    const sender = new ScriptedSender('whatsapp_cloud');
    let n = 0;
    sender.script = () => {
      n++;
      if (n === 1) return { status: 'failed', reason: 'outside_24h_window', unreachable: false };
      if (n === 2) return { status: 'failed', reason: 'recipient_unreachable (code 131026: Message undeliverable)', unreachable: true };
      if (n === 3) return { status: 'failed', reason: 'recipient_unreachable (code 131030)', unreachable: true };
      return { status: 'sent', providerMessageId: `wamid.stats-${id}-${n}` };
    };
    const d = new Dispatcher(database, logger, { pollMs: 10, batchSize: 1 });
    d.register(sender);
    // Five of six: one stays queued.
    for (let i = 0; i < 5; i++) await d.runOnce('whatsapp_cloud');
    const t = new Date('2026-11-24T03:00:00Z');
    const summary = await db.transaction((tx) =>
      recordStatuses(tx, [
        { providerMessageId: `wamid.stats-${id}-4`, status: 'delivered', at: t, errors: [] },
        { providerMessageId: `wamid.stats-${id}-5`, status: 'read', at: t, errors: [] },
        // A late repeat of "delivered" keeps the first time.
        { providerMessageId: `wamid.stats-${id}-4`, status: 'delivered', at: new Date(t.getTime() + 60_000), errors: [] },
      ]),
    );
    expect(summary.noted).toBe(3);
    const delivered = await db.select().from(outbox).where(and(eq(outbox.broadcastId, id), isNotNull(outbox.deliveredAt))).orderBy(outbox.id);
    expect(delivered.map((r) => [r.providerMessageId, r.deliveredAt?.toISOString(), r.readAt?.toISOString() ?? null])).toEqual([
      [`wamid.stats-${id}-4`, t.toISOString(), null],
      [`wamid.stats-${id}-5`, t.toISOString(), t.toISOString()],
    ]);
    expect(await broadcastStats(db, admin, id)).toEqual({
      total: 6,
      queued: 1,
      sending: 0,
      sent: 2,
      delivered: 2,
      read: 1,
      failed: 3,
      failedByReason: [
        { reason: 'recipient_unreachable', count: 2 },
        { reason: 'outside_24h_window', count: 1 },
      ],
      skipped: 0,
    });
  });
});

describe('messages interrupted by a stopped process', () => {
  it('are failed as unknown, shown, and queued again only when staff ask (quiet hours kept, audited, once)', async () => {
    const db = database.db;
    const own = await makeArea(db);
    for (let i = 0; i < 4; i++) await makeHousehold(db, { kelurahanId: own.kelA1, chats: [{ channel: 'telegram' }] });
    const id = await draft(admin, { kelurahanIds: [own.kelA1] });
    // Not before it is sent, and not for a draft.
    expect(await resendInterrupted(db, admin, id, opts(NOW))).toEqual({ ok: false, reason: 'invalid_status' });
    await scheduleBroadcast(db, admin, id, 'now', opts(NOW));
    await setAsideOthers(id);
    const sender = new ScriptedSender('telegram');
    const d = new Dispatcher(database, logger, { pollMs: 10, batchSize: 1, claimTtlMs: 60_000 });
    d.register(sender);
    await d.runOnce('telegram');
    expect(sender.sent).toHaveLength(1);
    // A process died holding two rows: their claim ran out, and the reconciler cannot tell whether they went.
    const held = (await rowsOf(id)).filter((r) => r.status === 'pending').slice(0, 2).map((r) => r.id);
    await db.execute(sql`update outbox set status = 'sending', claimed_until = now() - interval '1 second', attempts = 1 where id in (${sql.join(held.map((x) => sql`${x}`), sql`, `)})`);
    expect(await d.reconcile()).toBe(2);
    const failed = (await rowsOf(id)).filter((r) => r.status === 'failed');
    expect(failed.map((r) => [r.id, r.lastError])).toEqual(held.map((x) => [x, INTERRUPTED]));
    expect(await interruptedCount(db, id)).toBe(2);
    expect((await broadcastStats(db, admin, id))?.failedByReason).toEqual([{ reason: 'interrupted', count: 2 }]);

    // Only those who manage broadcasts in scope.
    await expect(resendInterrupted(db, operator, id, opts(NOW))).rejects.toBeInstanceOf(Forbidden);
    // At 22:00 local they wait for 06:00 like the rest of a night's broadcast.
    const day = addDays(todayIn(TZ, new Date()), 2);
    expect(await resendInterrupted(db, admin, id, opts(at(day, '22:00')))).toEqual({ ok: true, requeued: 2 });
    const again = (await rowsOf(id)).filter((r) => held.includes(r.id));
    expect(again.map((r) => [r.status, r.lastError, r.notBefore.toISOString()])).toEqual(held.map(() => ['pending', null, at(addDays(day, 1), '06:00').toISOString()]));
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.resend_interrupted'), eq(auditLog.entityId, String(id))));
    expect(entry?.details).toEqual({ rows: 2 });
    // Asked twice: nothing left, nothing changes.
    expect(await resendInterrupted(db, admin, id, opts(NOW))).toEqual({ ok: false, reason: 'nothing_to_resend' });
    await db.execute(sql`update outbox set not_before = now() - interval '1 second' where broadcast_id = ${id} and status = 'pending'`);
    for (let i = 0; i < 10 && sender.sent.length < 4; i++) await d.runOnce('telegram');
    expect(sender.sent).toHaveLength(4);
    expect(await broadcastStats(db, admin, id)).toMatchObject({ total: 4, sent: 4, failed: 0 });
  });
});
