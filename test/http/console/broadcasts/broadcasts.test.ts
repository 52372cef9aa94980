import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcasts, outbox } from '../../../../src/db/schema/index.ts';
import { INTERRUPTED } from '../../../../src/outbox/dispatcher.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, postJson, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { at, distributionWorld, makeHousehold, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// Broadcasts through the real app over HTTP: the console pages (who may open them, preview with a count,
// save, send now, cancel, CSRF, areas, hostile text) and the /api/v1 routes with bearer tokens.

const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>';

describe('broadcasts over HTTP', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let base: string;
  let admin: Browser;
  let spvB: Browser;
  let operator: Browser;
  const tokens = {} as Record<'admin' | 'nongsa' | 'operator', string>;
  const now = NOW; // Tuesday 09:00 WIB: outside quiet hours

  beforeAll(async () => {
    w = await distributionWorld();
    const db = w.db;
    t = await createTestApp(w.database, { clock: () => now });
    base = await t.listen();
    await createStaffUser(db, 'system', { email: 'admin@bc.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'spv.b@bc.test', name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: w.area.kecB, password: PASSWORD });
    await createStaffUser(db, 'system', { email: 'op@bc.test', name: 'Operator', role: 'operator', password: PASSWORD });
    const enroll = { programId: w.householdProgramId };
    // kecA: 3 enrolled with a chat, 1 not enrolled; kecB: 2 enrolled with a chat.
    for (let i = 0; i < 3; i++) await makeHousehold(db, { kelurahanId: w.area.kelA1, enroll, chats: [{}] });
    await makeHousehold(db, { kelurahanId: w.area.kelA2, chats: [{}] });
    for (let i = 0; i < 2; i++) await makeHousehold(db, { kelurahanId: w.area.kelB1, enroll, chats: [{ language: 'en' }] });
    ({ b: admin } = await signedIn(base, 'admin@bc.test'));
    ({ b: spvB } = await signedIn(base, 'spv.b@bc.test'));
    ({ b: operator } = await signedIn(base, 'op@bc.test'));
    tokens.admin = (await createApiToken(db, w.admin, { name: 'City system', role: 'supervisor' })).token;
    tokens.nongsa = (await createApiToken(db, w.admin, { name: 'Nongsa', role: 'supervisor', kecamatanId: w.area.kecB })).token;
    tokens.operator = (await createApiToken(db, w.admin, { name: 'Operator', role: 'operator' })).token;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const broadcastCount = async () => (await w.db.select({ n: count() }).from(broadcasts))[0]!.n;
  const newForm = async (b: Browser, fields: Record<string, string | string[]>) => {
    const page = await (await b.fetch('/console/broadcasts/new')).text();
    const body = new URLSearchParams({ _csrf: csrfIn(page) });
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return b.fetch('/console/broadcasts/new', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  };

  it('opens for admins and supervisors, not for operators, and shows the nav link only to them', async () => {
    for (const b of [admin, spvB]) {
      const res = await b.fetch('/console/broadcasts');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('href="/console/broadcasts"');
      expect((await b.fetch('/console/broadcasts/new')).status).toBe(200);
    }
    expect((await operator.fetch('/console/broadcasts')).status).toBe(403);
    expect((await operator.fetch('/console/broadcasts/new')).status).toBe(403);
    expect(await (await operator.fetch('/console/complaints')).text()).not.toContain('href="/console/broadcasts"');
  });

  it('previews the count, saves, sends now and shows the statistics; the text is escaped', async () => {
    const fields = { title: `Sembako ${XSS}`, text_id: `Pembagian sembako Sabtu ${XSS}`, text_en: '', program: String(w.householdProgramId), kecamatan: String(w.area.kecA) };
    const before = await broadcastCount();
    const preview = await newForm(admin, { ...fields, action: 'preview' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('Pengumuman ini akan dikirim ke 3 obrolan.');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
    expect(await broadcastCount()).toBe(before); // a preview stores nothing

    const saved = await newForm(admin, { ...fields, action: 'save' });
    expect(saved.status).toBe(303);
    const detailPath = saved.headers.get('location')!;
    const id = Number(/\/console\/broadcasts\/(\d+)$/.exec(detailPath)![1]);
    const detail = await (await admin.fetch(detailPath)).text();
    expect(detail).toContain('3 obrolan');
    expect(detail).not.toContain('<script>alert(1)</script>');

    // "Kirim sekarang" asks first: the area by name, the chats per channel; nothing is queued yet.
    const asked = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(detail), at: 'now' });
    expect(asked.status).toBe(200);
    const confirmPage = await asked.text();
    expect(confirmPage).toContain('data-kind="now"');
    expect(confirmPage).toMatch(/data-testid="confirm-area">Kecamatan [^<]+</);
    expect(confirmPage).toContain('data-testid="confirm-chats" data-count="3"');
    expect(confirmPage).toContain('name="confirm" value="1"');
    expect(await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).toHaveLength(0);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
    const sent = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(detail), at: 'now', confirm: '1' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/console/broadcasts?done=sent');
    const rows = await w.db.select().from(outbox).where(eq(outbox.broadcastId, id));
    expect(rows).toHaveLength(3);
    const [b] = await w.db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b).toMatchObject({ status: 'sent', recipientCount: 3 });
    const list = await (await admin.fetch('/console/broadcasts')).text();
    expect(list).toContain('Sudah diantrekan');
    expect(await (await admin.fetch(detailPath)).text()).toContain('Statistik pengiriman');
    // Once queued it can no longer be cancelled.
    const again = await admin.post(`/console/broadcasts/${id}/cancel`, { _csrf: csrfIn(detail) });
    expect(again.status).toBe(422);
  });

  it('says "seluruh kota" plainly when no area is chosen, and sends only once confirmed', async () => {
    const saved = await newForm(admin, { title: 'Sekota', text_id: 'Teks untuk seluruh kota', action: 'save' });
    const path = saved.headers.get('location')!;
    const id = Number(path.split('/').pop());
    const page = await (await admin.fetch(path)).text();
    const asked = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: 'now' });
    expect(asked.status).toBe(200);
    const html = await asked.text();
    expect(html).toContain('data-testid="confirm-area"><strong>Seluruh kota');
    expect(await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).toHaveLength(0);
    const sent = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: 'now', confirm: '1' });
    expect(sent.status).toBe(303);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('sent');
  });

  it('schedules for later, refuses a past time, and cancels before sending', async () => {
    const saved = await newForm(admin, { title: 'Jadwal', text_id: 'Teks jadwal', kecamatan: String(w.area.kecA), action: 'save' });
    const path = saved.headers.get('location')!;
    const id = Number(path.split('/').pop());
    const page = await (await admin.fetch(path)).text();
    const past = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: '2026-11-23T10:00' });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('Waktu kirim sudah lewat');
    const askedLater = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: '2026-11-24T22:00' });
    expect(askedLater.status).toBe(200);
    expect(await askedLater.text()).toContain('name="at" value="2026-11-24T22:00"');
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
    const later = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: '2026-11-24T22:00', confirm: '1' });
    expect(later.status).toBe(303);
    const [b] = await w.db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b!.status).toBe('scheduled');
    expect(b!.scheduledAt!.toISOString()).toBe(at('2026-11-24', '22:00').toISOString());
    const askedCancel = await admin.post(`/console/broadcasts/${id}/cancel`, { _csrf: csrfIn(page) });
    expect(askedCancel.status).toBe(200);
    expect(await askedCancel.text()).toContain('data-kind="cancel"');
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('scheduled');
    expect((await admin.post(`/console/broadcasts/${id}/cancel`, { _csrf: csrfIn(page), confirm: '1' })).status).toBe(303);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('cancelled');
    expect(await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).toHaveLength(0);
  });

  it('refuses a POST without the CSRF token and changes nothing', async () => {
    const before = await broadcastCount();
    const res = await admin.post('/console/broadcasts/new', { title: 'Tanpa token', text_id: 'x', action: 'save' });
    expect(res.status).toBe(403);
    expect(await broadcastCount()).toBe(before);
    const saved = await newForm(admin, { title: 'Untuk dibatalkan', text_id: 'x', kecamatan: String(w.area.kecA), action: 'save' });
    const id = Number(saved.headers.get('location')!.split('/').pop());
    expect((await admin.post(`/console/broadcasts/${id}/cancel`, { _csrf: 'wrong' })).status).toBe(403);
    expect((await admin.post(`/console/broadcasts/${id}/schedule`, { at: 'now' })).status).toBe(403);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
  });

  it('keeps a scoped supervisor to their kecamatan', async () => {
    const before = await broadcastCount();
    const refused = await newForm(spvB, { title: 'Keluar wilayah', text_id: 'x', kecamatan: String(w.area.kecA), action: 'save' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('di luar wilayah tugas Anda');
    expect(await broadcastCount()).toBe(before);
    // The pickers offer only their own kecamatan.
    const form = await (await spvB.fetch('/console/broadcasts/new')).text();
    expect(form).toContain(`value="${w.area.kecB}"`);
    expect(form).not.toContain(`name="kecamatan" value="${w.area.kecA}"`);
    // Without an area: their own kecamatan, two English chats.
    const own = await newForm(spvB, { title: 'Nongsa', text_id: 'Teks', text_en: 'Text', action: 'preview' });
    expect(await own.text()).toContain('Pengumuman ini akan dikirim ke 2 obrolan.');
    // An admin's city-wide broadcast is not found for them.
    const cityWide = await newForm(admin, { title: 'Kota', text_id: 'Teks kota', action: 'save' });
    const id = Number(cityWide.headers.get('location')!.split('/').pop());
    expect((await spvB.fetch(`/console/broadcasts/${id}`)).status).toBe(404);
    const page = await (await spvB.fetch('/console/broadcasts')).text();
    expect(page).not.toContain(`/console/broadcasts/${id}"`);
    expect((await spvB.post(`/console/broadcasts/${id}/cancel`, { _csrf: csrfIn(page) })).status).toBe(404);
    expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
  });

  it('shows messages interrupted by a stopped process and sends them again only once confirmed, in the console and the API', async () => {
    const saved = await newForm(admin, { title: 'Terputus', text_id: 'Pengumuman yang terputus', kecamatan: String(w.area.kecA), action: 'save' });
    const path = saved.headers.get('location')!;
    const id = Number(path.split('/').pop());
    let page = await (await admin.fetch(path)).text();
    // Not before it is sent.
    expect((await admin.post(`/console/broadcasts/${id}/resend`, { _csrf: csrfIn(page), confirm: '1' })).status).toBe(422);
    await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: 'now', confirm: '1' });
    page = await (await admin.fetch(path)).text();
    expect(page).not.toContain('data-testid="interrupted"');
    // A process died while sending two of them (outbox/dispatcher.ts words them so).
    const rows = await w.db.select().from(outbox).where(eq(outbox.broadcastId, id));
    for (const r of rows.slice(0, 2)) await w.db.update(outbox).set({ status: 'failed', lastError: INTERRUPTED }).where(eq(outbox.id, r.id));
    page = await (await admin.fetch(path)).text();
    expect(page).toContain('data-testid="interrupted"');
    expect(page).toContain('2 pesan terputus karena layanan berhenti saat mengirim.');
    // The button asks first and changes nothing; the confirmation warns of a second copy.
    const asked = await admin.post(`/console/broadcasts/${id}/resend`, { _csrf: csrfIn(page) });
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain('data-kind="resend"');
    expect(confirm).toContain('Sebagian warga mungkin menerima pengumuman ini dua kali.');
    expect((await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).filter((r) => r.status === 'failed')).toHaveLength(2);
    // Another kecamatan's supervisor does not see it; an operator may not.
    const spvCsrf = csrfIn(await (await spvB.fetch('/console/broadcasts')).text());
    expect((await spvB.post(`/console/broadcasts/${id}/resend`, { _csrf: spvCsrf, confirm: '1' })).status).toBe(404);
    const opCsrf = csrfIn(await (await operator.fetch('/console/complaints')).text());
    expect((await operator.post(`/console/broadcasts/${id}/resend`, { _csrf: opCsrf, confirm: '1' })).status).toBe(403);
    const done = await admin.post(`/console/broadcasts/${id}/resend`, { _csrf: csrfIn(confirm), confirm: '1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/broadcasts?done=resent');
    expect(await (await admin.fetch('/console/broadcasts?done=resent')).text()).toContain('Pesan yang terputus sudah masuk antrean kirim lagi.');
    expect((await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).map((r) => r.status)).toEqual(rows.map(() => 'pending'));
    // Nothing left: a clear answer, nothing changes.
    const none = await admin.post(`/console/broadcasts/${id}/resend`, { _csrf: csrfIn(confirm) });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Tidak ada pesan yang terputus untuk dikirim ulang.');

    // The API: the same service, 409 when none is left, 404 out of scope.
    const auth = { authorization: `Bearer ${tokens.admin}` };
    await w.db.update(outbox).set({ status: 'failed', lastError: INTERRUPTED }).where(eq(outbox.id, rows[0]!.id));
    expect((await postJson(t.app, `/api/v1/broadcasts/${id}/resend-interrupted`, {}, { authorization: `Bearer ${tokens.nongsa}` })).status).toBe(404);
    const api = await postJson(t.app, `/api/v1/broadcasts/${id}/resend-interrupted`, {}, auth);
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ id, requeued: 1 });
    expect((await postJson(t.app, `/api/v1/broadcasts/${id}/resend-interrupted`, {}, auth)).status).toBe(409);
  });

  describe('API', () => {
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const get = (path: string, token: string) => t.app.request(path, { headers: auth(token) });
    const post = (path: string, token: string, body: unknown = {}) => postJson(t.app, path, body, auth(token));

    it('creates, previews, sends now, reads the statistics; refuses roles, scope and bad input', async () => {
      const segment = { programIds: [w.householdProgramId], kecamatanIds: [w.area.kecB] };
      const preview = await post('/api/v1/broadcasts/preview', tokens.nongsa, { segment, texts: { id: 'Halo', en: 'Hello' } });
      expect(preview.status).toBe(200);
      const p = (await preview.json()) as any;
      expect(p.total).toBe(2);
      expect(p.counts).toEqual([{ channel: 'webchat', language: 'en', count: 2 }]);

      const created = await post('/api/v1/broadcasts', tokens.nongsa, { title: 'Info Nongsa', texts: { id: 'Halo', en: 'Hello' }, segment });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      expect(((await (await get('/api/v1/broadcasts', tokens.nongsa)).json()) as any).items.map((b: any) => b.id)).toContain(id);

      const sent = await post(`/api/v1/broadcasts/${id}/schedule`, tokens.nongsa, { at: 'now' });
      expect(sent.status).toBe(200);
      expect(await sent.json()).toMatchObject({ id, status: 'sent', recipientCount: 2 });
      const stats = await get(`/api/v1/broadcasts/${id}/stats`, tokens.nongsa);
      expect(await stats.json()).toMatchObject({ id, total: 2, queued: 2, sent: 0, failed: 0, failedByReason: [] });
      expect((await post(`/api/v1/broadcasts/${id}/cancel`, tokens.nongsa)).status).toBe(409);

      const before = await broadcastCount();
      const outOfScope = await post('/api/v1/broadcasts', tokens.nongsa, { title: 'X', texts: { id: 'x' }, segment: { kecamatanIds: [w.area.kecA] } });
      expect(outOfScope.status).toBe(422);
      expect(((await outOfScope.json()) as any).error).toBe('broadcast_out_of_scope');
      expect((await post('/api/v1/broadcasts', tokens.admin, { title: 'X', texts: { en: 'only' }, segment: {} })).status).toBe(422);
      expect((await post('/api/v1/broadcasts', tokens.admin, { title: 'X', texts: { id: 'x' }, segment: { extra: 1 } })).status).toBe(400);
      expect((await post('/api/v1/broadcasts', tokens.operator, { title: 'X', texts: { id: 'x' }, segment: {} })).status).toBe(403);
      expect((await get('/api/v1/broadcasts', tokens.operator)).status).toBe(403);
      expect(await broadcastCount()).toBe(before);

      const draft = await post('/api/v1/broadcasts', tokens.admin, { title: 'Kota', texts: { id: 'x' }, segment: {} });
      const draftId = ((await draft.json()) as { id: number }).id;
      expect((await post(`/api/v1/broadcasts/${draftId}/schedule`, tokens.admin, { at: '2026-11-01T10:00:00+07:00' })).status).toBe(422);
      expect((await post(`/api/v1/broadcasts/${draftId}/schedule`, tokens.nongsa, { at: 'now' })).status).toBe(404);
      expect((await get(`/api/v1/broadcasts/${draftId}/stats`, tokens.nongsa)).status).toBe(404);
      const later = await post(`/api/v1/broadcasts/${draftId}/schedule`, tokens.admin, { at: '2026-11-25T10:00:00+07:00' });
      expect(await later.json()).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-25T03:00:00.000Z' });
      expect(await (await post(`/api/v1/broadcasts/${draftId}/cancel`, tokens.admin)).json()).toEqual({ id: draftId, status: 'cancelled' });
      expect((await get('/api/v1/broadcasts/999999/stats', tokens.admin)).status).toBe(404);
    });
  });
});
