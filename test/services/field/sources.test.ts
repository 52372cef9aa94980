import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints, contacts, fieldTasks, invitations, kelurahan } from '../../../src/db/schema/index.ts';
import { enqueueMany } from '../../../src/outbox/enqueue.ts';
import { fileComplaint } from '../../../src/services/complaints/file.ts';
import { listMyTasks, recordVisit, syncFieldTasks } from '../../../src/services/field/index.ts';
import { proposalRows } from '../../../src/services/registry/proposals.ts';
import { makeEvent, makeInvitation, makeSite } from '../distribution/fixtures.ts';
import { clientKey, fieldWorker, fieldWorld, makeHousehold, NOW, TZ, type FieldWorld } from './fixtures.ts';

// The other ways work reaches a field worker (issue 19, part 2): a proposal to check before the kelurahan
// meeting, a family that missed every distribution round, an invitation no message reaches; each once, given
// to the worker of the kelurahan, cancelled when its reason goes away; and the proposal's field verdict on the
// meeting's sheet.

let w: FieldWorld;
const opts = { now: NOW, timeZone: TZ };
const tasksOf = (kind: 'proposal' | 'missed_rounds' | 'calldown' | 'ppks', sourceId: number) =>
  w.db.select().from(fieldTasks).where(and(eq(fieldTasks.kind, kind), eq(fieldTasks.sourceId, sourceId)));

beforeAll(async () => {
  w = await fieldWorld();
});
afterAll(() => w?.database.dispose());

