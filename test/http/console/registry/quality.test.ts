import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, findings } from '../../../../src/db/schema/index.ts';
import { scanFindings } from '../../../../src/services/registry/quality/scan.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { HEAD_NAME, qualityWorld, SHARED_NIK, type QualityWorld } from '../../../services/registry/quality.fixtures.ts';

// The data-quality page through the real app: counts and list within the supervisor's kecamatan, masked;
// "saya tangani", "tandai selesai" only with a note, CSRF on every change, another kecamatan's finding 404,
// the CSV masked, and roles without reports.read kept out.

describe('console: data quality', () => {
  let database: TestDatabase;
  let w: QualityWorld;
  let t: TestApp;
  let base: string;
  let supervisorId: number;
  const now = new Date('2026-11-20T09:00:00Z');

  const findingOf = async (kind: 'reported_moved' | 'reported_deceased' | 'above_desil_ceiling') => (await database.db.select().from(findings).where(eq(findings.kind, kind)))[0]!;

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await qualityWorld(database.db, new Date('2026-11-19T09:00:00Z'));
    await scanFindings(database.db, { now });
    t = await createTestApp(database, { clock: () => now });
    base = await t.listen();
    supervisorId = (await createStaffUser(database.db, 'system', { email: 'spv@q.test', name: 'Supervisor Nongsa', role: 'supervisor', kecamatanId: w.nongsa, password: PASSWORD })).id;
    await createStaffUser(database.db, 'system', { email: 'op@q.test', name: 'Operator', role: 'operator', kecamatanId: w.nongsa, password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows counts and the list of the supervisor’s kecamatan, masked, and audits the read', async () => {
    const { b } = await signedIn(base, 'spv@q.test');
    const res = await b.fetch('/console/quality');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/console/quality"'); // the nav link
    expect(html).toContain('Kualitas data');
    expect(html).toMatch(/data-kind="duplicate_nik">1</);
    expect(html).toMatch(/data-kind="exclusive_programs">0</);
    expect(html).toContain('Batu Besar');
    expect(html).not.toContain('Sungai Langkai</td>'); // the other kecamatan's area is not counted
    expect(html).toContain('217101******0001');
    expect(html).toContain('C**** L****');
    expect(html).not.toContain(SHARED_NIK);
    expect(html).not.toContain('CITRA');
    expect((html.match(/data-finding="/g) ?? []).length).toBe(4);
    // Each open finding can be referred to the agency that must settle it.
    expect((html.match(/href="\/console\/referrals\/new\?source=finding&amp;id=\d+"/g) ?? []).length).toBe(4);

    const filtered = await (await b.fetch(`/console/quality?kind=deceased_enrolled&kelurahan=${w.kelB}`)).text();
    expect((filtered.match(/data-finding="/g) ?? []).length).toBe(1);
    expect(filtered).toContain('D****');

    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.list'), eq(auditLog.staffId, supervisorId)));
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('assigns to me and resolves only with a note, behind CSRF', async () => {
    const { b, csrf } = await signedIn(base, 'spv@q.test');
    const died = await findingOf('reported_deceased');

    const noCsrf = await b.post(`/console/quality/${died.id}/assign`, { q: 'status=open' });
    expect(noCsrf.status).toBe(403);
    expect((await findingOf('reported_deceased')).assigneeId).toBeNull();

    const assigned = await b.post(`/console/quality/${died.id}/assign`, { _csrf: csrf, q: 'status=open&kind=reported_deceased' });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.get('location')).toBe('/console/quality?kind=reported_deceased&status=open&done=assigned');
    expect((await findingOf('reported_deceased')).assigneeId).toBe(supervisorId);
    const page = await (await b.fetch(assigned.headers.get('location')!)).text();
    expect(page).toContain('Temuan sudah diberikan kepada Anda.');
    expect(page).toContain('Supervisor Nongsa');

    const noNote = await b.post(`/console/quality/${died.id}/resolve`, { _csrf: csrf, q: '', note: '  ' });
    expect(noNote.status).toBe(400);
    expect(await noNote.text()).toContain('Mohon tulis apa yang sudah diperbaiki.');
    expect((await findingOf('reported_deceased')).status).toBe('open');

    const noCsrfResolve = await b.post(`/console/quality/${died.id}/resolve`, { q: '', note: 'Sudah dicek' });
    expect(noCsrfResolve.status).toBe(403);
    expect((await findingOf('reported_deceased')).status).toBe('open');

    const done = await b.post(`/console/quality/${died.id}/resolve`, { _csrf: csrf, q: '', note: 'Sudah dicek ke kelurahan; akta kematian ada.' });
    expect(done.status).toBe(303);
    expect(await findingOf('reported_deceased')).toMatchObject({ status: 'resolved', resolvedBy: supervisorId, resolutionNote: 'Sudah dicek ke kelurahan; akta kematian ada.' });
  });

  it('answers 404 for another kecamatan’s finding and changes nothing', async () => {
    const { b, csrf } = await signedIn(base, 'spv@q.test');
    const moved = await findingOf('reported_moved');
    const res = await b.post(`/console/quality/${moved.id}/resolve`, { _csrf: csrf, q: '', note: 'bukan urusan saya' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Temuan tidak ditemukan.');
    expect((await findingOf('reported_moved')).status).toBe('open');
    expect((await b.post(`/console/quality/${moved.id}/assign`, { _csrf: csrf, q: '' })).status).toBe(404);
    expect((await findingOf('reported_moved')).assigneeId).toBeNull();
  });

  it('downloads the CSV masked with the same filters', async () => {
    const { b } = await signedIn(base, 'spv@q.test');
    const res = await b.fetch('/console/quality/export.csv?status=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(csv).toContain('NIK sama di dua keluarga');
    expect(csv).toContain('217101******0001');
    expect(csv).not.toContain(SHARED_NIK);
    expect(csv).not.toContain(HEAD_NAME);
    const open = await (await b.fetch('/console/quality/export.csv?status=open')).text();
    expect(open.trim().split('\r\n')).toHaveLength(4); // the resolved one left out
  });

  it('accepts a finding as is only with a reason, and lists it under its own filter', async () => {
    const { b, csrf } = await signedIn(base, 'spv@q.test');
    const nongsaDup = async () => (await database.db.select().from(findings).where(and(eq(findings.kind, 'duplicate_nik'), eq(findings.kecamatanId, w.nongsa))))[0]!;
    const dup = await nongsaDup();
    const page = await (await b.fetch('/console/quality')).text();
    expect(page).toContain('Data sudah diperbaiki');
    expect(page).toContain('Data benar apa adanya');
    expect(page).toContain('<option value="accepted"');

    const noReason = await b.post(`/console/quality/${dup.id}/accept`, { _csrf: csrf, q: 'status=open', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Mohon tulis alasan data sudah benar apa adanya.');
    const tooLong = await b.post(`/console/quality/${dup.id}/accept`, { _csrf: csrf, q: 'status=open', reason: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('paling banyak 500 karakter');
    expect((await b.post(`/console/quality/${dup.id}/accept`, { q: 'status=open', reason: 'Kembar' })).status).toBe(403);
    expect((await nongsaDup()).status).toBe('open');

    const done = await b.post(`/console/quality/${dup.id}/accept`, { _csrf: csrf, q: 'status=open', reason: 'Dua orang berbeda; NIK salah ketik di Dukcapil, sudah dilaporkan.' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/quality?status=open&done=accepted');
    expect(await nongsaDup()).toMatchObject({ status: 'accepted', resolvedBy: supervisorId });
    const accepted = await (await b.fetch('/console/quality?status=accepted')).text();
    expect((accepted.match(/data-finding="/g) ?? []).length).toBe(1);
    expect(accepted).toContain('data-closed="accepted"');
    expect(accepted).toContain('NIK salah ketik di Dukcapil');
  });

  it('keeps roles without reports.read out', async () => {
    const { b } = await signedIn(base, 'op@q.test');
    const res = await b.fetch('/console/quality');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('href="/console/quality"');
    expect((await b.fetch('/console/quality/export.csv')).status).toBe(403);
  });
});
