// Inbound (issue 8, benchmark 1) and memory (benchmark 5): residents doing the whole aid check through
// POST /webhooks/telegram against the service in a process of its own (src/main.ts) on a scratch database
// seeded with the demo registry, replies leaving through the outbox to the fake Bot API (its own process).
// The load comes from a second process (bench/load-generator.ts). Measured: messages/s at maximum (closed
// loop, the best of a few concurrencies), p50/p99 there, p99 at half that rate (open loop), the same
// generator against a bare Hono one-INSERT handler, and the service's peak RSS during all of it.
// Targets: >= 3,000 msg/s, >= 0.3 of the baseline, p99 at half load < 50 ms, RSS < 300 MB.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/rows.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { startServiceProcess, waitForStatus, type ServiceProcess } from '../test/helpers/process.ts';
import { startBaseline } from './baseline-client.ts';
import { ChildFakeTelegram } from './child-fake.ts';
import { LoadGenerator } from './load-client.ts';
import type { LoadResult, LoadSpec } from './load-generator.ts';
import { AID_CHECK_STEPS, RESIDENTS_SQL, type Resident } from './load-updates.ts';
import { percentile } from './percentile.ts';
import type { BenchResult } from './result.ts';
import { cpuSeconds, rssBytes, sampleRss } from './rss.ts';
import { withScratch } from './scratch.ts';

export interface InboundOptions {
  households: number;
  /** Concurrent residents tried in the closed loop; the best rate counts as the maximum. */
  concurrencies: number[];
  warmupMs: number;
  durationMs: number;
  /** The open-loop run at half the maximum lasts longer: its p99 needs the samples. */
  halfDurationMs: number;
  /** The service's Telegram sending limit: high enough that the replies keep leaving during the run. */
  telegramRate: number;
  /** Directory for a V8 CPU profile of the service (--cpu-prof), or undefined for none. */
  cpuProfileDir?: string;
}

export const DEFAULT_INBOUND: InboundOptions = {
  households: 330_000,
  concurrencies: [16, 64, 256],
  warmupMs: 3_000,
  durationMs: 12_000,
  halfDurationMs: 15_000,
  telegramRate: 1_000,
  cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR || undefined,
};

const SECRET = 'bench-inbound-secret-0123456789';

interface Run {
  label: string;
  rate: number;
  p50: number;
  p99: number;
  failures: number;
  failureText: string;
  result: LoadResult;
}

function summarize(label: string, r: LoadResult): Run {
  const failures = Object.values(r.failures).reduce((a, b) => a + b, 0);
  const failureText = failures ? Object.entries(r.failures).map(([s, n]) => `${n}× ${s}`).join(', ') : '';
  const p = (q: number) => (r.latencies.length ? percentile(r.latencies, q) : NaN);
  const run = { label, rate: r.messages / r.seconds, p50: p(50), p99: p(99), failures, failureText, result: r };
  console.error(`  ${label}: ${run.rate.toFixed(0)} msg/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms${failures ? `, non-200: ${failureText}` : ''}`);
  return run;
}

export interface InboundFigures {
  people: number;
  max: Run;
  tried: Run[];
  half: Run;
  halfTarget: number;
  baseline: Run;
  peakRss: number;
  checksCompleted: number;
  verifiedChats: number;
  repliesSent: number;
}

