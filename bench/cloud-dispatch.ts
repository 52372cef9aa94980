// Cloud dispatch (issue 16, "Speed"): the real dispatcher and WhatsApp Cloud sender against the fake Graph API
// (in a process of its own, as Meta is), with the settings' defaults (loadConfig). Two cases, each in a scratch
// database of its own:
//   1. Rate: one message to each of N chats whose 24-hour window is open (sent as text, no new conversation).
//      Targets: a sustained rate of at least 95% of the Cloud limit (80/s by default), never more than the
//      limit in any one-second window at the fake, no message sent twice.
//   2. Daily limit: M invitations to numbers that never wrote (templates, each opening a conversation), with
//      WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS = D, and openings already sent an hour ago (inside the rolling
//      24 hours: they count) and 25 hours ago (outside: they do not). Target: exactly D minus the recent ones go
//      out, the rest stay pending. Two Dispatchers run at once, each with its own connection pool to the same
//      database (two processes' worth of claims as PostgreSQL sees them: separate sessions, serialized only by
//      the channel budget row lock); they share this process's event loop, which changes nothing about
//      the count, since the limit is held in the database.
import { sql } from 'drizzle-orm';
import { createWhatsappCloudSender, type WhatsappCloudConfig } from '../src/channels/whatsapp-cloud/sender.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { createLogger } from '../src/log.ts';
import type { OutboundMessage } from '../src/messages/types.ts';
import { Dispatcher } from '../src/outbox/dispatcher.ts';
import { enqueueMany } from '../src/outbox/enqueue.ts';
import type { ChannelSender } from '../src/outbox/sender.ts';
import type { TestDatabase } from '../test/helpers/db.ts';
import { ChildFakeGraph, type GraphSentRecord } from './child-fake-graph.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';
import { busiestSecond } from './send-window.ts';

/** The service's own WhatsApp Cloud settings, defaults included, pointed at the fake. */
export function benchCloudConfig(fake: { apiRoot: string; token: string; phoneNumberId: string }, dailyNewConversations?: number): WhatsappCloudConfig {
  const config = loadConfig({
    WHATSAPP_CLOUD_ACCESS_TOKEN: fake.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: fake.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: 'bench-app-secret',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_CLOUD_API_ROOT: fake.apiRoot,
    ...(dailyNewConversations !== undefined ? { WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS: String(dailyNewConversations) } : {}),
  });
  return config.whatsappCloud!;
}

/** A message to a chat that wrote within the day: it goes as text. */
export function windowMessage(i: number): OutboundMessage {
  return { text: `Pesan bench ${i}: jadwal penyaluran bantuan sudah tersedia.` };
}

/** An invitation to a number that never wrote: outside any window only its template (five parameters) can go. */
export function openingMessage(i: number): OutboundMessage {
  return {
    text: `Undangan bench ${i}`,
    template: { kind: 'invitation', params: ['Bapak/Ibu Warga', 'Penyaluran Bantuan Pangan', 'Senin, 3 Maret 2025', '09.00-12.00 WIB', `Kantor Kelurahan ${i % 50}`] },
  };
}

