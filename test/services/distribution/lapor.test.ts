// LAPOR from a receipt, through the real conversation engine and flows: a resident who did not collect
// disputes the collection from their chat, and the complaint is linked to that invitation.

import { isRatingQuestion } from '../../helpers/rating.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { choiceRoutes, flows } from '../../../flows/index.ts';
import { createEngine, type Engine } from '../../../src/conversation/engine.ts';
import { complaintEvents, complaints, outbox } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { checkIn } from '../../../src/services/distribution/checkin.ts';
import { LAPOR_SUMMARY } from '../../../src/services/distribution/receipts.ts';
import type { IdentityEnv } from '../../../src/services/identity/env.ts';
import { testBinder, testIdentityEnv } from '../../helpers/services.ts';
import { driver, testClock, type TestClock } from '../../helpers/chat.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, NOW, onChannel, staff, TZ, type DistributionWorld } from './fixtures.ts';

const DAY = 86_400_000;

let w: DistributionWorld;
let engine: Engine;
let clock: TestClock;
let eventId: number;
let slotA: number;
let officer: Actor;
let identity: IdentityEnv;

beforeAll(async () => {
  w = await distributionWorld();
  clock = testClock(NOW);
  const i18n = await createI18n('id');
  identity = testIdentityEnv(i18n);
  engine = createEngine({
    database: w.database,
    flows,
    choiceRoutes,
    i18n,
    logger: createLogger('silent'),
    defaultLocale: 'id',
    timeZone: TZ,
    bindServices: await testBinder(),
    clock,
  });
  // A day before every collection below (one is 31 days before NOW): check-in opens on the event's day.
  const ev = await makeEvent(w.db, { programId: w.householdProgramId, date: '2026-10-01', slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 }] });
  eventId = ev.eventId;
  slotA = ev.slotIds[0]!;
  officer = await staff(w.db, 'field_officer', w.area.kecA);
});
afterAll(async () => {
  await w?.dispose();
});

/**
 * A household with one Telegram chat, linked as an officer links it after seeing the KTP, that has talked to
 * the bot (so it rests on the menu). Not a web chat: its link would end after 30 minutes idle, and these
 * residents answer hours or days after the receipt.
 */
async function resident(language: 'id' | 'en' = 'id') {
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ language, channel: 'telegram' }], link: { env: identity, proof: 'in_person' } });
  const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: slotA, status: 'confirmed' });
  const chat = driver(onChannel(engine, 'telegram'), hh.chatIds[0]!);
  await chat.start(language);
  return { ...hh, ...inv, chat };
}

async function collect(code: string, at: Date) {
  const r = await checkIn(w.db, officer, { code }, { now: at, timeZone: TZ });
  expect(r.ok).toBe(true);
}

async function complaintsOf(contactId: number) {
  return w.db.select().from(complaints).where(eq(complaints.contactId, contactId)).orderBy(asc(complaints.id));
}

describe('LAPOR after a receipt', () => {
  it('typed, in any case: opens a not_received complaint linked to the invitation and gives the tracking id', async () => {
    const r = await resident();
    clock.set(NOW);
    await collect(r.code, NOW);
    clock.advance(2 * 3_600_000);
    await r.chat.say('  Lapor! ');
    const [c] = await complaintsOf(r.contactIds[0]!);
    expect(c).toMatchObject({ category: 'not_received', invitationId: r.invitationId, memberId: r.memberIds[0], kecamatanId: w.area.kecA, status: 'received' });
    expect(c!.summary).toContain(LAPOR_SUMMARY);
    expect(r.chat.text).toContain(`Nomor laporan: ${c!.trackingId}`);
    expect(r.chat.text).toContain('keterangan tambahan');

    // A second LAPOR about the same collection gives back the same report.
    await r.chat.say('LAPOR');
    expect(await complaintsOf(r.contactIds[0]!)).toHaveLength(1);
    expect(r.chat.text).toContain(`sudah Bapak/Ibu laporkan dengan nomor ${c!.trackingId}`);

    // What the resident writes next joins that report.
    await r.chat.say('Saya tidak pernah datang ke lokasi hari itu');
    const events = await w.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, c!.id));
    expect(events.map((e) => e.body)).toContain('Saya tidak pernah datang ke lokasi hari itu');
  });

  it('by the receipt button, even in the middle of another conversation, and in English', async () => {
    const r = await resident('en');
    clock.set(NOW);
    await collect(r.code, NOW);
    const queued = await w.db.select().from(outbox).where(eq(outbox.contactId, r.contactIds[0]!)).orderBy(asc(outbox.id));
    // The receipt; the satisfaction question after a collection (issue 20) is held ten minutes behind it.
    const payload = queued.filter((o) => !isRatingQuestion(o.payload)).at(-1)!.payload as { text: string; options: { id: string }[] };
    expect(queued.filter((o) => isRatingQuestion(o.payload))).toHaveLength(1);
    expect(payload.options).toEqual([{ id: `lapor:${r.invitationId}`, label: 'LAPOR' }]);
    expect(payload.text).toContain('reply LAPOR');
    clock.advance(5 * DAY);
    await r.chat.choose('complaint'); // now on the complaint category question
    await r.chat.choose(payload.options[0]!.id);
    const [c] = await complaintsOf(r.contactIds[0]!);
    expect(c).toMatchObject({ category: 'not_received', invitationId: r.invitationId });
    expect(r.chat.text).toContain(`Report number: ${c!.trackingId}`);
  });

  it('with no receipt in the last 30 days: the ordinary complaint flow, nothing filed', async () => {
    const r = await resident();
    await collect(r.code, new Date(NOW.getTime() - 31 * DAY));
    clock.set(NOW);
    await r.chat.say('LAPOR');
    expect(await complaintsOf(r.contactIds[0]!)).toEqual([]);
    expect(r.chat.options).toEqual(expect.arrayContaining(['usulan', 'sanggahan', 'not_received', 'other']));
    // The ordinary flow goes on from here.
    await r.chat.choose('other');
    expect(r.chat.text).not.toContain('Nomor laporan');
  });

  it('never links to another household’s collection, and an unverified chat gets the ordinary flow', async () => {
    const victim = await resident();
    clock.set(NOW);
    await collect(victim.code, NOW);
    const other = await resident(); // has no collection of its own
    await other.chat.choose(`lapor:${victim.invitationId}`);
    expect(other.chat.text).toContain('tidak menemukan tanda terima');
    expect(other.chat.options).toContain('not_received');
    expect(await complaintsOf(other.contactIds[0]!)).toEqual([]);

    const stranger = driver(engine, `stranger-${Date.now()}`);
    await stranger.start('id');
    await stranger.say('lapor');
    expect(stranger.options).toContain('not_received');
    const linked = await w.db.select().from(complaints).where(eq(complaints.invitationId, victim.invitationId));
    expect(linked).toEqual([]);
  });
});
