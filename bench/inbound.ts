// Inbound (issue 8, benchmark 1; issue 21) and memory (benchmark 5): residents doing the whole aid check through
// a webhook of the service in a process of its own (src/main.ts) on a scratch database seeded with the demo
// registry, replies leaving through the outbox to a fake provider (its own process). Each channel is measured
// against a service started for it alone: POST /webhooks/telegram with the fake Bot API, and POST
// /webhooks/whatsapp (Meta's signed webhooks) with the fake Graph API. The load comes from a second process
// (bench/load-generator.ts), the same generator for both, building each channel's requests. Measured per
// channel: messages/s at maximum (closed loop, the best of a few concurrencies), CPU-ms per message, p50/p99
// there, p99 at half that rate (open loop), the replies that reached the fake provider per second in the same
// windows and what was still queued at their end (the dispatcher runs in the service during the load: claims and
// turns share its thread and pool), and the service's peak RSS. Then the same generator against a bare Hono
// one-INSERT handler, the baseline. Targets (issue 21): >= 0.30 of the baseline, p99 at half load < 50 ms,
// RSS < 250 MB.
import { writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { seedDemoCity } from '../src/services/seed/index.ts';
import { startServiceProcess, waitForStatus, type ServiceProcess } from '../test/helpers/process.ts';
import { startBaseline } from './baseline-client.ts';
import { ChildFakeGraph } from './child-fake-graph.ts';
import { ChildFakeTelegram } from './child-fake.ts';
import { SENDER_PREFIX } from './load-cloud.ts';
import { LOAD_CHANNELS, type LoadChannel } from './load-channels.ts';
import { LoadGenerator } from './load-client.ts';
import type { LoadResult, LoadSpec } from './load-generator.ts';
import { RESIDENTS_SQL, type Resident } from './load-updates.ts';
import { percentile } from './percentile.ts';
import type { BenchResult } from './result.ts';
import { cpuSeconds, rssBytes, sampleRss } from './rss.ts';
import { withScratch } from './scratch.ts';
import { settled } from './settle.ts';

export interface InboundOptions {
  households: number;
  /** The webhooks measured, each against a service of its own. */
  channels: readonly LoadChannel[];
  /** Concurrent residents tried in the closed loop; the best rate counts as the maximum. */
  concurrencies: number[];
  warmupMs: number;
  durationMs: number;
  /** The open-loop run at half the maximum lasts longer: its p99 needs the samples. */
  halfDurationMs: number;
  /** The channel's sending limit in the service (TELEGRAM_ / WHATSAPP_CLOUD_RATE_PER_SECOND): high enough that the replies keep leaving during the run. */
  sendRate: number;
  /** Directory for a V8 CPU profile of the service (--cpu-prof), or undefined for none. */
  cpuProfileDir?: string;
}

export const DEFAULT_INBOUND: InboundOptions = {
  households: 330_000,
  channels: LOAD_CHANNELS,
  concurrencies: [16, 64, 256],
  warmupMs: 3_000,
  durationMs: 12_000,
  halfDurationMs: 15_000,
  sendRate: 1_000,
  cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR || undefined,
};

// The Telegram webhook secret, and the WhatsApp app secret the service checks X-Hub-Signature-256 with.
const SECRET = 'bench-inbound-secret-0123456789';

export const CHANNEL_NAMES: Record<LoadChannel, { name: string; path: string; provider: string }> = {
  telegram: { name: 'Telegram', path: '/webhooks/telegram', provider: 'fake Bot API' },
  whatsapp_cloud: { name: 'WhatsApp Cloud', path: '/webhooks/whatsapp', provider: 'fake Graph API' },
};

/** What the dispatcher in the service got out during a run. */
interface Dispatch {
  /** Replies the fake provider accepted per second in the run's measured window. */
  perSecond: number;
  /** The channel's outbox rows still pending when the run ended. */
  queued: number;
}

interface Run {
  label: string;
  /** Closed loop: residents at a time. */
  concurrency?: number;
  rate: number;
  p50: number;
  p99: number;
  /** CPU time of the process under load per message it answered (warm-up included), in ms. */
  cpuMs: number;
  failures: number;
  failureText: string;
  result: LoadResult;
  dispatch?: Dispatch;
}

function summarize(label: string, r: LoadResult & { cpuMs: number; dispatch?: Dispatch }, concurrency?: number): Run {
  const failures = Object.values(r.failures).reduce((a, b) => a + b, 0);
  const failureText = failures ? Object.entries(r.failures).map(([s, n]) => `${n}× ${s}`).join(', ') : '';
  const p = (q: number) => (r.latencies.length ? percentile(r.latencies, q) : NaN);
  const run = { label, concurrency, rate: r.messages / r.seconds, p50: p(50), p99: p(99), cpuMs: r.cpuMs, failures, failureText, result: r, dispatch: r.dispatch };
  const sent = r.dispatch ? `; ${r.dispatch.perSecond.toFixed(0)} replies/s out, ${r.dispatch.queued} queued at the end` : '';
  // With the service traced (inbound-trace.ts), each run's answers are kept beside it: when each was due, its step, its latency.
  if (process.env.BENCH_TRACE_DIR) {
    const file = `${process.env.BENCH_TRACE_DIR}/run-${label.replace(/[^a-z0-9]+/gi, '-')}.json`;
    writeFileSync(file, JSON.stringify({ window: r.window, latencies: r.latencies, steps: r.latencySteps, at: r.latencyAt }));
  }
  console.error(`  ${label}: ${run.rate.toFixed(0)} msg/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms${sent}${failures ? `, non-200: ${failureText}` : ''}`);
  return run;
}

export interface ChannelFigures {
  channel: LoadChannel;
  max: Run;
  tried: Run[];
  half: Run;
  halfTarget: number;
  peakRss: number;
  checksCompleted: number;
  /** Completed checks that ended where this channel's check ends (see `endedChecks`). */
  checksEnded: number;
  repliesSent: number;
}

export interface InboundFigures {
  people: number;
  channels: ChannelFigures[];
  baseline: Run;
}

/** A fake provider in its own process, whichever channel. */
type Provider = Pick<ChildFakeTelegram, 'count' | 'countBetween' | 'close'>;

/** The fake provider of `channel` and the settings that start the service for that channel alone. */
async function providerFor(channel: LoadChannel, sendRate: number): Promise<{ fake: Provider; env: Record<string, string>; phoneNumberId?: string }> {
  if (channel === 'telegram') {
    const fake = await ChildFakeTelegram.start();
    return {
      fake,
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_RATE_PER_SECOND: String(sendRate),
      },
    };
  }
  const fake = await ChildFakeGraph.start();
  return {
    fake,
    phoneNumberId: fake.phoneNumberId,
    env: {
      WHATSAPP_CLOUD_ACCESS_TOKEN: fake.token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: fake.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify-token',
      WHATSAPP_CLOUD_API_ROOT: fake.apiRoot,
      WHATSAPP_CLOUD_RATE_PER_SECOND: String(sendRate),
      // Each check sends its code to a registry phone that never wrote, which opens a conversation: with the
      // default 1,000 a day the codes after the first thousand would wait for tomorrow and read as a backlog.
      WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS: '10000000',
    },
  };
}

