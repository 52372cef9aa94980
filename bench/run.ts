// `npm run bench`: the performance targets of issue 8, measured against the real PostgreSQL in DATABASE_URL
// (each benchmark in a scratch database of its own, dropped afterwards). Prints one table and writes it, with
// the machine it ran on, to bench/results.md. Not part of `npm test`.
import { writeFile } from 'node:fs/promises';
import { aidLookupBenchmarks } from './aid-lookup.ts';
import { dispatchBenchmarks } from './dispatch.ts';
import { fanoutBenchmark } from './fanout.ts';
import { importBenchmark } from './import.ts';
import { notMeasured, type BenchResult } from './result.ts';
import { resultsMarkdown, resultTable } from './table.ts';

if (!process.env.DATABASE_URL) {
  console.error('npm run bench needs DATABASE_URL, a PostgreSQL server where it may create and drop scratch databases.');
  process.exit(1);
}

const results: BenchResult[] = [];
const steps: [string, () => Promise<BenchResult | BenchResult[]>][] = [
  ['fan-out', () => fanoutBenchmark()],
  ['dispatch', () => dispatchBenchmarks()],
  ['import', () => importBenchmark()],
  ['aid check lookup', () => aidLookupBenchmarks()],
];
for (const [name, step] of steps) {
  console.error(`running ${name}…`);
  try {
    results.push(...[await step()].flat());
  } catch (err) {
    // A benchmark that cannot finish misses its target; the others still run and the table is still written.
    results.push({ benchmark: name, figure: `failed: ${(err as Error).message.split('\n')[0]}`, target: 'finishes', met: false });
  }
}
results.push(
  notMeasured('Inbound: aid checks through POST /webhooks/telegram, messages/s at maximum', '>= 3,000 msg/s'),
  notMeasured('Inbound: ratio to a bare Hono one-INSERT handler', '>= 0.3'),
  notMeasured('Inbound: p99 latency at half of maximum', '< 50 ms'),
  notMeasured('Memory: service RSS under the inbound benchmark', '< 300 MB'),
);

console.log(resultTable(results));
await writeFile(new URL('./results.md', import.meta.url), resultsMarkdown(results, 'DATABASE_URL=… npm run bench', new Date()));
