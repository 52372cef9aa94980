import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollments, fieldTasks, fieldVisits, findings, households, kelurahan, members } from '../../src/db/schema/index.ts';
import { rowsOf } from '../../src/db/rows.ts';
import type { Actor } from '../../src/services/actor.ts';
import { getFieldTask, listMyTasks, listPendingVisits, recordVisit, reviewVisit, syncFieldTasks } from '../../src/services/field/index.ts';
import { scanFindings } from '../../src/services/registry/quality/scan.ts';
import { fieldScopeOf } from '../../src/services/staff/field-scope.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { flowHarness, startedChat, type FlowHarness } from '../helpers/chat.ts';

// Issue 19's loop, on the real engine and the real services: a resident who is not of the family writes in
// the chat that a neighbour died, naming the neighbour and the NIK they know → the findings scan finds the
// member the NIK points to → a task for the TKSK who covers the kelurahan → the TKSK's visit (death, date,
// GPS) → the supervisor approves → the member is marked deceased, their own enrollments suspended for
// review, the report's finding closed and the task done. Until the approval nothing in the registry changed:
// a NIK typed in a chat only says where to look.

const TRACKING = /ADU-\d{4}-\d{5}/;

let h: FlowHarness;
beforeAll(async () => {
  h = await flowHarness();
}, 120_000);
afterAll(() => h?.dispose());

