// Registry import benchmark on its own (the logic lives in bench/import.ts; `npm run bench` runs it with the others).
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-import.ts [ROWS] [--again]
// --again imports the same file a second time (every row unchanged) and times that too.

import { measureImport } from '../bench/import.ts';
import { withScratch } from '../bench/scratch.ts';
import { formatReport } from '../src/services/registry/import/report.ts';

const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL server');
const f = await withScratch((database) => measureImport(database, rows, { again: process.argv.includes('--again') }));
for (const line of formatReport(f.report)) console.log(line);
console.log(`IMPORT ${rows.toLocaleString('en')} rows: ${f.seconds.toFixed(1)} s`);
if (f.againSeconds !== undefined) console.log(`RE-IMPORT (all unchanged): ${f.againSeconds.toFixed(1)} s`);
console.log(`members in the database: ${f.members}`);
