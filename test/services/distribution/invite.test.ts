import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, inArray } from 'drizzle-orm';
import { choiceRoutes, flows } from '../../../flows/index.ts';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { createEngine } from '../../../src/conversation/engine.ts';
import { eventSlots, invitations, messages, outbox, reminderFires } from '../../../src/db/schema/index.ts';
import { isValidInvitationCode } from '../../../src/domain/invitation-code.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { householdsWithoutChat, householdsWithoutChatCsv } from '../../../src/services/distribution/paper.ts';
import { testBinder, testIdentityEnv } from '../../helpers/services.ts';
import { changeSlot } from '../../../src/services/distribution/invitations.ts';
import { withImages } from '../../../src/outbox/images.ts';
import { driver, testClock } from '../../helpers/chat.ts';
import { at, distributionWorld, makeEvent, makeHousehold, NOW, onChannel, onPostgres, staff, TZ, type DistributionWorld } from './fixtures.ts';

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

const opts = () => ({ now: NOW, timeZone: TZ });

async function payloads(contactId: number): Promise<OutboundMessage[]> {
  const rows = await w.db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(outbox.id);
  return rows.map((r) => r.payload as unknown as OutboundMessage);
}

function household(chats: Parameters<typeof makeHousehold>[1]['chats'] = [{ language: 'id' }], kelurahanId = w.area.kelA1) {
  return makeHousehold(w.db, { kelurahanId, enroll: { programId: w.householdProgramId }, chats });
}