/**
 * Completed checks that ended where the channel's check ends, or the service was measured answering something
 * else. Telegram: the chat linked to its resident by the shared own number. WhatsApp: found by knowledge and
 * waiting for the code sent to the registry phone, the chat not linked (load-cloud.ts says why).
 */
async function endedChecks(database: Database, channel: LoadChannel): Promise<number> {
  const query =
    channel === 'telegram'
      ? sql`select count(*)::int as n from contacts where channel = 'telegram' and member_id is not null`
      : sql`select count(*)::int as n from sessions s join contacts c on c.id = s.contact_id
          where c.channel = 'whatsapp_cloud' and c.external_id like ${`${SENDER_PREFIX}%`} and c.member_id is null
            and s.flow = 'identity' and s.step = 'code'`;
  const [row] = rowsOf<{ n: number }>(await database.db.execute(query));
  return row!.n;
}

async function pending(database: Database, channel: LoadChannel): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from outbox where status = 'pending' and channel = ${channel}`));
  return row!.n;
}

/** Waits until none of the channel's replies due by now is unsent (at most `limitSeconds`); the seconds waited. */
async function drained(database: Database, channel: LoadChannel, limitSeconds = 180): Promise<number> {
  const t0 = performance.now();
  const due = async () =>
    rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from outbox where status in ('pending', 'sending') and channel = ${channel} and not_before <= now()`),
    )[0]!.n;
  // Rows due later (a rating question asked some minutes after the check) are not a backlog.
  while ((await due()) > 0) {
    if ((performance.now() - t0) / 1000 > limitSeconds) throw new Error(`replies still queued ${limitSeconds} s after the run`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return (performance.now() - t0) / 1000;
}

export async function measureInbound(opts: InboundOptions): Promise<InboundFigures> {
  return withScratch(async (database) => {
    console.error(`  seeding ${opts.households.toLocaleString('en')} households…`);
    await seedDemoCity(database, { households: opts.households });
    await database.db.execute(sql`analyze`);
    // The seed's writes flushed before anything is measured: otherwise the first channel's turns may
    // commit behind the checkpoint the seed started, and the run measures the disk, not the service.
    await database.db.execute(sql`checkpoint`);
    const [people] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from members`));
    // The WhatsApp senders must not be registry phones (load-cloud.ts): a registry phone links at once.
    const [clash] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from members where phone_norm like ${`${SENDER_PREFIX}%`}`));
    if (clash!.n > 0) throw new Error(`${clash!.n} registry phones start with ${SENDER_PREFIX}, the WhatsApp senders' prefix`);
    // Enough distinct living residents that nobody does the check twice, even at several times the target.
    // Shared by the channels: one member checked from many chats in a day would meet the per-member limit.
    const residents = rowsOf<Resident>(
      await database.db.execute(sql.raw(`${RESIDENTS_SQL} order by random() limit 150000`)),
    );

    const gen = await LoadGenerator.start();
    let used = 0;
    let chatBase = 300_000_000;
    type Shape = Pick<LoadSpec, 'mode' | 'concurrency' | 'rate' | 'durationMs'>;
    /** `server`: the process under load; `fresh`: it is the service, so no resident may come twice. */
    const load = async (target: Pick<LoadSpec, 'url' | 'channel' | 'phoneNumberId'>, server: number, spec: Shape, fresh = true) => {
      // How busy the server's one thread was: near 1 CPU-second per second means Node itself is the limit.
      const [cpu0, genCpu0, t0] = [cpuSeconds(server), cpuSeconds(gen.pid), performance.now()];
      const r = await gen.run({ ...target, secret: SECRET, residents: residents.slice(used), firstChatId: chatBase + used, warmupMs: opts.warmupMs, gapMs: 1000, ...spec });
      if (r.ranOut) throw new Error(`the load generator ran out of residents (${residents.length - used} left); sample more`);
      // The baseline may reuse residents (it only stores the update); the service must not.
      if (fresh) used += r.residentsUsed;
      else chatBase += r.residentsUsed;
      const seconds = (performance.now() - t0) / 1000;
      // So the generator can be seen not to be what limits the rate.
      const genLoad = `generator ${((cpuSeconds(gen.pid) - genCpu0) / seconds).toFixed(2)} CPU-s/s`;
      const cpu = cpuSeconds(server) - cpu0;
      const cpuMs = (1000 * cpu) / Math.max(1, r.answered);
      console.error(`  (server ${(cpu / seconds).toFixed(2)} CPU-s/s, ${cpuMs.toFixed(2)} CPU-ms per message; ${genLoad})`);
      return { ...r, cpuMs };
    };

    /** The whole measurement of one channel, against a service started for it alone. */
    const measureChannel = async (channel: LoadChannel): Promise<ChannelFigures> => {
      const { name, path } = CHANNEL_NAMES[channel];
      console.error(`  ${name}:`);
      const provider = await providerFor(channel, opts.sendRate);
      let service: ServiceProcess | undefined;
      try {
        // One channel per service: with WhatsApp Cloud configured, a Telegram check found by knowledge would also
        // send a code to the registry phone (the identity's phone channel), another turn than Telegram's alone.
        service = await startServiceProcess({
          DATABASE_URL: database.url!,
          DATABASE_POOL_SIZE: '10',
          ...provider.env,
          SEED_DEMO: 'false',
          LOG_LEVEL: 'warn',
          ...(opts.cpuProfileDir
            ? { NODE_OPTIONS: `--import=tsx --import=${new URL('./inbound-profile.ts', import.meta.url).pathname}`, BENCH_CPU_PROFILE_DIR: opts.cpuProfileDir }
            : process.env.BENCH_TRACE_DIR
              ? { NODE_OPTIONS: `--import=tsx --import=${new URL('./inbound-trace.ts', import.meta.url).pathname}`, BENCH_TRACE_DIR: process.env.BENCH_TRACE_DIR }
              : {}),
        });
        const running = service;
        const died = running.exited.then((code) => Promise.reject(new Error(`the service exited (${code}): ${running.output().slice(0, 500)}`)));
        await Promise.race([waitForStatus(`http://127.0.0.1:${running.port}/health`, 200, 60_000, running.output), died]);
        died.catch(() => {}); // it exits on purpose at the end
        const target = { url: `http://127.0.0.1:${running.port}${path}`, channel, phoneNumberId: provider.phoneNumberId };
        const pid = running.child.pid!;
        console.error(`  service's start-up jobs done after ${(await settled(database.db, pid)).toFixed(0)} s`);
        console.error(`  service RSS before load: ${(rssBytes(pid) / 2 ** 20).toFixed(0)} MB`);
        const rss = sampleRss(pid);
        /** A run of the service, with what the dispatcher got out during its measured window. */
        const serviceRun = async (spec: Shape) => {
          // Each run starts with the replies of the one before sent: the backlog a run at maximum leaves took
          // the first 10 s of the half-load run to drain, and its p99 measured that drain, not half load.
          const waited = await drained(database, channel);
          if (waited > 0) console.error(`  (waited ${waited.toFixed(0)} s for the replies of the run before to leave)`);
          const r = await load(target, pid, spec);
          const queued = await pending(database, channel);
          const arrived = await provider.fake.countBetween(r.window.from, r.window.to);
          return { ...r, dispatch: { perSecond: arrived / ((r.window.to - r.window.from) / 1000), queued } };
        };

        const tried: Run[] = [];
        for (const c of opts.concurrencies) {
          tried.push(summarize(`${name}, closed loop, ${c} residents at a time`, await serviceRun({ mode: 'closed', concurrency: c, durationMs: opts.durationMs }), c));
        }
        const max = tried.reduce((a, b) => (b.rate > a.rate ? b : a));
        const halfTarget = max.rate / 2;
        const half = summarize(`${name}, open loop at ${halfTarget.toFixed(0)} msg/s`, await serviceRun({ mode: 'open', rate: halfTarget, durationMs: opts.halfDurationMs }));
        const peakRss = rss.stop();

        const checksCompleted = [...tried, half].reduce((a, r) => a + r.result.checksCompleted, 0);
        const checksEnded = await endedChecks(database, channel);
        const repliesSent = await provider.fake.count();
        console.error(`  ${checksCompleted} aid checks completed, ${checksEnded} ended as they should; ${repliesSent} replies reached the ${CHANNEL_NAMES[channel].provider}, ${await pending(database, channel)} still queued`);
        return { channel, max, tried, half, halfTarget, peakRss, checksCompleted, checksEnded, repliesSent };
      } finally {
        if (service) {
          service.child.kill('SIGTERM');
          await service.exited;
        }
        await provider.fake.close();
      }
    };

    try {
      const channels: ChannelFigures[] = [];
      for (const channel of opts.channels) channels.push(await measureChannel(channel));

      // The baseline stores a Telegram update (bench/baseline-server.ts); a Cloud webhook is about three times as
      // long, which one INSERT hardly notices. Same concurrencies, and the best counts, as for the service.
      const baseline = await startBaseline(database.url!, 10);
      const baseRuns: Run[] = [];
      try {
        const target = { url: baseline.url, channel: 'telegram' as const };
        for (const c of opts.concurrencies) baseRuns.push(summarize(`baseline, closed loop, ${c} at a time`, await load(target, baseline.pid, { mode: 'closed', concurrency: c, durationMs: opts.durationMs }, false), c));
      } finally {
        await baseline.close();
      }
      const best = baseRuns.reduce((a, b) => (b.rate > a.rate ? b : a));
      return { people: people!.n, channels, baseline: best };
    } finally {
      await gen.close();
    }
  });
}

