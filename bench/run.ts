// `npm run bench`: the performance targets of issue 8, measured against the real PostgreSQL in DATABASE_URL
// (each benchmark in a scratch database of its own, dropped afterwards). Prints one table and writes it, with
// the machine it ran on, to bench/results.md. Not part of `npm test`.
// `node --import tsx bench/run.ts inbound dispatch` runs only the steps whose names contain one of the words,
// and then only prints the table: bench/results.md always holds a whole run.
import { writeFile } from 'node:fs/promises';
import { aidLookupBenchmarks } from './aid-lookup.ts';
import { cloudDispatchBenchmarks } from './cloud-dispatch.ts';
import { consoleBenchmarks } from './console.ts';
import { dispatchBenchmarks } from './dispatch.ts';
import { fanoutBenchmark } from './fanout.ts';
import { importBenchmark } from './import.ts';
import { disbursementBenchmark } from './disbursements.ts';
import { inboundBenchmarks } from './inbound.ts';
import { monthlyReportBenchmark } from './monthly-report.ts';
import type { BenchResult } from './result.ts';
import { resultsMarkdown, resultTable } from './table.ts';

if (!process.env.DATABASE_URL) {
  console.error('npm run bench needs DATABASE_URL, a PostgreSQL server where it may create and drop scratch databases.');
  process.exit(1);
}

const results: BenchResult[] = [];
const steps: [string, () => Promise<BenchResult | BenchResult[]>][] = [
  ['fan-out', () => fanoutBenchmark()],
  ['dispatch', () => dispatchBenchmarks()],
  ['cloud dispatch', () => cloudDispatchBenchmarks()],
  ['import', () => importBenchmark()],
  ['disburse', () => disbursementBenchmark()],
  ['aid check lookup', () => aidLookupBenchmarks()],
  ['inbound', () => inboundBenchmarks()],
  ['console', () => consoleBenchmarks()],
  ['monthly report', () => monthlyReportBenchmark()],
];
const only = process.argv.slice(2);
const chosen = only.length ? steps.filter(([name]) => only.some((word) => name.includes(word))) : steps;
if (chosen.length === 0) {
  console.error(`No benchmark step matches ${only.join(', ')}; the steps are: ${steps.map(([name]) => name).join(', ')}.`);
  process.exit(1);
}
for (const [name, step] of chosen) {
  console.error(`running ${name}…`);
  try {
    results.push(...[await step()].flat());
  } catch (err) {
    // A benchmark that cannot finish misses its target; the others still run and the table is still written.
    results.push({ benchmark: name, figure: `failed: ${(err as Error).message.split('\n')[0]}`, target: 'finishes', met: false });
  }
}
console.log(resultTable(results));
if (chosen === steps) await writeFile(new URL('./results.md', import.meta.url), resultsMarkdown(results, 'DATABASE_URL=… npm run bench', new Date()));
