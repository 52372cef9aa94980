import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disbursementFiles, disbursements } from '../../../../src/db/schema/index.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { disbursementWorld, HEADER, NOW, PERIOD, queued, type DisbursementWorld } from '../../../services/disbursements/world.ts';

// Disbursements through the real app: a supervisor uploads a bank's file on /console/disbursements (a bad file
// answers 422 with every bad line and writes nothing; a good one shows its counts; the same one again 409), an
// operator settles a failed transfer on /console/disbursements/failed; and the same through /api/v1.

describe('/console/disbursements and /api/v1/disbursements', () => {
  let database: TestDatabase;
  let t: TestApp;
  let w: DisbursementWorld;
  let base: string;
  let sup: SignedIn;
  let opA: SignedIn;
  let viewer: SignedIn;

  const upload = (who: SignedIn, fields: Record<string, string>, csv: string | null, name = 'bni.csv') => {
    const form = new FormData();
    form.set('_csrf', who.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (csv !== null) form.set('file', new Blob([csv], { type: 'text/csv' }), name);
    return who.b.fetch('/console/disbursements', { method: 'POST', body: form });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await disbursementWorld(database.db);
    t = await createTestApp(database, { clock: () => NOW });
    base = await t.listen();
    sup = await signedIn(base, w.supervisorA.email, w.supervisorA.password);
    opA = await signedIn(base, w.operatorA.email, w.operatorA.password);
    viewer = await signedIn(base, w.viewer.email, w.viewer.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
    await database?.dispose();
  });

  it('shows the form with the programs of the supervisor, and 403 to a viewer', async () => {
    const res = await sup.b.fetch('/console/disbursements');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`value="${w.pkh.id}"`);
    expect(html).toContain('href="/console/disbursements"');
    expect((await viewer.b.fetch('/console/disbursements')).status).toBe(403);
    expect((await viewer.b.fetch('/console/disbursements/failed')).status).toBe(403);
  });

  it('refuses a file with bad lines, listing each with its number, and writes nothing', async () => {
    const res = await upload(sup, { program: String(w.pkh.id), period: PERIOD, source: 'BNI' }, `${HEADER}\n,${w.siti.noKk},,750000,transferred,2026-11-12,\n9999999999999999,,,750000,transferred,2026-11-12,\n,${w.dewi.noKk},,750000,lunas,2026-11-12,\n`);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Ada 2 baris yang salah, jadi tidak ada yang disimpan.');
    expect(html).toMatch(/<td>3<\/td><td>NIK tidak ada di data<\/td>/);
    expect(html).toMatch(/<td>4<\/td><td>status tidak dikenal<\/td>/);
    expect(html).toContain('value="BNI"'); // the form keeps what was chosen
    expect(await database.db.select().from(disbursementFiles)).toHaveLength(0);
  });

  it('refuses an upload without the CSRF token before writing anything', async () => {
    const res = await upload({ ...sup, csrf: 'wrong' }, { program: String(w.pkh.id), period: PERIOD, source: 'BNI' }, `${HEADER}\n`);
    expect(res.status).toBe(403);
  });

  it('imports a good file, shows its counts, and refuses it a second time', async () => {
    const csv = `${HEADER}\n,${w.siti.noKk},,750000,transferred,2026-11-12,\n,${w.budi.noKk},,750000,failed,2026-11-13,rekening ditutup\n,${w.dewi.noKk},,750000,returned,2026-11-13,\n`;
    const res = await upload(sup, { program: String(w.pkh.id), period: PERIOD, source: 'BNI' }, csv);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('File bni.csv diimpor: 3 baris, 1 berhasil, 1 gagal, 1 retur.');
    expect(html).toContain('1 transfer gagal atau retur sudah diberitahukan ke keluarganya.');
    expect(html).toContain('1 keluarga tidak punya chat yang terhubung');
    expect(await queued(database.db, w.budi.contactIds[0]!)).toHaveLength(1);
    const again = await upload(sup, { program: String(w.pkh.id), period: PERIOD, source: 'BNI' }, csv, 'lagi.csv');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('File ini sudah pernah diimpor (bni.csv');
  });

  it('lets an operator settle a failed transfer with a note', async () => {
    const page = await opA.b.fetch('/console/disbursements/failed');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('rekening ditutup');
    expect(html).toContain('Belum: keluarga tidak punya chat.');
    expect(html).not.toContain(w.budi.noKk);
    const [line] = await database.db.select().from(disbursements).where(eq(disbursements.householdId, w.budi.householdId));
    const empty = await opA.b.post(`/console/disbursements/failed/${line!.id}/resolve`, { _csrf: opA.csrf, note: '' });
    expect(empty.status).toBe(422);
    const noCsrf = await opA.b.post(`/console/disbursements/failed/${line!.id}/resolve`, { note: 'x' });
    expect(noCsrf.status).toBe(403);
    const done = await opA.b.post(`/console/disbursements/failed/${line!.id}/resolve`, { _csrf: opA.csrf, note: 'Rekening dibuka lagi, dana dikirim ulang.' });
    expect(done.status).toBe(303);
    const [after] = await database.db.select().from(disbursements).where(eq(disbursements.id, line!.id));
    expect(after).toMatchObject({ workStatus: 'resolved', resolution: 'Rekening dibuka lagi, dana dikirim ulang.' });
  });

  it('imports and lists through the API', async () => {
    const token = (await createApiToken(database.db, w.admin, { name: 'bank', role: 'supervisor', kecamatanId: w.area.kecA })).token;
    const viewerToken = (await createApiToken(database.db, w.admin, { name: 'lihat', role: 'viewer' })).token;
    const auth = (tk: string) => ({ authorization: `Bearer ${tk}` });
    const path = `/api/v1/disbursements?program=${w.pkh.code}&period=${PERIOD}&source=PT%20Pos&fileName=pos.csv`;
    const bad = await t.app.request(path, { method: 'POST', headers: auth(token), body: `${HEADER}\n,${w.none.noKk},,750000,transferred,2026-11-12,\n` });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: 'disbursement_lines_refused', total: 1, lines: [{ line: 2, reason: 'not_enrolled' }] });
    const body = `${HEADER}\n,${w.own.noKk},,1200000,failed,2026-11-15,\n`;
    const ok = await t.app.request(path, { method: 'POST', headers: auth(token), body });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ lineCount: 1, failed: 1 });
    expect((await t.app.request(path, { method: 'POST', headers: auth(token), body })).status).toBe(409);
    expect((await t.app.request(path, { method: 'POST', headers: auth(viewerToken), body })).status).toBe(403);
    const list = await t.app.request('/api/v1/disbursements/failed', { headers: auth(token) });
    expect(list.status).toBe(200);
    const items = ((await list.json()) as { items: { noKkMasked: string; status: string }[] }).items;
    expect(items.map((i) => i.noKkMasked)).toContain(`${w.own.noKk.slice(0, 6)}******${w.own.noKk.slice(12)}`);
    expect(JSON.stringify(items)).not.toContain(w.own.noKk);
    expect((await t.app.request('/api/v1/disbursements/failed', { headers: auth(viewerToken) })).status).toBe(403);
  });
});
