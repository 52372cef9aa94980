import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, broadcasts, contacts, households, members, outbox, whatsappTemplates } from '../../../src/db/schema/index.ts';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { broadcastStats, createBroadcast, previewBroadcast, scheduleBroadcast, sendDueBroadcasts, type BroadcastInput } from '../../../src/services/broadcasts/index.ts';
import type { OutreachEnv } from '../../../src/services/outreach/env.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { at, makeArea, makeHousehold, NOW, TZ, type DistributionArea } from '../distribution/fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';

// Broadcasts by desil, age and disability, and to registry phones when staff choose so: one WhatsApp message
// per household without a linked chat (its first message says who writes and how to stop), refused on the
// Cloud API when the template may not write first, and counted by path before sending.

const WEB: OutreachEnv = { phoneChannel: 'whatsapp_web' };
const CLOUD: OutreachEnv = {
  phoneChannel: 'whatsapp_cloud',
  cloud: { templateLanguage: 'id', templates: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' }, dailyNewConversations: 1000 },
};
const NOTICE_BODY = 'Pemberitahuan Dinas Sosial: {{1}} Balas BERHENTI bila tidak ingin menerima pesan lagi.';

let database: TestDatabase;
let i18n: Translator;
let admin: Actor;
const opts = (now: Date, outreach?: OutreachEnv) => ({ now, timeZone: TZ, i18n, defaultLocale: 'id' as const, ...(outreach ? { outreach } : {}) });

beforeAll(async () => {
  database = await createTestDatabase();
  i18n = await createI18n('id');
  admin = await staffActor(database.db, { role: 'admin' });
}, 60_000);
afterAll(() => database?.dispose());

let phones = 0;
/** A mobile number unique in this file, as the registry writes it, and its normal form. */
function phone(): { raw: string; norm: string } {
  const digits = String(3_000_000 + process.pid * 37 + ++phones * 101).slice(-7);
  return { raw: `0813${digits}`, norm: `62813${digits}` };
}

async function setHousehold(householdId: number, values: { desil?: number | null }) {
  await database.db.update(households).set(values).where(eq(households.id, householdId));
}
async function setMember(memberId: number, values: Partial<typeof members.$inferInsert>) {
  await database.db.update(members).set(values).where(eq(members.id, memberId));
}

async function draft(input: Partial<BroadcastInput> & { segment: BroadcastInput['segment'] }) {
  const r = await createBroadcast(database.db, admin, { title: 'Pengumuman uji', texts: { id: 'Posyandu lansia buka Sabtu pagi.' }, ...input }, { now: NOW });
  if (!r.ok) throw new Error(`create refused: ${r.reason}`);
  return r.broadcastId;
}
const rowsOf = (broadcastId: number) => database.db.select().from(outbox).where(eq(outbox.broadcastId, broadcastId)).orderBy(outbox.id);

describe('segments by desil, age and disability', () => {
  let area: DistributionArea;
  const c: Record<string, number> = {};

  beforeAll(async () => {
    const db = database.db;
    area = await makeArea(db);
    // Heads are born 1958-03-12 (68 on NOW, 24 November 2026), the other member 1990-06-01 (36).
    const a = await makeHousehold(db, { kelurahanId: area.kelA1, chats: [{}] });
    await setHousehold(a.householdId, { desil: 1 });
    c.a = a.contactIds[0]!;
    const b = await makeHousehold(db, { kelurahanId: area.kelA1, chats: [{}] });
    await setHousehold(b.householdId, { desil: 5 });
    await setMember(b.memberIds[1]!, { disability: true });
    c.b = b.contactIds[0]!;
    // Not ranked: in no desil range.
    const n = await makeHousehold(db, { kelurahanId: area.kelA1, chats: [{}] });
    await setHousehold(n.householdId, { desil: null });
    c.n = n.contactIds[0]!;
    // The head (68) died; the disabled member is listed no more: neither counts.
    const d = await makeHousehold(db, { kelurahanId: area.kelA1, chats: [{ channel: 'telegram' }], extraMembers: 2 });
    await setHousehold(d.householdId, { desil: 3 });
    await setMember(d.memberIds[0]!, { deceased: true });
    await setMember(d.memberIds[2]!, { disability: true, missingSince: NOW });
    // The chat is the living son's (36).
    await db.update(contacts).set({ memberId: d.memberIds[1]! }).where(eq(contacts.id, d.contactIds[0]!));
    c.d = d.contactIds[0]!;
    // Ages on the day: 60 today, and 59 until tomorrow.
    const e = await makeHousehold(db, { kelurahanId: area.kelA2, chats: [{}], extraMembers: 0 });
    await setMember(e.memberIds[0]!, { birthDate: '1966-11-24' });
    c.e = e.contactIds[0]!;
    const f = await makeHousehold(db, { kelurahanId: area.kelA2, chats: [{}], extraMembers: 0 });
    await setMember(f.memberIds[0]!, { birthDate: '1966-11-25' });
    c.f = f.contactIds[0]!;
  });

  const recipientsOf = async (segment: BroadcastInput['segment']) => {
    const id = await draft({ segment: { kecamatanIds: [area.kecA], ...segment } });
    const p = await previewBroadcast(database.db, admin, { kecamatanIds: [area.kecA], ...segment }, { now: NOW, timeZone: TZ, i18n });
    if (!p.ok) throw new Error(p.reason);
    const r = await scheduleBroadcast(database.db, admin, id, 'now', opts(NOW));
    if (!r.ok) throw new Error(r.reason);
    const got = (await rowsOf(id)).map((row) => row.contactId).sort((x, y) => x - y);
    // The count before sending is what is queued.
    expect(p.preview.total).toBe(got.length);
    return got;
  };
  const sorted = (...ids: number[]) => ids.sort((x, y) => x - y);

  it('selects households by desil range, leaving out those the registry has not ranked', async () => {
    expect(await recipientsOf({ desilMin: 1, desilMax: 3 })).toEqual(sorted(c.a!, c.d!, c.e!, c.f!));
    expect(await recipientsOf({ desilMin: 4 })).toEqual([c.b!]);
    expect(await recipientsOf({ desilMax: 1 })).toEqual([c.a!]);
  });

  it('selects households by the age of a living member today, in the office time zone', async () => {
    // The deceased head of d is 68 but no longer counts; e turns 60 today; f is 59 until tomorrow.
    expect(await recipientsOf({ ageMin: 60 })).toEqual(sorted(c.a!, c.b!, c.n!, c.e!));
    expect(await recipientsOf({ ageMin: 60, ageMax: 60 })).toEqual([c.e!]);
    expect(await recipientsOf({ ageMax: 59 })).toEqual(sorted(c.a!, c.b!, c.n!, c.d!, c.f!));
    // 23:30 WIB on the 24th is still the 24th there (16:30 UTC); 00:30 WIB on the 25th makes f 60.
    const p = await previewBroadcast(database.db, admin, { kecamatanIds: [area.kecA], ageMin: 60, ageMax: 60 }, { now: at('2026-11-25', '00:30'), timeZone: TZ, i18n });
    expect(p.ok && p.preview.total).toBe(2);
    const q = await previewBroadcast(database.db, admin, { kecamatanIds: [area.kecA], ageMin: 60, ageMax: 60 }, { now: at('2026-11-24', '23:30'), timeZone: TZ, i18n });
    expect(q.ok && q.preview.total).toBe(1);
  });

  it('selects households with a living, listed member with a disability', async () => {
    expect(await recipientsOf({ disability: true })).toEqual([c.b!]);
    // Unticked is "whoever", not "without".
    expect(await recipientsOf({ disability: false, desilMin: 5 })).toEqual([c.b!]);
    expect(await recipientsOf({ disability: true, ageMin: 60, desilMax: 5 })).toEqual([c.b!]);
  });

  it('refuses ranges out of bounds or upside down, with a reason that names which, and stores nothing', async () => {
    const db = database.db;
    const before = (await db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n;
    const make = (segment: object, extra: Partial<BroadcastInput> = {}) => createBroadcast(db, admin, { title: 'T', texts: { id: 'x' }, segment, ...extra }, { now: NOW });
    expect(await make({ desilMin: 0 })).toEqual({ ok: false, reason: 'desil_out_of_range' });
    expect(await make({ desilMax: 11 })).toEqual({ ok: false, reason: 'desil_out_of_range' });
    expect(await make({ desilMin: 2.5 })).toEqual({ ok: false, reason: 'desil_out_of_range' });
    expect(await make({ desilMin: '3' })).toEqual({ ok: false, reason: 'desil_out_of_range' });
    expect(await make({ desilMin: 5, desilMax: 3 })).toEqual({ ok: false, reason: 'desil_min_above_max' });
    expect(await make({ ageMin: -1 })).toEqual({ ok: false, reason: 'age_out_of_range' });
    expect(await make({ ageMax: 121 })).toEqual({ ok: false, reason: 'age_out_of_range' });
    expect(await make({ ageMin: Number.NaN })).toEqual({ ok: false, reason: 'age_out_of_range' });
    expect(await make({ ageMin: 70, ageMax: 60 })).toEqual({ ok: false, reason: 'age_min_above_max' });
    expect(await make({ disability: 'yes' })).toEqual({ ok: false, reason: 'invalid_segment' });
    expect(await make({}, { template: 'Pintu Siaran!' })).toEqual({ ok: false, reason: 'invalid_template' });
    expect(await make({}, { toRegistryPhones: 'yes' as unknown as boolean })).toEqual({ ok: false, reason: 'invalid_segment' });
    expect((await previewBroadcast(db, admin, { ageMin: 80, ageMax: 20 })).ok).toBe(false);
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n).toBe(before);
    // The edges are fine, stored as given; false disability is dropped.
    const ok = await make({ desilMin: 1, desilMax: 10, ageMin: 0, ageMax: 120, disability: false }, { toRegistryPhones: true, template: ' pintu_siaran_2 ' });
    if (!ok.ok) throw new Error(ok.reason);
    const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, ok.broadcastId));
    expect(row).toMatchObject({ segment: { desilMin: 1, desilMax: 10, ageMin: 0, ageMax: 120 }, toRegistryPhones: true, template: 'pintu_siaran_2' });
    expect(row!.segment.disability).toBeUndefined();
    const [created] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.create'), eq(auditLog.entityId, String(ok.broadcastId))));
    expect(created!.details).toMatchObject({ desilMin: 1, desilMax: 10, ageMin: 0, ageMax: 120, disability: false, toRegistryPhones: true, template: 'pintu_siaran_2' });
  });
});

