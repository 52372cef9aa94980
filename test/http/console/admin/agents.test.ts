import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, auditLog, complaints, kecamatan, kelurahan } from '../../../../src/db/schema/index.ts';
import { fileComplaint } from '../../../../src/services/complaints/file.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import type { TestDatabase } from '../../../helpers/db.ts';
import { newContact, SEED_NOW, seededDatabase } from '../../../services/seeded.ts';
import { staffActor } from '../../../services/staff/fixtures.ts';

// The e-warong and agents admin page through the real app: the seeded agents with their complaint counts of
// the last 90 days; add (bad input refused with what was typed kept), edit, deactivate and reactivate,
// audited; a kecamatan admin changes only their own; a supervisor 403. The complaint page names the agent.

describe('/console/admin/agents', () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: SignedIn;
  let spv: SignedIn;
  let belian: number;
  const good = { name: 'Agen BRILink Bu Ani', kind: 'agen_bank', address: 'Jl. Kenanga 3', latitude: '1.1201', longitude: '104.0655', programs: 'SEMBAKO', hours: 'Senin–Jumat 08.00–16.00', phone: '0778 457123' };

  beforeAll(async () => {
    database = await seededDatabase(10);
    t = await createTestApp(database, { clock: () => SEED_NOW });
    const base = await t.listen();
    const a = await staffActor(database.db, { role: 'admin' });
    const s = await staffActor(database.db, { role: 'supervisor' });
    admin = await signedIn(base, a.email, a.password);
    spv = await signedIn(base, s.email, s.password);
    belian = (await database.db.select({ id: kelurahan.id }).from(kelurahan).where(eq(kelurahan.name, 'Belian')))[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  const byName = async (name: string) => (await database.db.select().from(agents).where(eq(agents.name, name)))[0];

  it('is on the admin index and lists the agents with their complaints of the last 90 days, by problem', async () => {
    const ewarong = (await byName('E-Warong KUBE Belian'))!;
    const contactId = await newContact(database.db);
    for (const problem of ['quality', 'quality', 'closed'] as const) {
      await fileComplaint(database.db, { contactId, category: 'not_received', summary: 'Beras berkutu', details: {}, anonymous: false, agentId: ewarong.id, agentProblem: problem, now: SEED_NOW });
    }
    expect(await (await admin.b.fetch('/console/admin')).text()).toContain('href="/console/admin/agents"');
    const res = await admin.b.fetch('/console/admin/agents');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<caption>E-warong dan agen</caption>');
    const row = new RegExp(`<tr data-agent="${ewarong.id}">([\\s\\S]*?)</tr>`).exec(html)![1]!;
    expect(row).toContain('data-complaints="3"');
    expect(row).toContain('Mutu barang 2 · Tutup 1');
    expect(html).toContain('E-Warong KUBE Batu Selicin');

    // The complaint's own page names the agent and the problem.
    const [c] = await database.db.select({ id: complaints.id }).from(complaints).where(eq(complaints.agentId, ewarong.id)).limit(1);
    const page = await (await admin.b.fetch(`/console/complaints/${c!.id}`)).text();
    expect(page).toContain('E-Warong KUBE Belian (Belian) · Mutu barang');
  });

  it('refuses bad input with every reason, keeps what was typed, and writes nothing', async () => {
    const before = (await database.db.select().from(agents)).length;
    const res = await admin.b.post('/console/admin/agents', { _csrf: admin.csrf, ...good, kelurahan: String(belian), name: '', latitude: '95', phone: '12-ab' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Mohon isi nama agen.');
    expect(html).toContain('Lintang harus angka antara -90 dan 90');
    expect(html).toContain('Nomor telepon tidak dikenali.');
    expect(html).toContain('value="12-ab"');
    const unknown = await admin.b.post('/console/admin/agents', { _csrf: admin.csrf, ...good, kelurahan: String(belian), programs: 'BERAS' });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('Program tidak dikenal: BERAS.');
    expect((await admin.b.post('/console/admin/agents', { _csrf: admin.csrf, ...good, kelurahan: '999999' })).status).toBe(422);
    expect((await admin.b.post('/console/admin/agents', { ...good, kelurahan: String(belian) })).status).toBe(403);
    expect((await database.db.select().from(agents)).length).toBe(before);
  });

  it('adds, edits, deactivates and reactivates an agent, each audited', async () => {
    const res = await admin.b.post('/console/admin/agents', { _csrf: admin.csrf, ...good, kelurahan: String(belian) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/admin/agents?done=create');
    const made = (await byName(good.name))!;
    expect(made).toMatchObject({ kind: 'agen_bank', kelurahanId: belian, programs: ['SEMBAKO'], latitude: '1.120100', active: true });

    const form = await (await admin.b.fetch(`/console/admin/agents/${made.id}`)).text();
    expect(form).toContain('value="Agen BRILink Bu Ani"');
    expect(form).toMatch(/value="SEMBAKO" checked/);
    expect((await admin.b.post(`/console/admin/agents/${made.id}`, { _csrf: admin.csrf, ...good, kelurahan: String(belian), latitude: '', longitude: '', hours: 'Setiap hari' })).status).toBe(303);
    expect(await byName(good.name)).toMatchObject({ latitude: null, longitude: null, hours: 'Setiap hari' });

    expect((await admin.b.post(`/console/admin/agents/${made.id}/deactivate`, { _csrf: admin.csrf })).status).toBe(303);
    expect((await byName(good.name))?.active).toBe(false);
    expect(await (await admin.b.fetch('/console/admin/agents?done=deactivate')).text()).toContain('Agen sudah dinonaktifkan.');
    expect((await admin.b.post(`/console/admin/agents/${made.id}/reactivate`, { _csrf: admin.csrf })).status).toBe(303);
    expect((await byName(good.name))?.active).toBe(true);
    const actions = (await database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'agent'), eq(auditLog.entityId, String(made.id))))).map((a) => a.action);
    expect(actions).toEqual(['agent.create', 'agent.update', 'agent.deactivate', 'agent.reactivate']);
    expect((await admin.b.fetch('/console/admin/agents/999999')).status).toBe(404);
  });

  it('keeps a kecamatan admin to their own agents, and a supervisor out', async () => {
    const [lubukBaja] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Lubuk Baja'));
    const a = await staffActor(database.db, { role: 'admin', kecamatanId: lubukBaja!.id });
    const scoped = await signedIn(await t.listen(), a.email, a.password);
    const theirs = (await byName('E-Warong KUBE Batu Selicin'))!;
    const notTheirs = (await byName('E-Warong KUBE Sukajadi'))!;
    expect(await (await scoped.b.fetch('/console/admin/agents')).text()).toContain('Hanya dapat diubah oleh admin wilayahnya.');
    expect((await scoped.b.post(`/console/admin/agents/${notTheirs.id}/deactivate`, { _csrf: scoped.csrf })).status).toBe(403);
    expect((await scoped.b.post('/console/admin/agents', { _csrf: scoped.csrf, ...good, name: 'Di luar', kelurahan: String(belian) })).status).toBe(403);
    expect(await byName('Di luar')).toBeUndefined();
    expect((await byName(notTheirs.name))?.active).toBe(true);
    expect((await scoped.b.post(`/console/admin/agents/${theirs.id}/deactivate`, { _csrf: scoped.csrf })).status).toBe(303);
    expect((await byName(theirs.name))?.active).toBe(false);

    expect((await spv.b.fetch('/console/admin/agents')).status).toBe(403);
    expect((await spv.b.post('/console/admin/agents', { _csrf: spv.csrf, ...good, name: 'Lain', kelurahan: String(belian) })).status).toBe(403);
    expect(await byName('Lain')).toBeUndefined();
  });
});
