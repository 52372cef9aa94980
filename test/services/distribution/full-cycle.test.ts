// One distribution from start to finish on a fake clock, the way issue 6 tells it: an event is made, 50
// households are invited (some have no chat), reminders go out at their local times and never at night, a
// date change re-plans them and no stale one is sent, residents confirm and name a kuasa through the chat,
// staff approve the kuasa, the field officer checks people in, receipts arrive, a second check-in is
// refused, a LAPOR from a receipt opens a complaint linked to it, and the no-shows are invited to round 2.

import { isRatingQuestion } from '../../helpers/rating.ts';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceRoutes, flows } from '../../../flows/index.ts';
import { createEngine, type Engine } from '../../../src/conversation/engine.ts';
import { complaints, invitations, outbox, proxies, reminderFires } from '../../../src/db/schema/index.ts';
import { zonedParts } from '../../../src/domain/dates.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { checkIn } from '../../../src/services/distribution/checkin.ts';
import { changeEvent, createEvent } from '../../../src/services/distribution/events.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { householdsWithoutChat } from '../../../src/services/distribution/paper.ts';
import { eventProgress } from '../../../src/services/distribution/progress.ts';
import { decideProxy } from '../../../src/services/distribution/proxies.ts';
import { fireDueReminders } from '../../../src/services/distribution/reminders.ts';
import { closeEvent, nextRound } from '../../../src/services/distribution/rounds.ts';
import { selectRecipients } from '../../../src/services/distribution/selection.ts';
import { testBinder, testIdentityEnv } from '../../helpers/services.ts';
import { driver, testClock, type ChatDriver, type TestClock } from '../../helpers/chat.ts';
import { at, distributionWorld, makeHousehold, NOW, onChannel, staff, TZ, type DistributionWorld, type MadeHousehold } from './fixtures.ts';

const MINUTE = 60_000;
const FIRST_DAY = '2026-12-10'; // Thursday
const MOVED_DAY = '2026-12-11'; // Friday
const ROUND_TWO_DAY = '2026-12-18';

let w: DistributionWorld;
let engine: Engine;
let clock: TestClock;
let i18n: Translator;
let supervisor: Actor;
let officer: Actor;
const opts = () => ({ now: clock(), timeZone: TZ, i18n, defaultLocale: 'id' as const });

beforeAll(async () => {
  w = await distributionWorld();
  clock = testClock(NOW);
  i18n = await createI18n('id');
  engine = createEngine({ database: w.database, flows, choiceRoutes, i18n, logger: createLogger('silent'), defaultLocale: 'id', timeZone: TZ, bindServices: await testBinder(), clock });
  supervisor = await staff(w.db, 'supervisor');
  officer = await staff(w.db, 'field_officer', w.area.kecA);
}, 120_000);
afterAll(async () => {
  await w?.dispose();
});