// A phone per chat, as a Cloud chat id is: 62812 and eight digits, numbered from `from`.
async function addContacts(database: Database, from: number, count: number, windowOpen: boolean): Promise<number[]> {
  const rows = rowsOf<{ id: number | string }>(
    await database.db.execute(sql`insert into contacts (channel, external_id, phone, language, last_inbound_at)
      select 'whatsapp_cloud', '62812' || lpad(g::text, 8, '0'), '62812' || lpad(g::text, 8, '0'), 'id', ${windowOpen ? sql`now()` : sql`null`}
      from generate_series(${from}::int, ${from + count - 1}::int) g
      returning id`),
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export interface SendFigures {
  sent: number;
  /** Messages per second from the first arrival at the fake to the last. */
  rate: number;
  busiestSecond: number;
  /** Accepted messages beyond the first to the same number (each chat gets one message here). */
  duplicates: number;
}

/** What the fake saw, as the targets are stated: rate, busiest one-second window, repeats. */
export function sendFigures(sent: readonly Pick<GraphSentRecord, 'to' | 'at'>[]): SendFigures {
  const times = sent.map((m) => m.at).sort((a, b) => a - b);
  const span = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
  return {
    sent: sent.length,
    rate: span > 0 ? (times.length - 1) / span : 0,
    busiestSecond: busiestSecond(times),
    duplicates: sent.length - new Set(sent.map((m) => m.to)).size,
  };
}

async function waitFor(fake: ChildFakeGraph, count: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while ((await fake.count()) < count && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 100));
}

/** Counts what the sender was asked to send, to show that both dispatchers took part. */
function counted(sender: ChannelSender): { sender: ChannelSender; sends: () => number } {
  let n = 0;
  return {
    sender: { ...sender, send: (to, message) => (n++, sender.send(to, message)) },
    sends: () => n,
  };
}

export interface RateFigures extends SendFigures {
  messages: number;
  limit: number;
  /** Accepted messages that went as text (the window was open, as queued). */
  texts: number;
}

export async function measureCloudRate(database: Database, n: number): Promise<RateFigures> {
  const contactIds = await addContacts(database, 1, n, true);
  await enqueueMany(
    database.db,
    contactIds.map((contactId, i) => ({ contactId, channel: 'whatsapp_cloud' as const, message: windowMessage(i) })),
    { priority: 'bulk' },
  );
  const fake = await ChildFakeGraph.start();
  const config = benchCloudConfig(fake);
  const dispatcher = new Dispatcher(database, createLogger('silent'), { pollMs: 20 });
  dispatcher.register(createWhatsappCloudSender(config, { logger: createLogger('silent') }));
  try {
    await dispatcher.start();
    // Twice the time the limit allows, plus start-up.
    await waitFor(fake, n, (n / config.ratePerSecond) * 2000 + 10_000);
  } finally {
    await dispatcher.stop();
  }
  const sent = await fake.sent();
  await fake.close();
  return { ...sendFigures(sent), messages: n, limit: config.ratePerSecond, texts: sent.filter((m) => m.type === 'text').length };
}

export interface DailyFigures extends SendFigures {
  queued: number;
  dailyLimit: number;
  /** The Cloud rate limit both dispatchers share. */
  limit: number;
  recentOpenings: number;
  /** D minus the openings already sent within the last 24 hours. */
  allowed: number;
  /** Of the queued rows: sent per the database, and still pending. */
  sentRows: number;
  pendingRows: number;
  templates: number;
  /** Sends made by each dispatcher. */
  perDispatcher: number[];
}

export async function measureDailyLimit(
  database: TestDatabase,
  o: { queued: number; dailyLimit: number; recentOpenings: number; oldOpenings: number; dispatchers: number },
): Promise<DailyFigures> {
  // Openings already made: `recentOpenings` an hour ago (they count), `oldOpenings` 25 hours ago (they do not).
  const earlier = await addContacts(database, 1, o.recentOpenings + o.oldOpenings, false);
  const earlierIds = await enqueueMany(
    database.db,
    earlier.map((contactId, i) => ({ contactId, channel: 'whatsapp_cloud' as const, message: openingMessage(i), opensConversation: true })),
    { priority: 'bulk' },
  );
  const ago = (ids: number[], hours: number) =>
    ids.length
      ? database.db.execute(sql`update outbox set status = 'sent', attempts = 1, sent_at = now() - make_interval(hours => ${hours})
          where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)
      : undefined;
  await ago(earlierIds.slice(0, o.recentOpenings), 1);
  await ago(earlierIds.slice(o.recentOpenings), 25);

  const contactIds = await addContacts(database, 1 + earlier.length, o.queued, false);
  const queuedIds = await enqueueMany(
    database.db,
    contactIds.map((contactId, i) => ({ contactId, channel: 'whatsapp_cloud' as const, message: openingMessage(i), opensConversation: true })),
    { priority: 'bulk' },
  );
  const allowed = Math.max(0, o.dailyLimit - o.recentOpenings);

  const fake = await ChildFakeGraph.start();
  const config = benchCloudConfig(fake, o.dailyLimit);
  const pools: Database[] = [database];
  for (let k = 1; k < o.dispatchers; k++) pools.push(await openDatabase({ url: database.url!, poolSize: 5 }));
  const senders = pools.map(() => counted(createWhatsappCloudSender(config, { logger: createLogger('silent') })));
  const dispatchers = pools.map((pool, k) => {
    const d = new Dispatcher(pool, createLogger('silent'), { pollMs: 20 });
    d.register(senders[k]!.sender);
    return d;
  });
  try {
    await Promise.all(dispatchers.map((d) => d.start()));
    await waitFor(fake, allowed, (allowed / config.ratePerSecond) * 2000 + 10_000);
    // Then keep them running a while longer: any opening past the limit would go out now.
    await new Promise((r) => setTimeout(r, 3000));
  } finally {
    await Promise.all(dispatchers.map((d) => d.stop()));
    for (const pool of pools.slice(1)) await pool.close();
  }
  const sent = await fake.sent();
  await fake.close();
  const [rows] = rowsOf<{ sent: number | string; pending: number | string }>(
    await database.db.execute(sql`select count(*) filter (where status = 'sent') as sent, count(*) filter (where status = 'pending') as pending
      from outbox where id >= ${queuedIds[0]!}`),
  );
  return {
    ...sendFigures(sent),
    queued: o.queued,
    dailyLimit: o.dailyLimit,
    limit: config.ratePerSecond,
    recentOpenings: o.recentOpenings,
    allowed,
    sentRows: Number(rows!.sent),
    pendingRows: Number(rows!.pending),
    templates: sent.filter((m) => m.type === 'template').length,
    perDispatcher: senders.map((s) => s.sends()),
  };
}

export async function cloudDispatchBenchmarks(
  o: { messages?: number; queued?: number; dailyLimit?: number; recentOpenings?: number; oldOpenings?: number } = {},
): Promise<BenchResult[]> {
  const n = o.messages ?? 4000;
  const r = await withScratch((database) => measureCloudRate(database, n));
  const d = await withScratch((database) =>
    measureDailyLimit(database, { queued: o.queued ?? 1000, dailyLimit: o.dailyLimit ?? 300, recentOpenings: o.recentOpenings ?? 50, oldOpenings: o.oldOpenings ?? 100, dispatchers: 2 }),
  );
  const all =
    (r.sent >= n ? '' : ` (only ${r.sent.toLocaleString('en')} of ${n.toLocaleString('en')} sent)`) +
    (r.texts === r.sent ? '' : ` (${r.sent - r.texts} not as text)`);
  const fmt = (x: number) => x.toLocaleString('en');
  return [
    {
      benchmark: `Cloud dispatch: sustained send rate, ${fmt(n)} messages to open windows, limit ${r.limit}/s`,
      figure: `${r.rate.toFixed(1)} msg/s${all}`,
      target: `>= ${0.95 * r.limit} msg/s`,
      met: r.sent >= n && r.texts === n && r.rate >= 0.95 * r.limit,
    },
    { benchmark: 'Cloud dispatch: busiest one-second window', figure: `${r.busiestSecond} msg`, target: `<= ${r.limit} msg`, met: r.busiestSecond <= r.limit },
    { benchmark: 'Cloud dispatch: messages sent more than once', figure: String(r.duplicates), target: '0', met: r.duplicates === 0 },
    {
      benchmark:
        `Cloud dispatch: daily new conversations, limit ${fmt(d.dailyLimit)}, ${d.recentOpenings} opened 1 h ago, ` +
        `${fmt(d.queued)} queued, ${d.perDispatcher.length} dispatchers`,
      figure: `sent ${d.sent} of allowed ${d.allowed} (${d.templates} as templates; ${d.pendingRows} pending; by dispatcher ${d.perDispatcher.join(' + ')})`,
      target: `sent = allowed, rest pending`,
      met:
        d.sent === d.allowed &&
        d.sentRows === d.allowed &&
        d.templates === d.allowed &&
        d.pendingRows === d.queued - d.allowed &&
        d.duplicates === 0 &&
        d.busiestSecond <= d.limit,
    },
  ];
}
