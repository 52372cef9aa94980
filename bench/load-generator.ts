// The inbound load generator (issue 8, benchmark 1), a process of its own so it does not share a thread with
// what it measures. The parent sends one 'run' message with a LoadSpec and gets one 'result' back.
//
// Each resident sends the messages of the aid check in order, the next only once the previous was answered,
// from a chat of their own, through the webhook of `channel` (load-channels.ts builds each request). Two modes:
// - closed: `concurrency` residents at a time, each starting the next resident when done (maximum rate);
// - open: residents arrive on a fixed schedule giving `rate` messages/s, step k of a resident due `gapMs`
//   after step k-1. Latency counts from the scheduled time, not the send time, so a slow answer that delays
//   the sends after it shows up in the figures (no coordinated omission).
import http from 'node:http';
import { channelRequests, type LoadChannel } from './load-channels.ts';
import type { Resident } from './load-updates.ts';

export interface LoadSpec {
  url: string;
  /** Which webhook `url` is, so which requests to build. */
  channel: LoadChannel;
  /** The Telegram webhook secret, or the WhatsApp app secret the bodies are signed with. */
  secret: string;
  /** WhatsApp Cloud: the service's phone number id, as Meta names it in every webhook. */
  phoneNumberId?: string;
  residents: Resident[];
  /** Resident i is chat number firstChatId + i: the Telegram user/chat id, or the WhatsApp number's digits. */
  firstChatId: number;
  mode: 'closed' | 'open';
  concurrency?: number;
  /** Open mode: messages per second. */
  rate?: number;
  gapMs?: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** 200 answers counted in the measured window. */
  messages: number;
  seconds: number;
  /** The measured window in wall-clock ms (Date.now), the clock the fake providers stamp arrivals with. */
  window: { from: number; to: number };
  /** 200 answers in the whole run, warm-up and the last residents' remaining steps included. */
  answered: number;
  /** Latencies (ms) of the counted answers, unsorted. */
  latencies: number[];
  /** Parallel to `latencies`: the step of the check (0: the first message) and when it was due (Date.now clock). */
  latencySteps: number[];
  latencyAt: number[];
  /** Answers other than 200 in the whole run (warm-up included), by status; "error" for a failed connection. */
  failures: Record<string, number>;
  residentsUsed: number;
  /** Residents whose updates all got 200. */
  checksCompleted: number;
  /** Every resident given was used before the run ended: the run stopped early and its rate means nothing. */
  ranOut: boolean;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.mode === 'closed' ? spec.concurrency! : 1024 });
  const requests = channelRequests(spec);
  const { steps } = requests;
  const post = ({ body, headers }: { body: string; headers: Record<string, string> }) =>
    new Promise<number | 'error'>((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve('error'));
      req.end(body);
    });

  const t0 = performance.now();
  const wallT0 = Date.now();
  // Open loop: the rate is only steady once the first residents reach their last step.
  const rampMs = spec.mode === 'open' ? (steps - 1) * (spec.gapMs ?? 1000) : 0;
  const measureFrom = t0 + rampMs + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  const latencySteps: number[] = [];
  const latencyAt: number[] = [];
  const failures: Record<string, number> = {};
  let messages = 0;
  let answered = 0;
  let next = 0;
  let checksCompleted = 0;
  let updateId = 1;

  let ranOut = false;
  const take = (): number | undefined => {
    if (next < spec.residents.length) return next++;
    ranOut = true;
    return undefined;
  };

  /** One step; true when it got 200. `due`: when it should have been sent (open mode) or undefined (now). */
  async function step(i: number, k: number, due?: number): Promise<boolean> {
    const request = requests.request(spec.residents[i]!, spec.firstChatId + i, k, updateId++);
    const sent = performance.now();
    const status = await post(request);
    const done = performance.now();
    if (status !== 200) {
      failures[String(status)] = (failures[String(status)] ?? 0) + 1;
      return false;
    }
    answered++;
    const counted = due === undefined ? done >= measureFrom && done < measureTo : due >= measureFrom && due < measureTo;
    if (counted) {
      messages++;
      latencies.push(done - (due ?? sent));
      latencySteps.push(k);
      latencyAt.push(wallT0 + ((due ?? sent) - t0));
    }
    return true;
  }

  async function resident(i: number, arrival?: number): Promise<void> {
    for (let k = 0; k < steps; k++) {
      const due = arrival === undefined ? undefined : arrival + k * (spec.gapMs ?? 1000);
      if (due !== undefined) await until(due);
      if (!(await step(i, k, due))) return;
    }
    checksCompleted++;
  }

  if (spec.mode === 'closed') {
    const worker = async () => {
      for (let i; performance.now() < measureTo && (i = take()) !== undefined; ) await resident(i);
    };
    await Promise.all(Array.from({ length: spec.concurrency! }, worker));
  } else {
    const interArrival = (1000 * steps) / spec.rate!;
    const running: Promise<void>[] = [];
    // A resident's first message falls at most at the end of the window; their later ones are still sent
    // (so the checks finish) but not counted.
    for (let n = 0; ; n++) {
      const arrival = t0 + n * interArrival;
      if (arrival >= measureTo) break;
      await until(arrival);
      const i = take();
      if (i === undefined) break;
      running.push(resident(i, arrival));
    }
    await Promise.all(running);
  }
  agent.destroy();
  const window = { from: wallT0 + (measureFrom - t0), to: wallT0 + (measureTo - t0) };
  return { messages, seconds: spec.durationMs / 1000, window, answered, latencies, latencySteps, latencyAt, failures, residentsUsed: next, checksCompleted, ranOut };
}

function until(t: number): Promise<void> {
  const wait = t - performance.now();
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}

// Only when forked as the generator (bench/load-client.ts), not when a test imports runLoad.
if (process.send && process.argv.includes('--serve-load')) {
  process.on('message', async (msg: { type: string; spec?: LoadSpec }) => {
    if (msg.type === 'run') {
      try {
        process.send!({ type: 'result', result: await runLoad(msg.spec!) });
      } catch (err) {
        process.send!({ type: 'result', error: (err as Error).message });
      }
    }
    if (msg.type === 'close') process.exit(0);
  });
  process.send({ type: 'ready' });
}
