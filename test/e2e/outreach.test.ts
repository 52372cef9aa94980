import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/channels/adapter.ts';
import { createWhatsappCloudAdapter } from '../../src/channels/whatsapp-cloud/adapter.ts';
import type { WhatsappCloudConfig } from '../../src/channels/whatsapp-cloud/sender.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../src/channels/whatsapp-web/adapter.ts';
import { contacts, eventSlots, invitations, kelurahan, members, outbox, sites } from '../../src/db/schema/index.ts';
import type { Actor } from '../../src/services/actor.ts';
import { fireDueReminders } from '../../src/services/distribution/reminders.ts';
import { inviteHouseholds } from '../../src/services/distribution/invite.ts';
import { householdsWithoutChat } from '../../src/services/distribution/paper.ts';
import { reachPreview } from '../../src/services/distribution/reach.ts';
import type { DistributionOptions } from '../../src/services/distribution/common.ts';
import { metaTemplate, pushStatus, startFakeGraph, statusErrors, signedWebhook, webhook, type FakeGraph } from '../fakes/graph.ts';
import { FakeWhatsapp } from '../fakes/wwebjs.ts';
import { drainOutbox } from '../helpers/drain.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { makeArea, makeEvent, makeHousehold, makeProgram, makeSite, staff, type DistributionArea } from '../services/distribution/fixtures.ts';
import { startChannelApp, type ChannelApp } from './channel-app.ts';

// Issue 16's "done when", on each WhatsApp path: an event for 50 households — 20 with a linked chat, 20 with
// only a registry phone, 10 with neither — sends 20 chat messages, 20 first messages to registry phones (an
// approved template on the Cloud API) and leaves a call-down list of 10; delivery reports arrive and show; one
// resident answers from her registry phone and confirms; one writes BERHENTI and gets no reminder; and the
// households go to the site nearest their kelurahan.

const APP_SECRET = 'outreach-app-secret';
const DAY = 86_400_000;
const run = `${process.pid % 100}${Date.now() % 100}`.padStart(4, '0').slice(-4);
/** A mobile number of this run: 08 13 RRRR NNNN. */
const mobile = (prefix: string, i: number) => `08${prefix}${run}${String(i).padStart(4, '0')}`;
const normal = (national: string) => `62${national.slice(1)}`;