const local = (d: Date) => {
  const p = zonedParts(d, TZ);
  return { day: `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`, time: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`, hour: p.hour };
};

describe('a distribution from invitation to round 2 (fake clock)', () => {
  let eventId: number;
  const homes: MadeHousehold[] = [];
  // householdId → the head's Telegram chat. Not a web chat: these residents answer days after the invitation,
  // and a web chat's link ends after 30 minutes idle.
  const chats = new Map<number, ChatDriver>();
  const codeOf = new Map<number, { invitationId: number; code: string }>();

  it('creates the event and invites 50 households; those without a chat are listed for a paper invitation', async () => {
    const made = await createEvent(
      w.db,
      supervisor,
      {
        programId: w.householdProgramId,
        tranche: '2026 Tahap IV',
        title: 'Penyaluran Sembako Sungai Binti',
        date: FIRST_DAY,
        slots: [
          { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 30 },
          { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 30 },
        ],
      },
      opts(),
    );
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    eventId = made.eventId;

    // The heads' chats are linked as an officer links them after seeing the KTP (the households have no
    // registry phone to prove them by).
    const link = { env: testIdentityEnv(i18n), proof: 'in_person' as const, staff: officer };
    for (let i = 0; i < 50; i++) {
      const withChat = i % 5 !== 0; // 40 with a linked Telegram chat, 10 without
      const hh = await makeHousehold(w.db, {
        kelurahanId: i % 2 === 0 ? w.area.kelA1 : w.area.kelA2,
        enroll: { programId: w.householdProgramId, unit: 'household' },
        chats: withChat ? [{ language: i % 7 === 0 ? 'en' : 'id', channel: 'telegram' }] : [],
        link,
      });
      homes.push(hh);
      if (withChat) {
        const chat = driver(onChannel(engine, 'telegram'), hh.chatIds[0]!);
        await chat.start(i % 7 === 0 ? 'en' : 'id'); // the chat rests on the menu, as a real one would
        chats.set(hh.householdId, chat);
      }
    }
    const picked = await selectRecipients(w.db, supervisor, { eventId, kelurahanIds: [w.area.kelA1, w.area.kelA2] });
    expect(picked.ok && picked.count).toBe(50);
    if (!picked.ok) return;
    const invited = await inviteHouseholds(w.db, supervisor, { eventId, householdIds: picked.householdIds }, opts());
    expect(invited.ok).toBe(true);
    if (!invited.ok) return;
    expect(invited).toMatchObject({ invited: 50, queuedChats: 40, withoutChat: 10, notInvited: [] });

    const rows = await w.db.select().from(invitations).where(eq(invitations.eventId, eventId));
    for (const r of rows) codeOf.set(r.householdId, { invitationId: r.id, code: r.code });
    const paper = await householdsWithoutChat(w.db, supervisor, eventId, { now: clock() });
    expect(paper.ok && paper.rows.length).toBe(10);

    // Every chat got its invitation: the code, the day in Indonesian (or English) form, the four answers.
    for (const hh of homes.filter((h) => chats.has(h.householdId))) {
      // The engine's own replies to the chat are queued too; the invitation is the last row.
      const m = (await w.db.select().from(outbox).where(eq(outbox.contactId, hh.contactIds[0]!)).orderBy(asc(outbox.id))).at(-1);
      const payload = m!.payload as { text: string; options: { id: string }[]; qrCode: string };
      expect(payload.qrCode).toBe(codeOf.get(hh.householdId)!.code);
      expect(payload.text).toMatch(/10 Desember 2026|10 December 2026/);
      expect(payload.options.map((o) => o.id.split(':').at(-1))).toEqual(['confirm', 'slot', 'decline', 'proxy']);
    }
  });

  it('a resident confirms from the invitation button; another names a kuasa through the chat, and staff approve it', async () => {
    const [first, second] = homes.filter((h) => chats.has(h.householdId));
    clock.set(at('2026-11-25', '19:30'));
    const c1 = chats.get(first!.householdId)!;
    await c1.choose(`inv:${codeOf.get(first!.householdId)!.invitationId}:confirm`);
    expect((await w.db.select().from(invitations).where(eq(invitations.householdId, first!.householdId)))[0]!.status).toBe('confirmed');

    const c2 = chats.get(second!.householdId)!;
    const inv2 = codeOf.get(second!.householdId)!;
    await c2.choose(`inv:${inv2.invitationId}:proxy`);
    await c2.say('Rahmawati');
    await c2.say('2171015207900003');
    await c2.choose('spouse');
    await c2.choose('at_sea');
    await c2.choose('skip'); // no photo of the surat kuasa
    await c2.choose('send');
    const [named] = await w.db.select().from(proxies).where(eq(proxies.invitationId, inv2.invitationId));
    expect(named).toMatchObject({ name: 'Rahmawati', relation: 'spouse', reason: 'at_sea', status: 'pending' });

    const before = await w.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.contactId, second!.contactIds[0]!)).orderBy(asc(outbox.id));
    const decided = await decideProxy(w.db, supervisor, named!.id, { approve: true }, opts());
    expect(decided.ok).toBe(true);
    const told = await w.db.select().from(outbox).where(and(eq(outbox.contactId, second!.contactIds[0]!), gt(outbox.id, before.at(-1)!.id)));
    expect(told.length).toBe(1); // the resident hears the kuasa was approved
  });

  it('sends H-3 and H-1 at 09:00 and H0 at 06:30 local time, re-planned after a date change, never between 21:00 and 06:00', async () => {
    // Walk the clock from 25 November to the (moved) event day, calling the reminder job every 30 minutes,
    // except for a day the service was down (8 December, 08:00 to 22:30).
    const sentAt: { time: Date; sent: number }[] = [];
    let moved = false;
    for (let t = at('2026-11-26', '00:00').getTime(); t <= at(MOVED_DAY, '07:00').getTime(); t += 30 * MINUTE) {
      clock.set(new Date(t));
      const { day, time } = local(clock());
      if (!moved && day === '2026-12-01' && time === '10:00') {
        // A week before: the office moves the event one day later.
        const change = await changeEvent(w.db, supervisor, { eventId, date: MOVED_DAY }, opts());
        expect(change.ok).toBe(true);
        moved = true;
      }
      if (day === '2026-12-08' && time >= '08:00' && time < '22:30') continue;
      const r = await fireDueReminders(w.db, opts());
      if (r.sent > 0) sentAt.push({ time: clock(), sent: r.sent });
    }

    // Nothing at night: the H-3 of 8 December missed by the outage was held at 22:30 and went out at 06:00.
    expect(sentAt.every((s) => local(s.time).hour >= 6 && local(s.time).hour < 21)).toBe(true);
    expect(sentAt.map((s) => `${local(s.time).day} ${local(s.time).time}`)).toEqual(['2026-12-09 06:00', '2026-12-10 09:00', '2026-12-11 06:30']);

    // Per invitation still open: one reminder of each kind, all of the re-planned version; none of the old.
    const open = (await w.db.select().from(invitations).where(eq(invitations.eventId, eventId))).filter((i) => ['invited', 'confirmed'].includes(i.status));
    const fires = await w.db.select().from(reminderFires).where(inArray(reminderFires.invitationId, open.map((i) => i.id)));
    const sent = fires.filter((f) => f.status === 'sent');
    expect(sent.every((f) => f.version === 2)).toBe(true);
    expect(fires.filter((f) => f.version === 1 && f.status === 'sent')).toEqual([]);
    // Households without a chat are reminded by nobody (no chat), but their fires are still settled.
    const reached = open.filter((i) => chats.has(i.householdId));
    expect(sentAt.reduce((n, s) => n + s.sent, 0)).toBeGreaterThanOrEqual(reached.length * 3);
  });

  it('checks people in, sends a receipt, refuses a second check-in with when and where, and a LAPOR opens a linked complaint', async () => {
    clock.set(at(MOVED_DAY, '08:15'));
    const [first, second, third] = homes.filter((h) => chats.has(h.householdId));
    const ok = await checkIn(w.db, officer, { code: codeOf.get(first!.householdId)!.code.toLowerCase(), eventId }, opts());
    expect(ok.ok && ok.receipts).toBe(1);
    const [receipt] = await w.db.select().from(outbox).where(eq(outbox.contactId, first!.contactIds[0]!)).orderBy(asc(outbox.id)).then((r) => r.filter((o) => !isRatingQuestion(o.payload)).slice(-1));
    expect((receipt!.payload as { text: string }).text).toMatch(/LAPOR/);

    const again = await checkIn(w.db, officer, { code: codeOf.get(first!.householdId)!.code, eventId }, opts());
    expect(again).toMatchObject({ ok: false, reason: 'already_collected', siteName: expect.any(String) });

    // The kuasa collects for the second household.
    const byProxy = await checkIn(w.db, officer, { code: codeOf.get(second!.householdId)!.code, eventId, byProxy: true }, opts());
    expect(byProxy.ok).toBe(true);

    // The third household's head did not collect; someone used their code. They answer the receipt: LAPOR.
    const stolen = await checkIn(w.db, officer, { code: codeOf.get(third!.householdId)!.code, eventId }, opts());
    expect(stolen.ok).toBe(true);
    clock.advance(3 * 60 * MINUTE);
    const chat = chats.get(third!.householdId)!;
    await chat.say('LAPOR');
    const [c] = await w.db.select().from(complaints).where(eq(complaints.contactId, third!.contactIds[0]!));
    expect(c).toMatchObject({ invitationId: codeOf.get(third!.householdId)!.invitationId, status: 'received' });
    expect(chat.text).toContain(c!.trackingId);

    const progress = await eventProgress(w.db, supervisor, eventId);
    expect(progress!.totals).toMatchObject({ invited: 50, reachable: 40, collected: 3, proxies: 1 });
  });

  it('after the event, the rest are no-shows and are invited to a later event as round 2', async () => {
    clock.set(at(MOVED_DAY, '17:00'));
    const closed = await closeEvent(w.db, supervisor, eventId, opts());
    expect(closed.ok && closed.noShows).toBe(47);

    const later = await createEvent(
      w.db,
      supervisor,
      { programId: w.householdProgramId, tranche: '2026 Tahap IV', title: 'Penyaluran Sembako susulan', date: ROUND_TWO_DAY, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 60 }] },
      opts(),
    );
    expect(later.ok).toBe(true);
    if (!later.ok) return;
    const next = await nextRound(w.db, supervisor, { fromEventId: eventId, toEventId: later.eventId }, opts());
    expect(next.ok && next.invited).toBe(47);
    const round2 = await w.db.select().from(invitations).where(eq(invitations.eventId, later.eventId));
    expect(round2).toHaveLength(47);
    expect(round2.every((i) => i.round === 2 && i.previousInvitationId !== null)).toBe(true);
    // The collected ones are not summoned again.
    const collected = new Set((await w.db.select().from(invitations).where(and(eq(invitations.eventId, eventId), eq(invitations.status, 'collected')))).map((i) => i.id));
    expect(collected.size).toBe(3);
    expect(round2.some((i) => collected.has(i.previousInvitationId!))).toBe(false);
    // The resident reads which round it is.
    const someone = homes.find((h) => chats.has(h.householdId) && round2.some((i) => i.householdId === h.householdId))!;
    const last = (await w.db.select().from(outbox).where(eq(outbox.contactId, someone.contactIds[0]!)).orderBy(asc(outbox.id))).at(-1)!;
    expect((last.payload as { text: string }).text).toMatch(/ke-2|no\. 2|round 2|2nd/i);
  });
});
