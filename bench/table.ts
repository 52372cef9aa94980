import os from 'node:os';
import type { BenchResult } from './result.ts';

const verdict = (r: BenchResult) => (r.met === undefined ? '—' : r.met ? 'met' : 'MISSED');

/** The results as a Markdown table (also readable as plain text in a terminal). */
export function resultTable(results: BenchResult[]): string {
  const rows = [['Benchmark', 'Measured', 'Target', 'Result'], ...results.map((r) => [r.benchmark, r.figure, r.target, verdict(r)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** bench/results.md: the table and the machine it was measured on. */
export function resultsMarkdown(results: BenchResult[], command: string, date: Date): string {
  return [
    '# Pintu benchmarks',
    '',
    `- Date: ${date.toISOString()}`,
    `- Command: \`${command}\``,
    `- Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}`,
    '',
    resultTable(results),
    '',
  ].join('\n');
}
