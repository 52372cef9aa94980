// Import (issue 8, benchmark 4): a 1,000,000-row registry file into a fresh database that holds the demo
// city's areas. Target: under 60 s. Generating the file is not timed.
import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { kecamatan, kelurahan } from '../src/db/schema/index.ts';
import type { ImportReport } from '../src/services/registry/import/report.ts';
import { importFile } from '../src/services/registry/import/run.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { writeRegistryFile } from './registry-file.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';

export interface ImportFigures {
  rows: number;
  seconds: number;
  report: ImportReport;
  members: number;
  /** Seconds to import the same file again (every row unchanged), when asked for. */
  againSeconds?: number;
}

export async function measureImport(database: Database, rows: number, opts: { again?: boolean } = {}): Promise<ImportFigures> {
  const file = `/tmp/pintu-bench-registry-${process.pid}-${rows}.csv`;
  try {
    await seedDemoCity(database, { households: 10 });
    const areas = await database.db
      .select({ kel: kelurahan.name, kec: kecamatan.name, kecCode: kecamatan.code })
      .from(kelurahan)
      .innerJoin(kecamatan, sql`${kecamatan.id} = ${kelurahan.kecamatanId}`);
    await writeRegistryFile(file, rows, areas);
    let t = performance.now();
    const report = await importFile(database, { kind: 'registry', filePath: file, actor: { kind: 'system' } });
    const seconds = (performance.now() - t) / 1000;
    let againSeconds: number | undefined;
    if (opts.again) {
      t = performance.now();
      await importFile(database, { kind: 'registry', filePath: file, actor: { kind: 'system' } });
      againSeconds = (performance.now() - t) / 1000;
    }
    const [n] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from members`));
    return { rows, seconds, report, members: n!.n, againSeconds };
  } finally {
    await rm(file, { force: true });
  }
}

export async function importBenchmark(rows = 1_000_000): Promise<BenchResult> {
  const f = await withScratch((database) => measureImport(database, rows));
  // The demo city's 10 seeded households are in the count too; a shortfall means rows were not imported.
  const complete = f.members >= rows;
  return {
    benchmark: `Import: ${rows.toLocaleString('en')} registry rows`,
    figure: `${f.seconds.toFixed(1)} s${complete ? '' : ` (only ${f.members.toLocaleString('en')} members in the database)`}`,
    target: '< 60 s',
    met: complete && f.seconds < 60,
  };
}