interface World {
  area: DistributionArea;
  admin: Actor;
  eventId: number;
  siteNear1: number;
  siteNear2: number;
  /** Household ids by group. */
  chat: number[];
  phone: number[];
  neither: number[];
  /** The registry phone (normal form) of each `phone` household. */
  phones: Map<number, string>;
  /** The WhatsApp number (normal form) of each `chat` household's linked chat. */
  chatNumbers: Map<number, string>;
  kelOf: Map<number, number>;
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** 50 households in two kelurahan, a site near each, an event five days ahead. */
async function buildWorld(app: ChannelApp, channel: 'whatsapp_cloud' | 'whatsapp_web'): Promise<World> {
  const db = app.database.db;
  const area = await makeArea(db);
  const programId = await makeProgram(db);
  await db.update(kelurahan).set({ latitude: '1.000000', longitude: '104.000000' }).where(eq(kelurahan.id, area.kelA1));
  await db.update(kelurahan).set({ latitude: '1.100000', longitude: '104.100000' }).where(eq(kelurahan.id, area.kelA2));
  const siteNear1 = await makeSite(db, { kecamatanId: area.kecA, kelurahanId: area.kelA1, name: 'Kantor Lurah Satu' });
  const siteNear2 = await makeSite(db, { kecamatanId: area.kecA, kelurahanId: area.kelA2, name: 'Kantor Lurah Dua' });
  await db.update(sites).set({ latitude: '1.001000', longitude: '104.001000' }).where(eq(sites.id, siteNear1));
  await db.update(sites).set({ latitude: '1.101000', longitude: '104.101000' }).where(eq(sites.id, siteNear2));
  const date = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
  const { eventId } = await makeEvent(db, {
    programId,
    date,
    slots: [
      { siteId: siteNear1, start: '08:00', end: '10:00', capacity: 30 },
      { siteId: siteNear2, start: '08:00', end: '10:00', capacity: 30 },
    ],
  });
  const w: World = { area, admin: await staff(db, 'admin'), eventId, siteNear1, siteNear2, chat: [], phone: [], neither: [], phones: new Map(), chatNumbers: new Map(), kelOf: new Map() };
  for (let i = 0; i < 50; i++) {
    const kel = i % 2 === 0 ? area.kelA1 : area.kelA2;
    const h = await makeHousehold(db, { kelurahanId: kel });
    w.kelOf.set(h.householdId, kel);
    if (i < 20) {
      // Verified earlier on this WhatsApp, and wrote within the last day (the Cloud window is open).
      const number = normal(mobile('21', i));
      await db.insert(contacts).values({
        channel,
        externalId: channel === 'whatsapp_web' ? `${number}@c.us` : number,
        phone: number,
        language: 'id',
        memberId: h.memberIds[0]!,
        verifiedAt: new Date(),
        consentAt: new Date(),
        lastInboundAt: new Date(),
      });
      w.chat.push(h.householdId);
      w.chatNumbers.set(h.householdId, number);
    } else if (i < 40) {
      const national = mobile('13', i);
      await db.update(members).set({ phone: national }).where(eq(members.id, h.memberIds[0]!));
      w.phone.push(h.householdId);
      w.phones.set(h.householdId, normal(national));
    } else {
      // Half with no phone at all, half with a landline: neither can take WhatsApp.
      if (i >= 45) await db.update(members).set({ phone: '0778-321654' }).where(eq(members.id, h.memberIds[0]!));
      w.neither.push(h.householdId);
    }
  }
  return w;
}

const all = (w: World) => [...w.chat, ...w.phone, ...w.neither];

function opts(app: ChannelApp): DistributionOptions {
  return { now: app.clock(), timeZone: 'Asia/Jakarta', i18n: app.composition.i18n, defaultLocale: 'id', outreach: app.composition.outreach };
}

/** The shared checks once invitations went out: reach, allocation, call-down list. */
async function checkInvited(app: ChannelApp, w: World, r: Awaited<ReturnType<typeof inviteHouseholds>>) {
  expect(r.ok, JSON.stringify(r)).toBe(true);
  if (!r.ok) return;
  expect(r.invited).toBe(50);
  expect(r.reach).toMatchObject({ chat: 20, whatsapp: 20, paper: 10 });
  expect(r.reach.paperReasons).toEqual({ no_phone: 10 });

  // Nearest site: each kelurahan's households at the site beside it.
  const seats = await app.database.db
    .select({ householdId: invitations.householdId, siteId: eventSlots.siteId })
    .from(invitations)
    .innerJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
    .where(eq(invitations.eventId, w.eventId));
  expect(seats).toHaveLength(50);
  for (const s of seats) expect(s.siteId).toBe(w.kelOf.get(s.householdId) === w.area.kelA1 ? w.siteNear1 : w.siteNear2);

  const paper = await householdsWithoutChat(app.database.db, w.admin, w.eventId, { now: app.clock() });
  if (!paper.ok) throw new Error(paper.reason);
  expect(paper.rows.map((p) => p.householdId).sort()).toEqual([...w.neither].sort());
  expect(paper.rows.filter((p) => p.phone === '0778321654' || p.phone === '0778-321654')).toHaveLength(5);
  expect(new Set(paper.rows.map((p) => p.reason))).toEqual(new Set(['no_message']));
}

async function invitationOf(app: ChannelApp, eventId: number, householdId: number): Promise<number> {
  const [row] = await app.database.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.eventId, eventId), eq(invitations.householdId, householdId)));
  return row!.id;
}

async function statusOf(app: ChannelApp, invitationId: number) {
  const [row] = await app.database.db.select({ status: invitations.status }).from(invitations).where(eq(invitations.id, invitationId));
  return row!.status;
}

/** Fires the reminders as if it were the morning before the event. */
async function remind(app: ChannelApp) {
  // 10:00 in Jakarta today: outside quiet hours whatever the machine's time.
  const tenAm = new Date(`${new Date().toISOString().slice(0, 10)}T03:00:00Z`);
  await app.database.db.execute(sql`update reminder_fires set due_at = ${new Date(tenAm.getTime() - 60_000).toISOString()}::timestamptz where status = 'pending'`);
  return fireDueReminders(app.database.db, { ...opts(app), now: tenAm });
}

