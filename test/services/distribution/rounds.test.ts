import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { distributionEvents, invitations, outbox, reminderFires } from '../../../src/db/schema/index.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { closeEvent, followUpList, nextRound } from '../../../src/services/distribution/rounds.ts';
import { at, distributionWorld, makeEvent, makeHousehold, makeProgram, NOW, staff, TZ, type DistributionWorld } from './fixtures.ts';

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

const slots = () => [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 100 }];

describe('closing an event and the next rounds', () => {
  it('no-shows of round 1 go to round 2, then 3, then the follow-up list', async () => {
    const programId = await makeProgram(w.db);
    const e1 = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-10' });
    const e2 = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-17' });
    const e3 = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-24' });
    const e4 = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-31' });
    const hhs = [];
    for (let i = 0; i < 4; i++) hhs.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId }, chats: [{ language: i === 0 ? 'en' : 'id' }] }));
    const r1 = await inviteHouseholds(w.db, w.admin, { eventId: e1.eventId, householdIds: hhs.map((h) => h.householdId) }, { now: NOW, timeZone: TZ });
    if (!r1.ok) throw new Error(r1.reason);
    const [collectedId, declinedId] = r1.invitationIds;
    await w.db.update(invitations).set({ status: 'collected', collectedAt: at('2026-12-10', '09:00'), slotId: null }).where(eq(invitations.id, collectedId!));
    await w.db.update(invitations).set({ status: 'declined', slotId: null }).where(eq(invitations.id, declinedId!));

    // Not before the day.
    expect(await closeEvent(w.db, w.admin, e1.eventId, { now: at('2026-12-09', '16:00'), timeZone: TZ })).toMatchObject({ ok: false, reason: 'invalid_status' });
    const closedAt = at('2026-12-10', '17:00');
    expect(await closeEvent(w.db, w.admin, e1.eventId, { now: closedAt, timeZone: TZ })).toEqual({ ok: true, noShows: 2 });
    const [ev1] = await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, e1.eventId));
    expect(ev1).toMatchObject({ status: 'done', closedAt });
    const after1 = await w.db.select().from(invitations).where(eq(invitations.eventId, e1.eventId)).orderBy(invitations.id);
    expect(after1.map((i) => i.status)).toEqual(['collected', 'declined', 'no_show', 'no_show']);
    const pendingFires = await w.db.select().from(reminderFires).where(and(eq(reminderFires.invitationId, after1[2]!.id), eq(reminderFires.status, 'pending')));
    expect(pendingFires).toEqual([]);
    expect(await closeEvent(w.db, w.admin, e1.eventId, { now: closedAt, timeZone: TZ })).toMatchObject({ ok: false, reason: 'invalid_status' });

    // Round 2: only the no-shows, each pointing at the invitation it follows.
    const now2 = at('2026-12-11', '09:00');
    expect(await nextRound(w.db, w.admin, { fromEventId: e2.eventId, toEventId: e3.eventId }, { now: now2, timeZone: TZ })).toMatchObject({ ok: false, reason: 'invalid_status' });
    const r2 = await nextRound(w.db, w.admin, { fromEventId: e1.eventId, toEventId: e2.eventId }, { now: now2, timeZone: TZ });
    expect(r2).toMatchObject({ ok: true, invited: 2, atMaxRound: 0 });
    const round2 = await w.db.select().from(invitations).where(eq(invitations.eventId, e2.eventId)).orderBy(invitations.id);
    expect(round2.map((i) => [i.householdId, i.round, i.previousInvitationId])).toEqual([
      [hhs[2]!.householdId, 2, after1[2]!.id],
      [hhs[3]!.householdId, 2, after1[3]!.id],
    ]);
    const [msg] = (await w.db.select().from(outbox).where(eq(outbox.contactId, hhs[2]!.contactIds[0]!)).orderBy(outbox.id)).slice(-1);
    expect((msg!.payload as unknown as OutboundMessage).text).toContain('Undangan ke-2');
    expect((msg!.payload as unknown as OutboundMessage).text).toContain('17 Desember 2026');

    // Round 3, then nobody further: the follow-up list.
    await closeEvent(w.db, w.admin, e2.eventId, { now: at('2026-12-17', '17:00'), timeZone: TZ });
    const r3 = await nextRound(w.db, w.admin, { fromEventId: e2.eventId, toEventId: e3.eventId }, { now: at('2026-12-18', '09:00'), timeZone: TZ });
    expect(r3).toMatchObject({ ok: true, invited: 2 });
    const round3 = await w.db.select().from(invitations).where(eq(invitations.eventId, e3.eventId));
    expect(round3.every((i) => i.round === 3)).toBe(true);
    await closeEvent(w.db, w.admin, e3.eventId, { now: at('2026-12-24', '17:00'), timeZone: TZ });
    const r4 = await nextRound(w.db, w.admin, { fromEventId: e3.eventId, toEventId: e4.eventId }, { now: at('2026-12-25', '09:00'), timeZone: TZ });
    expect(r4).toMatchObject({ ok: true, invited: 0, atMaxRound: 2 });

    const list = await followUpList(w.db, w.admin, { programId }, { now: at('2026-12-25', '09:00') });
    if (!list.ok) throw new Error(list.reason);
    expect(list.rows.map((r) => r.householdId).sort()).toEqual([hhs[2]!.householdId, hhs[3]!.householdId].sort());
    expect(list.rows[0]).toMatchObject({ eventId: e3.eventId, eventDate: '2026-12-24', kelurahan: 'Sungai Binti' });
    expect(list.rows[0]!.headName).not.toContain('Suryani');
    const other = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await followUpList(w.db, other, { programId }, { now: NOW })).toEqual({ ok: true, rows: [] });
  });

  it('refuses a next round into another program, into an earlier event, or into the same event', async () => {
    const programId = await makeProgram(w.db);
    const e1 = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-10', status: 'done' });
    const earlier = await makeEvent(w.db, { programId, slots: slots(), date: '2026-12-09' });
    const otherProgram = await makeEvent(w.db, { programId: w.householdProgramId, slots: slots(), date: '2026-12-20' });
    const opts = { now: at('2026-12-11', '09:00'), timeZone: TZ };
    expect(await nextRound(w.db, w.admin, { fromEventId: e1.eventId, toEventId: otherProgram.eventId }, opts)).toMatchObject({ ok: false, reason: 'invalid_input' });
    expect(await nextRound(w.db, w.admin, { fromEventId: e1.eventId, toEventId: earlier.eventId }, opts)).toMatchObject({ ok: false, reason: 'invalid_input' });
    expect(await nextRound(w.db, w.admin, { fromEventId: e1.eventId, toEventId: e1.eventId }, opts)).toMatchObject({ ok: false, reason: 'invalid_input' });
  });
});