export async function measureInbound(opts: InboundOptions): Promise<InboundFigures> {
  return withScratch(async (database) => {
    console.error(`  seeding ${opts.households.toLocaleString('en')} households…`);
    await seedDemoCity(database, { households: opts.households });
    await database.db.execute(sql`analyze`);
    const [people] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from members`));
    // Enough distinct living residents that nobody does the check twice, even at several times the target.
    const residents = rowsOf<Resident>(
      await database.db.execute(sql.raw(`${RESIDENTS_SQL} order by random() limit 150000`)),
    );

    const fake = await ChildFakeTelegram.start();
    const gen = await LoadGenerator.start();
    let service: ServiceProcess | undefined;
    let used = 0;
    let chatBase = 300_000_000;
    /** `server`: the process under load; `fresh`: it is the service, so no resident may come twice. */
    const load = async (url: string, server: number, spec: Pick<LoadSpec, 'mode' | 'concurrency' | 'rate' | 'durationMs'>, fresh = true) => {
      // How busy the server's one thread was: near 1 CPU-second per second means Node itself is the limit.
      const [cpu0, genCpu0, t0] = [cpuSeconds(server), cpuSeconds(gen.pid), performance.now()];
      const r = await gen.run({ url, secret: SECRET, residents: residents.slice(used), firstChatId: chatBase + used, warmupMs: opts.warmupMs, gapMs: 1000, ...spec });
      if (r.ranOut) throw new Error(`the load generator ran out of residents (${residents.length - used} left); sample more`);
      // The baseline may reuse residents (it only stores the update); the service must not.
      if (fresh) used += r.residentsUsed;
      else chatBase += r.residentsUsed;
      const seconds = (performance.now() - t0) / 1000;
      // So the generator can be seen not to be what limits the rate.
      const genLoad = `generator ${((cpuSeconds(gen.pid) - genCpu0) / seconds).toFixed(2)} CPU-s/s`;
      const cpu = cpuSeconds(server) - cpu0;
      console.error(`  (server ${(cpu / seconds).toFixed(2)} CPU-s/s, ${((1000 * cpu) / Math.max(1, r.residentsUsed * AID_CHECK_STEPS)).toFixed(2)} CPU-ms per message; ${genLoad})`);
      return r;
    };
    try {
      service = await startServiceProcess({
        DATABASE_URL: database.url!,
        DATABASE_POOL_SIZE: '10',
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_RATE_PER_SECOND: String(opts.telegramRate),
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        ...(opts.cpuProfileDir
          ? { NODE_OPTIONS: `--import=tsx --import=${new URL('./inbound-profile.ts', import.meta.url).pathname}`, BENCH_CPU_PROFILE_DIR: opts.cpuProfileDir }
          : {}),
      });
      const died = service.exited.then((code) => Promise.reject(new Error(`the service exited (${code}): ${service!.output().slice(0, 500)}`)));
      await Promise.race([waitForStatus(`http://127.0.0.1:${service.port}/health`, 200, 60_000, service.output), died]);
      died.catch(() => {}); // it exits on purpose at the end
      const url = `http://127.0.0.1:${service.port}/webhooks/telegram`;
      console.error(`  service RSS before load: ${(rssBytes(service.child.pid!) / 2 ** 20).toFixed(0)} MB`);
      const rss = sampleRss(service.child.pid!);

      const tried: Run[] = [];
      for (const c of opts.concurrencies) tried.push(summarize(`service, closed loop, ${c} residents at a time`, await load(url, service.child.pid!, { mode: 'closed', concurrency: c, durationMs: opts.durationMs })));
      const max = tried.reduce((a, b) => (b.rate > a.rate ? b : a));
      const halfTarget = max.rate / 2;
      const half = summarize(`service, open loop at ${halfTarget.toFixed(0)} msg/s`, await load(url, service.child.pid!, { mode: 'open', rate: halfTarget, durationMs: opts.halfDurationMs }));
      const peakRss = rss.stop();

      const checksCompleted = [...tried, half].reduce((a, r) => a + r.result.checksCompleted, 0);
      const [verified] = rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from contacts where channel = 'telegram' and member_id is not null`),
      );
      const repliesSent = await fake.count();
      const [backlog] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from outbox where status = 'pending'`));
      console.error(`  ${checksCompleted} aid checks completed, ${verified!.n} chats verified; ${repliesSent} replies reached the fake Bot API, ${backlog!.n} still queued`);
      service.child.kill('SIGTERM');
      await service.exited;
      service = undefined;

      // The baseline gets the same concurrencies and the best counts, as for the service.
      const baseline = await startBaseline(database.url!, 10);
      const baseRuns: Run[] = [];
      try {
        for (const c of opts.concurrencies) baseRuns.push(summarize(`baseline, closed loop, ${c} at a time`, await load(baseline.url, baseline.pid, { mode: 'closed', concurrency: c, durationMs: opts.durationMs }, false)));
      } finally {
        await baseline.close();
      }
      const best = baseRuns.reduce((a, b) => (b.rate > a.rate ? b : a));
      return { people: people!.n, max, tried, half, halfTarget, baseline: best, peakRss, checksCompleted, verifiedChats: verified!.n, repliesSent };
    } finally {
      if (service) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
      await gen.close();
      await fake.close();
    }
  });
}

export async function inboundBenchmarks(opts: InboundOptions = DEFAULT_INBOUND): Promise<BenchResult[]> {
  const f = await measureInbound(opts);
  const ratio = f.max.rate / f.baseline.rate;
  const mb = f.peakRss / 2 ** 20;
  const failed = (r: Run) => (r.failures ? ` (non-200: ${r.failureText})` : '');
  // Every completed check must have ended with the chat linked to its resident, or the service was measured
  // answering something other than the aid check.
  const checks = f.verifiedChats === f.checksCompleted ? '' : ` (only ${f.verifiedChats} of ${f.checksCompleted} checks verified)`;
  const ok = f.max.failures === 0 && checks === '';
  return [
    {
      benchmark: `Inbound: aid checks via POST /webhooks/telegram, ${f.people.toLocaleString('en')} people, msgs/s at maximum (${f.max.result.messages.toLocaleString('en')} msgs)`,
      figure: `${f.max.rate.toFixed(0)} msg/s at C=${f.max.label.match(/(\d+) residents/)![1]}${failed(f.max)}${checks}`,
      target: '>= 3,000 msg/s',
      met: ok && f.max.rate >= 3000,
    },
    { benchmark: 'Inbound: p50 latency at maximum', figure: `${f.max.p50.toFixed(1)} ms`, target: '(reported)' },
    { benchmark: 'Inbound: p99 latency at maximum', figure: `${f.max.p99.toFixed(1)} ms`, target: '(reported)' },
    {
      benchmark: `Inbound: p99 latency at half of maximum (open loop, ${f.halfTarget.toFixed(0)} msg/s)`,
      figure: `${f.half.p99.toFixed(1)} ms${failed(f.half)}`,
      target: '< 50 ms',
      met: f.half.failures === 0 && f.half.p99 < 50,
    },
    { benchmark: 'Inbound: baseline, bare Hono one-INSERT handler, msgs/s at maximum', figure: `${f.baseline.rate.toFixed(0)} msg/s${failed(f.baseline)}`, target: '(reported)' },
    { benchmark: 'Inbound: ratio to the baseline', figure: ratio.toFixed(2), target: '>= 0.3', met: ok && ratio >= 0.3 },
    { benchmark: 'Memory: service peak RSS under the inbound benchmark', figure: `${mb.toFixed(0)} MB`, target: '< 300 MB', met: mb < 300 },
  ];
}
