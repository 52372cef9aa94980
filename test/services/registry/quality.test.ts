import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, findings } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { acceptFinding, assignFinding, findingCounts, findingsCsv, listFindings, MAX_REASON, resolveFinding } from '../../../src/services/registry/quality/findings.ts';
import { AUTO_NOTE, scanFindings, type FindingKind } from '../../../src/services/registry/quality/scan.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { EXPECTED, HEAD_NAME, qualityWorld, setEnrollmentStatus, SHARED_NIK, type QualityWorld } from './quality.fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';

// Issue 7, "data quality as work": the scan finds each kind exactly, a rescan only moves lastSeenAt, a
// fixed problem closes itself, and every read is scoped, masked and audited. Issue 18: a finding staff
// marked fixed opens again when the scan still finds it; one accepted as is (with a reason) stays closed.

let database: TestDatabase;
let w: QualityWorld;
let admin: Actor;
let nongsaSupervisor: Actor;
let sagulungSupervisor: Actor;
let operator: Actor;
const t0 = new Date('2026-11-20T03:00:00Z');
const t1 = new Date('2026-11-20T09:00:00Z');
const t2 = new Date('2026-11-20T15:00:00Z');
const t3 = new Date('2026-11-20T21:00:00Z');

const byKind = async () => {
  const rows = await database.db.select().from(findings);
  const out: Partial<Record<FindingKind, number>> = {};
  for (const r of rows) if (r.status === 'open') out[r.kind] = (out[r.kind] ?? 0) + 1;
  return { rows, open: out };
};

