import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldTasks, fieldVisitPhotos, fieldVisits } from '../../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { Browser, csrfIn, signedIn, type SignedIn } from '../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { NOW } from '../../services/distribution/fixtures.ts';
import { fieldWorld, PASSWORD, PNG, type FieldWorld } from './world.ts';

// The field worker's phone pages through the real app: the task list holds only the worker's kelurahan, a task
// elsewhere is a 404, the visit form posts (multipart, with a photo) as a plain form and as the script's JSON,
// a refused form comes back with its message and what was typed and writes nothing, and the same form sent
// twice is one visit.

const key = (n: number) => `k${n}${'x'.repeat(20)}`.slice(0, 24);

describe('/field: the worker\'s tasks and visit form', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let w: FieldWorld;
  let tksk: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await fieldWorld(database.db, NOW);
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    tksk = await signedIn(base, w.tksk.email, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const visitsOf = (taskId: number) => database.db.select().from(fieldVisits).where(eq(fieldVisits.taskId, taskId));

  function visitForm(fields: Record<string, string>, photos: Buffer[] = []): FormData {
    const form = new FormData();
    form.set('_csrf', tksk.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    photos.forEach((p, i) => form.append('photos', new Blob([new Uint8Array(p)], { type: 'image/png' }), `foto-${i}.png`));
    return form;
  }

  it('lists the tasks of the worker\'s kelurahan only, with the reason, the masked person, the due date and a map link', async () => {
    const res = await tksk.b.fetch('/field');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const { taskId } of w.inA1) expect(html).toContain(`href="/field/tasks/${taskId}"`);
    expect(html).not.toContain(`href="/field/tasks/${w.inA2.taskId}"`);
    expect(html).toContain('Sungai Binti');
    expect(html).not.toContain(w.inA1[0]!.household.headName); // the name only masked
    expect(html).toContain('https://www.openstreetmap.org/?mlat=1.0456&amp;mlon=104.0305#map=17/1.0456/104.0305');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<script src="/field/field.js" defer');
  });

  it('answers 404 for a task outside the worker\'s kelurahan, on the page and on a post', async () => {
    expect((await tksk.b.fetch(`/field/tasks/${w.inA2.taskId}`)).status).toBe(404);
    const res = await tksk.b.fetch(`/field/tasks/${w.inA2.taskId}/visits`, { method: 'POST', body: visitForm({ clientKey: key(9), outcome: 'found' }), headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await visitsOf(w.inA2.taskId)).toHaveLength(0);
  });

  it('shows the visit form with the outcome, the members to choose from, the checklist, photos and GPS', async () => {
    const html = await (await tksk.b.fetch(`/field/tasks/${w.inA1[0]!.taskId}`)).text();
    expect(html).toContain('enctype="multipart/form-data"');
    for (const label of ['Ditemukan', 'Pindah', 'Meninggal', 'Tidak ditemukan', 'Menolak']) expect(html).toContain(label);
    expect(html).toContain(`value="${w.inA1[0]!.household.memberIds[1]}"`); // the member picker: the finding names nobody
    expect(html).toMatch(/name="checklist\.[a-z_]+"/);
    expect(html).toContain('capture="environment"');
    expect(html).toContain('Ambil lokasi');
    expect(html).toMatch(/name="clientKey" value="[0-9a-f]{32}"/);
  });

  it('records a visit posted as a plain form (multipart, a photo) and goes back to the list with a notice', async () => {
    const { taskId, household } = w.inA1[0]!;
    const res = await tksk.b.fetch(`/field/tasks/${taskId}/visits`, {
      method: 'POST',
      body: visitForm({ clientKey: key(1), outcome: 'deceased', diedOn: '2026-11-20', memberId: String(household.memberIds[0]), note: 'Kata tetangga, meninggal pekan lalu.', latitude: '1.0457', longitude: '104.0306', accuracyM: '12.5', visitedAt: new Date(NOW.getTime() - 3_600_000).toISOString(), 'checklist.met_household': '1' }, [PNG]),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/field?done=recordedPending');
    const [visit] = await visitsOf(taskId);
    expect(visit).toMatchObject({ outcome: 'deceased', diedOn: '2026-11-20', memberId: household.memberIds[0], review: 'pending', clientKey: key(1), accuracyM: 12.5 });
    expect(visit!.checklist.met_household).toBe(true);
    expect(await database.db.select().from(fieldVisitPhotos).where(eq(fieldVisitPhotos.visitId, visit!.id))).toHaveLength(1);
    const [task] = await database.db.select({ status: fieldTasks.status }).from(fieldTasks).where(eq(fieldTasks.id, taskId));
    expect(task!.status).toBe('visited');
    expect(await (await tksk.b.fetch('/field?done=recordedPending')).text()).toContain('menunggu persetujuan supervisor');
    // Recorded once: the task now waits for the supervisor, and its page offers no second form.
    const again = await (await tksk.b.fetch(`/field/tasks/${taskId}`)).text();
    expect(again).toContain('Sudah dikunjungi, menunggu persetujuan');
    expect(again).not.toContain('id="visit-form"');
  });

  it('shows a refused form again with the message and what was typed, and writes nothing', async () => {
    const { taskId } = w.inA1[1]!;
    const res = await tksk.b.fetch(`/field/tasks/${taskId}/visits`, { method: 'POST', body: visitForm({ clientKey: key(2), outcome: 'deceased', note: 'Catatan yang tetap ada' }) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/role="alert"[^>]*>Mohon isi tanggal meninggal/);
    expect(html).toContain('Catatan yang tetap ada');
    expect(html).toContain(`value="${key(2)}"`); // the same form: its key stays
    expect(html).toMatch(/value="deceased" checked/);
    expect(await visitsOf(taskId)).toHaveLength(0);

    // A photo that is not an image, for the script: JSON, 422, nothing written.
    const form = visitForm({ clientKey: key(3), outcome: 'found' });
    form.append('photos', new Blob([new TextEncoder().encode('bukan gambar')], { type: 'image/png' }), 'foto.png');
    const json = await tksk.b.fetch(`/field/tasks/${taskId}/visits`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({ ok: false, reason: 'photo_not_image', message: expect.stringContaining('JPEG') });
    expect(await visitsOf(taskId)).toHaveLength(0);
  });

  it('counts the same form sent twice (the same clientKey) as one visit: the second answer says duplicate', async () => {
    const { taskId } = w.inA1[1]!;
    const send = () => tksk.b.fetch(`/field/tasks/${taskId}/visits`, { method: 'POST', body: visitForm({ clientKey: key(4), outcome: 'found', 'checklist.met_household': '1' }, [PNG]), headers: { accept: 'application/json' } });
    const first = await send();
    expect(first.status).toBe(200);
    const a = (await first.json()) as { ok: boolean; visitId: number; duplicate: boolean };
    expect(a).toMatchObject({ ok: true, duplicate: false });
    const again = await send();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, visitId: a.visitId, duplicate: true });
    expect(await visitsOf(taskId)).toHaveLength(1);
  });

  it('refuses a post without the session\'s CSRF token', async () => {
    const form = visitForm({ clientKey: key(5), outcome: 'found' });
    form.set('_csrf', 'wrong');
    const res = await tksk.b.fetch(`/field/tasks/${w.inA1[2]!.taskId}/visits`, { method: 'POST', body: form });
    expect(res.status).toBe(403);
    expect(await visitsOf(w.inA1[2]!.taskId)).toHaveLength(0);
  });

  it('hands the console session to /field: a cookie scoped to /field, and only a /field page to go back to', async () => {
    const fresh = new Browser(base);
    const away = await fresh.fetch('/field');
    expect(away.status).toBe(303);
    expect(away.headers.get('location')).toBe('/console/field/open?next=%2Ffield');
    await signedIn(fresh, w.tksk.email, PASSWORD);
    const open = await fresh.fetch(`/console/field/open?next=${encodeURIComponent(`/field/tasks/${w.inA1[2]!.taskId}`)}`);
    expect(open.status).toBe(303);
    expect(open.headers.get('location')).toBe(`/field/tasks/${w.inA1[2]!.taskId}`);
    expect(open.headers.getSetCookie().some((c) => /^pintu_session=[^;]+;.*Path=\/field/i.test(c))).toBe(true);
    const evil = await fresh.fetch('/console/field/open?next=%2F%2Fevil.example%2Ffield');
    expect(evil.headers.get('location')).toBe('/field');
  });

  it('answers an operator 403 on /field and its posts', async () => {
    const op = await signedIn(base, w.operator.email, PASSWORD);
    const page = await op.b.fetch('/field');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('Halaman ini untuk petugas lapangan');
    const form = new FormData();
    form.set('_csrf', op.csrf);
    form.set('clientKey', key(6));
    form.set('outcome', 'found');
    expect((await op.b.fetch(`/field/tasks/${w.inA1[2]!.taskId}/visits`, { method: 'POST', body: form })).status).toBe(403);
    expect(await visitsOf(w.inA1[2]!.taskId)).toHaveLength(0);
    expect(csrfIn(await (await op.b.fetch('/console/password')).text())).toBe(op.csrf);
  });
});
