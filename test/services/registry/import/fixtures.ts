import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNik, type Sex } from '../../../../src/domain/nik.ts';
import { REGISTRY_HEADER } from '../../../../src/services/registry/import/registry-row.ts';

// Registry rows and CSV files for the import tests. Areas are the demo city's (seedDemoCity):
// Batam Kota 21.71.10 with Belian 21.71.10.1002, Sagulung 21.71.11 with Tembesi 21.71.11.1006.

export const NOW = new Date('2026-11-24T03:00:00Z');
export const LATER = new Date('2026-12-01T03:00:00Z');

export interface Person {
  nik: string;
  noKk: string;
  nama: string;
  tanggalLahir: string; // as written in the file
  jk: Sex;
  hubungan: string;
  alamat: string;
  rt: string;
  rw: string;
  kelurahan: string;
  kecamatan: string;
  desil: string;
  telepon: string;
  disabilitas: string;
  meninggal: string;
}

/** A valid person of Belian, Batam Kota; `serial` keeps NIKs apart. */
export function person(serial: number, noKk: string, over: Partial<Person> & { born?: string } = {}): Person {
  const born = over.born ?? '1985-03-12';
  const jk = over.jk ?? 'L';
  return {
    nik: makeNik('21.71.10', born, jk, serial),
    noKk,
    nama: `Warga ${serial}`,
    tanggalLahir: born,
    jk,
    hubungan: 'kepala',
    alamat: 'Jl. Ahmad Yani No. 1',
    rt: '001',
    rw: '002',
    kelurahan: 'Belian',
    kecamatan: 'Batam Kota',
    desil: '2',
    telepon: '',
    disabilitas: 'tidak',
    meninggal: 'tidak',
    ...over,
  };
}

export function registryFields(p: Person): string[] {
  return [p.nik, p.noKk, p.nama, p.tanggalLahir, p.jk, p.hubungan, p.alamat, p.rt, p.rw, p.kelurahan, p.kecamatan, p.desil, p.telepon, p.disabilitas, p.meninggal];
}

/** One CSV line, quoting what RFC 4180 says must be quoted. */
export function csvLine(fields: readonly string[], delimiter = ','): string {
  return fields.map((f) => (/["\r\n]/.test(f) || f.includes(delimiter) ? `"${f.replaceAll('"', '""')}"` : f)).join(delimiter);
}

export function registryCsv(rows: (Person | string[] | string)[], opts: { delimiter?: string; bom?: boolean; eol?: string } = {}): string {
  const d = opts.delimiter ?? ',';
  const lines = [REGISTRY_HEADER.join(d), ...rows.map((r) => (typeof r === 'string' ? r : csvLine(Array.isArray(r) ? r : registryFields(r), d)))];
  return (opts.bom ? '\uFEFF' : '') + lines.join(opts.eol ?? '\n') + '\n';
}

/** A temporary folder for CSV files, removed by `cleanup`. */
export function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'pintu-import-'));
  let n = 0;
  return {
    dir,
    write(content: string, name = `file-${++n}.csv`): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const KK1 = '2171100101090001';
export const KK2 = '2171100101090002';
export const KK3 = '2171100101090003';
