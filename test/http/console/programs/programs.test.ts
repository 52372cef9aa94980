import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, programs, recipientLists } from '../../../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { signedIn, type SignedIn } from '../../../helpers/console.ts';
import type { TestDatabase } from '../../../helpers/db.ts';
import { pdfText } from '../../../helpers/pdf.ts';
import { SEED_NOW, seededDatabase } from '../../../services/seeded.ts';
import { staffActor } from '../../../services/staff/fixtures.ts';

// Programs through the real console: the list with targets, the edit form refusing bad rules field by field
// with nothing saved, "Lihat dampak" showing the two counts before saving, a save, and the recipient list
// opened, locked after its confirmation and downloaded for the SK. Another bidang's program is a 404, a role
// with neither permission a 403.

describe('/console/programs', () => {
  let database: TestDatabase;
  let t: TestApp;
  let head: SignedIn;
  let rehsos: SignedIn;
  let operator: SignedIn;
  let pkhId: number;

  beforeAll(async () => {
    database = await seededDatabase(80);
    const db = database.db;
    t = await createTestApp(database, { clock: () => SEED_NOW });
    const base = await t.listen();
    const a = await staffActor(db, { role: 'supervisor', bidang: 'Linjamsos' });
    const b = await staffActor(db, { role: 'supervisor', bidang: 'Rehsos' });
    const c = await staffActor(db, { role: 'operator' });
    head = await signedIn(base, a.email, a.password);
    rehsos = await signedIn(base, b.email, b.password);
    operator = await signedIn(base, c.email, c.password);
    pkhId = (await db.select({ id: programs.id }).from(programs).where(eq(programs.code, 'PKH')))[0]!.id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('lists the bidang\'s programs with their targets, in the menu of those who manage them', async () => {
    const res = await head.b.fetch('/console/programs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/console/programs"');
    expect(html).toMatch(/data-program="PKH"[\s\S]*?48\.000/);
    expect(html).not.toContain('data-program="LANSIA"');
    expect((await operator.b.fetch('/console/programs')).status).toBe(403);
    expect(await (await operator.b.fetch('/console/complaints')).text()).not.toContain('href="/console/programs"');
    expect((await rehsos.b.fetch(`/console/programs/${pkhId}`)).status).toBe(404);
  });

  it('refuses impossible rules field by field and saves nothing', async () => {
    const form = await (await head.b.fetch(`/console/programs/${pkhId}`)).text();
    expect(form).toContain('Lihat dampak');
    const res = await head.b.post(`/console/programs/${pkhId}`, {
      _csrf: head.csrf, intent: 'save', name: 'Program Keluarga Harapan', agency: 'Kementerian Sosial', bidang: 'Linjamsos', funder: 'APBN', benefitType: 'cash',
      benefitAmount: '750000', benefitPeriod: 'quarter', unit: 'household', maxDesil: '11', minAge: '-1', activeFrom: '2027-01-01', activeUntil: '2026-01-01', targetPerYear: 'banyak',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Target harus angka bulat.');
    const again = await head.b.post(`/console/programs/${pkhId}`, {
      _csrf: head.csrf, intent: 'save', name: 'Program Keluarga Harapan', agency: 'Kementerian Sosial', bidang: 'Linjamsos', funder: 'APBN', benefitType: 'cash',
      benefitAmount: '750000', benefitPeriod: 'quarter', unit: 'household', maxDesil: '11', minAge: '-1', activeFrom: '2027-01-01', activeUntil: '2026-01-01', excludedWith: 'PKH',
    });
    expect(again.status).toBe(422);
    const text = await again.text();
    for (const m of ['Desil tertinggi harus antara 1 dan 10.', 'Usia minimal harus antara 0 dan 120 tahun.', 'Tanggal mulai tidak boleh sesudah tanggal berakhir.']) expect(text).toContain(m);
    expect(text).toContain('value="11"'); // what was typed stays
    const [pkh] = await database.db.select().from(programs).where(eq(programs.id, pkhId));
    expect(pkh!.rules).toEqual({ maxDesil: 4, maxAmount: 3_000_000 });
    expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'program.update'))).toHaveLength(0);
  });

  it('shows the impact before saving, then saves', async () => {
    const fields = {
      _csrf: head.csrf, name: 'Program Keluarga Harapan', agency: 'Kementerian Sosial', bidang: 'Linjamsos', funder: 'APBN', benefitType: 'cash',
      benefitAmount: '750000', benefitPeriod: 'quarter', unit: 'household', maxDesil: '2', maxAmount: '3000000', targetPerYear: '50000',
    };
    const preview = await head.b.post(`/console/programs/${pkhId}`, { ...fields, intent: 'preview' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    const lost = Number(/data-testid="impact-lost">([\d.]+)</.exec(html)?.[1]?.replace(/\./g, ''));
    expect(lost).toBeGreaterThan(0);
    expect(html).toContain('data-testid="impact-gained">0<');
    expect((await database.db.select().from(programs).where(eq(programs.id, pkhId)))[0]!.rules.maxDesil).toBe(4);
    const saved = await head.b.post(`/console/programs/${pkhId}`, { ...fields, intent: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/console/programs/${pkhId}?done=updated`);
    expect((await database.db.select().from(programs).where(eq(programs.id, pkhId)))[0]).toMatchObject({ rules: { maxDesil: 2, maxAmount: 3_000_000 }, targetPerYear: 50000 });
  });

  it('opens a period\'s draft, locks it after showing the count, and downloads it for the SK', async () => {
    const lists = await (await head.b.fetch(`/console/programs/${pkhId}/lists`)).text();
    const period = /data-period="([^"]+)"/.exec(lists)![1]!;
    const open = await head.b.post(`/console/programs/${pkhId}/lists`, { _csrf: head.csrf, period });
    expect(open.status).toBe(303);
    const at = open.headers.get('location')!.replace(/\?.*$/, '');
    const page = await (await head.b.fetch(at)).text();
    const count = /akan mengunci (\d+) penerima/.exec(page)?.[1];
    expect(Number(count)).toBeGreaterThan(0);
    const noDecree = await head.b.post(`${at}/lock`, { _csrf: head.csrf, decreeNumber: '' });
    expect(noDecree.status).toBe(422);
    expect(await noDecree.text()).toContain('Mohon isi nomor SK.');
    const locked = await head.b.post(`${at}/lock`, { _csrf: head.csrf, decreeNumber: '460/SK/2026' });
    expect(locked.status).toBe(303);
    const after = await (await head.b.fetch(at)).text();
    expect(after).toContain('data-status="locked"');
    expect(after).toContain('Buat versi baru');
    const listId = Number(at.split('/').pop());
    expect((await database.db.select().from(recipientLists).where(and(eq(recipientLists.id, listId), eq(recipientLists.status, 'locked')))).length).toBe(1);
    const pdf = await head.b.fetch(`${at}/sk.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/attachment; filename="sk-pkh-.*-v1\.pdf"/);
    expect(pdfText(new Uint8Array(await pdf.arrayBuffer()))).toContain('460/SK/2026');
    const xlsx = await head.b.fetch(`${at}/sk.xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await rehsos.b.fetch(`${at}/sk.pdf`)).status).toBe(404);
    expect((await rehsos.b.post(`${at}/lock`, { _csrf: rehsos.csrf, decreeNumber: 'x' })).status).toBe(404);
  });
});
