import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachmentBlobs, auditLog, enrollments, fieldTasks, fieldVisitPhotos, fieldVisits, findings, households, members } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import {
  checklistFor,
  getFieldTask,
  getVisitPhoto,
  listPendingVisits,
  MAX_PHOTO_BYTES,
  MAX_VISIT_NOTE,
  recordVisit,
  reviewVisit,
  syncFieldTasks,
  workerSummary,
  type VisitInput,
} from '../../../src/services/field/index.ts';
import { clientKey, fieldWorker, fieldWorld, JPEG, makeFinding, makeHousehold, NOW, PNG, TZ, WEBP, type FieldWorld } from './fixtures.ts';

// Issue 19: the visit form as the phone sends it. Bad input is refused whole and changes nothing, a form sent
// twice is one visit, and a death or a move reaches the registry only through a supervisor's approval.

let w: FieldWorld;
let tksk: Actor;
const opts = { now: NOW, timeZone: TZ };

beforeAll(async () => {
  w = await fieldWorld();
  tksk = await fieldWorker(w.db, [w.area.kelA1]);
}, 120_000);
afterAll(async () => {
  await w?.database.dispose();
});

/** A reported death in kelA1 turned into a task by the sync, for the TKSK of kelA1. */
async function reportedDeath(opts2: { memberOnFinding?: boolean; kind?: 'reported_deceased' | 'deceased_enrolled' | 'reported_moved' | 'duplicate_nik' } = {}) {
  const h = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.personProgramId, unit: 'person' } });
  const findingId = await makeFinding(w.db, {
    kind: opts2.kind ?? 'reported_deceased',
    kecamatanId: w.area.kecA,
    kelurahanId: w.area.kelA1,
    householdId: h.householdId,
    memberId: opts2.memberOnFinding ? h.memberIds[0]! : null,
  });
  await syncFieldTasks(w.db, opts);
  const [task] = await w.db.select().from(fieldTasks).where(and(eq(fieldTasks.kind, 'finding'), eq(fieldTasks.sourceId, findingId)));
  // Other workers of kelA1 made along the way share the new tasks (sync.ts); these suites follow this one's.
  await w.db.update(fieldTasks).set({ assigneeId: tksk.id }).where(eq(fieldTasks.id, task!.id));
  return { h, findingId, taskId: task!.id };
}

const visit = (over: Partial<VisitInput> = {}): VisitInput => ({ clientKey: clientKey(), outcome: 'found', visitedAt: new Date(NOW.getTime() - 3_600_000), ...over });

async function counts() {
  const [v] = await w.db.select({ n: count() }).from(fieldVisits);
  const [p] = await w.db.select({ n: count() }).from(fieldVisitPhotos);
  const [a] = await w.db.select({ n: count() }).from(auditLog);
  const tasks = await w.db.select({ id: fieldTasks.id, status: fieldTasks.status, assigneeId: fieldTasks.assigneeId }).from(fieldTasks).orderBy(fieldTasks.id);
  return { visits: Number(v!.n), photos: Number(p!.n), audit: Number(a!.n), tasks };
}

