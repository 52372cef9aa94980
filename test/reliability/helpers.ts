// Shared set-up of the reliability attacks (crash mid-broadcast, two service processes): Telegram chats to
// broadcast to, an API token, a broadcast queued through the service's own API, service processes in webhook
// mode against the fake Bot API, and the counts the assertions read.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows.ts';
import { cities, kecamatan, kelurahan } from '../../src/db/schema/index.ts';
import { createApiToken } from '../../src/services/staff/api-tokens.ts';
import type { FakeSent, FakeTelegram } from '../fakes/telegram.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { startServiceProcess, waitForStatus, type ServiceProcess } from '../helpers/process.ts';
import { staffActor } from '../services/staff/fixtures.ts';

export const WEBHOOK_SECRET = 'pintu-reliability-webhook-secret_0123456789';

/**
 * A fixed-offset zone where it is about noon now. Broadcasts queued in quiet hours (21:00–06:00 in
 * APP_TIMEZONE) wait for the morning; a test run at night in Jakarta must still send at once.
 */
export function daytimeZone(now = new Date()): string {
  let offset = 12 - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX sign: Etc/GMT-7 is seven hours ahead of UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/**
 * `n` households of one new kelurahan, each with its head's verified Telegram chat (ids from `firstChatId`):
 * exactly the chats a broadcast to that kelurahan reaches. Bulk SQL: the set-up is not what is tested.
 */
export async function seedBroadcastChats(database: TestDatabase, n: number, firstChatId: number): Promise<{ kelurahanId: number; chatIds: string[] }> {
  const db = database.db;
  const tag = `rel${firstChatId}`;
  const [city] = await db.insert(cities).values({ code: `98.${firstChatId % 100}`, name: `Kota ${tag}`, province: 'Uji' }).returning();
  const [kec] = await db.insert(kecamatan).values({ cityId: city!.id, code: `98.${firstChatId % 100}.01`, name: `Kec ${tag}` }).returning();
  const [kel] = await db.insert(kelurahan).values({ kecamatanId: kec!.id, code: `98.${firstChatId % 100}.01.1001`, name: `Kel ${tag}` }).returning();
  await db.execute(sql`insert into households (no_kk, address, rt, rw, kelurahan_id, source)
    select '8' || lpad((${firstChatId} % 100000000 + g)::text, 15, '0'), 'Jl. Uji ' || g, '001', '002', ${kel!.id}, ${tag} from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into members (household_id, nik, name, birth_date, sex, relationship)
    select id, no_kk, 'Kepala ' || id, '1970-01-01', 'L', 'kepala' from households where source = ${tag}`);
  const chats = rowsOf<{ external_id: string }>(
    await db.execute(sql`insert into contacts (channel, external_id, language, member_id, verified_at)
      select 'telegram', (${firstChatId} + row_number() over (order by m.id))::text, 'id', m.id, now()
      from members m join households h on h.id = m.household_id where h.source = ${tag}
      returning external_id`),
  );
  return { kelurahanId: kel!.id, chatIds: chats.map((c) => c.external_id) };
}

/** A supervisor's API token for /api/v1 (broadcasts.manage), made the way an admin makes one. */
export async function supervisorToken(database: TestDatabase): Promise<string> {
  const admin = await staffActor(database.db, { role: 'admin' });
  return (await createApiToken(database.db, admin, { name: 'reliability', role: 'supervisor' })).token;
}

/** Creates a broadcast to one kelurahan and sends it now, through the service's API: the outbox rows are queued in that request. */
export async function sendBroadcastNow(base: string, token: string, kelurahanId: number, text: string): Promise<{ id: number; recipientCount: number }> {
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const created = await call('/api/v1/broadcasts', { title: 'Uji keandalan', texts: { id: text }, segment: { kelurahanIds: [kelurahanId] } });
  const sent = await call(`/api/v1/broadcasts/${created.id}/schedule`, { at: 'now' });
  if (sent.status !== 'sent') throw new Error(`broadcast not queued at once: ${JSON.stringify(sent)}`);
  return { id: Number(created.id), recipientCount: Number(sent.recipientCount) };
}

/** A running service process and the base URL it answers on. */
export type Pintu = ServiceProcess & { base: string };

/** A service process (src/main.ts) on the test database, Telegram by webhook against the fake, answering /health. */
export async function startPintu(database: TestDatabase, fake: FakeTelegram, env: Record<string, string>): Promise<Pintu> {
  const svc = await startServiceProcess({
    DATABASE_URL: database.url!,
    SEED_DEMO: 'false',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    APP_TIMEZONE: daytimeZone(),
    OUTBOX_POLL_MS: '50',
    LOG_LEVEL: 'warn',
    // Many chats check the same four demo residents here: the per-person daily limit is not what is tested.
    IDENTITY_CHATS_PER_MEMBER: '10000',
    ...env,
  });
  const base = `http://127.0.0.1:${svc.port}`;
  await waitForStatus(`${base}/health`, 200, 90_000, svc.output);
  return { ...svc, base };
}

/** Stops a service that is still running (SIGTERM: it finishes its sends in hand). */
export async function stopPintu(svc: ServiceProcess | undefined): Promise<void> {
  if (!svc || svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  svc.child.kill('SIGTERM');
  await svc.exited;
}

/** Outbox rows by status (of one broadcast, or all). */
export async function outboxStatus(database: TestDatabase, broadcastId?: number): Promise<Record<string, number>> {
  const where = broadcastId === undefined ? sql`` : sql`where broadcast_id = ${broadcastId}`;
  const rows = rowsOf<{ status: string; n: number }>(await database.db.execute(sql`select status, count(*)::int as n from outbox ${where} group by status`));
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Waits until no row (of the broadcast, or at all) is pending or sending; fails after `timeoutMs`. */
export async function waitSettled(database: TestDatabase, timeoutMs: number, broadcastId?: number): Promise<Record<string, number>> {
  const started = Date.now();
  for (;;) {
    const counts = await outboxStatus(database, broadcastId);
    if (!counts.pending && !counts.sending) return counts;
    if (Date.now() - started > timeoutMs) throw new Error(`outbox not settled after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves when `predicate` holds, polling every 20 ms. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How often each of `chatIds` received `text`: the chats that got it never, and those that got it more than once. */
export function deliveries(sent: FakeSent[], chatIds: readonly string[], text: (m: FakeSent) => boolean): { missing: string[]; doubled: { chatId: string; times: number }[] } {
  const times = new Map<string, number>(chatIds.map((id) => [id, 0]));
  for (const m of sent) if (times.has(m.chatId) && text(m)) times.set(m.chatId, times.get(m.chatId)! + 1);
  const missing: string[] = [];
  const doubled: { chatId: string; times: number }[] = [];
  for (const [chatId, n] of times) {
    if (n === 0) missing.push(chatId);
    if (n > 1) doubled.push({ chatId, times: n });
  }
  return { missing, doubled };
}
