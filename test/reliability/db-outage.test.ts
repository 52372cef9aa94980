import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { FakeTelegram, type Person } from '../fakes/telegram.ts';
import { TelegramDeliverer, type Attempt } from '../fakes/telegram-deliverer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startServiceProcess, waitForStatus, type ServiceProcess } from '../helpers/process.ts';
import { TcpProxy, type CutMode } from '../helpers/tcp-proxy.ts';
import { until } from './helpers.ts';
import { AID_CHECK_STEPS, REACHED, aidCheckScript, DEMO_MEMBERS, inboundPerChat, repliesUnlikeControl } from './helpers-residents.ts';

// Issue 8: the database goes away for 10 seconds while a few hundred residents are talking to the bot over
// the Telegram webhook. Webhooks must fail (5xx, so Telegram delivers again) rather than hang or claim
// success; the process must stay up; and once the database is back every message must have been taken
// exactly once and answered exactly once, the same answers as without the outage.

const SECRET = 'pintu-outage-webhook-secret_0123456789';
const RESIDENTS = Number(process.env.OUTAGE_RESIDENTS ?? 300);
const CUT_MS = 10_000;
const STEPS = AID_CHECK_STEPS;

let nextId = 930_000_000;
const residents = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const member = DEMO_MEMBERS[i % DEMO_MEMBERS.length]!;
    return { person: { id: ++nextId, firstName: member.name, languageCode: 'id' } satisfies Person, member };
  });

