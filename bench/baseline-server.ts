// The baseline of benchmark 1: a bare Hono handler on the same webhook path that does one INSERT per request,
// with the same driver (postgres.js) and pool size as the service, in a table of its own on the same
// database. Run as a child process: env DATABASE_URL, PORT, DATABASE_POOL_SIZE; says 'ready' over IPC.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
await sql`create table if not exists bench_baseline (id bigserial primary key, update_id bigint not null, chat_id bigint, body text not null, at timestamptz not null default now())`;

const app = new Hono();
app.post('/webhooks/telegram', async (c) => {
  const body = await c.req.text();
  // Parsed as the service parses it, so the baseline does the same least work per update.
  const update = JSON.parse(body) as { update_id: number; message?: { chat: { id: number } }; callback_query?: { from: { id: number } } };
  const chatId = update.message?.chat.id ?? update.callback_query?.from.id ?? null;
  await sql`insert into bench_baseline (update_id, chat_id, body) values (${update.update_id}, ${chatId}, ${body})`;
  return c.body(null, 200);
});

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => process.send?.({ type: 'ready' }));
process.on('message', async (m: { type: string }) => {
  if (m.type === 'close') {
    await sql.end({ timeout: 5 });
    process.exit(0);
  }
});