describe('invitations reach every family on the WhatsApp Cloud API', () => {
  let app: ChannelApp;
  let graph: FakeGraph;
  let adapter: ChannelAdapter;
  let w: World;

  beforeAll(async () => {
    graph = await startFakeGraph();
    const config: WhatsappCloudConfig = {
      accessToken: graph.token,
      phoneNumberId: graph.phoneNumberId,
      appSecret: APP_SECRET,
      verifyToken: 'verify',
      apiRoot: graph.apiRoot,
      ratePerSecond: 80,
      businessAccountId: graph.wabaId,
      dailyNewConversations: 1000,
      templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
    };
    app = await startChannelApp((ctx, clock) => [(adapter = createWhatsappCloudAdapter(ctx, config, { clock }))], { whatsappCloud: config });
    w = await buildWorld(app, 'whatsapp_cloud');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await graph?.close();
  });

  const post = async (payload: unknown) => {
    const { body, headers } = signedWebhook(payload, APP_SECRET);
    const res = await fetch(`${app.base}/webhooks/whatsapp`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
  };

  it('refuses the round before anything is queued while no approved template can go', async () => {
    const r = await inviteHouseholds(app.database.db, w.admin, { eventId: w.eventId, householdIds: all(w) }, opts(app));
    expect(r).toMatchObject({ ok: false, reason: 'template_missing', detail: 'pintu_undangan' });
    expect(await app.database.db.select().from(invitations).where(eq(invitations.eventId, w.eventId))).toHaveLength(0);
    // Meta lists it, but not approved yet.
    graph.setTemplates([metaTemplate('pintu_undangan', '{{1}} {{2}} {{3}} {{4}} {{5}} Balas BERHENTI.', { status: 'PENDING' })]);
    await app.composition.templates!.sync();
    const again = await inviteHouseholds(app.database.db, w.admin, { eventId: w.eventId, householdIds: all(w) }, opts(app));
    expect(again).toMatchObject({ ok: false, reason: 'template_not_approved' });
  });

  it('says how the round would go before sending, then sends 20 chat messages, 20 templates and leaves 10 on paper', async () => {
    graph.setTemplates([
      metaTemplate('pintu_undangan', 'Dinas Sosial: undangan {{1}} pada {{2}} di {{3}}. Kode {{4}} ({{5}}).', {
        footer: 'Balas BERHENTI bila tidak ingin menerima pesan.',
        extra: [{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Hadir' }, { type: 'QUICK_REPLY', text: 'Ganti jadwal' }] }],
      }),
      metaTemplate('pintu_pengingat', 'Dinas Sosial mengingatkan {{1}} pada {{2}} di {{3}}, kode {{4}}. Balas BERHENTI bila tidak ingin menerima pesan.'),
    ]);
    await app.composition.templates!.sync();

    const before = await reachPreview(app.database.db, w.admin, w.eventId, all(w), opts(app));
    expect(before.ok && before.reach).toMatchObject({ chat: 20, whatsapp: 20, paper: 10, lastOpeningAt: null });

    const r = await inviteHouseholds(app.database.db, w.admin, { eventId: w.eventId, householdIds: all(w) }, opts(app));
    await checkInvited(app, w, r);

    const results = await drainOutbox(app.database, adapter.sender);
    expect(results.filter((x) => x.status !== 'sent')).toEqual([]);
    const sent = graph.sent();
    const templates = sent.filter((b) => b.type === 'template');
    expect(new Set(templates.map((b) => b.to))).toEqual(new Set(w.phones.values()));
    expect(templates).toHaveLength(20);
    // The quick replies answer with the invitation's own options.
    const first = templates.find((b) => b.to === w.phones.get(w.phone[0]!))!;
    const invitationId = await invitationOf(app, w.eventId, w.phone[0]!);
    expect(first.template.components.filter((c: { type: string }) => c.type === 'button').map((c: { parameters: { payload: string }[] }) => c.parameters[0]!.payload)).toEqual([
      `inv:${invitationId}:confirm`,
      `inv:${invitationId}:slot`,
    ]);
    const toChats = new Set(sent.filter((b) => b.type !== 'template').map((b) => b.to));
    expect(toChats).toEqual(new Set(w.chatNumbers.values()));
    // Every first message to a registry phone counts against Meta's daily limit; nothing to a linked chat does.
    const openings = await app.database.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.opensConversation, true), isNotNull(outbox.invitationId)));
    expect(openings).toHaveLength(20);
  });

  it('records delivery reports and puts a family whose only message failed on the call-down list', async () => {
    const ids = await Promise.all(w.phone.slice(0, 3).map((h) => invitationOf(app, w.eventId, h)));
    const rows = await app.database.db
      .select({ invitationId: outbox.invitationId, providerMessageId: outbox.providerMessageId })
      .from(outbox)
      .where(inArray(outbox.invitationId, ids));
    const wamid = (i: number) => rows.find((x) => x.invitationId === ids[i])!.providerMessageId!;
    const phoneOf = (i: number) => w.phones.get(w.phone[i]!)!;
    expect((await pushStatus({ base: app.base, appSecret: APP_SECRET }, wamid(0), 'delivered', phoneOf(0))).status).toBe(200);
    expect((await pushStatus({ base: app.base, appSecret: APP_SECRET }, wamid(1), 'read', phoneOf(1))).status).toBe(200);
    expect((await pushStatus({ base: app.base, appSecret: APP_SECRET }, wamid(2), 'failed', phoneOf(2), { errors: [statusErrors.notOnWhatsapp] })).status).toBe(200);
    const after = await app.database.db
      .select({ invitationId: outbox.invitationId, status: outbox.status, deliveredAt: outbox.deliveredAt, readAt: outbox.readAt })
      .from(outbox)
      .where(inArray(outbox.invitationId, ids));
    const of = (i: number) => after.find((x) => x.invitationId === ids[i])!;
    expect(of(0).deliveredAt).not.toBeNull();
    expect(of(1).readAt).not.toBeNull();
    expect(of(2).status).toBe('failed');
    const paper = await householdsWithoutChat(app.database.db, w.admin, w.eventId, { now: app.clock() });
    if (!paper.ok) throw new Error(paper.reason);
    expect(paper.rows).toHaveLength(11);
    expect(paper.rows.find((p) => p.householdId === w.phone[2])).toMatchObject({ reason: 'failed' });
  });

  it('links the chat of a resident who taps Hadir on her registry phone, and confirms', async () => {
    const householdId = w.phone[1]!;
    const invitationId = await invitationOf(app, w.eventId, householdId);
    await post(webhook.templateButton(w.phones.get(householdId)!, 'Hadir', `inv:${invitationId}:confirm`));
    await drainOutbox(app.database, adapter.sender);
    expect(await statusOf(app, invitationId)).toBe('confirmed');
    const [chat] = await app.database.db
      .select({ memberId: contacts.memberId })
      .from(contacts)
      .where(and(eq(contacts.channel, 'whatsapp_cloud'), eq(contacts.externalId, w.phones.get(householdId)!)));
    expect(chat!.memberId).not.toBeNull();
  });

  it('a family that wrote BERHENTI gets no reminder; the others do, as their template', async () => {
    const stopper = w.phone[3]!;
    await post(webhook.text(w.phones.get(stopper)!, 'BERHENTI'));
    await drainOutbox(app.database, adapter.sender);
    const before = graph.sent().length;
    const fired = await remind(app);
    expect(fired.sent).toBeGreaterThan(0);
    await drainOutbox(app.database, adapter.sender);
    const reminders = graph.sent().slice(before);
    const to = new Set(reminders.map((b) => b.to));
    expect(to.has(w.phones.get(stopper)!)).toBe(false);
    expect(to.has(w.phones.get(w.phone[4]!)!)).toBe(true);
    expect(reminders.filter((b) => b.to === w.phones.get(w.phone[4]!)).every((b) => b.type === 'template' && b.template.name === 'pintu_pengingat')).toBe(true);
    const paper = await householdsWithoutChat(app.database.db, w.admin, w.eventId, { now: app.clock() });
    if (!paper.ok) throw new Error(paper.reason);
    // No reminder will reach it: it is on the call-down list, as a family that asked to stop.
    expect(paper.rows.find((p) => p.householdId === stopper)).toMatchObject({ reason: 'opted_out' });
  });
});