describe.skipIf(!process.env.TEST_DATABASE_URL)('a 10-second database outage under load (real PostgreSQL only)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let fake: FakeTelegram;
  let svc: ServiceProcess;
  let base: string;
  /** What each demo member's chat receives for the script when nothing goes wrong. */
  const expected = new Map<string, string[]>();

  const texts = (chatId: number) => fake.sent(chatId).map((m) => m.text ?? m.caption ?? '');

  async function settled(): Promise<void> {
    // Every reply the outbox holds has gone out (read past the proxy: the test's own connection).
    for (;;) {
      const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from outbox where status in ('pending', 'sending')`));
      if (row!.n === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50, today: new Date() });
    const pg = new URL(database.url!);
    proxy = await TcpProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
    fake = await FakeTelegram.start();
    svc = await startServiceProcess({
      DATABASE_URL: proxy.url(database.url!),
      SEED_DEMO: 'false',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      // The fake is not rate-limited; the test is about the database, not Telegram's pace.
      TELEGRAM_RATE_PER_SECOND: '1000',
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'warn',
      // Hundreds of chats check the same four demo residents: the per-person daily limit is not what is tested.
      IDENTITY_CHATS_PER_MEMBER: '10000',
    });
    base = `http://127.0.0.1:${svc.port}`;
    await waitForStatus(`${base}/health`, 200, 60_000, svc.output);

    // The answers without an outage, one chat per demo member, for comparing the loaded chats with.
    const deliverer = new TelegramDeliverer({ url: `${base}/webhooks/telegram`, secret: SECRET });
    const control = DEMO_MEMBERS.map((member) => ({ person: { id: ++nextId, firstName: member.name, languageCode: 'id' }, member }));
    deliverer.deliver(...control.flatMap((r) => aidCheckScript(r.person, r.member)));
    await deliverer.idle();
    await settled();
    for (const r of control) expected.set(r.member.nik, texts(r.person.id));
    expect(deliverer.attempts.every((a) => a.status === 200)).toBe(true);
    for (const t of expected.values()) expect(t.join('\n')).toContain(REACHED);
  }, 180_000);

  afterAll(async () => {
    if (svc && svc.child.exitCode === null) {
      svc.child.kill('SIGTERM');
      await svc.exited;
    }
    await fake?.close();
    await proxy?.close();
    await database?.dispose();
  });

  it.each<CutMode>(['refuse', 'blackhole'])('survives the database %s-ing connections for 10 s', async (mode) => {
    const group = residents(RESIDENTS);
    const deliverer = new TelegramDeliverer({ url: `${base}/webhooks/telegram`, secret: SECRET, timeoutMs: 60_000 });
    const health: { at: number; status: number | 'error' }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const at = Date.now();
        const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) }).then(
          (r) => r.status,
          () => 'error' as const,
        );
        health.push({ at, status });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const total = group.length * STEPS;
    deliverer.deliver(...group.flatMap((r) => aidCheckScript(r.person, r.member)));
    // Cut in the middle of the load.
    await until(() => deliverer.accepted >= total / 2, 300_000, 'half the updates to be accepted');
    const cutAt = Date.now();
    const acceptedAtCut = deliverer.accepted;
    await proxy.cut(mode);
    await new Promise((r) => setTimeout(r, CUT_MS));
    const restoreAt = Date.now();
    await proxy.restore();
    const healthyAfter = await waitForStatus(`${base}/health`, 200, 120_000, svc.output);
    await deliverer.idle();
    const idleAfter = Date.now() - restoreAt;
    await settled();
    watching = false;
    await watcher;
    deliverer.close();

    // The figures, for the report.
    const during = deliverer.attempts.filter((a) => a.startedAt >= cutAt && a.startedAt < restoreAt);
    const byStatus = countBy(deliverer.attempts.filter((a) => a.status !== 200), (a) => String(a.status));
    const answerMs = during.map((a) => a.endedAt - a.startedAt).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        mode,
        residents: group.length,
        updates: total,
        acceptedAtCut,
        attempts: deliverer.attempts.length,
        failedAttempts: byStatus,
        attemptsStartedDuringCut: during.length,
        duringCutAnswerMs: { median: answerMs[Math.floor(answerMs.length / 2)], max: answerMs.at(-1) },
        longestOverlappingMs: Math.max(0, ...deliverer.attempts.filter((a) => a.startedAt < restoreAt && a.endedAt > cutAt).map((a) => a.endedAt - a.startedAt)),
        health: countBy(health, (h) => String(h.status)),
        healthyMsAfterRestore: healthyAfter,
        allAcceptedMsAfterRestore: idleAfter,
        connectionsHeldDuringCut: proxy.counts.duringCut,
      }),
    );

    // The process stayed up all along.
    expect(svc.child.exitCode).toBeNull();

    // During the cut webhooks failed, and said so in time: nothing that started after the cut and was
    // answered before the database came back was a success, and no request overlapping the cut waited
    // anywhere near as long as the cut itself (a hung webhook holds one of Telegram's few connections).
    const overlapping = deliverer.attempts.filter((a) => a.startedAt < restoreAt && a.endedAt > cutAt);
    const answeredDuringCut = during.filter((a) => a.endedAt < restoreAt);
    expect(answeredDuringCut.filter(isServerError).length).toBeGreaterThan(0);
    expect(answeredDuringCut.filter((a) => !isServerError(a))).toEqual([]);
    expect(overlapping.filter((a) => a.endedAt - a.startedAt >= CUT_MS).map((a) => ({ status: a.status, ms: a.endedAt - a.startedAt }))).toEqual([]);
    expect(deliverer.attempts.filter((a) => a.status === 'timeout' || a.status === 'connection_error')).toEqual([]);

    // /health said the database was away, then that it was back.
    expect(health.some((h) => h.at >= cutAt && h.at < restoreAt && h.status === 503)).toBe(true);
    expect(health.at(-1)!.status).toBe(200);

    // Every update taken exactly once, every chat answered exactly as without the outage.
    const inbound = await inboundPerChat(database, group);
    expect(inbound).toHaveLength(group.length);
    expect(inbound.filter((r) => r.n !== STEPS || r.distinct_ids !== STEPS)).toEqual([]);
    expect(repliesUnlikeControl(group, texts, expected)).toEqual([]);
    // And the outbox knows they went out: none left failed as "delivery unknown" although it was delivered.
    const unsent = rowsOf<{ status: string; last_error: string | null; n: number }>(
      await database.db.execute(sql`
        select o.status, o.last_error, count(*)::int as n from outbox o join contacts c on c.id = o.contact_id
        where o.status <> 'sent' and c.channel = 'telegram' and c.external_id in ${group.map((r) => String(r.person.id))} group by 1, 2`),
    );
    expect(unsent).toEqual([]);
  }, 600_000);
});

function isServerError(a: Attempt): boolean {
  return typeof a.status === 'number' && a.status >= 500;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}
