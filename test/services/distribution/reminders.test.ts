import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { OutboundMessage } from '../../../src/messages/types.ts';
import { invitations, outbox, reminderFires } from '../../../src/db/schema/index.ts';
import { zonedParts } from '../../../src/domain/dates.ts';
import { changeEvent } from '../../../src/services/distribution/events.ts';
import { inviteHouseholds } from '../../../src/services/distribution/invite.ts';
import { inQuietHours, nextSendable, reminderTimes } from '../../../src/services/distribution/reminder-times.ts';
import { fireDueReminders } from '../../../src/services/distribution/reminders.ts';
import { changeSlot, declineInvitation } from '../../../src/services/distribution/invitations.ts';
import { at, distributionWorld, makeEvent, makeHousehold, NOW, TZ, type DistributionWorld } from './fixtures.ts';

let w: DistributionWorld;
beforeAll(async () => {
  w = await distributionWorld();
});
afterAll(async () => {
  await w?.dispose();
});

describe('reminder times (pure)', () => {
  it('are H-3 and H-1 at 09:00 and H0 at 06:30 local, only those still ahead', () => {
    expect(reminderTimes('2026-12-10', TZ, NOW)).toEqual([
      { offset: 'H-3', dueAt: new Date('2026-12-07T02:00:00Z') },
      { offset: 'H-1', dueAt: new Date('2026-12-09T02:00:00Z') },
      { offset: 'H0', dueAt: new Date('2026-12-09T23:30:00Z') },
    ]);
    expect(reminderTimes('2026-12-10', TZ, new Date('2026-12-08T00:00:00Z')).map((r) => r.offset)).toEqual(['H-1', 'H0']);
    expect(reminderTimes('2026-12-10', 'Asia/Makassar', NOW)[0]!.dueAt).toEqual(new Date('2026-12-07T01:00:00Z'));
  });

  it('hold quiet hours from 21:00 to 06:00 local', () => {
    expect(inQuietHours(at('2026-12-07', '20:59'), TZ)).toBe(false);
    expect(inQuietHours(at('2026-12-07', '21:00'), TZ)).toBe(true);
    expect(inQuietHours(at('2026-12-08', '05:59'), TZ)).toBe(true);
    expect(inQuietHours(at('2026-12-08', '06:00'), TZ)).toBe(false);
    expect(nextSendable(at('2026-12-07', '22:15'), TZ)).toEqual(at('2026-12-08', '06:00'));
    expect(nextSendable(at('2026-12-08', '03:00'), TZ)).toEqual(at('2026-12-08', '06:00'));
  });
});

async function setUp(chats = 1) {
  const ev = await makeEvent(w.db, {
    programId: w.householdProgramId,
    slots: [
      { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 },
      { siteId: w.siteA, start: '13:00', end: '15:00', capacity: 10 },
    ],
  });
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: Array.from({ length: chats }, () => ({ language: 'id' as const })) });
  const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: [hh.householdId] }, { now: NOW, timeZone: TZ });
  if (!r.ok) throw new Error(r.reason);
  return { ...ev, hh, invitationId: r.invitationIds[0]! };
}

async function reminders(contactId: number): Promise<{ at: Date; text: string }[]> {
  const rows = await w.db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(outbox.id);
  return rows
    .filter((r) => (r.payload as unknown as OutboundMessage).template?.kind === 'reminder')
    .map((r) => ({ at: r.notBefore, text: (r.payload as unknown as OutboundMessage).text }));
}

/** Runs the job every `stepMin` minutes from `from` to `to`, as jobs.ts does every minute. */
async function runClock(from: Date, to: Date, stepMin = 30) {
  for (let t = from.getTime(); t <= to.getTime(); t += stepMin * 60_000) {
    await fireDueReminders(w.db, { now: new Date(t), timeZone: TZ });
  }
}

