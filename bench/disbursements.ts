// Disbursements (issue 20): a bank's result file of 500,000 lines for one program's tranche, into a database
// holding a city with 500,000 enrolled families. Target: under 30 s. Building the city and writing the file
// are not timed. The city is made in SQL (generate_series), not through the registry import: only households,
// one member each and their enrollments matter here, and the registry import has its own benchmark.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { createI18n } from '../src/i18n.ts';
import { importDisbursements } from '../src/services/disbursements/import.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { createStaffUser } from '../src/services/staff/users.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';

const PERIOD = '2026-Q4';
const KK_BASE = 2171990000000000;

async function buildCity(database: Database, families: number): Promise<number> {
  await seedDemoCity(database, { households: 10 });
  const db = database.db;
  const [program] = rowsOf<{ id: number }>(
    await db.execute(sql`insert into programs (code, name, agency, bidang, funder, benefit_type, benefit_amount, benefit_period, unit, rules)
      values ('BENCH', 'Bantuan Bench', 'Dinsos', 'Linjamsos', 'APBD', 'cash', 750000, 'quarter', 'household', '{}') returning id`),
  );
  await db.execute(sql`insert into households (no_kk, address, kelurahan_id, desil, source)
    select (${KK_BASE}::bigint + g)::text, 'Jl. Bench', (select min(id) from kelurahan) + (g % (select count(*) from kelurahan)), 1 + g % 4, 'bench'
    from generate_series(1, ${families}) g`);
  await db.execute(sql`insert into members (household_id, nik, name, birth_date, sex, relationship)
    select h.id, h.no_kk, 'Warga Bench', '1980-01-01', 'P', 'kepala' from households h where h.source = 'bench'`);
  await db.execute(sql`insert into enrollments (program_id, household_id, period, status, source)
    select ${program!.id}, h.id, ${PERIOD}, 'active', 'bench' from households h where h.source = 'bench'`);
  await db.execute(sql`analyze`);
  return program!.id;
}

/** Every 20th line failed, every 50th returned: a bad tranche, so the work and notice paths run too. */
async function writeFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  let buf = 'no_kk,rekening,nominal,status,tanggal,keterangan\n';
  for (let i = 1; i <= lines; i++) {
    const status = i % 20 === 0 ? 'failed' : i % 50 === 0 ? 'returned' : 'transferred';
    buf += `${KK_BASE + i},${String(1_000_000_000 + i)},750000,${status},2026-11-12,${status === 'transferred' ? '' : 'rekening tidak aktif'}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

export async function disbursementBenchmark(lines = 500_000): Promise<BenchResult> {
  const file = `/tmp/pintu-bench-disbursements-${process.pid}.csv`;
  try {
    const f = await withScratch(async (database) => {
      const programId = await buildCity(database, lines);
      await writeFile(file, lines);
      const i18n = await createI18n('id');
      const { id } = await createStaffUser(database.db, 'system', { name: 'Bench', email: `bench-${process.pid}@dinsos.test`, role: 'admin' });
      const t = performance.now();
      const r = await importDisbursements(
        database,
        { kind: 'staff', id, role: 'admin', kecamatanId: null, bidang: null },
        { programId, period: PERIOD, source: 'BNI', filePath: file, fileName: 'bench.csv' },
        { now: new Date(), timeZone: 'Asia/Jakarta', i18n, defaultLocale: 'id' },
      );
      const seconds = (performance.now() - t) / 1000;
      const [n] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from disbursements`));
      return { seconds, ok: r.ok, stored: n!.n, reason: r.ok ? null : r.reason };
    });
    const complete = f.ok && f.stored === lines;
    return {
      benchmark: `Disbursements: ${lines.toLocaleString('en')}-line result file`,
      figure: `${f.seconds.toFixed(1)} s${complete ? '' : ` (not imported: ${f.reason ?? `${f.stored} lines stored`})`}`,
      target: '< 30 s',
      met: complete && f.seconds < 30,
    };
  } finally {
    await rm(file, { force: true });
  }
}
