// A dispatcher as its own process (the outbox test starts two): Telegram sender against the fake Bot API,
// runs until nothing is pending or in flight, then exits. Settings come from the environment.
import { sql } from 'drizzle-orm';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { openDatabase } from '../../src/db/client.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher } from '../../src/outbox/dispatcher.ts';

const database = await openDatabase({ url: process.env.DATABASE_URL!, poolSize: 4 });
const sender = createTelegramSender({ token: process.env.TELEGRAM_BOT_TOKEN!, apiRoot: process.env.TELEGRAM_API_ROOT!, ratePerSecond: Number(process.env.RATE) });
const dispatcher = new Dispatcher(database, createLogger('warn'), { pollMs: 20, batchSize: 100 });
dispatcher.register(sender);
await dispatcher.start();
for (;;) {
  await new Promise((r) => setTimeout(r, 200));
  const [left] = rowsOf<{ n: number | string }>(await database.db.execute(sql`select count(*) as n from outbox where status in ('pending', 'sending')`));
  if (Number(left!.n) === 0) break;
}
await dispatcher.stop();
await database.close();