describe('inviteHouseholds', () => {
  it('queues the invitation to every linked chat of a household, each in its language, with code, QR, map and answers', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }], status: 'planned' });
    const hh = await household([{ language: 'id' }, { language: 'en', channel: 'telegram' }, { language: null }, { language: 'id', unreachable: true }]);
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [hh.householdId] }, opts());
    expect(r).toMatchObject({ ok: true, invited: 1, queuedChats: 3, withoutChat: 0, notInvited: [] });
    if (!r.ok) return;
    const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, r.invitationIds[0]!));
    expect(inv).toMatchObject({ status: 'invited', round: 1, slotId: ev.slotIds[0], reminderVersion: 1 });
    expect(isValidInvitationCode(inv!.code)).toBe(true);
    const shown = `${inv!.code.slice(0, 4)}-${inv!.code.slice(4)}`;

    const [id] = await payloads(hh.contactIds[0]!);
    expect(id!.text).toContain('UNDANGAN PENGAMBILAN BANTUAN');
    expect(id!.text).toContain('Waktu: Kamis, 10 Desember 2026 pukul 08.00 WIB sampai 10.00 WIB');
    expect(id!.text).toContain('Tempat: Kantor Kelurahan Sungai Binti');
    expect(id!.text).toContain('Peta: https://maps.google.com/?q=1.0456,104.0305');
    expect(id!.text).toContain(`Kode undangan: ${shown}`);
    expect(id!.text).toMatch(/KTP.*KK/);
    expect(id!.options!.map((o) => o.id)).toEqual(['confirm', 'slot', 'decline', 'proxy'].map((a) => `inv:${inv!.id}:${a}`));
    // The outbox stores the code; the dispatcher draws the QR image when it sends.
    expect(id!.image).toBeUndefined();
    expect(id!.qrCode).toBe(inv!.code);
    const drawn = withImages(id!);
    expect(Buffer.from(drawn.image!.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(id!.template).toMatchObject({ kind: 'invitation' });
    expect(id!.template!.params).toContain(shown);

    const [en] = await payloads(hh.contactIds[1]!);
    expect(en!.text).toContain('When: Thursday, 10 December 2026 at 08:00 WIB to 10:00 WIB');
    const [fallback] = await payloads(hh.contactIds[2]!);
    expect(fallback!.text).toContain('Kode undangan'); // no language chosen: the default locale
    expect(await payloads(hh.contactIds[3]!)).toEqual([]); // unreachable chat: not linked any more

    const [outRow] = await w.db.select().from(outbox).where(eq(outbox.contactId, hh.contactIds[0]!));
    expect(outRow!.priority).toBe(1); // bulk
    const history = await w.db.select().from(messages).where(eq(messages.contactId, hh.contactIds[0]!));
    expect(history).toHaveLength(1);
    const fires = await w.db.select().from(reminderFires).where(eq(reminderFires.invitationId, inv!.id));
    expect(fires.map((f) => f.offset).sort()).toEqual(['H-1', 'H-3', 'H0']);
    const [slot] = await w.db.select().from(eventSlots).where(eq(eventSlots.id, ev.slotIds[0]!));
    expect(slot!.booked).toBe(1);
  });

  it('sent late in the evening, waits for 06:00 before it goes out', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }] });
    const hh = await household();
    const late = at('2026-11-25', '22:15');
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [hh.householdId] }, { now: late, timeZone: TZ });
    expect(r.ok).toBe(true);
    const [row] = await w.db.select().from(outbox).where(eq(outbox.contactId, hh.contactIds[0]!));
    expect(row!.notBefore).toEqual(at('2026-11-26', '06:00'));
  });

  it('spreads the households over a site’s slots up to capacity and reports the households beyond it', async () => {
    const ev = await makeEvent(w.db, {
      programId: w.householdProgramId,
      slots: [
        { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 2 },
        { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 3, booked: 1 },
      ],
    });
    const hhs = await Promise.all(Array.from({ length: 6 }, () => household([])));
    const ids = hhs.map((h) => h.householdId);
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: ids }, opts());
    if (!r.ok) throw new Error(r.reason);
    expect(r.invited).toBe(4);
    expect(r.notInvited).toEqual(ids.slice(4).map((householdId) => ({ householdId, reason: 'no_capacity' })));
    const invs = await w.db.select().from(invitations).where(eq(invitations.eventId, ev.eventId)).orderBy(invitations.id);
    // The slot with the most seats left each time, the earlier one on a tie (both start with 2 free).
    expect(invs.map((i) => i.slotId)).toEqual([ev.slotIds[1], ev.slotIds[0], ev.slotIds[1], ev.slotIds[0]]);
    const slots = await w.db.select().from(eventSlots).where(eq(eventSlots.eventId, ev.eventId)).orderBy(eventSlots.id);
    expect(slots.map((s) => s.booked)).toEqual([2, 3]);

    const again = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: ids.slice(0, 1) }, opts());
    expect(again).toMatchObject({ ok: true, invited: 0, notInvited: [{ householdId: ids[0], reason: 'already_invited' }] });
  });

  it('refuses unknown households, households of another kecamatan, closed events, and changes nothing', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }] });
    const mine = await household();
    const far = await household([{ language: 'id' }], w.area.kelB1);
    expect(await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [mine.householdId, 9_999_999] }, opts())).toMatchObject({ ok: false, reason: 'not_found' });
    const scoped = await staff(w.db, 'supervisor', w.area.kecA);
    expect(await inviteHouseholds(w.db, scoped, { eventId: ev.eventId, householdIds: [mine.householdId, far.householdId] }, opts())).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
    expect(await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [] }, opts())).toMatchObject({ ok: false, reason: 'invalid_input' });
    const [{ n }] = (await w.db.select({ n: count() }).from(invitations).where(eq(invitations.eventId, ev.eventId))) as [{ n: number }];
    expect(n).toBe(0);
    expect(await payloads(mine.contactIds[0]!)).toEqual([]);
    const done = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }], status: 'done' });
    expect(await inviteHouseholds(w.db, w.admin, { eventId: done.eventId, householdIds: [mine.householdId] }, opts())).toMatchObject({ ok: false, reason: 'invalid_status' });
  });

  it('lists invited households without a linked chat for paper invitations, masked, as CSV too', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }] });
    const withChat = await household();
    const without = await household([]);
    const blocked = await household([{ language: 'id', unreachable: true }]);
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [withChat.householdId, without.householdId, blocked.householdId] }, opts());
    expect(r).toMatchObject({ ok: true, invited: 3, withoutChat: 2 });
    const list = await householdsWithoutChat(w.db, w.admin, ev.eventId, opts());
    if (!list.ok) throw new Error(list.reason);
    expect(list.rows.map((x) => x.householdId).sort()).toEqual([without.householdId, blocked.householdId].sort());
    const row = list.rows.find((x) => x.householdId === without.householdId)!;
    expect(row).toMatchObject({ rt: '003', rw: '005', kelurahan: 'Sungai Binti', address: 'Perum Uji Blok A No. 7', round: 1 });
    expect(row.headName).toMatch(/^S\*{4} B\*{4} /);
    expect(row.headName).not.toContain('Suryani');
    const csv = await householdsWithoutChatCsv(w.db, w.admin, ev.eventId, opts());
    if (!csv.ok) throw new Error(csv.reason);
    const lines = csv.csv.trim().split('\r\n');
    expect(lines[0]).toBe('kode,alamat,rt,rw,kelurahan,kepala_keluarga,telepon,alasan,undangan_ke');
    expect(lines).toHaveLength(3);
    expect(csv.csv).toContain(row.code);
    const other = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await householdsWithoutChat(w.db, other, ev.eventId, opts())).toMatchObject({ ok: false, reason: 'not_found' });
  });
});