describe('recordVisit refusals', () => {
  let taskId: number;
  let otherHouseholdMember: number;
  beforeEach(async () => {
    ({ taskId } = await reportedDeath());
    otherHouseholdMember = (await makeHousehold(w.db, { kelurahanId: w.area.kelA1 })).memberIds[0]!;
  });

  it('refuses each bad form and changes nothing', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]);
    const cases: [Partial<VisitInput>, string][] = [
      [{ clientKey: 'short' }, 'client_key_invalid'],
      [{ clientKey: 'has spaces in it, not allowed!!' }, 'client_key_invalid'],
      [{ outcome: 'gone' as never }, 'invalid_outcome'],
      [{ outcome: 'moved' }, 'moved_to_missing'],
      [{ outcome: 'moved', movedTo: 'x'.repeat(301) }, 'moved_to_missing'],
      [{ outcome: 'moved', movedTo: 'Tanjung Pinang', movedKelurahanId: 987654 }, 'moved_kelurahan_invalid'],
      [{ outcome: 'deceased', memberId: 0 }, 'died_on_invalid'],
      [{ outcome: 'deceased', diedOn: '2026-02-30' }, 'died_on_invalid'],
      [{ outcome: 'deceased', diedOn: '2026-11-25' }, 'died_on_invalid'], // tomorrow in Jakarta
      [{ outcome: 'deceased', diedOn: '2026-11-20' }, 'member_invalid'], // the task names nobody
      [{ outcome: 'deceased', diedOn: '2026-11-20', memberId: otherHouseholdMember }, 'member_invalid'],
      [{ checklist: { not_on_the_list: true } }, 'checklist_invalid'],
      [{ checklist: { met_household: 'yes' as never } }, 'checklist_invalid'],
      [{ note: 'x'.repeat(MAX_VISIT_NOTE + 1) }, 'note_too_long'],
      [{ latitude: 1.1, longitude: 104.0 }, 'gps_incomplete'], // a fix with no accuracy
      [{ latitude: 1.1, longitude: 104.0, accuracyM: 0 }, 'gps_invalid'],
      [{ latitude: 91, longitude: 104.0, accuracyM: 10 }, 'gps_invalid'],
      [{ latitude: 1.1, longitude: 181, accuracyM: 10 }, 'gps_invalid'],
      [{ visitedAt: new Date(NOW.getTime() + 6 * 60_000) }, 'visited_at_invalid'],
      [{ visitedAt: new Date('nope') }, 'visited_at_invalid'],
      [{ photos: [{ bytes: Buffer.from('<html><script>alert(1)</script>'), mimeType: 'image/jpeg' }] }, 'photo_not_image'],
      [{ photos: [{ bytes: Buffer.from('%PDF-1.4 a letter'), mimeType: 'application/pdf' }] }, 'photo_not_image'],
      [{ photos: [{ bytes: big, mimeType: 'image/jpeg' }] }, 'photo_too_big'],
      [{ photos: [JPEG, PNG, WEBP, JPEG].map((bytes) => ({ bytes, mimeType: 'image/jpeg' })) }, 'too_many_photos'],
    ];
    const before = await counts();
    for (const [over, reason] of cases) {
      expect({ over: Object.keys(over), r: await recordVisit(w.db, tksk, taskId, visit(over), opts) }).toEqual({ over: Object.keys(over), r: { ok: false, reason } });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a task out of reach or closed, and those without field.work', async () => {
    const other = await fieldWorker(w.db, [w.area.kelB1]);
    const before = await counts();
    expect(await recordVisit(w.db, other, taskId, visit(), opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await recordVisit(w.db, tksk, 99_999_999, visit(), opts)).toEqual({ ok: false, reason: 'not_found' });
    await expect(recordVisit(w.db, w.operatorA, taskId, visit(), opts)).rejects.toBeInstanceOf(Forbidden);
    await expect(recordVisit(w.db, w.supervisorA, taskId, visit(), opts)).rejects.toBeInstanceOf(Forbidden);
    expect(await counts()).toEqual(before);
    await w.db.update(fieldTasks).set({ status: 'cancelled' }).where(eq(fieldTasks.id, taskId));
    expect(await recordVisit(w.db, tksk, taskId, visit(), opts)).toEqual({ ok: false, reason: 'task_closed' });
  });
});

