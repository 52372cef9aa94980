import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, fieldTasks, findings } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { assignFieldTask, fieldWorkersFor, getFieldTask, listFieldTasks, listMyTasks, syncFieldTasks, workerSummary } from '../../../src/services/field/index.ts';
import { fieldWorker, fieldWorld, makeFinding, makeHousehold, NOW, TZ, type FieldWorld } from './fixtures.ts';

// Issue 19, step 1: findings a visit can settle become tasks for the kelurahan's field worker (sync), and each
// task is seen only by its worker, the unassigned ones by every worker of the kelurahan, and by the kecamatan's
// supervisor; anyone else is refused, and a task out of reach answers as missing.

let w: FieldWorld;
const opts = { now: NOW, timeZone: TZ };

beforeAll(async () => {
  w = await fieldWorld();
}, 120_000);
afterAll(async () => {
  await w?.database.dispose();
});

const taskOf = async (findingId: number) => (await w.db.select().from(fieldTasks).where(and(eq(fieldTasks.kind, 'finding'), eq(fieldTasks.sourceId, findingId))));

describe('syncFieldTasks', () => {
  it('makes one task per open finding a visit can settle, assigns it, and is idempotent', async () => {
    const { area } = w;
    // kelA1: one worker; kelA2: two workers (one already busy); kelB1: nobody.
    const solo = await fieldWorker(w.db, [area.kelA1]);
    const busy = await fieldWorker(w.db, [area.kelA2]);
    const free = await fieldWorker(w.db, [area.kelA2]);
    await fieldWorker(w.db, [area.kelA2], { active: false });
    const hA1 = await makeHousehold(w.db, { kelurahanId: area.kelA1 });
    const hA2 = await makeHousehold(w.db, { kelurahanId: area.kelA2 });
    const hB1 = await makeHousehold(w.db, { kelurahanId: area.kelB1 });
    // The busy worker already holds one open task elsewhere in their kelurahan.
    const earlier = await makeFinding(w.db, { kind: 'reported_moved', kecamatanId: area.kecA, kelurahanId: area.kelA2, householdId: hA2.householdId });
    await w.db.insert(fieldTasks).values({ kind: 'finding', sourceId: earlier, kecamatanId: area.kecA, kelurahanId: area.kelA2, householdId: hA2.householdId, assigneeId: busy.id, dueOn: '2026-12-01', details: { findingKind: 'reported_moved' } });

    const deceased = await makeFinding(w.db, { kind: 'reported_deceased', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: hA1.householdId });
    const dupA2a = await makeFinding(w.db, { kind: 'duplicate_nik', kecamatanId: area.kecA, kelurahanId: area.kelA2, householdId: hA2.householdId, memberId: hA2.memberIds[1]! });
    const dupA2b = await makeFinding(w.db, { kind: 'deceased_enrolled', kecamatanId: area.kecA, kelurahanId: area.kelA2, householdId: hA2.householdId, memberId: hA2.memberIds[0]! });
    const nobody = await makeFinding(w.db, { kind: 'reported_moved', kecamatanId: area.kecB, kelurahanId: area.kelB1, householdId: hB1.householdId });
    const deskWork = await makeFinding(w.db, { kind: 'phone_unusable', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: hA1.householdId });
    const noArea = await makeFinding(w.db, { kind: 'reported_deceased', kecamatanId: area.kecA, kelurahanId: null, householdId: hA1.householdId });
    const closed = await makeFinding(w.db, { kind: 'reported_deceased', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: hA1.householdId, status: 'accepted' });

    const first = await syncFieldTasks(w.db, opts);
    expect(first).toEqual({ created: 4, cancelled: 0 });

    const [tDeceased] = await taskOf(deceased);
    // Tuesday 24 November + 10 working days = Tuesday 8 December (no holidays in this database).
    expect(tDeceased).toMatchObject({ status: 'open', assigneeId: solo.id, kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: hA1.householdId, dueOn: '2026-12-08', details: { findingKind: 'reported_deceased' } });
    // Two new tasks in kelA2: the free worker first (0 open against 1), then a tie (1–1) to the lower id.
    const a = (await taskOf(dupA2a))[0]!;
    const b = (await taskOf(dupA2b))[0]!;
    expect(a.assigneeId).toBe(free.id);
    expect(b.assigneeId).toBe(Math.min(busy.id, free.id));
    expect(b.memberId).toBe(hA2.memberIds[0]);
    expect((await taskOf(nobody))[0]).toMatchObject({ status: 'open', assigneeId: null, kecamatanId: area.kecB });
    for (const none of [deskWork, noArea, closed]) expect(await taskOf(none)).toHaveLength(0);
    expect(await taskOf(earlier)).toHaveLength(1); // already had its task

    expect(await syncFieldTasks(w.db, opts)).toEqual({ created: 0, cancelled: 0 });
    // Two processes at once: still one task per finding.
    const again = await makeFinding(w.db, { kind: 'reported_moved', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: hA1.householdId });
    const both = await Promise.all([syncFieldTasks(w.db, opts), syncFieldTasks(w.db, opts)]);
    expect(both[0].created + both[1].created).toBe(1);
    expect(await taskOf(again)).toHaveLength(1);
  });

  it('cancels an open task whose finding staff closed, and leaves a visited one alone', async () => {
    const { area } = w;
    const h = await makeHousehold(w.db, { kelurahanId: area.kelA1 });
    const open = await makeFinding(w.db, { kind: 'reported_moved', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: h.householdId });
    const visited = await makeFinding(w.db, { kind: 'reported_deceased', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: h.householdId });
    await syncFieldTasks(w.db, opts);
    const [tVisited] = await taskOf(visited);
    await w.db.update(fieldTasks).set({ status: 'visited' }).where(eq(fieldTasks.id, tVisited!.id));
    await w.db.update(findings).set({ status: 'resolved', resolutionNote: 'sudah diperbaiki di meja' }).where(eq(findings.id, open));
    await w.db.update(findings).set({ status: 'accepted', resolutionNote: 'benar adanya' }).where(eq(findings.id, visited));
    expect(await syncFieldTasks(w.db, opts)).toEqual({ created: 0, cancelled: 1 });
    expect((await taskOf(open))[0]!.status).toBe('cancelled');
    expect((await taskOf(visited))[0]!.status).toBe('visited');
    // Reopened by a scan: a fresh task, the cancelled one stays as history.
    await w.db.update(findings).set({ status: 'open', resolutionNote: null }).where(eq(findings.id, open));
    expect((await syncFieldTasks(w.db, opts)).created).toBe(1);
    expect((await taskOf(open)).map((t) => t.status).sort()).toEqual(['cancelled', 'open']);
  });

  it('does not send a worker again for a finding whose task is done and that did not open again since', async () => {
    const { area } = w;
    const h = await makeHousehold(w.db, { kelurahanId: area.kelA1 });
    const dup = await makeFinding(w.db, { kind: 'duplicate_nik', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: h.householdId, memberId: h.memberIds[0]! });
    await syncFieldTasks(w.db, opts);
    const [t] = await taskOf(dup);
    await w.db.update(fieldTasks).set({ status: 'done', updatedAt: NOW }).where(eq(fieldTasks.id, t!.id));
    expect((await syncFieldTasks(w.db, opts)).created).toBe(0);
    await w.db.update(findings).set({ details: { reopenedAt: new Date(NOW.getTime() + 60_000).toISOString() } }).where(eq(findings.id, dup));
    expect((await syncFieldTasks(w.db, opts)).created).toBe(1);
  });
});

