// Dispatch (issue 8, benchmark 3b): the real dispatcher and grammY sender against the fake Bot API (in a process
// of its own, as Telegram is), with the
// Telegram limit set to 1,000 messages/s. Targets: a sustained rate of at least 95% of the limit, never more
// than the limit in any one-second window, and no message sent twice.
import { sql } from 'drizzle-orm';
import { createTelegramSender } from '../src/channels/telegram/sender.ts';
import type { Database } from '../src/db/client.ts';
import { PRIORITY } from '../src/domain/vocabulary.ts';
import { createLogger } from '../src/log.ts';
import { Dispatcher } from '../src/outbox/dispatcher.ts';
import { ChildFakeTelegram } from './child-fake.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';
import { busiestSecond } from './send-window.ts';

const LIMIT = 1000;

export interface DispatchFigures {
  messages: number;
  sent: number;
  /** Messages per second from the first send to the last. */
  rate: number;
  busiestSecond: number;
  duplicates: number;
}

export async function measureDispatch(database: Database, n: number, timeoutMs = 120_000): Promise<DispatchFigures> {
  // One message per chat, so the per-chat spacing (1 s) never holds the channel back: only the channel limit does.
  await database.db.execute(sql`insert into contacts (channel, external_id, language, last_inbound_at)
    select 'telegram', (100000000 + g)::text, 'id', now() from generate_series(1, ${n}) g`);
  await database.db.execute(sql`insert into outbox (contact_id, channel, payload, priority)
    select id, 'telegram', jsonb_build_object('text', 'Pesan bench ' || id), ${PRIORITY.bulk} from contacts where channel = 'telegram'`);
  const fake = await ChildFakeTelegram.start();
  const dispatcher = new Dispatcher(database, createLogger('silent'), { pollMs: 20 });
  dispatcher.register(createTelegramSender({ token: fake.token, apiRoot: fake.apiRoot, ratePerSecond: LIMIT }));
  try {
    await dispatcher.start();
    const started = Date.now();
    while ((await fake.count()) < n && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await dispatcher.stop();
  }
  const sent = await fake.sent();
  await fake.close();
  const times = sent.map((m) => m.at).sort((a, b) => a - b);
  const span = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : Infinity;
  return {
    messages: n,
    sent: sent.length,
    rate: times.length > 1 ? (times.length - 1) / span : 0,
    busiestSecond: busiestSecond(times),
    duplicates: sent.length - new Set(sent.map((m) => m.text)).size,
  };
}

export async function dispatchBenchmarks(n = 20_000): Promise<BenchResult[]> {
  const f = await withScratch((database) => measureDispatch(database, n));
  const all = f.sent >= n ? '' : ` (only ${f.sent.toLocaleString('en')} of ${n.toLocaleString('en')} sent)`;
  return [
    {
      benchmark: `Dispatch: sustained Telegram send rate, ${n.toLocaleString('en')} messages, limit ${LIMIT}/s`,
      figure: `${f.rate.toFixed(0)} msg/s${all}`,
      target: `>= ${0.95 * LIMIT} msg/s`,
      met: f.sent >= n && f.rate >= 0.95 * LIMIT,
    },
    { benchmark: 'Dispatch: busiest one-second window', figure: `${f.busiestSecond} msg`, target: `<= ${LIMIT} msg`, met: f.busiestSecond <= LIMIT },
    { benchmark: 'Dispatch: messages sent more than once', figure: String(f.duplicates), target: '0', met: f.duplicates === 0 },
  ];
}