describe('a neighbour reported deceased in the chat, visited by the TKSK, approved by the supervisor', () => {
  it('changes the registry only after the visit and the approval', async () => {
    const db = h.database.db;
    const now = h.clock();
    const opts = { now, timeZone: 'Asia/Jakarta' };
    // A living member with an enrollment of their own, somewhere in the demo city.
    const [subject] = rowsOf<{ id: number; nik: string; household_id: number; kelurahan_id: number; kecamatan_id: number }>(
      await db.execute(sql`select m.id, m.nik, m.household_id, h.kelurahan_id, k.kecamatan_id from members m
        join households h on h.id = m.household_id join kelurahan k on k.id = h.kelurahan_id
        where not m.deceased and m.missing_since is null
          and (select count(*) from members m2 where m2.nik = m.nik) = 1
          and exists (select 1 from enrollments e where e.member_id = m.id and e.status = 'active')
        order by m.id limit 1`),
    );
    if (!subject) throw new Error('the demo city has no member with an enrollment of their own');
    const supervisorUser = await createStaffUser(db, 'system', { email: 'spv.loop@pintu.test', name: 'Supervisor Loop', role: 'supervisor', kecamatanId: Number(subject.kecamatan_id) });
    const tkskUser = await createStaffUser(db, 'system', {
      email: 'tksk.loop@pintu.test',
      name: 'Andi Saputra',
      role: 'field_officer',
      fieldRole: 'tksk',
      kecamatanId: Number(subject.kecamatan_id),
      kelurahanIds: [Number(subject.kelurahan_id)],
    });
    const supervisor: Actor = { kind: 'staff', id: supervisorUser.id, role: 'supervisor', kecamatanId: Number(subject.kecamatan_id), bidang: null };
    const tksk: Actor = { kind: 'staff', id: tkskUser.id, role: 'field_officer', kecamatanId: Number(subject.kecamatan_id), bidang: null, ...(await fieldScopeOf(db, tkskUser.id, 'tksk')) };

    // The neighbour writes from a chat that is nobody's in the registry.
    const chat = await startedChat(h.engine, 'id');
    await chat.choose('complaint');
    await chat.choose('wrong_data');
    await chat.say(`Pak Rahman tetangga saya, ${subject.nik}`);
    await chat.choose('died');
    await chat.say('Meninggal minggu lalu di rumah sakit, sudah dimakamkan.');
    await chat.choose('skip');
    await chat.choose('send');
    const trackingId = TRACKING.exec(chat.text)?.[0];
    expect(trackingId).toBeDefined();

    // The scan points the report at the member; the sync gives the kelurahan's TKSK a task.
    await scanFindings(db, opts);
    const [finding] = await db.select().from(findings).where(and(eq(findings.kind, 'reported_deceased'), sql`${findings.details} ->> 'trackingId' = ${trackingId!}`));
    expect(finding).toMatchObject({ status: 'open', memberId: Number(subject.id), householdId: Number(subject.household_id), kelurahanId: Number(subject.kelurahan_id) });
    expect(finding!.details).toMatchObject({ byOther: true });
    await syncFieldTasks(db, opts);
    const mine = await listMyTasks(db, tksk, opts);
    const task = mine.find((t) => t.kind === 'finding' && t.sourceId === finding!.id);
    expect(task).toMatchObject({ reason: 'reported_deceased', assigneeId: tksk.id, status: 'open', memberId: Number(subject.id) });
    // Nothing changed yet.
    expect((await db.select().from(members).where(eq(members.id, Number(subject.id))))[0]!.deceased).toBe(false);

    // The visit: the TKSK met the family, saw the death certificate, took the position.
    const detail = await getFieldTask(db, tksk, task!.id, opts);
    expect(detail!.personMasked).not.toContain(subject.nik);
    const visit = await recordVisit(
      db,
      tksk,
      task!.id,
      { clientKey: 'loop_visit_0001_abcdef', outcome: 'deceased', diedOn: '2026-11-20', checklist: { met_household: true, saw_document: true }, latitude: 1.1301, longitude: 104.0529, accuracyM: 12, visitedAt: now },
      opts,
    );
    expect(visit).toMatchObject({ ok: true, review: 'pending', taskStatus: 'visited' });
    // Sent again after a reconnect: the same visit.
    const again = await recordVisit(db, tksk, task!.id, { clientKey: 'loop_visit_0001_abcdef', outcome: 'deceased', diedOn: '2026-11-20', latitude: 1.1301, longitude: 104.0529, accuracyM: 12, visitedAt: now }, opts);
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(await db.select().from(fieldVisits).where(eq(fieldVisits.taskId, task!.id))).toHaveLength(1);

    // The supervisor approves: now the registry says so.
    const pending = await listPendingVisits(db, supervisor, opts);
    expect(pending.map((p) => p.task.id)).toContain(task!.id);
    expect(await reviewVisit(db, supervisor, (visit as { visitId: number }).visitId, 'approve', undefined, opts)).toEqual({ ok: true });
    expect((await db.select().from(members).where(eq(members.id, Number(subject.id))))[0]!.deceased).toBe(true);
    const own = await db.select().from(enrollments).where(eq(enrollments.memberId, Number(subject.id)));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.status !== 'active')).toBe(true);
    const [closed] = await db.select().from(findings).where(eq(findings.id, finding!.id));
    expect(closed!.status).not.toBe('open');
    expect((await db.select().from(fieldTasks).where(eq(fieldTasks.id, task!.id)))[0]!.status).toBe('done');

    // The next scan does not send anyone again.
    await scanFindings(db, opts);
    await syncFieldTasks(db, opts);
    expect((await db.select().from(findings).where(eq(findings.id, finding!.id)))[0]!.status).toBe(closed!.status);
    const open = await db.select().from(fieldTasks).where(and(eq(fieldTasks.sourceId, finding!.id), eq(fieldTasks.kind, 'finding'), eq(fieldTasks.status, 'open')));
    expect(open).toEqual([]);
    // The household stays where it was.
    const [hh] = await db.select({ kelurahanId: households.kelurahanId }).from(households).where(eq(households.id, Number(subject.household_id)));
    expect(hh!.kelurahanId).toBe(Number(subject.kelurahan_id));
    expect(await db.select().from(kelurahan).where(eq(kelurahan.id, hh!.kelurahanId))).toHaveLength(1);
  });
});
