// The inbound benchmark's load generator (bench/load-generator.ts) must drive the real aid check, or the
// benchmark measures something else: its hand-built updates are checked against the Telegram adapter, and a
// short run against the real webhook must leave every completed check verified.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramInbound } from '../../src/channels/telegram/inbound.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { runLoad } from '../../bench/load-generator.ts';
import { AID_CHECK_STEPS, aidCheckUpdate, RESIDENTS_SQL, type Resident } from '../../bench/load-updates.ts';
import { SECRET, telegramHarness, type TelegramHarness } from '../channels/telegram/harness.ts';

describe('aid check updates of the load generator', () => {
  it('are what a new resident sends: /start, Bahasa Indonesia, the aid button, NIK, KK, birth date, own number', () => {
    const resident = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985', phone: '6281277001001' };
    const inbound = Array.from({ length: AID_CHECK_STEPS }, (_, k) => telegramInbound(JSON.parse(aidCheckUpdate(resident, 4242, k, 100 + k))));
    expect(inbound.map((i) => ({ chatId: i?.chatId, kind: i?.kind, value: i?.kind === 'choice' ? i.choice : i?.text }))).toEqual([
      { chatId: '4242', kind: 'text', value: '/start' },
      { chatId: '4242', kind: 'choice', value: 'id' },
      { chatId: '4242', kind: 'choice', value: 'aid' },
      { chatId: '4242', kind: 'text', value: resident.nik },
      { chatId: '4242', kind: 'text', value: resident.kk },
      { chatId: '4242', kind: 'text', value: resident.birth },
      { chatId: '4242', kind: 'contact', value: undefined },
    ]);
    expect(inbound[6]!.sharedContact).toEqual({ phone: resident.phone, own: true });
    // Each is a new message to the engine, never taken for a redelivery of another.
    expect(new Set(inbound.map((i) => i!.providerMessageId)).size).toBe(AID_CHECK_STEPS);
  });
});

describe('the load generator against the real webhook', () => {
  let h: TelegramHarness;
  let residents: Resident[];

  beforeAll(async () => {
    h = await telegramHarness('webhook');
    await h.adapter.start();
    residents = rowsOf<Resident>(
      await h.database.db.execute(sql.raw(`${RESIDENTS_SQL} order by m.id`)),
    );
  }, 120_000);
  afterAll(() => h?.dispose());

  const spec = (secret: string, firstChatId: number) => ({
    url: `${h.baseUrl}/webhooks/telegram`,
    channel: 'telegram' as const,
    secret,
    residents,
    firstChatId,
    mode: 'closed' as const,
    concurrency: 2,
    warmupMs: 0,
    durationMs: 200,
  });

  it('completes aid checks that each end with the chat verified', async () => {
    const r = await runLoad(spec(SECRET, 610_000_000));
    expect(r.failures).toEqual({});
    expect(r.checksCompleted).toBeGreaterThan(0);
    expect(r.messages).toBe(r.latencies.length);
    const [verified] = rowsOf<{ n: number }>(
      await h.database.db.execute(sql`select count(*)::int as n from contacts where channel = 'telegram' and member_id is not null
        and external_id::bigint between 610000000 and 619999999`),
    );
    expect(verified!.n).toBe(r.checksCompleted);
  });

  it('reports answers other than 200 and does not count them', async () => {
    // Open loop: a 401 is quick, and a closed loop would run through every resident in no time.
    const r = await runLoad({ ...spec('not-the-secret-0123456789', 620_000_000), mode: 'open', rate: 50, gapMs: 10 });
    expect(r.failures['401']).toBeGreaterThan(0);
    expect(r.messages).toBe(0);
    expect(r.checksCompleted).toBe(0);
  });
});
