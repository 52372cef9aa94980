import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/db/schema/index.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { FAKE_TOKEN, FakeTelegram } from '../fakes/telegram.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const RATE = 400; // messages a second for the whole channel; the fake checks every one-second window

// Two processes share the outbox only through PostgreSQL; PGlite lives inside one process.
describe.skipIf(!process.env.TEST_DATABASE_URL)('two dispatcher processes on one database (real PostgreSQL only)', () => {
  let database: TestDatabase;
  let fake: FakeTelegram;
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await FakeTelegram.start();
  });
  afterAll(async () => {
    await fake?.close();
    await database?.dispose();
  });

  it('send 5,000 queued messages with no duplicate, no loss, per-chat order, and never above the rate', async () => {
    const chats = 1000;
    const ids = rowsOf<{ id: number | string }>(
      await database.db.execute(
        sql`insert into contacts (channel, external_id, last_inbound_at) select 'telegram', (900000000 + g)::text, now() from generate_series(1, ${chats}) g returning id`,
      ),
    ).map((r) => Number(r.id));
    for (let round = 1; round <= 5; round++) {
      await database.db.transaction(async (tx) => {
        for (const contactId of ids) await enqueue(tx, { contactId, channel: 'telegram', messages: [{ text: `pesan ${round}` }], priority: 'bulk' });
      });
    }

    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/dispatcher-process.ts'], {
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url!, TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, RATE: String(RATE) },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.once('exit', resolve);
      });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);

    const sent = fake.sent();
    expect(sent).toHaveLength(5 * chats);
    const perChat = new Map<string, string[]>();
    for (const m of sent) perChat.set(m.chatId, [...(perChat.get(m.chatId) ?? []), m.text ?? '']);
    expect(perChat.size).toBe(chats);
    for (const texts of perChat.values()) expect(texts).toEqual(['pesan 1', 'pesan 2', 'pesan 3', 'pesan 4', 'pesan 5']);

    const times = sent.map((m) => m.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(RATE);
    const [status] = rowsOf<{ sent: number | string }>(await database.db.execute(sql`select count(*) filter (where status = 'sent') as sent from outbox`));
    expect(Number(status!.sent)).toBe(5 * chats);
    expect((await database.db.select().from(contacts)).length).toBe(chats);
  }, 120_000);
});