describe('recordVisit', () => {
  it('records a form sent twice once, with its photos stored by their real type', async () => {
    const { taskId } = await reportedDeath();
    await w.db.update(fieldTasks).set({ assigneeId: null }).where(eq(fieldTasks.id, taskId));
    const input = visit({
      outcome: 'found',
      checklist: { met_household: true, checked_family_card: false },
      note: 'Ibu Suryani sehat, sedang di rumah.',
      latitude: 1.0456,
      longitude: 104.0305,
      accuracyM: 12.5,
      photos: [
        { bytes: PNG, mimeType: 'image/jpeg' }, // the phone's claim is not what is stored
        { bytes: WEBP, mimeType: 'image/webp' },
      ],
    });
    const first = await recordVisit(w.db, tksk, taskId, input, opts);
    expect(first).toMatchObject({ ok: true, duplicate: false, review: 'pending', taskStatus: 'visited' });
    const again = await recordVisit(w.db, tksk, taskId, input, opts);
    expect(again).toEqual({ ...first, duplicate: true });
    // Two sends racing each other after a reconnect: still one visit.
    const racing = visit({ outcome: 'not_found' });
    const { taskId: t2 } = await reportedDeath();
    const both = await Promise.all([recordVisit(w.db, tksk, t2, racing, opts), recordVisit(w.db, tksk, t2, racing, opts)]);
    expect(both.map((b) => b.ok && b.duplicate).sort()).toEqual([false, true]);
    expect(await w.db.select().from(fieldVisits).where(eq(fieldVisits.clientKey, racing.clientKey))).toHaveLength(1);

    const rows = await w.db.select().from(fieldVisits).where(eq(fieldVisits.taskId, taskId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ staffId: tksk.id, outcome: 'found', review: 'pending', checklist: { met_household: true, checked_family_card: false }, accuracyM: 12.5 });
    const photos = await w.db.select().from(fieldVisitPhotos).where(eq(fieldVisitPhotos.visitId, rows[0]!.id));
    expect(photos.map((p) => p.mimeType).sort()).toEqual(['image/png', 'image/webp']);
    // The unassigned task became the worker's.
    const [task] = await w.db.select().from(fieldTasks).where(eq(fieldTasks.id, taskId));
    expect(task).toMatchObject({ status: 'visited', assigneeId: tksk.id });
    // The same key on another task is not this form.
    const { taskId: t3 } = await reportedDeath();
    expect(await recordVisit(w.db, tksk, t3, input, opts)).toEqual({ ok: false, reason: 'client_key_invalid' });

    // The photo: for the worker who took it and the kecamatan's supervisor, nobody else.
    const png = photos.find((p) => p.mimeType === 'image/png')!;
    expect((await getVisitPhoto(w.db, tksk, rows[0]!.id, png.sha256))!.bytes.equals(PNG)).toBe(true);
    expect((await getVisitPhoto(w.db, w.supervisorA, rows[0]!.id, png.sha256))!.mimeType).toBe('image/png');
    expect(await getVisitPhoto(w.db, w.supervisorB, rows[0]!.id, png.sha256)).toBeUndefined();
    expect(await getVisitPhoto(w.db, await fieldWorker(w.db, [w.area.kelA1]), rows[0]!.id, png.sha256)).toBeUndefined();
    await expect(getVisitPhoto(w.db, w.operatorA, rows[0]!.id, png.sha256)).rejects.toBeInstanceOf(Forbidden);
    expect(await w.db.select().from(attachmentBlobs).where(eq(attachmentBlobs.sha256, png.sha256))).toHaveLength(1);
  });

  it('keeps the task open after nobody was found or the family refused', async () => {
    const { taskId } = await reportedDeath();
    expect(await recordVisit(w.db, tksk, taskId, visit({ outcome: 'not_found' }), opts)).toMatchObject({ ok: true, review: 'not_needed', taskStatus: 'open' });
    expect(await recordVisit(w.db, tksk, taskId, visit({ outcome: 'refused' }), opts)).toMatchObject({ ok: true, review: 'not_needed', taskStatus: 'open' });
    const t = await getFieldTask(w.db, tksk, taskId, opts);
    expect(t).toMatchObject({ status: 'open', lastVisit: { outcome: 'refused', review: 'not_needed' } });
    expect((await checklistFor(w.db, 'finding')).map((i) => i.key)).toContain('met_household');
  });
});

