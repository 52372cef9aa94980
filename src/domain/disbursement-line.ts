import { readDay, readIdNumber, readRupiah, SIXTEEN_DIGITS } from './cells.ts';
import { maskIdNumbers, maskNumber } from './mask.ts';
import { DISBURSEMENT_STATUSES, type DisbursementStatus } from './vocabulary.ts';

// One line of a bank's or a distributor's result file for a tranche (issue 20), checked on its own: who it is
// for (NIK or KK, 16 digits), the account or card reference, the amount, the status and the date. Whether the
// NIK or KK is known and enrolled, and whether the amount agrees with the enrollment, is settled later, in
// SQL, for every line at once (services/disbursements/import.ts).
//
// Banks do not share one layout: BNI's and PT Pos's files name and order their columns differently. So the
// header is read by name (any order, a few spellings each, case and spacing ignored), not by position.

export const DISBURSEMENT_COLUMNS = {
  nik: ['nik'],
  no_kk: ['no_kk', 'kk', 'nomor_kk', 'nkk'],
  rekening: ['rekening', 'no_rekening', 'nomor_rekening', 'kartu', 'no_kartu', 'referensi', 'reference', 'account'],
  nominal: ['nominal', 'jumlah', 'amount'],
  status: ['status'],
  tanggal: ['tanggal', 'tanggal_transfer', 'tgl', 'date'],
  keterangan: ['keterangan', 'alasan', 'reason', 'catatan'],
} as const;

export type DisbursementColumn = keyof typeof DISBURSEMENT_COLUMNS;
/** Where each column is in this file; -1 when the file has none. */
export type DisbursementLayout = Record<DisbursementColumn, number>;

/** The header the report shows as an example of a good one. */
export const DISBURSEMENT_HEADER_EXAMPLE = 'nik,no_kk,rekening,nominal,status,tanggal,keterangan';

/**
 * The layout of a header line, or null when a required column is missing: nominal, status and tanggal, and
 * one of nik and no_kk.
 */
export function disbursementLayout(header: readonly string[]): DisbursementLayout | null {
  const names = header.map((h) => h.trim().toLowerCase().replace(/[\s.-]+/g, '_'));
  const layout = Object.fromEntries(
    Object.entries(DISBURSEMENT_COLUMNS).map(([column, spellings]) => [column, names.findIndex((n) => (spellings as readonly string[]).includes(n))]),
  ) as DisbursementLayout;
  if (layout.nominal < 0 || layout.status < 0 || layout.tanggal < 0) return null;
  if (layout.nik < 0 && layout.no_kk < 0) return null;
  return layout;
}

// The words banks and distributors write for each status, besides the vocabulary's own.
const STATUS_SPELLINGS: Record<string, DisbursementStatus> = {
  ...Object.fromEntries(DISBURSEMENT_STATUSES.map((s) => [s, s])),
  berhasil: 'transferred',
  sukses: 'transferred',
  success: 'transferred',
  ditransfer: 'transferred',
  terkirim: 'transferred',
  tersalur: 'transferred',
  gagal: 'failed',
  fail: 'failed',
  retur: 'returned',
  return: 'returned',
  dikembalikan: 'returned',
  kembali: 'returned',
};

/** The words accepted for the status column, for the report's "one of …". */
export const DISBURSEMENT_STATUS_WORDS: readonly string[] = Object.keys(STATUS_SPELLINGS);

export function readDisbursementStatus(cell: string): DisbursementStatus | undefined {
  return STATUS_SPELLINGS[cell.trim().toLowerCase()];
}

/** 2026-11-12, 12/11/2026 or 12-11-2026; a real day from 2000 up to `todayIso` (a bank reports what happened). */
export function readTransferDate(cell: string, todayIso: string): string | undefined {
  return readDay(cell, todayIso, { forms: 'bank', minYear: 2000 });
}

/**
 * The account or card number as it may be kept: its last four digits only ("********1234"). An officer
 * matching a failed line with the bank needs no more, and nothing a reader of the table could use.
 */
export function maskReference(cell: string): string | null {
  const s = cell.trim().replace(/[\s.-]+/g, '');
  if (s === '') return null;
  return maskNumber(s.slice(-32), 0, 4);
}

export interface DisbursementLine {
  nik: string | null;
  noKk: string | null;
  referenceMasked: string | null;
  amount: number;
  status: DisbursementStatus;
  transferDate: string;
  /** The bank's reason as written, any NIK or KK in it masked; null when none. */
  reason: string | null;
}

export type LineCheck = { ok: true; line: DisbursementLine } | { ok: false; reason: DisbursementLineRefusal; detail: string; value?: string };

export type DisbursementLineRefusal =
  | 'column_count'
  | 'id_missing'
  | 'nik_invalid'
  | 'no_kk_invalid'
  | 'nik_missing'
  | 'nominal_invalid'
  | 'status_invalid'
  | 'tanggal_invalid';

export const REASON_MAX = 200;

/** `unit`: a person program is paid to one member, so its lines need the NIK; a household's take either. */
export function checkDisbursementLine(f: readonly string[], layout: DisbursementLayout, ctx: { unit: 'household' | 'person'; todayIso: string }): LineCheck {
  const need = Math.max(...Object.values(layout)) + 1;
  if (f.length < need) return { ok: false, reason: 'column_count', detail: `${f.length} columns, expected at least ${need}` };
  const cell = (c: DisbursementColumn) => (layout[c] < 0 ? '' : (f[layout[c]] ?? ''));
  const nik = readIdNumber(cell('nik'));
  const noKk = readIdNumber(cell('no_kk'));
  if (nik === '' && noKk === '') return { ok: false, reason: 'id_missing', detail: 'nik or no_kk is needed' };
  if (nik !== '' && !SIXTEEN_DIGITS.test(nik)) return { ok: false, reason: 'nik_invalid', detail: 'NIK is not 16 digits' };
  if (noKk !== '' && !SIXTEEN_DIGITS.test(noKk)) return { ok: false, reason: 'no_kk_invalid', detail: 'no_kk is not 16 digits' };
  if (ctx.unit === 'person' && nik === '') return { ok: false, reason: 'nik_missing', detail: 'a person program needs the NIK' };
  const amount = readRupiah(cell('nominal'));
  if (amount === undefined || amount === null || amount <= 0) return { ok: false, reason: 'nominal_invalid', detail: 'nominal is a whole number of rupiah above 0' };
  const status = readDisbursementStatus(cell('status'));
  if (!status) return { ok: false, reason: 'status_invalid', detail: `status must be one of ${DISBURSEMENT_STATUSES.join('/')}`, value: maskIdNumbers(cell('status').trim().slice(0, 40)) };
  const transferDate = readTransferDate(cell('tanggal'), ctx.todayIso);
  if (!transferDate) return { ok: false, reason: 'tanggal_invalid', detail: 'tanggal like 2026-11-12 or 12/11/2026, not in the future' };
  const reasonText = maskIdNumbers(cell('keterangan').trim().replace(/\s+/g, ' ')).slice(0, REASON_MAX);
  return {
    ok: true,
    line: {
      nik: nik === '' ? null : nik,
      noKk: noKk === '' ? null : noKk,
      referenceMasked: maskReference(cell('rekening')),
      amount,
      status,
      transferDate,
      reason: reasonText === '' ? null : reasonText,
    },
  };
}
