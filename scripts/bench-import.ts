// Registry import benchmark (issue 7): a 1,000,000-row DTSEN-style file, in the demo city's kelurahan,
// imported into a fresh database on real PostgreSQL. Not a test: run by hand and report the figure.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-import.ts [ROWS] [--again]
// --again imports the same file a second time (every row unchanged) and times that too.

import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { kecamatan, kelurahan } from '../src/db/schema/index.ts';
import { areaDigits, nikBirthPart } from '../src/domain/nik.ts';
import { formatReport } from '../src/import/report.ts';
import { REGISTRY_HEADER } from '../src/import/registry-row.ts';
import { importFile } from '../src/import/run.ts';
import { seedDemoCity } from '../src/seed/index.ts';
import { createTestDatabase } from '../test/helpers/db.ts';

const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const again = process.argv.includes('--again');
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL to a PostgreSQL server');
const file = `/tmp/pintu-bench-registry-${rows}.csv`;

const database = await createTestDatabase();
try {
  await seedDemoCity(database, { households: 10 });
  const areas = await database.db
    .select({ kel: kelurahan.name, kec: kecamatan.name, kecCode: kecamatan.code })
    .from(kelurahan)
    .innerJoin(kecamatan, sql`${kecamatan.id} = ${kelurahan.kecamatanId}`);

  let t = performance.now();
  await writeFile(file, rows, areas);
  const size = (await stat(file)).size;
  console.log(`generated ${rows.toLocaleString('en')} rows (${(size / 1_048_576).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file}`);

  t = performance.now();
  const report = await importFile(database, { kind: 'registry', filePath: file });
  const first = (performance.now() - t) / 1000;
  for (const line of formatReport(report)) console.log(line);
  console.log(`IMPORT ${rows.toLocaleString('en')} rows: ${first.toFixed(1)} s`);

  if (again) {
    t = performance.now();
    const second = await importFile(database, { kind: 'registry', filePath: file });
    for (const line of formatReport(second)) console.log(line);
    console.log(`RE-IMPORT (all unchanged): ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const [n] = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`);
  console.log(`members in the database: ${(n as { n: number } | undefined)?.n}`);
} finally {
  await database.dispose();
  await rm(file, { force: true });
}

/** Households of one to six members, each NIK agreeing with its birth date and sex, written with backpressure. */
async function writeFile(path: string, total: number, areas: { kel: string; kec: string; kecCode: string }[]) {
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
      buf += `${nik},${noKk},Warga ${kk}-${m},${birth},${sex},${rel},${alamat},00${kk % 9 + 1},00${kk % 7 + 1},${area.kel},${area.kec},${1 + (kk % 10)},,${m === 2 && kk % 11 === 0 ? 'ya' : 'tidak'},tidak\n`;
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
