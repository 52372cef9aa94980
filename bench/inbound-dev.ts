// Benchmark 1 with small sizes, for trying changes without the 330,000-household seed:
//   DATABASE_URL=… node --import tsx bench/inbound-dev.ts [households] [seconds] [concurrency,…] [cpu-profile-dir] [send-rate] [--channel=telegram,whatsapp_cloud]
// Without --channel only Telegram is measured (as before); `--channel=whatsapp_cloud` the Cloud webhook alone.
import { DEFAULT_INBOUND, inboundBenchmarks } from './inbound.ts';
import { LOAD_CHANNELS, type LoadChannel } from './load-channels.ts';
import { resultTable } from './table.ts';

const args = process.argv.slice(2);
const channelArg = args.find((a) => a.startsWith('--channel='));
const channels = (channelArg ? channelArg.slice('--channel='.length).split(',') : ['telegram']) as LoadChannel[];
const unknown = channels.filter((c) => !LOAD_CHANNELS.includes(c));
if (unknown.length) {
  console.error(`Unknown channel ${unknown.join(', ')}; the channels are ${LOAD_CHANNELS.join(', ')}.`);
  process.exit(1);
}
const [households = '5000', seconds = '4', cs = '32', profileDir, rate] = args.filter((a) => !a.startsWith('--'));
const results = await inboundBenchmarks({
  ...DEFAULT_INBOUND,
  households: Number(households),
  channels,
  concurrencies: cs.split(',').map(Number),
  warmupMs: 1000,
  durationMs: Number(seconds) * 1000,
  halfDurationMs: Number(seconds) * 1000,
  cpuProfileDir: profileDir || undefined,
  sendRate: rate ? Number(rate) : DEFAULT_INBOUND.sendRate,
});
console.log(resultTable(results));
