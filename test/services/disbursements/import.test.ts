import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, disbursementFiles, disbursements } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { aidSummary } from '../../../src/services/aid/summary.ts';
import { importDisbursements } from '../../../src/services/disbursements/import.ts';
import { countOpenFailed, listFailed, resolveFailed } from '../../../src/services/disbursements/failed.ts';
import { tellUntoldFamilies } from '../../../src/services/disbursements/tell-family.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { disbursementWorld, HEADER, NOW, PERIOD, queued, type DisbursementWorld } from './world.ts';

// The result file of a bank for a tranche (issue 20 part 3): imported whole, matched to enrollments by KK or
// NIK, failed lines as open work and their families told once; every kind of bad line named with its number
// while nothing is written; the same bytes refused a second time; the importer's kecamatan and bidang held.

describe('services/disbursements import', () => {
  let database: TestDatabase;
  let w: DisbursementWorld;
  const db = () => database.db;
  const lineCount = async () => (await db().select({ id: disbursements.id }).from(disbursements)).length;
  const fileCount = async () => (await db().select({ id: disbursementFiles.id }).from(disbursementFiles)).length;
  const run = (actor: DisbursementWorld['admin'], path: string, programId = w.pkh.id, period = PERIOD) =>
    importDisbursements(database, actor, { programId, period, source: 'BNI', filePath: path, fileName: path.split('/').pop()! }, w.opts);

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await disbursementWorld(database.db);
  }, 60_000);
  afterAll(async () => {
    await w?.dispose();
    await database?.dispose();
  });

  it('refuses every bad line with its number and writes nothing', async () => {
    const path = await w.file('bad.csv', [
      HEADER,
      `,${w.siti.noKk},1234567890,750000,transferred,2026-11-12,`, // line 2: fine
      `9999999999999999,,,750000,transferred,2026-11-12,`, // 3: unknown NIK
      `,${w.none.noKk},,750000,transferred,2026-11-12,`, // 4: family not in the program
      `,${w.budi.noKk},,3000001,transferred,2026-11-12,`, // 5: above the program's most
      `,${w.own.noKk},,1200001,transferred,2026-11-12,`, // 6: above the enrollment's own amount
      `,${w.dewi.noKk},,750000,lunas,2026-11-12,`, // 7: bad status
      `,${w.dewi.noKk},,750000,failed,31/02/2026,`, // 8: bad date
      `,${w.dewi.noKk},,750000,failed,2027-01-01,`, // 9: in the future
      `${w.siti.niks[1]},,,750000,transferred,2026-11-12,`, // 10: Siti's family again, by a member's NIK
      `123,,,750000,transferred,2026-11-12,`, // 11: NIK not 16 digits
      `,${w.dewi.noKk},,0,failed,2026-11-12,`, // 12: no amount
    ]);
    const before = { lines: await lineCount(), files: await fileCount() };
    const r = await run(w.admin, path);
    expect(r.ok).toBe(false);
    if (r.ok || r.reason !== 'lines_refused') throw new Error('expected lines_refused');
    expect(r.refusals.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, 'nik_unknown'],
      [4, 'not_enrolled'],
      [5, 'nominal_above'],
      [6, 'nominal_above'],
      [7, 'status_invalid'],
      [8, 'tanggal_invalid'],
      [9, 'tanggal_invalid'],
      [10, 'duplicate_in_file'],
      [11, 'nik_invalid'],
      [12, 'nominal_invalid'],
    ]);
    expect(r.refusals.total).toBe(10);
    expect(r.refusals.problems.find((p) => p.line === 6)?.detail).toContain('1200000');
    expect(r.refusals.problems.find((p) => p.line === 10)?.detail).toContain('line 2');
    expect({ lines: await lineCount(), files: await fileCount() }).toEqual(before);
  });

  it('caps the listed lines but counts them all', async () => {
    const lines = [HEADER, ...Array.from({ length: 250 }, () => `9999999999999999,,,750000,transferred,2026-11-12,`)];
    const r = await importDisbursements(database, w.admin, { programId: w.pkh.id, period: PERIOD, source: 'BNI', filePath: await w.file('many.csv', lines), fileName: 'many.csv' }, { ...w.opts, problemLimit: 50 });
    if (r.ok || r.reason !== 'lines_refused') throw new Error('expected lines_refused');
    expect(r.refusals.total).toBe(250);
    expect(r.refusals.problems).toHaveLength(50);
  });

  it('refuses a file without the needed columns, an empty one, a bad period and a missing source', async () => {
    expect(await run(w.admin, await w.file('h.csv', ['nik,jumlah_uang,status', `${w.siti.niks[0]},1,transferred`]))).toEqual({ ok: false, reason: 'header_invalid' });
    expect(await run(w.admin, await w.file('e.csv', [HEADER]))).toEqual({ ok: false, reason: 'file_empty' });
    expect(await run(w.admin, await w.file('p.csv', [HEADER]), w.pkh.id, 'triwulan 4')).toEqual({ ok: false, reason: 'period_invalid' });
    const r = await importDisbursements(database, w.admin, { programId: w.pkh.id, period: PERIOD, source: '  ', filePath: await w.file('s.csv', [HEADER]), fileName: 's.csv' }, w.opts);
    expect(r).toEqual({ ok: false, reason: 'source_invalid' });
  });

  it('holds the importer to their role, bidang and kecamatan', async () => {
    const path = await w.file('scope.csv', [HEADER, `,${w.far.noKk},,750000,transferred,2026-11-12,`]);
    await expect(run(w.operatorA, path)).rejects.toBeInstanceOf(Forbidden);
    expect(await run(w.supervisorRehsos, path)).toEqual({ ok: false, reason: 'program_out_of_scope' });
    const r = await run(w.supervisorA, path);
    if (r.ok || r.reason !== 'lines_refused') throw new Error('expected lines_refused');
    expect(r.refusals.problems).toEqual([{ line: 2, reason: 'household_out_of_scope', detail: expect.any(String) }]);
    expect(await fileCount()).toBe(0);
  });

  it('imports a clean file: lines matched by KK or NIK, failed ones open and their families told once', async () => {
    const path = await w.file('bni-q4.csv', [
      'No_KK;NIK;Rekening;Nominal;Status;Tanggal;Keterangan',
      `${w.siti.noKk};;0012 3456 7890;750.000;berhasil;12/11/2026;`,
      `;${w.budi.niks[1]};9876543210;750000;transferred;2026-11-12;`,
      `${w.own.noKk};;;1200000;TRANSFERRED;2026-11-12;`,
      `${w.dewi.noKk};;55554444;750000;gagal;13/11/2026;Rekening tidak aktif`,
    ]);
    const r = await run(w.supervisorA, path);
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
    expect(r.report).toMatchObject({ lineCount: 4, transferred: 3, failed: 1, returned: 0, notified: 0, unreachable: 1 });
    const rows = await db().select().from(disbursements).where(eq(disbursements.fileId, r.report.fileId)).orderBy(disbursements.lineNo);
    expect(rows.map((d) => [d.lineNo, d.householdId, d.status, d.transferDate, d.workStatus, d.amount])).toEqual([
      [2, w.siti.householdId, 'transferred', '2026-11-12', null, 750_000],
      [3, w.budi.householdId, 'transferred', '2026-11-12', null, 750_000],
      [4, w.own.householdId, 'transferred', '2026-11-12', null, 1_200_000],
      [5, w.dewi.householdId, 'failed', '2026-11-13', 'open', 750_000],
    ]);
    expect(rows[0]!.referenceMasked).toBe('********7890');
    expect(rows[0]!.kecamatanId).toBe(w.area.kecA);
    expect(rows[3]!.reason).toBe('Rekening tidak aktif');
    // Dewi's family has no chat: nobody is told, and the line says so by staying unmarked.
    expect(rows[3]!.notifiedAt).toBeNull();
    expect(await queued(db(), w.siti.contactIds[0]!)).toEqual([]);
    const [a] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'disbursement.import'), eq(auditLog.entityId, String(r.report.fileId))));
    expect(a?.details).toMatchObject({ lineCount: 4, failedCount: 1 });

    // Siti's aid check: the transfer arrived.
    const s = await aidSummary(db(), w.siti.memberIds[0]!, { today: '2026-11-24', now: NOW });
    expect(s.receiving.find((i) => i.code === w.pkh.code)?.transfer).toEqual({ status: 'transferred', date: '2026-11-12', office: null });
  });

  it('refuses the same file a second time, naming the first import', async () => {
    const path = join(w.dir, 'bni-q4.csv');
    const before = await lineCount();
    const r = await run(w.admin, path);
    expect(r).toMatchObject({ ok: false, reason: 'already_imported', earlier: { fileName: 'bni-q4.csv' } });
    expect(await lineCount()).toBe(before);
    // The same result saved again with its rows in another order and other line endings: other bytes, the same
    // transfers; each line is refused as recorded, and nothing is written.
    const again = await run(w.admin, await w.file('bni-q4-lagi.csv', [
      'No_KK;NIK;Rekening;Nominal;Status;Tanggal;Keterangan',
      `${w.dewi.noKk};;55554444;750000;gagal;13/11/2026;Rekening tidak aktif`,
      `${w.siti.noKk};;0012 3456 7890;750.000;berhasil;12/11/2026;`,
    ]));
    expect(again).toMatchObject({ ok: false, reason: 'lines_refused', refusals: { total: 2, byReason: { already_recorded: 2 } } });
    expect(await lineCount()).toBe(before);
  });

  it('tells a family with a chat once, in its language, and the aid check names the office', async () => {
    const path = await w.file('pos-q4.csv', [HEADER, `,${w.budi.noKk},,750000,failed,2026-11-20,nama tidak sesuai`, `,${w.siti.noKk},,750000,returned,2026-11-20,`]);
    const r = await run(w.admin, path);
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
    expect(r.report).toMatchObject({ failed: 1, returned: 1, notified: 2, unreachable: 0 });
    const toBudi = await queued(db(), w.budi.contactIds[0]!);
    expect(toBudi).toEqual([
      'The Family Hope Test transfer for Q4 2026 to your family failed, so the money has not arrived. Please contact Kantor Kecamatan Sagulung (0778 111222) and bring your KTP, KK and bank book or aid card.',
    ]);
    const toSiti = await queued(db(), w.siti.contactIds[0]!);
    expect(toSiti).toHaveLength(1);
    expect(toSiti[0]).toContain('Dana Program Keluarga Harapan Uji triwulan IV 2026 untuk keluarga Bapak/Ibu dikembalikan oleh bank');
    const lines = await db().select().from(disbursements).where(eq(disbursements.fileId, r.report.fileId));
    expect(lines.every((l) => l.notifiedAt?.getTime() === NOW.getTime() && l.workStatus === 'open')).toBe(true);

    // The latest line is the news: Siti's money came back after it was sent.
    const s = await aidSummary(db(), w.siti.memberIds[0]!, { today: '2026-11-24', now: NOW });
    expect(s.receiving.find((i) => i.code === w.pkh.code)?.transfer).toEqual({
      status: 'returned',
      date: '2026-11-20',
      office: { name: 'Kantor Kecamatan Sagulung', nameEn: null, phone: '0778 111222' },
    });

    // Telling again finds nothing left to tell.
    const { tellFamilies } = await import('../../../src/services/disbursements/tell-family.ts');
    expect(await tellFamilies(db(), r.report.fileId, w.opts)).toEqual({ notified: 0, unreachable: 0 });
    expect(await queued(db(), w.budi.contactIds[0]!)).toHaveLength(1);
  });

  it('matches a person program by the member NIK, and reads an XLSX workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hasil');
    ws.addRow(['NIK', 'Nominal', 'Status', 'Tanggal']);
    ws.addRow([w.elder.niks[0], 600000, 'berhasil', new Date(Date.UTC(2026, 10, 14))]);
    ws.addRow([w.elder.niks[1], 600000, 'berhasil', '14/11/2026']);
    const path = join(w.dir, 'lansia.xlsx');
    await wb.xlsx.writeFile(path);
    const r = await run(w.admin, path, w.lansia.id);
    if (r.ok || r.reason !== 'lines_refused') throw new Error(`expected the second line refused: ${JSON.stringify(r)}`);
    // The head is enrolled; the other member is not.
    expect(r.refusals.problems.map((p) => [p.line, p.reason])).toEqual([[3, 'not_enrolled']]);
    ws.spliceRows(3, 1);
    await wb.xlsx.writeFile(path);
    const ok = await run(w.admin, path, w.lansia.id);
    if (!ok.ok) throw new Error(`refused: ${JSON.stringify(ok)}`);
    const [line] = await db().select().from(disbursements).where(eq(disbursements.fileId, ok.report.fileId));
    expect(line).toMatchObject({ memberId: w.elder.memberIds[0], transferDate: '2026-11-14', amount: 600_000, status: 'transferred' });
  });

  it('lists failed transfers as work in the reader\'s kecamatan, masked and audited, and settles one with a note', async () => {
    const far = await run(w.admin, await w.file('far.csv', [HEADER, `,${w.far.noKk},,750000,failed,2026-11-21,`]));
    expect(far.ok).toBe(true);
    await expect(listFailed(db(), w.viewer, {}, { now: NOW })).rejects.toBeInstanceOf(Forbidden);
    const mine = await listFailed(db(), w.operatorA, {}, { now: NOW });
    expect(mine.map((r) => r.noKkMasked).sort()).toEqual([w.dewi.noKk, w.budi.noKk, w.siti.noKk].map((k) => `${k.slice(0, 6)}******${k.slice(12)}`).sort());
    const dewi = mine.find((r) => r.noKkMasked.endsWith(w.dewi.noKk.slice(12)) && r.status === 'failed' && r.notifiedAt === null)!;
    expect(dewi).toMatchObject({ reason: 'Rekening tidak aktif', referenceMasked: '****4444', source: 'BNI', workStatus: 'open' });
    expect(dewi.nikMasked).toBe(`${w.dewi.niks[0]!.slice(0, 6)}******${w.dewi.niks[0]!.slice(12)}`);
    expect(JSON.stringify(mine)).not.toContain(w.dewi.noKk);
    expect(await countOpenFailed(db(), w.operatorA)).toBe(3);
    expect(await countOpenFailed(db(), w.operatorB)).toBe(1);
    expect((await listFailed(db(), w.admin, {}, { now: NOW })).length).toBe(4);
    const reads = await db().select().from(auditLog).where(and(eq(auditLog.action, 'disbursement.failed_read'), eq(auditLog.staffId, w.operatorA.id)));
    expect(reads).toHaveLength(1);

    expect(await resolveFailed(db(), w.operatorA, dewi.id, '   ', { now: NOW })).toEqual({ ok: false, reason: 'note_required' });
    expect(await resolveFailed(db(), w.operatorB, dewi.id, 'Sudah', { now: NOW })).toEqual({ ok: false, reason: 'not_found' });
    expect(await resolveFailed(db(), w.operatorA, dewi.id, 'Rekening diaktifkan, dana dikirim ulang.', { now: NOW })).toEqual({ ok: true });
    expect(await resolveFailed(db(), w.operatorA, dewi.id, 'Lagi', { now: NOW })).toEqual({ ok: false, reason: 'already_resolved' });
    const [row] = await db().select().from(disbursements).where(eq(disbursements.id, dewi.id));
    expect(row).toMatchObject({ workStatus: 'resolved', resolution: 'Rekening diaktifkan, dana dikirim ulang.', resolvedBy: w.operatorA.id });
    expect(await countOpenFailed(db(), w.operatorA)).toBe(2);
    expect((await listFailed(db(), w.operatorA, { workStatus: 'resolved' }, { now: NOW })).map((r) => r.id)).toEqual([dewi.id]);
    const [a] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'disbursement.resolve'), eq(auditLog.entityId, String(dewi.id))));
    expect(a?.staffId).toBe(w.operatorA.id);
  });

  it('holds failed-transfer work to the officer\'s bidang too', async () => {
    // Every line so far is PKH (Linjamsos): a Rehsos supervisor of the whole city sees and settles none of them.
    expect(await listFailed(db(), w.supervisorRehsos, {}, { now: NOW })).toEqual([]);
    expect(await countOpenFailed(db(), w.supervisorRehsos)).toBe(0);
    const [open] = await db().select({ id: disbursements.id }).from(disbursements).where(eq(disbursements.workStatus, 'open'));
    expect(await resolveFailed(db(), w.supervisorRehsos, open!.id, 'Bukan bidang saya', { now: NOW })).toEqual({ ok: false, reason: 'not_found' });
  });

  it('tells a family that links a chat after the import, once, while the transfer is still open', async () => {
    const r = await run(w.admin, await w.file('late.csv', [HEADER, `,${w.dewi.noKk},,750000,failed,2026-11-22,rekening diblokir`]));
    expect(r.ok && r.report.unreachable).toBe(1);
    expect(await tellUntoldFamilies(db(), w.opts)).toEqual({ notified: 0 });
    // Dewi's chat is linked later (at the counter, say).
    const [chat] = await db()
      .insert(contacts)
      .values({ channel: 'telegram', externalId: `dewi-${Date.now()}`, language: 'id', memberId: w.dewi.memberIds[0]!, lastInboundAt: NOW })
      .returning({ id: contacts.id });
    expect(await tellUntoldFamilies(db(), w.opts)).toEqual({ notified: 1 });
    expect(await tellUntoldFamilies(db(), w.opts)).toEqual({ notified: 0 });
    const told = await queued(db(), chat!.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('gagal');
  });
});
