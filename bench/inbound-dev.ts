// Benchmark 1 with small sizes, for trying changes without the 330,000-household seed:
//   DATABASE_URL=… node --import tsx bench/inbound-dev.ts [households] [seconds] [concurrency,…] [cpu-profile-dir] [telegram-rate]
import { DEFAULT_INBOUND, inboundBenchmarks } from './inbound.ts';
import { resultTable } from './table.ts';

const [households = '5000', seconds = '4', cs = '32', profileDir, rate] = process.argv.slice(2);
const results = await inboundBenchmarks({
  ...DEFAULT_INBOUND,
  households: Number(households),
  concurrencies: cs.split(',').map(Number),
  warmupMs: 1000,
  durationMs: Number(seconds) * 1000,
  halfDurationMs: Number(seconds) * 1000,
  cpuProfileDir: profileDir || undefined,
  telegramRate: rate ? Number(rate) : DEFAULT_INBOUND.telegramRate,
});
console.log(resultTable(results));
