import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forbidden } from '../../../src/services/access.ts';
import { selectRecipients } from '../../../src/services/distribution/selection.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, makeProgram, staff, type DistributionWorld } from './fixtures.ts';

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

const slots = () => [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 100 }];

describe('selectRecipients', () => {
  it('household program: active enrollments in the area, minus all-deceased, collected this tranche, already invited', async () => {
    const programId = await makeProgram(w.db, { unit: 'household' });
    const otherProgram = await makeProgram(w.db, { unit: 'household' });
    const hh = (kelurahanId: number, extra: Partial<Parameters<typeof makeHousehold>[1]> = {}, status: 'active' | 'suspended' | 'proposed' | 'ended' = 'active') =>
      makeHousehold(w.db, { kelurahanId, enroll: { programId, status }, ...extra });
    const active = await hh(w.area.kelA1);
    const activeA2 = await hh(w.area.kelA2);
    const headDied = await hh(w.area.kelA1, { headDeceased: true });
    const allDied = await hh(w.area.kelA1, { allDeceased: true });
    const suspended = await hh(w.area.kelA1, {}, 'suspended');
    const proposed = await hh(w.area.kelA1, {}, 'proposed');
    const ended = await hh(w.area.kelA1, {}, 'ended');
    const otherArea = await hh(w.area.kelB1);
    const otherProg = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: otherProgram } });
    const collected = await hh(w.area.kelA1);
    const collectedEarlierTranche = await hh(w.area.kelA1);
    const invitedHere = await hh(w.area.kelA1);

    const past = await makeEvent(w.db, { programId, slots: slots(), status: 'done', date: '2026-11-30' });
    await makeInvitation(w.db, { eventId: past.eventId, householdId: collected.householdId, slotId: past.slotIds[0]!, status: 'collected' });
    const earlier = await makeEvent(w.db, { programId, slots: slots(), status: 'done', date: '2026-12-01', tranche: '2026 Tahap III' });
    await makeInvitation(w.db, { eventId: earlier.eventId, householdId: collectedEarlierTranche.householdId, slotId: earlier.slotIds[0]!, status: 'collected' });
    const ev = await makeEvent(w.db, { programId, slots: slots() });
    await makeInvitation(w.db, { eventId: ev.eventId, householdId: invitedHere.householdId, slotId: ev.slotIds[0]!, status: 'declined' });

    const all = await selectRecipients(w.db, w.admin, { eventId: ev.eventId });
    if (!all.ok) throw new Error(all.reason);
    const expected = [active, activeA2, headDied, otherArea, collectedEarlierTranche].map((h) => h.householdId);
    expect([...all.householdIds].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(all.count).toBe(expected.length);
    for (const out of [allDied, suspended, proposed, ended, otherProg, collected, invitedHere]) expect(all.householdIds).not.toContain(out.householdId);

    const kecA = await selectRecipients(w.db, w.admin, { eventId: ev.eventId, kecamatanIds: [w.area.kecA] });
    expect(kecA.ok && kecA.householdIds).not.toContain(otherArea.householdId);
    const kelA2 = await selectRecipients(w.db, w.admin, { eventId: ev.eventId, kelurahanIds: [w.area.kelA2] });
    expect(kelA2).toMatchObject({ ok: true, householdIds: [activeA2.householdId], count: 1 });

    // A supervisor of kecamatan A never sees kecamatan B's households, whatever areas they ask for.
    const scoped = await staff(w.db, 'supervisor', w.area.kecA);
    const mine = await selectRecipients(w.db, scoped, { eventId: ev.eventId, kecamatanIds: [w.area.kecB] });
    expect(mine).toMatchObject({ ok: true, count: 0 });
    const other = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await selectRecipients(w.db, other, { eventId: ev.eventId })).toMatchObject({ ok: false, reason: 'not_found' });
    await expect(selectRecipients(w.db, await staff(w.db, 'operator'), { eventId: ev.eventId })).rejects.toBeInstanceOf(Forbidden);
  });

  it('person program: only enrollments of living members count', async () => {
    const programId = await makeProgram(w.db, { unit: 'person' });
    const alive = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId, unit: 'person' } });
    // The enrolled head died; the spouse is alive but not enrolled: nobody in this family may collect.
    const enrolledDied = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, headDeceased: true, enroll: { programId, unit: 'person' } });
    const suspended = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId, unit: 'person', status: 'suspended' } });
    const ev = await makeEvent(w.db, { programId, slots: slots() });
    const r = await selectRecipients(w.db, w.admin, { eventId: ev.eventId });
    expect(r).toMatchObject({ ok: true, householdIds: [alive.householdId], count: 1 });
    expect(r.ok && r.householdIds).not.toContain(enrolledDied.householdId);
    expect(r.ok && r.householdIds).not.toContain(suspended.householdId);
  });

  it('refuses unknown and closed events', async () => {
    expect(await selectRecipients(w.db, w.admin, { eventId: 999_999 })).toMatchObject({ ok: false, reason: 'not_found' });
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: slots(), status: 'cancelled' });
    expect(await selectRecipients(w.db, w.admin, { eventId: ev.eventId })).toMatchObject({ ok: false, reason: 'invalid_status' });
  });
});