describe('answer buttons on the invitation message', () => {
  async function engineOn(now: Date) {
    return createEngine({
      database: w.database,
      flows,
      choiceRoutes,
      i18n: await createI18n('id'),
      logger: createLogger('silent'),
      defaultLocale: 'id',
      timeZone: TZ,
      bindServices: await testBinder(),
      clock: testClock(now),
    });
  }

  it('confirm, pressed days later from the chat, confirms that invitation; another household’s chat cannot', async () => {
    const ev = await makeEvent(w.db, {
      programId: w.householdProgramId,
      slots: [
        { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 },
        { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 10 },
      ],
    });
    // Telegram chats, linked as an officer links them after seeing the KTP: a web chat idle for days would have
    // lost its link (30 minutes idle rule) and be asked to prove who it is before any button works.
    const link = { env: testIdentityEnv(await createI18n('id')), proof: 'in_person' as const };
    const chats = [{ language: 'id' as const, channel: 'telegram' as const }, { language: 'en' as const, channel: 'telegram' as const }];
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats, link });
    const stranger = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId }, chats: chats.slice(0, 1), link });
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [hh.householdId] }, opts());
    if (!r.ok) throw new Error(r.reason);
    const [message] = await payloads(hh.contactIds[1]!);
    const confirm = message!.options!.find((o) => o.id.endsWith(':confirm'))!.id;
    const engine = onChannel(await engineOn(new Date(NOW.getTime() + 2 * 86_400_000)), 'telegram');

    const intruder = driver(engine, stranger.chatIds[0]!);
    await intruder.choose(confirm);
    expect(intruder.text).toContain('sudah tidak berlaku');
    const [still] = await w.db.select().from(invitations).where(eq(invitations.id, r.invitationIds[0]!));
    expect(still!.status).toBe('invited');

    const resident = driver(engine, hh.chatIds[1]!);
    await resident.choose(confirm);
    expect(resident.text).toContain('we have recorded that you will come');
    const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, r.invitationIds[0]!));
    expect(inv!.status).toBe('confirmed');

    // The other buttons enter the invitations flow at the right step, for that invitation.
    const other = driver(engine, hh.chatIds[0]!);
    await other.choose(message!.options!.find((o) => o.id.endsWith(':slot'))!.id);
    expect(other.options).toContain(`slot:${ev.slotIds[1]}`);
    await other.choose(`slot:${ev.slotIds[1]}`);
    const [moved] = await w.db.select().from(invitations).where(eq(invitations.id, r.invitationIds[0]!));
    expect(moved!.slotId).toBe(ev.slotIds[1]);
    await other.choose(message!.options!.find((o) => o.id.endsWith(':decline'))!.id);
    expect(other.options).toContain('sick');
  });
});

describe.skipIf(!onPostgres)('capacity under concurrency (real PostgreSQL only)', () => {
  it('200 concurrent moves into a slot of 10 leave exactly 10 booked', async () => {
    const ev = await makeEvent(w.db, {
      programId: w.householdProgramId,
      slots: [
        { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 250 },
        { siteId: w.siteA, start: '10:00', end: '12:00', capacity: 10 },
      ],
    });
    const hhs = [];
    for (let i = 0; i < 200; i++) hhs.push(await household([]));
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: hhs.map((h) => h.householdId) }, opts());
    if (!r.ok) throw new Error(r.reason);
    const invs = await w.db.select({ id: invitations.id, householdId: invitations.householdId }).from(invitations).where(eq(invitations.eventId, ev.eventId));
    const results = await Promise.all(invs.map((i) => changeSlot(w.db, { invitationId: i.id, householdId: i.householdId, slotId: ev.slotIds[1]!, now: NOW })));
    expect(results.filter((x) => x.ok)).toHaveLength(10);
    expect(results.filter((x) => !x.ok && x.reason === 'full')).toHaveLength(190);
    const slots = await w.db.select().from(eventSlots).where(eq(eventSlots.eventId, ev.eventId)).orderBy(eventSlots.id);
    expect(slots.map((s) => s.booked)).toEqual([190, 10]);
    const [{ n }] = (await w.db.select({ n: count() }).from(invitations).where(and(eq(invitations.eventId, ev.eventId), inArray(invitations.slotId, [ev.slotIds[1]!])))) as [{ n: number }];
    expect(n).toBe(10);
  });
});
