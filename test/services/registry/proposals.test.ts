import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaintEvents, complaints, outbox } from '../../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { importProposalOutcomes, parseOutcome, proposalCount, proposalRows, proposalsCsv, type OutcomeImportOptions } from '../../../src/services/registry/proposals.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { FAMILY, fileProposal, OTHER_NIK, proposalCity, residentContact, storedPhoto, type ProposalCity } from './proposals.fixtures.ts';

// Issue 7, "proposals out to verification": the meeting's sheet out, its answers back in, each resident
// told once in their own language.

let database: TestDatabase;
let city: ProposalCity;
let i18n: Translator;
let supervisor: Actor;
const filedAt = wib('2026-11-10T09:00:00');
const now = wib('2026-11-20T10:00:00');

const ids: Record<string, { id: number; trackingId: string; contactId: number }> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  city = await proposalCity(db);
  i18n = await createI18n('id');
  supervisor = await staff(db, 'supervisor', { kecamatanId: city.sagulung });

  const file = async (key: string, opts: Omit<Parameters<typeof fileProposal>[1], 'contactId' | 'now'> & { contact?: Parameters<typeof residentContact>[1]; at?: Date }) => {
    const contactId = await residentContact(db, opts.contact);
    const { contact: _c, at, ...rest } = opts;
    const r = await fileProposal(db, { ...rest, contactId, now: at ?? filedAt });
    ids[key] = { ...r, contactId };
  };
  // A verified resident proposing her own family: the registry knows who and where.
  await file('self', { category: 'usulan', memberId: city.memberId, details: { forWhom: 'self', situation: 'Suami sakit, tidak bekerja; sewa rumah; 3 anak sekolah' }, contact: { memberId: city.memberId, language: 'en' } });
  // A neighbour proposed by someone not verified: only what the resident typed.
  await file('other', {
    category: 'usulan',
    kecamatanId: city.sagulung,
    details: { forWhom: 'other', name: 'Budi Santoso', nik: OTHER_NIK, address: 'Jl. Melati No. 5; RT 02', situation: 'Lansia, tinggal sendiri' },
    contact: { displayName: 'Rahmat Hidayat' },
  });
  await file('anon', { category: 'sanggahan', kecamatanId: city.sagulung, anonymous: true, details: { anonymous: 'yes', who: 'Pak Joko, RT 04', program: 'PKH', reason: 'Punya mobil dan toko' }, contact: { displayName: 'Tetangga' } });
  await file('fix', { category: 'wrong_data', memberId: city.memberId, details: { what: 'address', detail: 'Sudah pindah ke Blok D No. 2' }, contact: { memberId: city.memberId } });
  await file('late', { category: 'usulan', kecamatanId: city.sagulung, details: { forWhom: 'other', name: 'Ani', nik: 'unknown', address: 'Jl. Kenanga', situation: 'Janda' }, at: wib('2026-11-15T08:00:00') });
  await file('notProposal', { category: 'not_received', kecamatanId: city.sagulung, details: { program: 'PKH', problem: 'none', when: 'Oktober' } });
  await file('nongsa', { category: 'usulan', kecamatanId: city.nongsa, details: { forWhom: 'other', name: 'Dewi', address: 'Nongsa', situation: 'Butuh' } });
  await file('cloud', { category: 'usulan', kecamatanId: city.sagulung, details: { forWhom: 'other', name: 'Samsul', address: 'Jl. Mawar', situation: 'Butuh' }, contact: { channel: 'whatsapp_cloud', lastInboundAt: filedAt } });
  await storedPhoto(db, ids.other!.id);
}, 120_000);

afterAll(async () => {
  await database?.dispose();
});

const opts = (): OutcomeImportOptions => ({ now, timeZone: 'Asia/Jakarta', i18n, defaultLocale: 'id' });
const outboxOf = (contactId: number) => database.db.select().from(outbox).where(eq(outbox.contactId, contactId));
const complaint = async (id: number) => (await database.db.select().from(complaints).where(eq(complaints.id, id)))[0]!;

