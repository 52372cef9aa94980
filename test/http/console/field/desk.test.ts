import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldTasks, fieldVisitPhotos, fieldVisits, findings, members } from '../../../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { NOW } from '../../../services/distribution/fixtures.ts';
import { fieldWorld, PASSWORD, PNG, type FieldWorld } from '../../field/world.ts';

// The supervisor's field desk through the real app: the load per worker, a visit waiting for a decision with
// its photo (served never cached), approve (the member is deceased, the finding resolved, the task done),
// reject (a note required), reassigning a task, and the operator kept out.

describe('/console/field: the supervisor\'s field desk', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let w: FieldWorld;
  let spv: SignedIn;
  let tksk: SignedIn;
  const visitIds: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await fieldWorld(database.db, NOW, { inA1: 3 });
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    tksk = await signedIn(base, w.tksk.email, PASSWORD);
    spv = await signedIn(base, w.supervisor.email, PASSWORD);
    // Two deaths reported by the worker, each waiting for the supervisor.
    for (const [i, { taskId, household }] of w.inA1.slice(0, 2).entries()) {
      const form = new FormData();
      form.set('_csrf', tksk.csrf);
      for (const [k, v] of Object.entries({ clientKey: `desk-visit-${i}-aaaaaaaaaa`, outcome: 'deceased', diedOn: '2026-11-20', memberId: String(household.memberIds[1]), latitude: '1.0457', longitude: '104.0306', accuracyM: '8', note: `Catatan ${i}` })) form.set(k, v);
      form.append('photos', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'foto.png');
      const res = await tksk.b.fetch(`/field/tasks/${taskId}/visits`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
      const body = (await res.json()) as { ok: boolean; visitId: number };
      if (!body.ok) throw new Error(`visit refused: ${JSON.stringify(body)}`);
      visitIds.push(body.visitId);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows each worker\'s load, the visits waiting with their facts and photos, and the task list', async () => {
    const res = await spv.b.fetch('/console/field');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Tono TKSK');
    expect(html).toContain('<caption>');
    expect(html).toContain('Menunggu persetujuan');
    expect(html).toContain('Catatan 0');
    expect(html).toContain('akurasi ± 8 m');
    expect(html).toContain('https://www.openstreetmap.org/?mlat=1.0457&amp;mlon=104.0306');
    // A task another agency must take on is referred from its row.
    expect(html).toContain(`href="/console/referrals/new?source=field_task&amp;id=${w.inA1[2]!.taskId}"`);
    const [photo] = await database.db.select().from(fieldVisitPhotos).where(eq(fieldVisitPhotos.visitId, visitIds[0]!));
    const src = `/console/field/visits/${visitIds[0]}/attachments/${photo!.sha256}`;
    expect(html).toContain(`src="${src}"`);
    const img = await spv.b.fetch(src);
    expect(img.status).toBe(200);
    expect(img.headers.get('cache-control')).toBe('private, no-store');
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await spv.b.fetch(`/console/field/visits/${visitIds[0]}/attachments/${'0'.repeat(64)}`)).status).toBe(404);
    // The task list, filtered to the unassigned and to a kelurahan.
    expect(html).toContain(`id="assign-${w.inA1[2]!.taskId}"`);
    const a2 = await (await spv.b.fetch(`/console/field?kelurahan=${w.area.kelA2}`)).text();
    expect(a2).toContain(`id="assign-${w.inA2.taskId}"`);
    expect(a2).not.toContain(`id="assign-${w.inA1[2]!.taskId}"`);
  });

  it('approves a death: the member is deceased, the finding resolved, the task done', async () => {
    const res = await spv.b.post(`/console/field/visits/${visitIds[0]}/review`, { _csrf: spv.csrf, decision: 'approve', back: '?status=visited' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/field?status=visited&done=approved');
    const { household, findingId, taskId } = w.inA1[0]!;
    const [member] = await database.db.select({ deceased: members.deceased }).from(members).where(eq(members.id, household.memberIds[1]!));
    expect(member!.deceased).toBe(true);
    // Closed: a report from the chat is answered ('accepted', so a rescan leaves it closed; services/field/approval.ts).
    const [finding] = await database.db.select({ status: findings.status, resolvedAt: findings.resolvedAt }).from(findings).where(eq(findings.id, findingId));
    expect(['resolved', 'accepted']).toContain(finding!.status);
    expect(finding!.resolvedAt).not.toBeNull();
    const [task] = await database.db.select({ status: fieldTasks.status }).from(fieldTasks).where(eq(fieldTasks.id, taskId));
    expect(task!.status).toBe('done');
    expect(await (await spv.b.fetch('/console/field?done=approved')).text()).toContain('Kunjungan disetujui');
  });

  it('rejects only with a note, and then the registry is left as it was', async () => {
    const bare = await spv.b.post(`/console/field/visits/${visitIds[1]}/review`, { _csrf: spv.csrf, decision: 'reject', note: '  ' });
    expect(bare.status).toBe(422);
    expect(await bare.text()).toMatch(/role="alert"[^>]*>Mohon tulis alasan penolakan/);
    const res = await spv.b.post(`/console/field/visits/${visitIds[1]}/review`, { _csrf: spv.csrf, decision: 'reject', note: 'Foto tidak menunjukkan rumah yang benar.' });
    expect(res.status).toBe(303);
    const [visit] = await database.db.select({ review: fieldVisits.review }).from(fieldVisits).where(eq(fieldVisits.id, visitIds[1]!));
    expect(visit!.review).toBe('rejected');
    const [member] = await database.db.select({ deceased: members.deceased }).from(members).where(eq(members.id, w.inA1[1]!.household.memberIds[1]!));
    expect(member!.deceased).toBe(false);
    // The worker reads why, on the task that is open again.
    const page = await (await tksk.b.fetch(`/field/tasks/${w.inA1[1]!.taskId}`)).text();
    expect(page).toContain('data-testid="rejected-note"');
    expect(page).toContain('Kunjungan sebelumnya dikembalikan oleh supervisor: Foto tidak menunjukkan rumah yang benar.');
    // Decided once: a second decision is refused in words.
    const again = await spv.b.post(`/console/field/visits/${visitIds[1]}/review`, { _csrf: spv.csrf, decision: 'approve' });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('sudah diputuskan');
  });

  it('reassigns a task to a worker of its kelurahan and refuses one who does not cover it', async () => {
    const { taskId } = w.inA1[2]!;
    const none = await spv.b.post(`/console/field/tasks/${taskId}/assign`, { _csrf: spv.csrf, assignee: '' });
    expect(none.status).toBe(303);
    expect((await database.db.select({ a: fieldTasks.assigneeId }).from(fieldTasks).where(eq(fieldTasks.id, taskId)))[0]!.a).toBeNull();
    const set = await spv.b.post(`/console/field/tasks/${taskId}/assign`, { _csrf: spv.csrf, assignee: String(w.tksk.id) });
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/console/field?done=assigned');
    expect((await database.db.select({ a: fieldTasks.assigneeId }).from(fieldTasks).where(eq(fieldTasks.id, taskId)))[0]!.a).toBe(w.tksk.id);
    // The TKSK covers A1 only.
    const outside = await spv.b.post(`/console/field/tasks/${w.inA2.taskId}/assign`, { _csrf: spv.csrf, assignee: String(w.tksk.id) });
    expect(outside.status).toBe(422);
    expect(await outside.text()).toContain('tidak bertugas di kelurahan');
  });

  it('answers an operator 403 on the desk and its actions, and a worker too', async () => {
    const op = await signedIn(base, w.operator.email, PASSWORD);
    const page = await op.b.fetch('/console/field');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('Halaman ini untuk supervisor kerja lapangan');
    expect((await op.b.post(`/console/field/tasks/${w.inA2.taskId}/assign`, { _csrf: op.csrf, assignee: '' })).status).toBe(403);
    expect((await op.b.post(`/console/field/visits/${visitIds[1]}/review`, { _csrf: op.csrf, decision: 'approve' })).status).toBe(403);
    expect((await tksk.b.fetch('/console/field')).status).toBe(403);
  });
});