describe('review', () => {
  it('closes the loop on a death: finding → task → visit → approval → member deceased, enrollment suspended', async () => {
    const { h, findingId, taskId } = await reportedDeath();
    const head = h.memberIds[0]!;
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'deceased', diedOn: '2026-11-18', memberId: head, note: 'Menurut Ketua RT, meninggal minggu lalu.' }), opts);
    expect(r).toMatchObject({ ok: true, review: 'pending', taskStatus: 'visited' });
    const visitId = r.ok ? r.visitId : 0;
    // Nothing in the registry moves before the decision.
    expect((await w.db.select().from(members).where(eq(members.id, head)))[0]!.deceased).toBe(false);

    const pending = await listPendingVisits(w.db, w.supervisorA, opts);
    const mine = pending.find((p) => p.visitId === visitId)!;
    expect(mine).toMatchObject({ outcome: 'deceased', diedOn: '2026-11-18', task: { id: taskId, status: 'visited' } });
    expect(mine.memberMasked).toMatch(/^S\*+ B\*+/);
    expect((await listPendingVisits(w.db, w.supervisorB, opts)).map((p) => p.visitId)).not.toContain(visitId);
    await expect(listPendingVisits(w.db, tksk, opts)).rejects.toBeInstanceOf(Forbidden);

    expect(await reviewVisit(w.db, w.supervisorB, visitId, 'approve', undefined, opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await reviewVisit(w.db, w.supervisorA, visitId, 'approve', undefined, opts)).toEqual({ ok: true });
    expect(await reviewVisit(w.db, w.supervisorA, visitId, 'approve', undefined, opts)).toEqual({ ok: false, reason: 'not_pending' });

    expect((await w.db.select().from(members).where(eq(members.id, head)))[0]!.deceased).toBe(true);
    expect((await w.db.select().from(enrollments).where(eq(enrollments.memberId, head))).map((e) => e.status)).toEqual(['suspended']);
    const [f] = await w.db.select().from(findings).where(eq(findings.id, findingId));
    // A report from the chat stays found by the scan while the complaint exists: closed as accepted (approval.ts).
    expect(f).toMatchObject({ status: 'accepted', resolvedBy: w.supervisorA.id, resolvedAt: NOW });
    expect(f!.resolutionNote).toContain(`#${visitId}`);
    expect(f!.resolutionNote).toContain('Ketua RT');
    const [task] = await w.db.select().from(fieldTasks).where(eq(fieldTasks.id, taskId));
    expect(task!.status).toBe('done');
    const [v] = await w.db.select().from(fieldVisits).where(eq(fieldVisits.id, visitId));
    expect(v).toMatchObject({ review: 'approved', reviewedBy: w.supervisorA.id });
    const load = (await workerSummary(w.db, w.supervisorA, opts)).find((s) => s.staffId === tksk.id)!;
    expect(load.visitedThisMonth).toBeGreaterThan(0);
    const actions = (await w.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.staffId, w.supervisorA.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.mark_deceased', 'enrollment.suspend', 'finding.accept', 'field_visit.approve']));
  });

  it('resolves a deceased-but-enrolled record with the member the finding names', async () => {
    const { h, findingId, taskId } = await reportedDeath({ kind: 'deceased_enrolled', memberOnFinding: true });
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'deceased', diedOn: '2026-10-01' }), opts);
    expect(r.ok).toBe(true);
    expect(await reviewVisit(w.db, w.supervisorA, r.ok ? r.visitId : 0, 'approve', 'Akta kematian dilihat.', opts)).toEqual({ ok: true });
    expect((await w.db.select().from(enrollments).where(eq(enrollments.memberId, h.memberIds[0]!)))[0]!.status).toBe('suspended');
    expect((await w.db.select().from(findings).where(eq(findings.id, findingId)))[0]).toMatchObject({ status: 'resolved' });
  });

  it('moves the household on approval when the kelurahan is known, audited with old and new', async () => {
    const { h, findingId, taskId } = await reportedDeath({ kind: 'reported_moved' });
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'moved', movedTo: 'Perumahan Tembesi Indah', movedKelurahanId: w.area.kelA2 }), opts);
    expect(await reviewVisit(w.db, w.supervisorA, r.ok ? r.visitId : 0, 'approve', undefined, opts)).toEqual({ ok: true });
    expect((await w.db.select().from(households).where(eq(households.id, h.householdId)))[0]!.kelurahanId).toBe(w.area.kelA2);
    const [moved] = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'household.move'), eq(auditLog.entityId, String(h.householdId))));
    expect(moved!.details).toMatchObject({ fromKelurahanId: w.area.kelA1, toKelurahanId: w.area.kelA2 });
    expect((await w.db.select().from(findings).where(eq(findings.id, findingId)))[0]!.status).not.toBe('open');
  });

  it('accepts the finding when the person reported dead is found alive', async () => {
    const { h, findingId, taskId } = await reportedDeath();
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'found' }), opts);
    expect(await reviewVisit(w.db, w.supervisorA, r.ok ? r.visitId : 0, 'approve', undefined, opts)).toEqual({ ok: true });
    expect((await w.db.select().from(findings).where(eq(findings.id, findingId)))[0]!.status).toBe('accepted');
    expect((await w.db.select().from(members).where(eq(members.householdId, h.householdId))).every((m) => !m.deceased)).toBe(true);
  });

  it('records a duplicate NIK visit and leaves the finding for the registry desk', async () => {
    const { h, findingId, taskId } = await reportedDeath({ kind: 'duplicate_nik', memberOnFinding: true });
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'deceased', diedOn: '2026-10-01' }), opts);
    expect(r).toMatchObject({ ok: true, review: 'pending' });
    expect(await reviewVisit(w.db, w.supervisorA, r.ok ? r.visitId : 0, 'approve', undefined, opts)).toEqual({ ok: true });
    expect((await w.db.select().from(findings).where(eq(findings.id, findingId)))[0]!.status).toBe('open');
    expect((await w.db.select().from(members).where(eq(members.id, h.memberIds[0]!)))[0]!.deceased).toBe(false);
    expect((await w.db.select().from(fieldTasks).where(eq(fieldTasks.id, taskId)))[0]!.status).toBe('done');
    // …and the next sync does not send anyone again for it.
    expect((await syncFieldTasks(w.db, opts)).created).toBe(0);
  });

  it('puts the task back on a rejection, which needs a reason', async () => {
    const { h, findingId, taskId } = await reportedDeath();
    const r = await recordVisit(w.db, tksk, taskId, visit({ outcome: 'deceased', diedOn: '2026-11-18', memberId: h.memberIds[1]! }), opts);
    const visitId = r.ok ? r.visitId : 0;
    expect(await reviewVisit(w.db, w.supervisorA, visitId, 'reject', '  ', opts)).toEqual({ ok: false, reason: 'note_required' });
    expect(await reviewVisit(w.db, w.supervisorA, visitId, 'reject', 'Mohon minta surat keterangan kematian dari kelurahan.', opts)).toEqual({ ok: true });
    expect((await w.db.select().from(fieldVisits).where(eq(fieldVisits.id, visitId)))[0]).toMatchObject({ review: 'rejected', reviewNote: 'Mohon minta surat keterangan kematian dari kelurahan.' });
    expect((await w.db.select().from(fieldTasks).where(eq(fieldTasks.id, taskId)))[0]).toMatchObject({ status: 'open', assigneeId: tksk.id });
    expect((await w.db.select().from(members).where(eq(members.id, h.memberIds[1]!)))[0]!.deceased).toBe(false);
    expect((await w.db.select().from(findings).where(eq(findings.id, findingId)))[0]!.status).toBe('open');
    // The worker can go again.
    expect(await recordVisit(w.db, tksk, taskId, visit({ outcome: 'found' }), opts)).toMatchObject({ ok: true, duplicate: false });
  });
});