describe('proposal export', () => {
  it('gives the meeting one row per proposal in scope, with full NIK/KK and masked reporters', async () => {
    const rows = await proposalRows(database.db, supervisor, { timeZone: 'Asia/Jakarta' });
    const byId = new Map(rows.map((r) => [r.nomor_laporan, r]));
    expect(rows.map((r) => r.nomor_laporan).sort()).toEqual([ids.self, ids.other, ids.anon, ids.fix, ids.late, ids.cloud].map((x) => x!.trackingId).sort());

    const self = byId.get(ids.self!.trackingId)!;
    expect(self).toMatchObject({ jenis: 'usulan', nik: FAMILY.nik, no_kk: FAMILY.noKk, nama: FAMILY.name, alamat: FAMILY.address, rt: FAMILY.rt, rw: FAMILY.rw, kelurahan: 'Sungai Langkai', kecamatan: 'Sagulung', diusulkan_oleh: 'S*** A****', tanggal: '2026-11-10' });
    expect(self.alasan).toContain('Suami sakit');

    const other = byId.get(ids.other!.trackingId)!;
    expect(other).toMatchObject({ nik: OTHER_NIK, no_kk: '', nama: 'Budi Santoso', alamat: 'Jl. Melati No. 5; RT 02', kelurahan: '', diusulkan_oleh: 'R**** H****' });
    expect(other.bukti).toHaveLength(1);
    expect(other.bukti[0]).toMatch(new RegExp(`^/console/complaints/${ids.other!.id}/attachments/\\d+$`));

    const anon = byId.get(ids.anon!.trackingId)!;
    expect(anon).toMatchObject({ jenis: 'sanggahan', nik: '', nama: 'Pak Joko, RT 04', diusulkan_oleh: 'anonim' });
    expect(anon.alasan).toBe('Punya mobil dan toko — Program: PKH');

    const fix = byId.get(ids.fix!.trackingId)!;
    expect(fix).toMatchObject({ jenis: 'perbaikan_data', nik: FAMILY.nik, alasan: 'Alamat salah: Sudah pindah ke Blok D No. 2' });
    expect(byId.get(ids.late!.trackingId)!.nik).toBe('');

    const [audited] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'proposal.read'), eq(auditLog.staffId, supervisor.id)));
    expect(audited!.details).toMatchObject({ rowCount: 6, unmaskedIdNumbers: true });
  });

  it('filters by kelurahan, date range and kind', async () => {
    const db = database.db;
    const kel = await proposalRows(db, supervisor, { kelurahanId: city.kelurahanId });
    expect(kel.map((r) => r.nomor_laporan).sort()).toEqual([ids.self!.trackingId, ids.fix!.trackingId].sort());
    const late = await proposalRows(db, supervisor, { from: '2026-11-15', to: '2026-11-15', timeZone: 'Asia/Jakarta' });
    expect(late.map((r) => r.nomor_laporan)).toEqual([ids.late!.trackingId]);
    expect(await proposalCount(db, supervisor, { categories: ['sanggahan'] })).toBe(1);
  });

  it('shows another kecamatan nothing, and refuses an operator', async () => {
    const db = database.db;
    const elsewhere = await staff(db, 'supervisor', { kecamatanId: city.nongsa });
    const rows = await proposalRows(db, elsewhere, {});
    expect(rows.map((r) => r.nomor_laporan)).toEqual([ids.nongsa!.trackingId]);
    expect(rows.some((r) => r.nik === FAMILY.nik)).toBe(false);
    const operator = await staff(db, 'operator', { kecamatanId: city.sagulung });
    await expect(proposalRows(db, operator, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(proposalsCsv(db, operator, {})).rejects.toBeInstanceOf(Forbidden);
  });

  it('writes a CSV with a BOM, the agreed columns and safe quoting, and audits the export', async () => {
    const { csv, count } = await proposalsCsv(database.db, supervisor, { baseUrl: 'https://pintu.example/' });
    expect(count).toBe(6);
    expect(csv.startsWith('\uFEFFnomor_laporan,jenis,nik,no_kk,nama,alamat,rt,rw,kelurahan,kecamatan,alasan,bukti,diusulkan_oleh,tanggal,hasil_lapangan\r\n')).toBe(true);
    const line = csv.split('\r\n').find((l) => l.startsWith(ids.other!.trackingId))!;
    expect(line).toContain(`,${OTHER_NIK},`);
    expect(line).toContain('"Jl. Melati No. 5; RT 02"');
    expect(line).toContain(`https://pintu.example/console/complaints/${ids.other!.id}/attachments/`);
    expect(csv).toContain('"Suami sakit, tidak bekerja; sewa rumah; 3 anak sekolah"');
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'proposal.export'));
    expect(audits.at(-1)!.details).toMatchObject({ rowCount: 6 });
    expect(JSON.stringify(audits.at(-1)!.details)).not.toContain(FAMILY.nik);
  });
});

