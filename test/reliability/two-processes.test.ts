import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../bench/percentile.ts';
import { busiestSecond } from '../../bench/send-window.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { TelegramDeliverer } from '../fakes/telegram-deliverer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { RoundRobin } from './helpers-balancer.ts';
import { AID_CHECK_STEPS, REACHED, aidCheckScript, DEMO_MEMBERS, inboundPerChat, repliesUnlikeControl, residents } from './helpers-residents.ts';
import { deliveries, seedBroadcastChats, sendBroadcastNow, startPintu, stopPintu, supervisorToken, waitSettled, WEBHOOK_SECRET, type Pintu } from './helpers.ts';

// Issue 8: two full service processes on one database, behind one load balancer, under load: a broadcast of
// a few thousand Telegram messages and a couple of hundred residents checking their aid over the webhook at
// the same time, updates going to either process in turn. No broadcast message doubled or lost; every
// resident answered exactly as one process alone answers; the channel's limit held by both together (the
// busiest one-second window at the fake) and Telegram's one message a second per chat.

const RATE = 200;
const BROADCAST_CHATS = Number(process.env.TWO_PROCESSES_BROADCAST ?? 3000);
const RESIDENTS = Number(process.env.TWO_PROCESSES_RESIDENTS ?? 200);
const TEXT = 'Posyandu lansia dibuka kembali setiap Selasa pukul 08.00.';

describe.skipIf(!process.env.TEST_DATABASE_URL)('two service processes on one database under load (real PostgreSQL only)', () => {
  let database: TestDatabase;
  let fake: FakeTelegram;
  let a: Pintu;
  let b: Pintu;
  let balancer: RoundRobin;
  let token: string;
  let broadcastChats: { kelurahanId: number; chatIds: string[] };
  /** What each demo member's chat receives for the script from one process alone, unloaded. */
  const expected = new Map<string, string[]>();
  const texts = (chatId: number | string) => fake.sent(chatId).map((m) => m.text ?? m.caption ?? '');

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50, today: new Date() });
    broadcastChats = await seedBroadcastChats(database, BROADCAST_CHATS, 720_000_000);
    token = await supervisorToken(database);
    fake = await FakeTelegram.start({ responseDelayMs: 30 });
    const env = { TELEGRAM_RATE_PER_SECOND: String(RATE) };
    [a, b] = await Promise.all([startPintu(database, fake, env), startPintu(database, fake, env)]);
    balancer = await RoundRobin.start([a.base, b.base]);

    // The control: one chat per demo member, through process A alone, before any load.
    const control = residents(DEMO_MEMBERS.length, 940_000_000);
    const deliverer = new TelegramDeliverer({ url: `${a.base}/webhooks/telegram`, secret: WEBHOOK_SECRET });
    deliverer.deliver(...control.flatMap((r) => aidCheckScript(r.person, r.member)));
    await deliverer.idle();
    await waitSettled(database, 60_000);
    expect(deliverer.attempts.every((x) => x.status === 200)).toBe(true);
    for (const r of control) expected.set(r.member.nik, texts(r.person.id));
    // Each control chat got as far as the public view of the identity check.
    for (const t of expected.values()) expect(t.join('\n')).toContain(REACHED);
  }, 180_000);

  afterAll(async () => {
    await balancer?.close();
    await Promise.all([stopPintu(a), stopPintu(b)]);
    await fake?.close();
    await database?.dispose();
  });

  it('sends the broadcast once, answers every resident once, and holds the limits together', async () => {
    const started = Date.now();
    const broadcast = await sendBroadcastNow(balancer.url, token, broadcastChats.kelurahanId, TEXT);
    expect(broadcast.recipientCount).toBe(BROADCAST_CHATS);
    const group = residents(RESIDENTS, 950_000_000);
    const deliverer = new TelegramDeliverer({ url: `${balancer.url}/webhooks/telegram`, secret: WEBHOOK_SECRET });
    deliverer.deliver(...group.flatMap((r) => aidCheckScript(r.person, r.member)));
    await deliverer.idle();
    const acceptedAfterMs = Date.now() - started;
    deliverer.close();
    const settled = await waitSettled(database, 300_000);

    const all = fake.sent();
    const byChat = new Map<string, number[]>();
    for (const m of all) byChat.set(m.chatId, [...(byChat.get(m.chatId) ?? []), m.at]);
    const closest = Math.min(...[...byChat.values()].flatMap((t) => t.slice(1).map((at, i) => at - t[i]!)));
    const busiest = busiestSecond(all.map((m) => m.at).sort((x, y) => x - y));
    const [outA, outB] = await Promise.all([a, b].map((s) => counter(s.base, 'pintu_outbound_messages_total', 'result="sent"')));
    const [inA, inB] = await Promise.all([a, b].map((s) => counter(s.base, 'pintu_inbound_messages_total', 'outcome="handled"')));
    console.log(
      JSON.stringify({
        broadcast: BROADCAST_CHATS,
        residents: RESIDENTS,
        updates: RESIDENTS * AID_CHECK_STEPS,
        requestsPerProcess: balancer.counts,
        sentByProcess: [outA, outB],
        inboundByProcess: [inA, inB],
        sendsAtFake: all.length,
        busiestSecond: busiest,
        limit: RATE,
        closestSameChatMs: closest,
        allUpdatesAcceptedAfterMs: acceptedAfterMs,
        lastSendAfterMs: all.at(-1)!.at - started,
        webhookMs: [50, 95, 100].map((p) => percentile(deliverer.attempts.map((x) => x.endedAt - x.startedAt), p)),
        outbox: settled,
      }),
    );

    // Both processes did their share of the work, inbound and outbound.
    expect(Math.min(...balancer.counts)).toBeGreaterThan(0);
    expect(Math.min(outA!, outB!)).toBeGreaterThan(0);
    expect(Math.min(inA!, inB!)).toBeGreaterThan(0);
    // Every broadcast message once.
    expect(deliveries(all, broadcastChats.chatIds, (m) => (m.text ?? '').includes(TEXT))).toEqual({ missing: [], doubled: [] });
    // Every update taken once, whichever process got it.
    const inbound = await inboundPerChat(database, group);
    expect(inbound).toHaveLength(group.length);
    expect(inbound.filter((r) => r.n !== AID_CHECK_STEPS || r.distinct_ids !== AID_CHECK_STEPS)).toEqual([]);
    // Every resident answered exactly as one process alone answers: nothing doubled, lost or reordered.
    expect(repliesUnlikeControl(group, texts, expected)).toEqual([]);
    expect(settled).toEqual({ sent: expect.any(Number) });
    // The limits, held by the two processes together.
    expect(busiest).toBeLessThanOrEqual(RATE);
    expect(closest).toBeGreaterThanOrEqual(1000);
  }, 600_000);
});

/** The sum of a counter's series with `label` from a process's /metrics (the test runs on the same machine). */
async function counter(base: string, name: string, label: string): Promise<number> {
  const body = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of body.split('\n')) if (line.startsWith(`${name}{`) && line.includes('channel="telegram"') && line.includes(label)) sum += Number(line.split(' ').at(-1));
  return sum;
}