describe('a broadcast to registry phones', () => {
  let area: DistributionArea;
  const h: Record<string, { householdId: number; phone?: { raw: string; norm: string }; contactId?: number }> = {};

  beforeAll(async () => {
    const db = database.db;
    area = await makeArea(db);
    const withPhone = async (kelurahanId: number, desil: number, chats: { channel?: 'webchat' | 'telegram' }[] = []) => {
      const made = await makeHousehold(db, { kelurahanId, chats });
      const p = phone();
      await setMember(made.memberIds[0]!, { phone: p.raw });
      await setHousehold(made.householdId, { desil });
      return { householdId: made.householdId, phone: p, ...(made.contactIds[0] ? { contactId: made.contactIds[0] } : {}) };
    };
    // A household with a linked chat (and a phone): the chat only.
    h.chat = await withPhone(area.kelA1, 2, [{}]);
    // Registry phone only: reached on WhatsApp.
    h.phone = await withPhone(area.kelA1, 2);
    // A second registry-phone household, in the other kelurahan.
    h.phone2 = await withPhone(area.kelA2, 3);
    // No chat, no phone: not reached.
    h.none = { householdId: (await makeHousehold(db, { kelurahanId: area.kelA1 })).householdId };
    await setHousehold(h.none.householdId, { desil: 2 });
    // Its number wrote BERHENTI once (a chat of its own on the phone channel): never written to first again.
    h.stopped = await withPhone(area.kelA1, 2);
    await db.insert(contacts).values({ channel: 'whatsapp_web', externalId: `${h.stopped.phone!.norm}@c.us`, phone: h.stopped.phone!.norm, stoppedAt: NOW, lastInboundAt: NOW });
    // Outside the desil range: not in the segment at all.
    h.rich = await withPhone(area.kelA1, 9);
  });

  const segment = () => ({ kecamatanIds: [area.kecA], desilMax: 4 });

  it('counts by path before sending: chats, registry phones, and households not reachable with why', async () => {
    const db = database.db;
    const p = await previewBroadcast(db, admin, segment(), { ...opts(NOW, WEB), texts: { id: 'Posyandu lansia buka Sabtu pagi.' }, toRegistryPhones: true });
    if (!p.ok) throw new Error(p.reason);
    expect(p.preview).toMatchObject({
      total: 3,
      chats: 1,
      households: { chat: 1, registryPhone: 2, notReached: 2, notReachedReasons: { no_phone: 1, opted_out: 1 } },
      toRegistryPhones: true,
      phoneChannel: 'whatsapp_web',
      template: null,
      lastOpeningAt: null,
    });
    expect(p.preview.firstSample).toContain('Posyandu lansia buka Sabtu pagi.');
    expect(p.preview.firstSample).toContain('BERHENTI');
    // A preview creates no chat for a registry phone.
    expect(await db.select().from(contacts).where(eq(contacts.phone, h.phone!.phone!.norm))).toHaveLength(0);

    // Not chosen: the households without a chat are counted as such, and nothing goes to their phones.
    const off = await previewBroadcast(db, admin, segment(), opts(NOW, WEB));
    expect(off.ok && off.preview).toMatchObject({ total: 1, households: { chat: 1, registryPhone: 0, notReached: 4, notReachedReasons: { not_chosen: 4 } } });
    // Registry phones read the default language: a broadcast for English chats leaves them out.
    const en = await previewBroadcast(db, admin, { ...segment(), languages: ['en'] }, { ...opts(NOW, WEB), toRegistryPhones: true });
    expect(en.ok && en.preview.households).toMatchObject({ registryPhone: 0, notReachedReasons: { language: 4 } });
    // No phone channel on: they are not reachable, and the reason says so.
    const none = await previewBroadcast(db, admin, segment(), { ...opts(NOW), toRegistryPhones: true });
    expect(none.ok && none.preview.households).toMatchObject({ registryPhone: 0, notReached: 4, notReachedReasons: { no_channel: 4 } });
  });

  it('on WhatsApp Web queues one message per household without a chat to its registry phone, saying who writes and how to stop', async () => {
    const db = database.db;
    const id = await draft({ segment: segment(), toRegistryPhones: true });
    const r = await scheduleBroadcast(db, admin, id, 'now', opts(NOW, WEB));
    expect(r).toMatchObject({ ok: true, status: 'sent', recipientCount: 3 });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(3);
    const chatRow = rows.find((x) => x.contactId === h.chat!.contactId)!;
    expect((chatRow.payload as unknown as OutboundMessage).text).not.toContain('BERHENTI');
    const phoneChats = await db.select().from(contacts).where(and(eq(contacts.channel, 'whatsapp_web'), sql`${contacts.phone} in (${h.phone!.phone!.norm}, ${h.phone2!.phone!.norm})`));
    expect(phoneChats.map((x) => x.externalId).sort()).toEqual([`${h.phone!.phone!.norm}@c.us`, `${h.phone2!.phone!.norm}@c.us`].sort());
    for (const chat of phoneChats) {
      // Not linked to anyone until the resident answers from the number.
      expect(chat.memberId).toBeNull();
      const row = rows.find((x) => x.contactId === chat.id)!;
      expect(row).toMatchObject({ channel: 'whatsapp_web', broadcastId: id, priority: 1 });
      const text = (row.payload as unknown as OutboundMessage).text;
      expect(text).toContain(i18n.t('outreach:first.intro', { lng: 'id' }));
      expect(text).toContain('Posyandu lansia buka Sabtu pagi.');
      expect(text).toMatch(/BERHENTI/);
    }
    // The family that wrote BERHENTI, the one with no phone and the one outside the desil range get nothing.
    const stoppedChat = await db.select().from(contacts).where(eq(contacts.phone, h.stopped!.phone!.norm));
    expect(rows.some((x) => stoppedChat.some((s) => s.id === x.contactId))).toBe(false);
    expect(await db.select().from(contacts).where(eq(contacts.phone, h.rich!.phone!.norm))).toHaveLength(0);
    // The audit says how many went where, never who.
    const [sent] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.send'), eq(auditLog.entityId, String(id))));
    expect(sent!.details).toMatchObject({ recipientCount: 3, chatHouseholdCount: 1, registryPhoneCount: 2, notReachedCount: 2 });
    expect(JSON.stringify(sent!.details)).not.toContain(h.phone!.phone!.norm);

    // Statistics include the registry-phone rows: a WhatsApp Web tick marks one delivered and read.
    const phoneRow = rows.find((x) => x.contactId === phoneChats[0]!.id)!;
    await db.update(outbox).set({ status: 'sent', sentAt: NOW, deliveredAt: NOW, readAt: NOW }).where(eq(outbox.id, phoneRow.id));
    await db.update(outbox).set({ status: 'failed', lastError: 'not_on_whatsapp' }).where(eq(outbox.id, rows.find((x) => x.contactId === phoneChats[1]!.id)!.id));
    expect(await broadcastStats(db, admin, id)).toMatchObject({ total: 3, queued: 1, sent: 1, delivered: 1, read: 1, failed: 1, failedByReason: [{ reason: 'not_on_whatsapp', count: 1 }] });

    // Without the choice, the same segment reaches the chat only.
    const only = await draft({ segment: segment() });
    expect(await scheduleBroadcast(db, admin, only, 'now', opts(NOW, WEB))).toMatchObject({ ok: true, recipientCount: 1 });
    expect((await rowsOf(only)).map((x) => x.contactId)).toEqual([h.chat!.contactId]);
  });

  it('on the Cloud API is refused with the reason while its template is not approved, and goes once it is', async () => {
    const db = database.db;
    await db.insert(whatsappTemplates).values({ name: 'pintu_siaran', language: 'id', status: 'PENDING', body: NOTICE_BODY, parameterCount: 1, components: [{ type: 'BODY', text: NOTICE_BODY }] });
    const id = await draft({ segment: segment(), toRegistryPhones: true, template: 'pintu_siaran' });
    const p = await previewBroadcast(db, admin, segment(), { ...opts(NOW, CLOUD), toRegistryPhones: true, template: 'pintu_siaran' });
    expect(p.ok && p.preview.template).toEqual({ name: 'pintu_siaran', refused: 'template_not_approved' });

    expect(await scheduleBroadcast(db, admin, id, 'now', opts(NOW, CLOUD))).toEqual({ ok: false, reason: 'template_not_approved', detail: 'pintu_siaran' });
    expect(await scheduleBroadcast(db, admin, id, at('2026-11-25', '10:00'), opts(NOW, CLOUD))).toEqual({ ok: false, reason: 'template_not_approved', detail: 'pintu_siaran' });
    expect((await db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
    expect(await rowsOf(id)).toHaveLength(0);
    // The setting's notice template, when none is chosen, is checked the same way: not synced at all here.
    const byDefault = await draft({ segment: segment(), toRegistryPhones: true });
    expect(await scheduleBroadcast(db, admin, byDefault, 'now', opts(NOW, CLOUD))).toEqual({ ok: false, reason: 'template_missing', detail: 'pintu_pemberitahuan' });

    // Meta approves it: the chat gets the broadcast, each registry phone the template, which opens a conversation.
    await db.update(whatsappTemplates).set({ status: 'APPROVED' }).where(eq(whatsappTemplates.name, 'pintu_siaran'));
    const ok = await previewBroadcast(db, admin, segment(), { ...opts(NOW, CLOUD), toRegistryPhones: true, template: 'pintu_siaran' });
    expect(ok.ok && ok.preview).toMatchObject({ template: { name: 'pintu_siaran', refused: null }, households: { registryPhone: 2 }, dailyLimit: 1000, lastOpeningAt: null });
    expect(await scheduleBroadcast(db, admin, id, 'now', opts(NOW, CLOUD))).toMatchObject({ ok: true, status: 'sent', recipientCount: 3 });
    const rows = await rowsOf(id);
    const cloudRows = rows.filter((x) => x.channel === 'whatsapp_cloud');
    expect(cloudRows).toHaveLength(2);
    for (const row of cloudRows) {
      expect(row.opensConversation).toBe(true);
      const m = row.payload as unknown as OutboundMessage;
      expect(m.template).toMatchObject({ kind: 'notice', name: 'pintu_siaran', language: 'id' });
      expect(m.template!.params[0]).toContain('Posyandu lansia buka Sabtu pagi.');
    }
  });

  it('sends to the chats only when the template was paused after scheduling, and the audit says why', async () => {
    const db = database.db;
    await db
      .insert(whatsappTemplates)
      .values({ name: 'pintu_siaran_jadwal', language: 'id', status: 'APPROVED', body: NOTICE_BODY, parameterCount: 1, components: [{ type: 'BODY', text: NOTICE_BODY }] });
    const id = await draft({ segment: { kelurahanIds: [area.kelA2] }, toRegistryPhones: true, template: 'pintu_siaran_jadwal' });
    const later = at('2026-11-25', '10:00');
    expect(await scheduleBroadcast(db, admin, id, later, opts(NOW, CLOUD))).toMatchObject({ ok: true, status: 'scheduled' });
    await db.update(whatsappTemplates).set({ status: 'PAUSED' }).where(eq(whatsappTemplates.name, 'pintu_siaran_jadwal'));
    expect(await sendDueBroadcasts(db, { ...opts(later, CLOUD), onlyId: id })).toEqual({ broadcasts: 1, queued: 0 });
    expect(await rowsOf(id)).toHaveLength(0);
    const [sent] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.send'), eq(auditLog.entityId, String(id))));
    expect(sent!.details).toMatchObject({ templateRefused: 'template_not_approved', template: 'pintu_siaran_jadwal', registryPhoneCount: 0, notReachedCount: 1 });
  });
});
