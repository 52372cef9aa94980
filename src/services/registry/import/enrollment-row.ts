import { amountCeiling, type BenefitBounds } from '../../../domain/benefit.ts';
import { formatRupiah } from '../../../domain/money.ts';
import { ENROLLMENT_STATUSES, PROGRAM_UNITS } from '../../../domain/vocabulary.ts';
import { oneOf, shownValue } from './allowed.ts';
import { readIdNumber, readRupiah, SIXTEEN_DIGITS } from './fields.ts';
import type { RowCheck } from './registry-row.ts';

// One enrollment row: a program code, the person (by NIK) or household (by KK) it is for, a status,
// the period and an optional amount. Whether the NIK or KK exists, and lies in the importer's kecamatan, is
// settled later, in SQL, for all rows at once. The program must be of the importer's bidang, and the amount
// within what the program pays (domain/benefit.ts).

export const ENROLLMENT_HEADER = ['program', 'nik', 'no_kk', 'status', 'periode', 'nominal'] as const;

export interface ProgramRef extends BenefitBounds {
  id: number;
  unit: (typeof PROGRAM_UNITS)[number];
  /** The bidang that answers for the program; null when none does. */
  bidang: string | null;
}

export interface EnrollmentRow {
  programId: number;
  unit: ProgramRef['unit'];
  nik: string | null;
  noKk: string | null;
  status: (typeof ENROLLMENT_STATUSES)[number];
  period: string;
  amount: number | null;
}

/** 2026, 2026-11 (month), 2026-Q4 (quarter), 2026-S2 (semester), or a tranche like 2026-T3. */
export const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-[QST][1-9])?$/;

/** `bidang`: the importer's (scope.ts); null for every bidang. */
export function checkEnrollmentRow(f: readonly string[], programs: ReadonlyMap<string, ProgramRef>, bidang: string | null = null): RowCheck<EnrollmentRow> {
  if (f.length !== ENROLLMENT_HEADER.length) {
    return { ok: false, reason: 'column_count', detail: `${f.length} columns, expected ${ENROLLMENT_HEADER.length}` };
  }
  const program = programs.get(f[0]!.trim().toUpperCase());
  if (!program) return { ok: false, reason: 'program_unknown', value: shownValue(f[0]!) };
  if (bidang !== null && program.bidang !== bidang) return { ok: false, reason: 'program_out_of_scope', detail: 'the program is not of your bidang' };
  const nikCell = readIdNumber(f[1]!);
  const kkCell = readIdNumber(f[2]!);
  if (nikCell !== '' && !SIXTEEN_DIGITS.test(nikCell)) return { ok: false, reason: 'nik_invalid', detail: 'NIK is not 16 digits' };
  if (kkCell !== '' && !SIXTEEN_DIGITS.test(kkCell)) return { ok: false, reason: 'no_kk_invalid', detail: 'no_kk is not 16 digits' };
  if (program.unit === 'person' && nikCell === '') return { ok: false, reason: 'nik_missing', detail: 'a person program needs the NIK' };
  if (program.unit === 'household' && kkCell === '') return { ok: false, reason: 'no_kk_missing', detail: 'a household program needs the no_kk' };
  const status = f[3]!.trim().toLowerCase();
  if (!(ENROLLMENT_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, reason: 'status_invalid', detail: oneOf('status', 'status_invalid'), value: shownValue(f[3]!) };
  }
  const period = f[4]!.trim().toUpperCase();
  if (!PERIOD.test(period)) return { ok: false, reason: 'periode_invalid', detail: 'periode like 2026, 2026-11 or 2026-Q4' };
  const amount = readRupiah(f[5]!);
  if (amount === undefined) return { ok: false, reason: 'nominal_invalid', detail: 'nominal is a whole number of rupiah or empty' };
  if (amount !== null) {
    const ceiling = amountCeiling(program, period);
    if (ceiling === null) return { ok: false, reason: 'nominal_not_allowed', detail: 'the program pays no amount; leave nominal empty' };
    if (amount > ceiling) return { ok: false, reason: 'nominal_above_program', detail: `the program pays at most ${formatRupiah(ceiling)} for periode ${period}` };
  }
  return {
    ok: true,
    row: {
      programId: program.id,
      unit: program.unit,
      // A household program ignores the NIK; a person program uses the KK only to tell two same-NIK members apart.
      nik: program.unit === 'person' ? nikCell : null,
      noKk: kkCell === '' ? null : kkCell,
      status: status as EnrollmentRow['status'],
      period,
      amount,
    },
  };
}