const localHm = (d: Date) => {
  const p = zonedParts(d, TZ);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

describe('fireDueReminders', () => {
  it('sends H-3, H-1 and H0 at their local times to every linked chat, never in quiet hours', async () => {
    const s = await setUp(2);
    // Only this test's reminders are due in this window: the other tests run their own events later on.
    await runClock(at('2026-12-06', '20:00'), at('2026-12-10', '07:00'));
    for (const contactId of s.hh.contactIds) {
      const got = await reminders(contactId);
      expect(got.map((g) => g.at.toISOString())).toEqual([at('2026-12-07', '09:00'), at('2026-12-09', '09:00'), at('2026-12-10', '06:30')].map((d) => d.toISOString()));
      expect(got.map((g) => g.text.split('\n')[0])).toEqual([
        'PENGINGAT: 3 hari lagi pengambilan bantuan Penyaluran Sembako Uji.',
        'PENGINGAT: besok pengambilan bantuan Penyaluran Sembako Uji.',
        'PENGINGAT: hari ini pengambilan bantuan Penyaluran Sembako Uji.',
      ]);
      expect(got[0]!.text).toContain('Kamis, 10 Desember 2026 pukul 08.00 WIB');
      for (const g of got) expect(inQuietHours(g.at, TZ)).toBe(false);
    }
    const fires = await w.db.select().from(reminderFires).where(eq(reminderFires.invitationId, s.invitationId));
    expect(fires.every((f) => f.status === 'sent')).toBe(true);
  });

  it('holds a reminder that fell due while the job was down overnight until 06:00, and never sends it twice', async () => {
    const s = await setUp();
    const res = await fireDueReminders(w.db, { now: at('2026-12-06', '21:30'), timeZone: TZ });
    expect(res.held).toBe(true);
    // H-3 was due at 09:00 on the 7th; pretend nothing ran until 22:00 that night.
    expect((await fireDueReminders(w.db, { now: at('2026-12-07', '22:00'), timeZone: TZ })).sent).toBe(0);
    expect((await fireDueReminders(w.db, { now: at('2026-12-08', '05:59'), timeZone: TZ })).sent).toBe(0);
    expect(await reminders(s.hh.contactIds[0]!)).toEqual([]);
    await fireDueReminders(w.db, { now: at('2026-12-08', '06:00'), timeZone: TZ });
    await fireDueReminders(w.db, { now: at('2026-12-08', '06:01'), timeZone: TZ });
    const got = await reminders(s.hh.contactIds[0]!);
    expect(got.map((g) => localHm(g.at))).toEqual(['06:00']);
    // Clean up the window for the next tests: the rest of this event's reminders go out now.
    await runClock(at('2026-12-09', '09:00'), at('2026-12-10', '07:00'), 60);
  });

  it('after a date change, sends only the new reminders (stale versions skipped)', async () => {
    const s = await setUp();
    const changed = await changeEvent(w.db, w.admin, { eventId: s.eventId, date: '2026-12-17' }, { now: at('2026-12-01', '10:00'), timeZone: TZ });
    expect(changed.ok).toBe(true);
    await runClock(at('2026-12-02', '00:00'), at('2026-12-17', '07:00'), 30);
    const got = await reminders(s.hh.contactIds[0]!);
    expect(got.map((g) => g.at.toISOString())).toEqual([at('2026-12-14', '09:00'), at('2026-12-16', '09:00'), at('2026-12-17', '06:30')].map((d) => d.toISOString()));
    for (const g of got) expect(g.text).toContain('17 Desember 2026');
    const fires = await w.db.select().from(reminderFires).where(eq(reminderFires.invitationId, s.invitationId));
    expect(fires.filter((f) => f.version === 1).map((f) => f.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('re-plans after a resident changes slot, with the new time', async () => {
    const s = await setUp();
    const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, s.invitationId));
    const moved = await changeSlot(w.db, { invitationId: s.invitationId, householdId: inv!.householdId, slotId: s.slotIds[1]!, now: at('2026-12-01', '10:00') });
    expect(moved.ok).toBe(true);
    await runClock(at('2026-12-01', '10:00'), at('2026-12-10', '07:00'), 60);
    const got = await reminders(s.hh.contactIds[0]!);
    expect(got).toHaveLength(3);
    for (const g of got) expect(g.text).toContain('pukul 13.00 WIB');
  });

  it('works through many due reminders in one run, batch by batch', async () => {
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, date: '2026-12-22', slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 }] });
    const hhs = [];
    for (let i = 0; i < 5; i++) hhs.push(await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ language: 'id' }] }));
    const r = await inviteHouseholds(w.db, w.admin, { eventId: ev.eventId, householdIds: hhs.map((h) => h.householdId) }, { now: NOW, timeZone: TZ });
    expect(r.ok).toBe(true);
    const res = await fireDueReminders(w.db, { now: at('2026-12-19', '09:00'), timeZone: TZ, batch: 2 });
    expect(res).toEqual({ sent: 5, skipped: 0, held: false });
    for (const h of hhs) expect(await reminders(h.contactIds[0]!)).toHaveLength(1);
    expect(await fireDueReminders(w.db, { now: at('2026-12-19', '09:01'), timeZone: TZ, batch: 2 })).toEqual({ sent: 0, skipped: 0, held: false });
  });

  it('sends nothing after the invitation is collected, declined or cancelled', async () => {
    const collected = await setUp();
    const declined = await setUp();
    const cancelled = await setUp();
    await w.db.update(invitations).set({ status: 'collected', collectedAt: NOW }).where(eq(invitations.id, collected.invitationId));
    await w.db.update(invitations).set({ status: 'cancelled' }).where(eq(invitations.id, cancelled.invitationId));
    const [d] = await w.db.select().from(invitations).where(eq(invitations.id, declined.invitationId));
    expect((await declineInvitation(w.db, { invitationId: d!.id, householdId: d!.householdId, reason: 'sakit', now: NOW })).ok).toBe(true);
    await runClock(at('2026-12-06', '08:00'), at('2026-12-10', '07:00'), 60);
    for (const s of [collected, declined, cancelled]) expect(await reminders(s.hh.contactIds[0]!)).toEqual([]);
    const fires = await w.db
      .select()
      .from(reminderFires)
      .where(inArray(reminderFires.invitationId, [collected.invitationId, declined.invitationId, cancelled.invitationId]));
    expect(fires.every((f) => f.status === 'skipped')).toBe(true);
  });
});