beforeAll(async () => {
  database = await createTestDatabase();
  w = await qualityWorld(database.db, t0);
  admin = await staffActor(database.db, { role: 'admin' });
  nongsaSupervisor = await staffActor(database.db, { role: 'supervisor', kecamatanId: w.nongsa });
  sagulungSupervisor = await staffActor(database.db, { role: 'supervisor', kecamatanId: w.sagulung });
  operator = await staffActor(database.db, { role: 'operator', kecamatanId: w.nongsa });
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

describe('scanFindings', () => {
  it('finds each kind exactly, with the family, member, program and area', async () => {
    const r = await scanFindings(database.db, { now: t1 });
    expect(r.skipped).toBe(false);
    for (const [kind, n] of Object.entries(EXPECTED)) expect(r.byKind[kind as FindingKind], kind).toEqual({ seen: n, opened: n, resolved: 0, reopened: 0 });
    const { rows, open } = await byKind();
    expect(open).toEqual(EXPECTED);
    expect(rows).toHaveLength(9);

    const dup = rows.filter((f) => f.kind === 'duplicate_nik').sort((a, b) => a.memberId! - b.memberId!);
    expect(dup.map((f) => [f.memberId, f.householdId, f.kecamatanId, f.kelurahanId])).toEqual([
      [w.siti, w.hh1, w.sagulung, w.kelA],
      [w.citra, w.hh2, w.nongsa, w.kelB],
    ]);
    expect((dup[0]!.details.householdIds as number[]).map(Number).sort()).toEqual([w.hh1, w.hh2].sort());
    // Keys are ids, never the NIK.
    for (const f of rows) expect(f.key).not.toContain(SHARED_NIK.slice(4, 12));

    const ex = rows.filter((f) => f.kind === 'exclusive_programs').map((f) => [f.householdId, f.memberId, f.details.programCodes, f.kelurahanId]);
    expect(ex).toEqual(
      expect.arrayContaining([
        [w.hh1, null, ['PKH', 'BLT'], w.kelA], // two household programs
        [w.hh1, w.siti, ['BLT', 'LANSIA'], w.kelA], // a household program and a member's person program
        [w.hh1, w.siti, ['PBI', 'LANSIA'], w.kelA], // one person in two person programs
      ]),
    );
    expect(ex.some((f) => f[1] === w.budi)).toBe(false);

    const dead = rows.find((f) => f.kind === 'deceased_enrolled')!;
    expect([dead.memberId, dead.programId, dead.kecamatanId]).toEqual([w.darto, w.pbi, w.nongsa]);

    const above = rows.find((f) => f.kind === 'above_desil_ceiling')!;
    expect([above.householdId, above.programId]).toEqual([w.hh2, w.pkh]);
    expect(above.details).toMatchObject({ desil: 6, maxDesil: 4, programCode: 'PKH' });

    const moved = rows.find((f) => f.kind === 'reported_moved')!;
    expect([moved.householdId, moved.kecamatanId, moved.kelurahanId]).toEqual([w.hh1, w.sagulung, w.kelA]);
    expect(moved.details.trackingId).toMatch(/^ADU-/);
    const died = rows.find((f) => f.kind === 'reported_deceased')!;
    expect([died.householdId, died.kelurahanId]).toEqual([w.hh2, w.kelB]);
  });

  it('a rescan adds nothing and moves lastSeenAt only', async () => {
    const before = (await byKind()).rows;
    const r = await scanFindings(database.db, { now: t2 });
    for (const [kind, n] of Object.entries(EXPECTED)) expect(r.byKind[kind as FindingKind], kind).toEqual({ seen: n, opened: 0, resolved: 0, reopened: 0 });
    const after = (await byKind()).rows;
    expect(after).toHaveLength(before.length);
    for (const f of after) {
      const old = before.find((b) => b.id === f.id)!;
      expect(f.firstSeenAt.toISOString()).toBe(t1.toISOString());
      expect(old.lastSeenAt.toISOString()).toBe(t1.toISOString());
      expect(f.lastSeenAt.toISOString()).toBe(t2.toISOString());
    }
  });

  it('a fixed problem resolves itself; one marked fixed but still found opens again; an accepted one stays', async () => {
    const [above] = await database.db.select().from(findings).where(eq(findings.kind, 'above_desil_ceiling'));
    const staffDone = await resolveFinding(database.db, admin, above!.id, 'Sudah disurvei ulang, desil akan diperbarui.', { now: t2 });
    expect(staffDone.ok && staffDone.finding.status).toBe('resolved');

    await setEnrollmentStatus(database.db, w.dartoPbi, 'ended');
    const r = await scanFindings(database.db, { now: t3 });
    expect(r.byKind.deceased_enrolled).toEqual({ seen: 0, opened: 0, resolved: 1, reopened: 0 });
    const [dead] = await database.db.select().from(findings).where(eq(findings.kind, 'deceased_enrolled'));
    expect(dead).toMatchObject({ status: 'resolved', resolutionNote: AUTO_NOTE, resolvedBy: null });
    expect(dead!.resolvedAt!.toISOString()).toBe(t3.toISOString());

    // The desil was not in fact updated: the scan still finds the same problem and opens it again, says
    // when, and the audit log keeps who had marked it fixed.
    expect(r.byKind.above_desil_ceiling).toEqual({ seen: 1, opened: 0, resolved: 0, reopened: 1 });
    const [again] = await database.db.select().from(findings).where(eq(findings.id, above!.id));
    expect(again).toMatchObject({ status: 'open', resolutionNote: null, resolvedAt: null, resolvedBy: null });
    expect(again!.details).toMatchObject({ desil: 6, maxDesil: 4, reopenedAt: t3.toISOString().replace('.000Z', 'Z') });
    const reopenLog = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.reopen'), eq(auditLog.entityId, String(above!.id))));
    expect(reopenLog).toHaveLength(1);
    expect(reopenLog[0]).toMatchObject({ actorKind: 'system', details: { kind: 'above_desil_ceiling', resolvedById: admin.id } });
    const listed = await listFindings(database.db, admin, { kind: 'above_desil_ceiling' });
    expect(listed.items[0]).toMatchObject({ status: 'open', reopenedAt: t3.toISOString().replace('.000Z', 'Z') });

    // The problem is real but right (an officer checked): accepted with a reason, the scan leaves it closed.
    const accepted = await acceptFinding(database.db, admin, above!.id, 'Desil 6 sudah diverifikasi; keluarga mendapat pengecualian tertulis.', { now: t3 });
    expect(accepted.ok && accepted.finding.status).toBe('accepted');

    await setEnrollmentStatus(database.db, w.dartoPbi, 'active');
    const back = await scanFindings(database.db, { now: new Date(t3.getTime() + 3_600_000) });
    expect(back.byKind.deceased_enrolled).toEqual({ seen: 1, opened: 0, resolved: 0, reopened: 1 });
    expect(back.byKind.above_desil_ceiling).toEqual({ seen: 1, opened: 0, resolved: 0, reopened: 0 });
    const [reopened] = await database.db.select().from(findings).where(eq(findings.id, dead!.id));
    expect(reopened).toMatchObject({ status: 'open', resolutionNote: null, resolvedAt: null });
    const [stays] = await database.db.select().from(findings).where(eq(findings.id, above!.id));
    expect(stays).toMatchObject({ status: 'accepted', resolvedBy: admin.id, resolutionNote: 'Desil 6 sudah diverifikasi; keluarga mendapat pengecualian tertulis.' });
    expect(stays!.resolvedAt!.toISOString()).toBe(t3.toISOString());
    expect(stays!.lastSeenAt.toISOString()).toBe(new Date(t3.getTime() + 3_600_000).toISOString());
    // When it was last reopened stays with it across scans.
    expect(stays!.details.reopenedAt).toBe(t3.toISOString().replace('.000Z', 'Z'));
    expect(await database.db.select().from(findings)).toHaveLength(9);
    expect((await listFindings(database.db, admin, { status: 'accepted' })).items.map((f) => f.id)).toEqual([above!.id]);
  });
});

describe('findings as work', () => {
  it('lists only the actor’s kecamatan, masked, newest first with a cursor, and audits the read', async () => {
    const page1 = await listFindings(database.db, nongsaSupervisor, { limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBe(page1.items[1]!.id);
    const page2 = await listFindings(database.db, nongsaSupervisor, { limit: 2, cursor: page1.nextCursor! });
    const all = [...page1.items, ...page2.items];
    expect(page2.nextCursor).toBeNull();
    expect(all.map((f) => f.kind).sort()).toEqual(['above_desil_ceiling', 'deceased_enrolled', 'duplicate_nik', 'reported_deceased']);
    expect(all.every((f) => f.kecamatan?.id === w.nongsa)).toBe(true);
    expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
    const dup = all.find((f) => f.kind === 'duplicate_nik')!;
    expect(dup.memberNik).toBe('217101******0001');
    expect(dup.memberName).toBe('C**** L****');
    expect(JSON.stringify(all)).not.toContain(SHARED_NIK);

    const filtered = await listFindings(database.db, admin, { kind: 'duplicate_nik', kelurahanId: w.kelA });
    expect(filtered.items.map((f) => f.memberId)).toEqual([w.siti]);
    expect(filtered.items[0]!.headName).toBe('S*** A****');

    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.list'), eq(auditLog.staffId, nongsaSupervisor.id)));
    expect(audits).toHaveLength(2);
    expect(audits[0]!.details).toMatchObject({ count: 2 });
  });

  it('refuses readers without reports.read', async () => {
    await expect(listFindings(database.db, operator)).rejects.toBeInstanceOf(Forbidden);
    await expect(findingsCsv(database.db, operator)).rejects.toBeInstanceOf(Forbidden);
  });

  it('counts per kind and per area within scope', async () => {
    const c = await findingCounts(database.db, nongsaSupervisor, { status: 'open' });
    expect(c.byKind).toMatchObject({ duplicate_nik: 1, reported_deceased: 1, deceased_enrolled: 1, above_desil_ceiling: 0, exclusive_programs: 0 });
    expect(c.byArea).toEqual([{ kecamatanId: w.nongsa, kecamatan: 'Nongsa', kelurahanId: w.kelB, kelurahan: 'Batu Besar', count: 3 }]);
  });

  it('assigns to staff in scope only; another kecamatan’s finding is not found', async () => {
    const [moved] = await database.db.select().from(findings).where(eq(findings.kind, 'reported_moved'));
    expect(await assignFinding(database.db, nongsaSupervisor, moved!.id, nongsaSupervisor.id, { now: t3 })).toEqual({ ok: false, reason: 'not_found' });
    expect(await assignFinding(database.db, sagulungSupervisor, moved!.id, nongsaSupervisor.id, { now: t3 })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await assignFinding(database.db, sagulungSupervisor, moved!.id, operator.id, { now: t3 })).toEqual({ ok: false, reason: 'invalid_input' });
    const ok = await assignFinding(database.db, sagulungSupervisor, moved!.id, sagulungSupervisor.id, { now: t3 });
    expect(ok.ok && ok.finding.assignee?.id).toBe(sagulungSupervisor.id);
    const [row] = await database.db.select().from(findings).where(eq(findings.id, moved!.id));
    expect(row!.assigneeId).toBe(sagulungSupervisor.id);
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.assign'), eq(auditLog.entityId, String(moved!.id))));
    expect(audits).toHaveLength(1);
  });

  it('resolves only with a note; a resolved finding cannot be resolved again', async () => {
    const [moved] = await database.db.select().from(findings).where(eq(findings.kind, 'reported_moved'));
    expect(await resolveFinding(database.db, sagulungSupervisor, moved!.id, '   ', { now: t3 })).toEqual({ ok: false, reason: 'note_required' });
    expect((await database.db.select().from(findings).where(eq(findings.id, moved!.id)))[0]!.status).toBe('open');
    expect(await resolveFinding(database.db, nongsaSupervisor, moved!.id, 'catatan', { now: t3 })).toEqual({ ok: false, reason: 'not_found' });
    const r = await resolveFinding(database.db, sagulungSupervisor, moved!.id, 'Sudah dicek ke kelurahan; data pindah dicatat.', { now: t3 });
    expect(r.ok && r.finding.status).toBe('resolved');
    expect(await resolveFinding(database.db, sagulungSupervisor, moved!.id, 'lagi', { now: t3 })).toEqual({ ok: false, reason: 'invalid_status' });
    const [row] = await database.db.select().from(findings).where(eq(findings.id, moved!.id));
    expect(row).toMatchObject({ status: 'resolved', resolvedBy: sagulungSupervisor.id, resolutionNote: 'Sudah dicek ke kelurahan; data pindah dicatat.' });
  });

  it('accepts as is only with a reason of at most 500 characters, in scope, once', async () => {
    const [dup] = await database.db.select().from(findings).where(and(eq(findings.kind, 'duplicate_nik'), eq(findings.kecamatanId, w.nongsa)));
    expect(await acceptFinding(database.db, nongsaSupervisor, dup!.id, '  ', { now: t3 })).toEqual({ ok: false, reason: 'note_required' });
    expect(await acceptFinding(database.db, nongsaSupervisor, dup!.id, 'x'.repeat(MAX_REASON + 1), { now: t3 })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await acceptFinding(database.db, sagulungSupervisor, dup!.id, 'Kembar identik, dua KK sah.', { now: t3 })).toEqual({ ok: false, reason: 'not_found' });
    expect(await acceptFinding(database.db, operator, dup!.id, 'Kembar identik, dua KK sah.', { now: t3 })).toEqual({ ok: false, reason: 'forbidden' });
    expect((await database.db.select().from(findings).where(eq(findings.id, dup!.id)))[0]).toMatchObject({ status: 'open', resolutionNote: null });

    const ok = await acceptFinding(database.db, nongsaSupervisor, dup!.id, 'x'.repeat(MAX_REASON), { now: t3 });
    expect(ok.ok && ok.finding).toMatchObject({ status: 'accepted', resolutionNote: 'x'.repeat(MAX_REASON) });
    expect(await acceptFinding(database.db, nongsaSupervisor, dup!.id, 'lagi', { now: t3 })).toEqual({ ok: false, reason: 'invalid_status' });
    expect(await resolveFinding(database.db, nongsaSupervisor, dup!.id, 'lagi', { now: t3 })).toEqual({ ok: false, reason: 'invalid_status' });
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'finding.accept'), eq(auditLog.entityId, String(dup!.id))));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({ kind: 'duplicate_nik', noteLength: MAX_REASON });
    // Scanning again leaves it accepted.
    await scanFindings(database.db, { now: new Date(t3.getTime() + 7_200_000) });
    expect((await database.db.select().from(findings).where(eq(findings.id, dup!.id)))[0]!.status).toBe('accepted');
  });

  it('exports CSV masked, with the same filters and scope, audited', async () => {
    const { csv, count } = await findingsCsv(database.db, nongsaSupervisor, { kind: 'duplicate_nik' });
    expect(count).toBe(1);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,jenis,status,kecamatan/);
    expect(lines).toHaveLength(2);
    expect(csv).toContain('217101******0001');
    expect(csv).not.toContain(SHARED_NIK);
    expect(csv).not.toContain('CITRA');
    expect(csv).not.toContain(HEAD_NAME);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'finding.export'));
    expect(audits.at(-1)!.details).toMatchObject({ count: 1, kind: 'duplicate_nik' });
  });
});