describe('scope', () => {
  let mine: Actor;
  let neighbour: Actor;
  let elsewhere: Actor;
  let assignedTask: number;
  let unassignedTask: number;
  let othersTask: number;

  beforeAll(async () => {
    const { area } = w;
    // kelA2 already has workers from the sync suite; these three are on their own.
    mine = await fieldWorker(w.db, [area.kelA1, area.kelA2], { name: 'Siti Rahayu' });
    neighbour = await fieldWorker(w.db, [area.kelA1]);
    elsewhere = await fieldWorker(w.db, [area.kelB1]);
    const h = await makeHousehold(w.db, { kelurahanId: area.kelA1 });
    const mk = async (assigneeId: number | null, memberId: number | null) => {
      const f = await makeFinding(w.db, { kind: 'reported_deceased', kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: h.householdId, memberId });
      const [t] = await w.db
        .insert(fieldTasks)
        .values({ kind: 'finding', sourceId: f, kecamatanId: area.kecA, kelurahanId: area.kelA1, householdId: h.householdId, memberId, assigneeId, dueOn: '2026-11-20', details: { findingKind: 'reported_deceased' } })
        .returning({ id: fieldTasks.id });
      return t!.id;
    };
    assignedTask = await mk(mine.id, h.memberIds[1]!);
    unassignedTask = await mk(null, null);
    othersTask = await mk(neighbour.id, null);
  });

  it('shows a worker their own and the unassigned tasks of their kelurahan, masked, due first', async () => {
    const list = await listMyTasks(w.db, mine, opts);
    const ids = list.map((t) => t.id);
    expect(ids).toContain(assignedTask);
    expect(ids).toContain(unassignedTask);
    expect(ids).not.toContain(othersTask);
    const t = list.find((x) => x.id === assignedTask)!;
    expect(t).toMatchObject({ reason: 'reported_deceased', overdue: true, dueOn: '2026-11-20', kelurahanName: 'Sungai Binti', address: 'Perum Uji Blok A No. 7, RT 003/RW 005', members: [], lastVisit: null });
    expect(t.personMasked).toMatch(/^A\*+ /); // the member ("Anggota 1 …"), masked
    expect(JSON.stringify(list)).not.toMatch(/\d{16}/);
    expect((await listMyTasks(w.db, elsewhere, opts)).map((x) => x.id)).not.toContain(unassignedTask);
    expect(await listMyTasks(w.db, { ...mine, kelurahanIds: [] }, opts)).toEqual([]);
  });

  it('answers a task out of reach as missing, and refuses those without field permissions', async () => {
    expect(await getFieldTask(w.db, elsewhere, assignedTask, opts)).toBeUndefined();
    expect(await getFieldTask(w.db, neighbour, assignedTask, opts)).toBeUndefined();
    expect(await getFieldTask(w.db, w.supervisorB, assignedTask, opts)).toBeUndefined();
    await expect(getFieldTask(w.db, w.operatorA, assignedTask, opts)).rejects.toBeInstanceOf(Forbidden);
    await expect(listMyTasks(w.db, w.operatorA, opts)).rejects.toBeInstanceOf(Forbidden);
    await expect(listFieldTasks(w.db, mine, {}, opts)).rejects.toBeInstanceOf(Forbidden);
    await expect(workerSummary(w.db, w.operatorA, opts)).rejects.toBeInstanceOf(Forbidden);
  });

  it('opens one task with the living members, masked, and audits it', async () => {
    const t = await getFieldTask(w.db, mine, assignedTask, opts);
    expect(t!.members).toHaveLength(2);
    for (const m of t!.members) expect(m.nameMasked).not.toMatch(/[a-z]{2}/i); // nothing past a first letter
    expect(t!.members[0]).toMatchObject({ relationship: 'kepala', birthYear: 1958 });
    const bySupervisor = await getFieldTask(w.db, w.supervisorA, assignedTask, opts);
    expect(bySupervisor!.id).toBe(assignedTask);
    const rows = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'field_task.read'), eq(auditLog.entityId, String(assignedTask))));
    expect(rows.map((r) => r.staffId).sort()).toEqual([mine.id, w.supervisorA.id].sort());
  });

  it('lists for the supervisor with filters, within their kecamatan', async () => {
    const all = await listFieldTasks(w.db, w.supervisorA, {}, opts);
    expect(all.every((t) => t.kecamatanId === w.area.kecA)).toBe(true);
    expect((await listFieldTasks(w.db, w.supervisorB, {}, opts)).every((t) => t.kecamatanId === w.area.kecB)).toBe(true);
    const none = await listFieldTasks(w.db, w.supervisorA, { assigneeId: 'none' }, opts);
    expect(none.map((t) => t.id)).toContain(unassignedTask);
    expect(none.every((t) => t.assigneeId === null)).toBe(true);
    const overdue = await listFieldTasks(w.db, w.supervisorA, { overdue: true, kelurahanId: w.area.kelA1 }, opts);
    expect(overdue.map((t) => t.id).sort()).toEqual([assignedTask, unassignedTask, othersTask].sort());
    expect((await listFieldTasks(w.db, w.supervisorA, { overdue: false }, opts)).every((t) => !t.overdue)).toBe(true);
    expect((await listFieldTasks(w.db, w.supervisorA, { assigneeId: mine.id }, opts)).map((t) => t.id)).toEqual([assignedTask]);
  });

  it('assigns to a worker covering the kelurahan only, audited', async () => {
    expect(await assignFieldTask(w.db, w.supervisorB, unassignedTask, mine.id, opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await assignFieldTask(w.db, w.supervisorA, unassignedTask, elsewhere.id, opts)).toEqual({ ok: false, reason: 'outside_kelurahan' });
    expect(await assignFieldTask(w.db, w.supervisorA, unassignedTask, w.operatorA.id, opts)).toEqual({ ok: false, reason: 'not_field_worker' });
    await expect(assignFieldTask(w.db, mine, unassignedTask, mine.id, opts)).rejects.toBeInstanceOf(Forbidden);
    expect(await assignFieldTask(w.db, w.supervisorA, unassignedTask, neighbour.id, opts)).toEqual({ ok: true });
    expect((await getFieldTask(w.db, mine, unassignedTask, opts))).toBeUndefined(); // no longer theirs to see
    expect(await assignFieldTask(w.db, w.supervisorA, unassignedTask, null, opts)).toEqual({ ok: true });
    const [audited] = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'field_task.assign'), eq(auditLog.entityId, String(unassignedTask))));
    expect(audited!.details).toMatchObject({ fromStaffId: null, toStaffId: neighbour.id });
    await w.db.update(fieldTasks).set({ status: 'done' }).where(eq(fieldTasks.id, othersTask));
    expect(await assignFieldTask(w.db, w.supervisorA, othersTask, mine.id, opts)).toEqual({ ok: false, reason: 'invalid_status' });
  });

  it('tells the supervisor who covers a kelurahan and how loaded each worker is', async () => {
    const covering = await fieldWorkersFor(w.db, w.supervisorA, w.area.kelA1);
    expect(covering.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, neighbour.id]));
    expect(covering.map((c) => c.id)).not.toContain(elsewhere.id);
    expect(covering.every((c) => c.fieldRole === 'tksk')).toBe(true);
    expect(await fieldWorkersFor(w.db, w.supervisorB, w.area.kelA1)).toEqual([]);
    const summary = await workerSummary(w.db, w.supervisorA, opts);
    const me = summary.find((s) => s.staffId === mine.id)!;
    expect(me).toMatchObject({ name: 'Siti Rahayu', fieldRole: 'tksk', roleNames: { id: 'TKSK (Tenaga Kesejahteraan Sosial Kecamatan)', en: 'TKSK (sub-district social welfare worker)' }, kelurahan: ['Sungai Binti', 'Tembesi'], open: 1, overdue: 1, visitedThisMonth: 0 });
    expect(summary.map((s) => s.staffId)).not.toContain(elsewhere.id);
    expect((await workerSummary(w.db, w.supervisorB, opts)).map((s) => s.staffId)).toContain(elsewhere.id);
  });
});