describe('field tasks from proposals, missed rounds and the call-down list', () => {
  it('makes one task per source in its kelurahan, cancels the settled ones, and puts the visit on the meeting sheet', async () => {
    const db = w.db;
    const tksk = await fieldWorker(db, [w.area.kelA1], { name: 'Siti Rahayu' });
    const site = await makeSite(db, { kecamatanId: w.area.kecA, kelurahanId: w.area.kelA1 });

    // A verified resident proposes their own family.
    const family = await makeHousehold(db, { kelurahanId: w.area.kelA1, chats: [{}] });
    const filed = await fileComplaint(db, {
      contactId: family.contactIds[0]!,
      memberId: family.memberIds[0]!,
      category: 'usulan',
      summary: 'Usulan keluarga sendiri',
      details: { forWhom: 'self', situation: 'Suami sakit, tidak bekerja' },
      anonymous: false,
      now: NOW,
      timeZone: TZ,
    });
    // A family that missed the third summons of an event that is over.
    const missed = await makeHousehold(db, { kelurahanId: w.area.kelA1 });
    const past = await makeEvent(db, { programId: w.householdProgramId, date: '2026-11-10', status: 'done', slots: [{ siteId: site, start: '08:00', end: '12:00', capacity: 50 }] });
    const noShow = await makeInvitation(db, { eventId: past.eventId, householdId: missed.householdId, slotId: null, round: 3, status: 'no_show' });
    // Two invitations to an event ahead: one no message reaches, one whose message is on its way.
    const ahead = await makeEvent(db, { programId: w.householdProgramId, date: '2026-12-10', slots: [{ siteId: site, start: '08:00', end: '12:00', capacity: 50 }] });
    const paper = await makeHousehold(db, { kelurahanId: w.area.kelA1 });
    const unreached = await makeInvitation(db, { eventId: ahead.eventId, householdId: paper.householdId, slotId: null });
    const reachedFamily = await makeHousehold(db, { kelurahanId: w.area.kelA1, chats: [{}] });
    const reached = await makeInvitation(db, { eventId: ahead.eventId, householdId: reachedFamily.householdId, slotId: null });
    await enqueueMany(db, [{ contactId: reachedFamily.contactIds[0]!, channel: 'webchat', message: { text: 'Undangan' }, invitationId: reached.invitationId }], { priority: 'bulk' });

    await syncFieldTasks(db, opts);
    const [proposal] = await tasksOf('proposal', filed.id);
    expect(proposal).toMatchObject({ kelurahanId: w.area.kelA1, householdId: family.householdId, memberId: family.memberIds[0], assigneeId: tksk.id, status: 'open', dueOn: '2026-12-08' });
    expect(proposal!.details).toEqual({ trackingId: filed.trackingId });
    const [missedTask] = await tasksOf('missed_rounds', noShow.invitationId);
    expect(missedTask).toMatchObject({ householdId: missed.householdId, assigneeId: tksk.id, status: 'open' });
    const [callDown] = await tasksOf('calldown', unreached.invitationId);
    // Due the day before the event, so the family can still come.
    expect(callDown).toMatchObject({ householdId: paper.householdId, dueOn: '2026-12-09', status: 'open' });
    expect(await tasksOf('calldown', reached.invitationId)).toEqual([]);

    // Run again: nothing twice.
    expect(await syncFieldTasks(db, opts)).toEqual({ created: 0, cancelled: 0 });

    // The worker checks the proposal's indicators at the house; the meeting's sheet carries the verdict.
    const visit = await recordVisit(db, tksk, proposal!.id, { clientKey: clientKey(), outcome: 'found', checklist: { met_household: true, floor_earth: true, no_own_toilet: true }, note: 'Rumah sewa, atap bocor', visitedAt: NOW }, opts);
    expect(visit).toMatchObject({ ok: true, review: 'not_needed', taskStatus: 'done' });
    const rows = await proposalRows(db, w.admin, { timeZone: TZ });
    const row = rows.find((r) => r.nomor_laporan === filed.trackingId)!;
    expect(row.hasil_lapangan).toBe(
      '2026-11-24 · orang ditemukan · 2/8 indikator: Lantai rumah dari tanah, bambu, atau kayu murahan; Tidak memiliki jamban sendiri · catatan: Rumah sewa, atap bocor',
    );

    // The family came to the office and the invitation was settled by phone: the door need not be knocked.
    await db.update(invitations).set({ status: 'declined' }).where(eq(invitations.id, unreached.invitationId));
    // And a second proposal decided at the meeting before anyone went.
    const second = await fileComplaint(db, { contactId: family.contactIds[0]!, memberId: family.memberIds[1]!, category: 'usulan', summary: 'Usulan kedua', details: { forWhom: 'self', situation: 'x' }, anonymous: false, now: NOW, timeZone: TZ });
    expect(await syncFieldTasks(db, opts)).toEqual({ created: 1, cancelled: 1 });
    expect((await tasksOf('calldown', unreached.invitationId))[0]!.status).toBe('cancelled');
    expect((await tasksOf('proposal', second.id))[0]!.status).toBe('open');
    await db.update(complaints).set({ details: { forWhom: 'self', situation: 'x', verificationOutcome: { outcome: 'diterima' } } }).where(eq(complaints.id, second.id));
    expect(await syncFieldTasks(db, opts)).toEqual({ created: 0, cancelled: 1 });
    expect((await tasksOf('proposal', second.id))[0]!.status).toBe('cancelled');
    // A final no-show stays to be seen.
    expect((await tasksOf('missed_rounds', noShow.invitationId))[0]!.status).toBe('open');
  });

  it('sends a PPKS report to the worker of the kelurahan where the person is: by the shared location, else by the place named', async () => {
    const db = w.db;
    await db.update(kelurahan).set({ latitude: '1.0500', longitude: '104.0300' }).where(eq(kelurahan.id, w.area.kelA2));
    await db.update(kelurahan).set({ latitude: '1.1500', longitude: '104.1300' }).where(eq(kelurahan.id, w.area.kelB1));
    const tembesi = await fieldWorker(db, [w.area.kelA2], { name: 'Rudi Tembesi' });
    const [reporter] = await db.insert(contacts).values({ channel: 'telegram', externalId: `ppks-${Date.now()}`, language: 'id' }).returning({ id: contacts.id });
    const report = (details: Record<string, unknown>, urgent: boolean) =>
      fileComplaint(db, { contactId: reporter!.id, category: 'ppks', summary: 'Lansia terlantar', details: { kind: 'lansia_terlantar', who: 'Bapak tua, sekitar 70 tahun', situation: 'Tidur di halte, tampak lemas.', ...details }, anonymous: true, urgent, now: NOW, timeZone: TZ });
    // Shared about 1 km from Tembesi's centre, urgent.
    const near = await report({ where: 'https://maps.google.com/?q=1.0560,104.0350', places: { where: { latitude: 1.056, longitude: 104.035 } } }, true);
    // Typed: the kelurahan named in the place.
    const typed = await report({ where: 'Halte depan pasar, Kel. Batu Besar' }, false);
    // Nowhere the registry knows, and a shared location far from every centre.
    const nowhere = await report({ where: 'Dekat jembatan' }, false);
    const far = await report({ where: 'lokasi', places: { where: { latitude: 3.5, longitude: 98.6 } } }, false);

    await syncFieldTasks(db, opts);
    const [a] = await tasksOf('ppks', near.id);
    // Urgent: due today, and the worker reads the place, the person as described and what was seen.
    expect(a).toMatchObject({ kelurahanId: w.area.kelA2, assigneeId: tembesi.id, dueOn: '2026-11-24', householdId: null });
    const seen = (await listMyTasks(db, tembesi, opts)).find((t) => t.id === a!.id)!;
    expect(seen).toMatchObject({ reason: 'ppks', personMasked: 'Bapak tua, sekitar 70 tahun', situation: 'Tidur di halte, tampak lemas.', latitude: 1.056, longitude: 104.035 });
    const [b] = await tasksOf('ppks', typed.id);
    expect(b).toMatchObject({ kelurahanId: w.area.kelB1, kecamatanId: w.area.kecB, assigneeId: null, dueOn: '2026-12-08' });
    expect(await tasksOf('ppks', nowhere.id)).toEqual([]);
    expect(await tasksOf('ppks', far.id)).toEqual([]);

    // The desk closes the report: the worker need not go.
    await db.update(complaints).set({ status: 'closed' }).where(eq(complaints.id, typed.id));
    await syncFieldTasks(db, opts);
    expect((await tasksOf('ppks', typed.id))[0]!.status).toBe('cancelled');
  });
});
