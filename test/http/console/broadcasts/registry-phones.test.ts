import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcasts, contacts, households, members, outbox, whatsappTemplates } from '../../../../src/db/schema/index.ts';
import type { TemplateSync } from '../../../../src/http/context.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, postJson, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, signedIn, PASSWORD } from '../../../helpers/console.ts';
import { distributionWorld, makeHousehold, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// The broadcast form's household parts (desil, age, disability), "also to registry phones" and the WhatsApp
// template, through the real app: preview by path, save, the detail page, send now; and the same over /api/v1.

describe('broadcasts to registry phones over HTTP', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let admin: Browser;
  let token: string;

  beforeAll(async () => {
    w = await distributionWorld();
    const db = w.db;
    t = await createTestApp(w.database, { clock: () => NOW });
    // The service with WhatsApp Web as the phone channel, and the template settings as the Cloud API would have them.
    t.deps.outreach = { phoneChannel: 'whatsapp_web' };
    const templates: TemplateSync = {
      language: 'id',
      defaults: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' },
      canSync: false,
      sync: async () => ({ ok: false, at: NOW, error: 'not in tests' }),
      last: () => undefined,
    };
    t.deps.templates = templates;
    await db.insert(whatsappTemplates).values({ name: 'pintu_siaran', language: 'id', status: 'APPROVED', body: 'Info: {{1}} Balas BERHENTI untuk berhenti.', parameterCount: 1 });
    await createStaffUser(db, 'system', { email: 'admin@rp.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    ({ b: admin } = await signedIn(await t.listen(), 'admin@rp.test'));
    token = (await createApiToken(db, w.admin, { name: 'City system', role: 'supervisor' })).token;
    // kecA: an elderly household with a chat (desil 2), an elderly one with only a registry phone (desil 3),
    // and one with a registry phone but desil 8. Heads are born 1958 (68 on NOW).
    await makeHousehold(db, { kelurahanId: w.area.kelA1, chats: [{}] });
    const phoneOnly = await makeHousehold(db, { kelurahanId: w.area.kelA1 });
    await db.update(members).set({ phone: '0813-5550-1234', disability: true }).where(eq(members.id, phoneOnly.memberIds[1]!));
    await db.update(households).set({ desil: 3 }).where(eq(households.id, phoneOnly.householdId));
    const rich = await makeHousehold(db, { kelurahanId: w.area.kelA2 });
    await db.update(members).set({ phone: '0813-5550-9876' }).where(eq(members.id, rich.memberIds[0]!));
    await db.update(households).set({ desil: 8 }).where(eq(households.id, rich.householdId));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const newForm = async (fields: Record<string, string | string[]>) => {
    const page = await (await admin.fetch('/console/broadcasts/new')).text();
    const body = new URLSearchParams({ _csrf: csrfIn(page) });
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return admin.fetch('/console/broadcasts/new', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  };

  it('shows the new fields and the synced templates of the configured language', async () => {
    const page = await (await admin.fetch('/console/broadcasts/new')).text();
    for (const name of ['desil_min', 'desil_max', 'age_min', 'age_max', 'disability', 'to_registry_phones']) expect(page).toContain(`name="${name}"`);
    expect(page).toContain('Juga ke nomor HP di data (WhatsApp)');
    expect(page).toContain('<option value="pintu_siaran"');
    expect(page).toContain('Bawaan pengaturan (pintu_pemberitahuan)');
  });

  it('previews by path, saves every field, shows them, and sends to the chat and the registry phone', async () => {
    const fields = {
      title: 'Posyandu lansia',
      text_id: 'Posyandu lansia buka Sabtu pagi.',
      kecamatan: String(w.area.kecA),
      desil_min: '1',
      desil_max: '4',
      age_min: '60',
      to_registry_phones: '1',
      template: 'pintu_siaran',
    };
    const preview = await newForm({ ...fields, action: 'preview' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('data-chat="1" data-registry="1" data-not-reached="0"');
    expect(html).toContain('Keluarga: 1 lewat obrolan, 1 lewat WhatsApp (nomor di data), 0 tidak terjangkau.');
    expect(html).toContain('Pesan pertama ke nomor HP di data');
    // The form keeps what was typed.
    expect(html).toContain('name="desil_max" type="number" min="1" max="10" step="1" value="4"');
    expect(html).toMatch(/name="to_registry_phones" value="1" checked/);
    expect(html).toMatch(/<option value="pintu_siaran" selected/);
    // With disability ticked, the phone-only household (its son has a disability) is the only one left.
    const narrower = await (await newForm({ ...fields, disability: '1', action: 'preview' })).text();
    expect(narrower).toContain('data-chat="0" data-registry="1" data-not-reached="0"');

    const saved = await newForm({ ...fields, action: 'save' });
    expect(saved.status).toBe(303);
    const path = saved.headers.get('location')!;
    const id = Number(path.split('/').pop());
    const [row] = await w.db.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(row).toMatchObject({ segment: { kecamatanIds: [w.area.kecA], desilMin: 1, desilMax: 4, ageMin: 60 }, toRegistryPhones: true, template: 'pintu_siaran' });
    const detail = await (await admin.fetch(path)).text();
    expect(detail).toContain('desil 1–4 · umur 60–… tahun');
    expect(detail).toContain('Ya, juga ke nomor HP di data (WhatsApp)');
    expect(detail).toContain('pintu_siaran');
    expect(detail).toContain('data-chat="1" data-registry="1"');

    const asked = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(detail), at: 'now' });
    expect(asked.status).toBe(200);
    const confirmPage = await asked.text();
    expect(confirmPage).toContain('data-testid="confirm-registry">1 nomor lewat WhatsApp');
    expect(await w.db.select().from(outbox).where(eq(outbox.broadcastId, id))).toHaveLength(0);
    const sent = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(detail), at: 'now', confirm: '1' });
    expect(sent.status).toBe(303);
    const rows = await w.db.select().from(outbox).where(eq(outbox.broadcastId, id));
    expect(rows.map((r) => r.channel).sort()).toEqual(['webchat', 'whatsapp_web']);
    const [phoneChat] = await w.db.select().from(contacts).where(eq(contacts.id, rows.find((r) => r.channel === 'whatsapp_web')!.contactId));
    expect(phoneChat!.externalId).toBe('6281355501234@c.us');
    expect(await (await admin.fetch(path)).text()).toContain('Statistik pengiriman');
  });

  it('refuses an upside-down range with the reason, keeping the form', async () => {
    const res = await newForm({ title: 'Salah', text_id: 'x', desil_min: '5', desil_max: '2', age_min: '70', action: 'save' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Desil awal tidak boleh lebih besar dari desil akhir.');
    expect(html).toContain('name="age_min" type="number" min="0" max="120" step="1" value="70"');
    const typo = await newForm({ title: 'Salah', text_id: 'x', age_max: 'enam puluh', action: 'preview' });
    expect(typo.status).toBe(422);
    expect(await typo.text()).toContain('Umur harus angka bulat 0 sampai 120.');
  });

  it('takes the same fields over /api/v1', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const segment = { kecamatanIds: [w.area.kecA], desilMax: 4, ageMin: 60, disability: true };
    const preview = await postJson(t.app, '/api/v1/broadcasts/preview', { segment, texts: { id: 'Halo' }, toRegistryPhones: true }, auth);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ total: 1, chats: 0, households: { chat: 0, registryPhone: 1, notReached: 0 }, toRegistryPhones: true, phoneChannel: 'whatsapp_web' });
    const created = await postJson(t.app, '/api/v1/broadcasts', { title: 'API', texts: { id: 'Halo' }, segment, toRegistryPhones: true, template: 'pintu_siaran' }, auth);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const listed = (await (await t.app.request('/api/v1/broadcasts', { headers: auth })).json()) as { items: { id: number; toRegistryPhones: boolean; template: string | null; segment: object }[] };
    expect(listed.items.find((b) => b.id === id)).toMatchObject({ toRegistryPhones: true, template: 'pintu_siaran', segment });
    const bad = await postJson(t.app, '/api/v1/broadcasts', { title: 'API', texts: { id: 'Halo' }, segment: { ageMin: 130 } }, auth);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: string }).error).toBe('broadcast_age_out_of_range');
    expect((await postJson(t.app, '/api/v1/broadcasts', { title: 'API', texts: { id: 'Halo' }, segment: {}, toRegistryPhones: 'ya' }, auth)).status).toBe(400);
  });

  it('answers 409 with the template when the Cloud API template may not write first', async () => {
    t.deps.outreach = {
      phoneChannel: 'whatsapp_cloud',
      cloud: { templateLanguage: 'id', templates: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' }, dailyNewConversations: 1000 },
    };
    try {
      const auth = { authorization: `Bearer ${token}` };
      const created = await postJson(t.app, '/api/v1/broadcasts', { title: 'Cloud', texts: { id: 'Halo' }, segment: { kecamatanIds: [w.area.kecA], desilMax: 4 }, toRegistryPhones: true }, auth);
      const { id } = (await created.json()) as { id: number };
      const refused = await postJson(t.app, `/api/v1/broadcasts/${id}/schedule`, { at: 'now' }, auth);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: 'broadcast_template_missing', template: 'pintu_pemberitahuan' });
      // In the console: the reason in the templates' words, with the name.
      const page = await (await admin.fetch(`/console/broadcasts/${id}`)).text();
      const res = await admin.post(`/console/broadcasts/${id}/schedule`, { _csrf: csrfIn(page), at: 'now' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Template tidak ditemukan di daftar dari Meta');
      expect((await w.db.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!.status).toBe('draft');
    } finally {
      t.deps.outreach = { phoneChannel: 'whatsapp_web' };
    }
  });
});