/** The rows of one channel: rate and ratio, cost, latencies, what the dispatcher got out, memory. */
function channelRows(f: ChannelFigures, people: number, baseline: Run): BenchResult[] {
  const { name, path, provider } = CHANNEL_NAMES[f.channel];
  const what = `Inbound (${name})`;
  const ratio = f.max.rate / baseline.rate;
  const mb = f.peakRss / 2 ** 20;
  const failed = (r: Run) => (r.failures ? ` (non-200: ${r.failureText})` : '');
  const checks = f.checksEnded === f.checksCompleted ? '' : ` (only ${f.checksEnded} of ${f.checksCompleted} checks ended as they should)`;
  const ok = f.max.failures === 0 && checks === '';
  const dispatched = (r: Run) => `${r.dispatch!.perSecond.toFixed(0)} replies/s beside ${r.rate.toFixed(0)} msg/s in, ${r.dispatch!.queued.toLocaleString('en')} queued at the end`;
  return [
    {
      benchmark: `${what}: aid checks via POST ${path}, ${people.toLocaleString('en')} people, msgs/s at maximum (${f.max.result.messages.toLocaleString('en')} msgs)`,
      figure: `${f.max.rate.toFixed(0)} msg/s at C=${f.max.concurrency}${failed(f.max)}${checks}`,
      target: '(reported)',
    },
    { benchmark: `${what}: ratio to the baseline`, figure: `${ratio.toFixed(2)}${checks}`, target: '>= 0.30', met: ok && ratio >= 0.3 },
    { benchmark: `${what}: service CPU per message at maximum`, figure: `${f.max.cpuMs.toFixed(2)} CPU-ms`, target: '(reported)' },
    { benchmark: `${what}: p50 latency at maximum`, figure: `${f.max.p50.toFixed(1)} ms`, target: '(reported)' },
    { benchmark: `${what}: p99 latency at maximum`, figure: `${f.max.p99.toFixed(1)} ms`, target: '(reported)' },
    {
      benchmark: `${what}: p99 latency at half of maximum (open loop, ${f.halfTarget.toFixed(0)} msg/s)`,
      figure: `${f.half.p99.toFixed(1)} ms${failed(f.half)}`,
      target: '< 50 ms',
      met: f.half.failures === 0 && f.half.p99 < 50,
    },
    { benchmark: `${what}: dispatcher beside the turns at maximum, replies reaching the ${provider}`, figure: dispatched(f.max), target: '(reported)' },
    { benchmark: `${what}: dispatcher beside the turns at half of maximum`, figure: dispatched(f.half), target: '(reported)' },
    { benchmark: `Memory: service peak RSS under the inbound benchmark (${name})`, figure: `${mb.toFixed(0)} MB`, target: '< 250 MB', met: mb < 250 },
  ];
}

export async function inboundBenchmarks(opts: InboundOptions = DEFAULT_INBOUND): Promise<BenchResult[]> {
  const f = await measureInbound(opts);
  const failed = f.baseline.failures ? ` (non-200: ${f.baseline.failureText})` : '';
  return [
    ...f.channels.flatMap((c) => channelRows(c, f.people, f.baseline)),
    {
      benchmark: 'Inbound: baseline, bare Hono one-INSERT handler, msgs/s at maximum',
      figure: `${f.baseline.rate.toFixed(0)} msg/s, ${f.baseline.cpuMs.toFixed(2)} CPU-ms per message${failed}`,
      target: '(reported)',
    },
  ];
}
