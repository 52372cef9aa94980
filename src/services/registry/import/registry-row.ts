import { nikAgrees, parseNik } from '../../../domain/nik.ts';
import { RELATIONSHIPS, SEXES } from '../../../domain/vocabulary.ts';
import { oneOf, shownValue } from './allowed.ts';
import type { AreaIndex } from './areas.ts';
import { readDate, readDesil, readIdNumber, readRtRw, readText, readYesNo, SIXTEEN_DIGITS } from './fields.ts';

// One person row of a DTSEN-style registry export, checked cell by cell. A bad row is named by the
// first thing wrong with it, so the report says one reason per line.

export const REGISTRY_HEADER = [
  'nik', 'no_kk', 'nama', 'tanggal_lahir', 'jenis_kelamin', 'hubungan', 'alamat', 'rt', 'rw',
  'kelurahan', 'kecamatan', 'desil', 'telepon', 'disabilitas', 'meninggal',
] as const;

export interface RegistryRow {
  nik: string;
  noKk: string;
  name: string;
  birthDate: string;
  sex: 'L' | 'P';
  relationship: (typeof RELATIONSHIPS)[number];
  address: string;
  rt: string | null;
  rw: string | null;
  kelurahanId: number;
  desil: number | null;
  phone: string | null;
  disability: boolean;
  deceased: boolean;
}

/** A refused row: its reason, a detail for the CLI and, for an enumerated cell, the value as written. */
export type RowCheck<T> = { ok: true; row: T } | { ok: false; reason: string; detail?: string; value?: string };

export interface RegistryRowContext {
  areas: AreaIndex;
  todayIso: string;
  /** The importer's kecamatan (scope.ts); null for the whole city. A row placing a family elsewhere is refused. */
  kecamatanId: number | null;
}

/** Both identifiers when they are well formed, even if the row is bad: such a member is not "missing". */
export function registryKeys(fields: readonly string[]): { nik: string; noKk: string } | null {
  const nik = readIdNumber(fields[0] ?? '');
  const noKk = readIdNumber(fields[1] ?? '');
  return SIXTEEN_DIGITS.test(nik) && SIXTEEN_DIGITS.test(noKk) ? { nik, noKk } : null;
}

export function checkRegistryRow(f: readonly string[], ctx: RegistryRowContext): RowCheck<RegistryRow> {
  if (f.length !== REGISTRY_HEADER.length) {
    return { ok: false, reason: 'column_count', detail: `${f.length} columns, expected ${REGISTRY_HEADER.length}` };
  }
  const nik = readIdNumber(f[0]!);
  if (!SIXTEEN_DIGITS.test(nik)) return { ok: false, reason: 'nik_invalid', detail: 'NIK is not 16 digits' };
  if (!parseNik(nik)) return { ok: false, reason: 'nik_invalid', detail: 'NIK has an impossible area, date or serial part' };
  const noKk = readIdNumber(f[1]!);
  if (!SIXTEEN_DIGITS.test(noKk)) return { ok: false, reason: 'no_kk_invalid', detail: 'no_kk is not 16 digits' };
  const name = readText(f[2]!);
  if (!name) return { ok: false, reason: 'nama_missing' };
  const birthDate = readDate(f[3]!, ctx.todayIso);
  if (!birthDate) return { ok: false, reason: 'date_invalid', detail: 'tanggal_lahir is not a real past date as YYYY-MM-DD or DD-MM-YYYY' };
  const sexCell = f[4]!.trim().toUpperCase();
  if (!(SEXES as readonly string[]).includes(sexCell)) return { ok: false, reason: 'sex_invalid', detail: oneOf('jenis_kelamin', 'sex_invalid'), value: shownValue(f[4]!) };
  const sex = sexCell as (typeof SEXES)[number];
  if (!nikAgrees(nik, birthDate)) return { ok: false, reason: 'nik_birth_mismatch', detail: 'NIK birth-date part disagrees with tanggal_lahir' };
  if (!nikAgrees(nik, birthDate, sex)) return { ok: false, reason: 'nik_sex_mismatch', detail: 'NIK day (+40 for women) disagrees with jenis_kelamin' };
  const relationship = f[5]!.trim().toLowerCase();
  if (!(RELATIONSHIPS as readonly string[]).includes(relationship)) {
    return { ok: false, reason: 'hubungan_invalid', detail: oneOf('hubungan', 'hubungan_invalid'), value: shownValue(f[5]!) };
  }
  const address = readText(f[6]!);
  if (!address) return { ok: false, reason: 'alamat_missing' };
  const rt = readRtRw(f[7]!);
  const rw = readRtRw(f[8]!);
  if (rt === undefined || rw === undefined) return { ok: false, reason: 'rt_rw_invalid', detail: 'rt and rw are up to three digits' };
  const area = ctx.areas.resolve(f[9]!, f[10]!);
  if (!area.ok) return { ok: false, reason: area.reason };
  if (ctx.kecamatanId !== null && area.kecamatanId !== ctx.kecamatanId) {
    return { ok: false, reason: 'kecamatan_out_of_scope', detail: 'the row places the family in a kecamatan outside your scope' };
  }
  const desil = readDesil(f[11]!);
  if (desil === undefined) return { ok: false, reason: 'desil_invalid', detail: 'desil must be 1–10 or empty' };
  // A phone that is no mobile number (a landline, a typo, "-") does not make the family's row wrong: it is kept as
  // the registry wrote it and reported by the data-quality scan after the import (phone_unusable), and the
  // family is invited on paper, with the number to call if it is a landline. Only something that cannot be a
  // phone at all (too long to be one) is refused.
  const phone = readText(f[12]!);
  if (phone !== null && phone.length > 40) return { ok: false, reason: 'telepon_invalid', detail: 'telepon is longer than any phone number' };
  const disability = readYesNo(f[13]!);
  const deceased = readYesNo(f[14]!);
  if (disability === undefined || deceased === undefined) {
    // The cell is not repeated: a disabilitas cell may hold a diagnosis, which is health data.
    return { ok: false, reason: 'yes_no_invalid', detail: `disabilitas and meninggal: ${oneOf('each', 'yes_no_invalid')}` };
  }
  return {
    ok: true,
    row: {
      nik, noKk, name, birthDate, sex, relationship: relationship as RegistryRow['relationship'], address, rt, rw,
      kelurahanId: area.kelurahanId, desil, phone: phoneAsWritten(phone), disability, deceased,
    },
  };
}

/** Digits of a number written with spaces or dashes; anything else as the registry wrote it; nothing for "-". */
function phoneAsWritten(phone: string | null): string | null {
  if (phone === null) return null;
  if (!/^\+?[\d\s-]+$/.test(phone)) return phone;
  const digits = phone.replace(/[\s-]/g, '');
  return digits === '' || digits === '+' ? null : digits;
}