describe('outcome import', () => {
  it('reads common spellings of the outcome', () => {
    expect(parseOutcome(' DITERIMA ')).toBe('diterima');
    expect(parseOutcome('Perlu Data')).toBe('perlu_data');
    expect(parseOutcome('perlu-data')).toBe('perlu_data');
    expect(parseOutcome('Tolak')).toBe('ditolak');
    expect(parseOutcome('mungkin')).toBeNull();
  });

  it('refuses bad rows with line and reason, and changes nothing for them', async () => {
    const db = database.db;
    const csv = [
      'nomor_laporan;hasil;catatan',
      'ADU-0000-99999;diterima;',
      `${ids.nongsa!.trackingId};diterima;`,
      `${ids.notProposal!.trackingId};diterima;`,
      `${ids.late!.trackingId};mungkin;`,
      `${ids.anon!.trackingId};diterima;`,
      `${ids.anon!.trackingId};ditolak;`,
      ';ditolak;',
    ].join('\r\n');
    const report = await importProposalOutcomes(db, supervisor, csv, opts());
    expect(report.applied).toEqual([]);
    expect(report.skipped).toEqual([
      { line: 2, trackingId: 'ADU-0000-99999', reason: 'not_found' },
      { line: 3, trackingId: ids.nongsa!.trackingId, reason: 'not_found' },
      { line: 4, trackingId: ids.notProposal!.trackingId, reason: 'not_proposal' },
      { line: 5, trackingId: ids.late!.trackingId, reason: 'unknown_outcome' },
      { line: 6, trackingId: ids.anon!.trackingId, reason: 'duplicate' },
      { line: 7, trackingId: ids.anon!.trackingId, reason: 'duplicate' },
      { line: 8, trackingId: null, reason: 'missing_tracking_id' },
    ]);
    for (const key of ['nongsa', 'notProposal', 'late', 'anon'] as const) {
      const c = await complaint(ids[key]!.id);
      expect(c.details.verificationOutcome).toBeUndefined();
      expect(await outboxOf(ids[key]!.contactId)).toEqual([]);
      const notes = await db.select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, c.id), eq(complaintEvents.kind, 'note')));
      expect(notes).toEqual([]);
    }
  });

  it('refuses a sheet without the expected header', async () => {
    const report = await importProposalOutcomes(database.db, supervisor, 'nomor,status\nADU-1,diterima\n', opts());
    expect(report).toEqual({ applied: [], unchanged: [], skipped: [{ line: 1, trackingId: null, reason: 'bad_header' }] });
  });

  it('records each outcome, tells each resident once in their language, and is idempotent', async () => {
    const db = database.db;
    // An open, verified complaint goes through the lifecycle's reply and becomes answered.
    expect((await verifyComplaint(db, supervisor, ids.other!.id, { now: filedAt })).ok).toBe(true);
    const csv = `\uFEFFnomor_laporan,hasil,catatan\r\n${ids.self!.trackingId},Diterima,\r\n${ids.other!.trackingId},perlu data,"Mohon kirim foto KTP, KK"\r\n${ids.cloud!.trackingId},ditolak,\r\n`;
    const first = await importProposalOutcomes(db, supervisor, csv, opts());
    expect(first.skipped).toEqual([]);
    expect(first.applied).toEqual([
      { line: 2, trackingId: ids.self!.trackingId, outcome: 'diterima', notified: true },
      { line: 3, trackingId: ids.other!.trackingId, outcome: 'perlu_data', notified: true },
      { line: 4, trackingId: ids.cloud!.trackingId, outcome: 'ditolak', notified: true },
    ]);

    const self = await outboxOf(ids.self!.contactId);
    expect(self).toHaveLength(1);
    const selfText = (self[0]!.payload as { text: string }).text;
    expect(selfText).toContain(ids.self!.trackingId);
    expect(selfText).toContain('ACCEPTED'); // the resident chose English
    expect((await complaint(ids.self!.id)).details.verificationOutcome).toMatchObject({ outcome: 'diterima', notified: true, staffId: supervisor.id });

    const other = await outboxOf(ids.other!.contactId);
    expect(other).toHaveLength(1);
    expect((other[0]!.payload as { text: string }).text).toContain('Bapak/Ibu');
    expect((other[0]!.payload as { text: string }).text).toContain('Mohon kirim foto KTP, KK');
    const answered = await complaint(ids.other!.id);
    expect(answered.status).toBe('answered');
    const notes = await db.select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, answered.id), eq(complaintEvents.kind, 'note')));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('Perlu data tambahan');

    // WhatsApp Cloud, last message ten days ago: only the approved notice template reaches them.
    const cloud = await outboxOf(ids.cloud!.contactId);
    expect(cloud).toHaveLength(1);
    expect((cloud[0]!.payload as { template?: unknown }).template).toEqual({ kind: 'notice', params: [ids.cloud!.trackingId] });

    const again = await importProposalOutcomes(db, supervisor, csv, { ...opts(), now: new Date(now.getTime() + 3_600_000) });
    expect(again.applied).toEqual([]);
    expect(again.unchanged.map((u) => u.line)).toEqual([2, 3, 4]);
    expect(await outboxOf(ids.self!.contactId)).toHaveLength(1);
    expect(await outboxOf(ids.other!.contactId)).toHaveLength(1);
    expect(await outboxOf(ids.cloud!.contactId)).toHaveLength(1);

    // The next meeting decides differently: recorded and told again.
    const later = await importProposalOutcomes(db, supervisor, `nomor_laporan,hasil\n${ids.other!.trackingId},diterima\n`, opts());
    expect(later.applied).toHaveLength(1);
    expect(await outboxOf(ids.other!.contactId)).toHaveLength(2);
  });

  it('refuses staff who cannot work complaints', async () => {
    const viewer = await staff(database.db, 'viewer', { kecamatanId: city.sagulung });
    await expect(importProposalOutcomes(database.db, viewer, 'nomor_laporan,hasil\n', opts())).rejects.toBeInstanceOf(Forbidden);
  });
});