describe('invitations reach every family on WhatsApp Web', () => {
  let app: ChannelApp;
  let world: FakeWhatsapp;
  let adapter: WhatsappWebAdapter;
  let w: World;

  beforeAll(async () => {
    world = new FakeWhatsapp();
    world.savedSession = true;
    const config = { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-outreach' };
    app = await startChannelApp(
      (ctx) => [
        (adapter = createWhatsappWebAdapter(ctx, config, {
          createClient: world.createClient,
          printQr: () => {},
          timing: { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10 },
        })),
      ],
      { whatsappWeb: config },
    );
    await adapter.start();
    await until(() => adapter.status().state === 'ready', 'WhatsApp Web to be ready');
    w = await buildWorld(app, 'whatsapp_web');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const say = async (number: string, body: string) => {
    const m = world.latest.simulateIncoming({ from: `${number}@c.us`, body, notifyName: 'Ibu' });
    await until(async () => rowsOf(await app.database.db.execute(sql`select 1 from messages where provider_message_id = ${m.id._serialized}`)).length > 0, 'the message to be handled');
    await drainOutbox(app.database, adapter.sender);
  };

  it('checks numbers, writes first with who, why and how to stop, and leaves the rest on paper', async () => {
    // One registry number has no WhatsApp account.
    const notOnWhatsapp = w.phones.get(w.phone[5]!)!;
    world.unregistered.add(`${notOnWhatsapp}@c.us`);

    const r = await inviteHouseholds(app.database.db, w.admin, { eventId: w.eventId, householdIds: all(w) }, opts(app));
    await checkInvited(app, w, r);
    await drainOutbox(app.database, adapter.sender);

    const first = (number: string) => world.sent.filter((s) => s.chatId === `${number}@c.us`);
    for (const [householdId, number] of w.phones) {
      if (number === notOnWhatsapp) {
        expect(first(number)).toEqual([]);
        continue;
      }
      const bodies = first(number).map((s) => s.body).join('\n');
      expect(bodies, `household ${householdId}`).toContain('Pesan resmi Dinas Sosial');
      expect(bodies).toContain('balas BERHENTI');
    }
    // Chats that wrote before get the invitation without the introduction, and were not checked.
    for (const number of w.chatNumbers.values()) {
      expect(first(number).length).toBeGreaterThan(0);
      expect(first(number).map((s) => s.body).join('\n')).not.toContain('Pesan resmi Dinas Sosial');
      expect(world.numberChecks).not.toContain(`${number}@c.us`);
    }
    const paper = await householdsWithoutChat(app.database.db, w.admin, w.eventId, { now: app.clock() });
    if (!paper.ok) throw new Error(paper.reason);
    expect(paper.rows).toHaveLength(11);
    expect(paper.rows.find((p) => p.householdId === w.phone[5])).toMatchObject({ reason: 'failed' });
  });

  it('a resident answers "1" from her registry phone: linked by possession, invitation confirmed', async () => {
    const householdId = w.phone[0]!;
    const invitationId = await invitationOf(app, w.eventId, householdId);
    const number = w.phones.get(householdId)!;
    const invitation = world.sent.filter((s) => s.chatId === `${number}@c.us`).map((s) => s.body).join('\n');
    const confirm = /^(\d+)\. Hadir/m.exec(invitation) ?? /^(\d+)\. [^\n]*(?:hadir|Konfirmasi)/im.exec(invitation);
    expect(confirm, invitation).toBeTruthy();
    await say(number, confirm![1]!);
    expect(await statusOf(app, invitationId)).toBe('confirmed');
  });

  it('BERHENTI stops the reminders to that phone', async () => {
    const stopper = w.phone[3]!;
    const number = w.phones.get(stopper)!;
    await say(number, 'BERHENTI');
    const before = world.sent.length;
    await remind(app);
    await drainOutbox(app.database, adapter.sender);
    const to = new Set(world.sent.slice(before).map((s) => s.chatId));
    expect(to.has(`${number}@c.us`)).toBe(false);
    expect(to.has(`${w.phones.get(w.phone[4]!)!}@c.us`)).toBe(true);
  });
});
