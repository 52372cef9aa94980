import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { areaDigits, nikBirthPart } from '../src/domain/nik.ts';
import { REGISTRY_HEADER } from '../src/services/registry/import/registry-row.ts';

export interface Area {
  kel: string;
  kec: string;
  kecCode: string;
}

/**
 * A DTSEN-style registry file of `total` rows: households of one to six members, each NIK agreeing with its
 * birth date and sex, spread over the given areas. Written with backpressure so memory stays flat.
 */
export async function writeRegistryFile(path: string, total: number, areas: Area[]): Promise<void> {
  const out = createWriteStream(path);
  let buf = REGISTRY_HEADER.join(',') + '\n';
  let written = 0;
  let kk = 0;
  while (written < total) {
    kk++;
    const area = areas[kk % areas.length]!;
    const noKk = `${areaDigits(area.kecCode)}${String(kk).padStart(10, '0')}`;
    const size = Math.min(1 + (kk % 6), total - written);
    for (let m = 0; m < size; m++) {
      const sex = m === 1 ? 'P' : m === 0 ? 'L' : kk % 2 ? 'L' : 'P';
      const year = m < 2 ? 1960 + (kk % 30) : 1995 + ((kk + m) % 25);
      const birth = `${year}-${String(1 + ((kk + m) % 12)).padStart(2, '0')}-${String(1 + ((kk * 7 + m) % 28)).padStart(2, '0')}`;
      const nik = areaDigits(area.kecCode) + nikBirthPart(birth, sex) + String(1 + ((kk * 6 + m) % 9999)).padStart(4, '0');
      const rel = m === 0 ? 'kepala' : m === 1 ? 'istri' : 'anak';
      const alamat = `"Jl. Bench ${kk % 500}, No. ${kk % 97}"`;
      buf += `${nik},${noKk},Warga ${kk}-${m},${birth},${sex},${rel},${alamat},00${(kk % 9) + 1},00${(kk % 7) + 1},${area.kel},${area.kec},${1 + (kk % 10)},,${m === 2 && kk % 11 === 0 ? 'ya' : 'tidak'},tidak\n`;
      written++;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
