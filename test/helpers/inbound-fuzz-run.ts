import { request } from 'node:http';
import { expect } from 'vitest';
import { and, desc, eq, gt } from 'drizzle-orm';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.ts';
import { createWhatsappCloudAdapter } from '../../src/channels/whatsapp-cloud/adapter.ts';
import { signBody } from '../../src/channels/whatsapp-cloud/signature.ts';
import type { WhatsappCloudConfig } from '../../src/channels/whatsapp-cloud/sender.ts';
import { createWhatsappWebAdapter, type WhatsappWebAdapter } from '../../src/channels/whatsapp-web/adapter.ts';
import type { ChannelAdapter } from '../../src/channels/adapter.ts';
import { contacts, messages, outbox } from '../../src/db/schema/index.ts';
import { type Channel } from '../../src/domain/vocabulary.ts';
import { startChannelApp, type ChannelApp } from '../e2e/channel-app.ts';
import { DEFAULT_PUBLIC_LIMITS } from '../../src/config.ts';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.ts';
import { FAKE_BOT, FakeTelegram } from '../fakes/telegram.ts';
import { FakeWhatsapp } from '../fakes/wwebjs.ts';
import { SECRET as TELEGRAM_SECRET } from '../channels/telegram/harness.ts';
import type { FuzzBody, FuzzCase } from './inbound-fuzz.ts';
import { CHAT_COOKIE, cookieFor, externalIdOf } from './webchat.ts';

// Runs inbound fuzz cases against the whole service (every channel on, one HTTP server, real fakes) and
// says what went wrong with each, instead of stopping at the first, so a run reports every kind of failure.

const CLOUD_SECRET = 'whatsapp-app-secret-for-fuzz';

export interface FuzzApp {
  app: ChannelApp;
  world: FakeWhatsapp;
  telegram: FakeTelegram;
  graph: FakeGraph;
  close(): Promise<void>;
}

export async function startFuzzApp(): Promise<FuzzApp> {
  const telegram = await FakeTelegram.start();
  const graph = await startFakeGraph();
  const world = new FakeWhatsapp();
  world.savedSession = true;
  const cloud: WhatsappCloudConfig = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: CLOUD_SECRET,
    verifyToken: 'verify-token-for-fuzz',
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  let tg!: ChannelAdapter;
  let wweb!: WhatsappWebAdapter;
  // Thousands of posts and a few hundred new web chats from one address in a minute: the per-address limits
  // (src/http/limits/) are not what the fuzz tests, and would answer most of them 429.
  const publicLimits = { ...DEFAULT_PUBLIC_LIMITS, newChatsPerAddressHour: 1_000_000, postsPerAddressMinute: 1_000_000 };
  const app = await startChannelApp((ctx, clock) => [
    (tg = createTelegramAdapter(ctx, { token: telegram.token, mode: 'webhook', webhookSecret: TELEGRAM_SECRET, apiRoot: telegram.apiRoot, ratePerSecond: 30 }, { botInfo: FAKE_BOT })),
    createWhatsappCloudAdapter(ctx, cloud, { clock }),
    (wweb = createWhatsappWebAdapter(
      ctx,
      { chromiumPath: '/nonexistent/chromium', minIntervalMs: 5, maxIntervalMs: 10, dataDir: '/tmp/pintu-wwebjs-fuzz' },
      { createClient: world.createClient, printQr: () => {}, timing: { reconnectBaseMs: 40, reconnectMaxMs: 400, lockRetryMs: 50, lockCheckMs: 50, takeoverGraceMs: 50, inboundRetryBaseMs: 10 } },
    )),
  ], { publicLimits });
  await tg.start();
  await wweb.start();
  for (let i = 0; wweb.status().state !== 'ready'; i++) {
    if (i > 1000) throw new Error('WhatsApp Web did not become ready');
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    app,
    world,
    telegram,
    graph,
    async close() {
      await app.close();
      await telegram.close();
      await graph.close();
    },
  };
}

export interface Outcome {
  status?: number;
  body?: string;
  threw?: string;
}

let seq = 0;

/** Unique ids where the generator left placeholders: a repeated id is a redelivery and gets no answer. */
function stamp(c: FuzzCase): FuzzCase {
  const n = ++seq;
  const fix = (v: unknown) => {
    const o = v as Record<string, any> | null;
    if (!o || typeof o !== 'object') return;
    if (o.update_id === 0) o.update_id = n;
    if (o.message?.message_id === 0) o.message.message_id = n;
    if (o.callback_query?.id === '0') o.callback_query.id = `fz${n}`;
    const m = o.entry?.[0]?.changes?.[0]?.value?.messages?.[0];
    if (m?.id === 'wamid.placeholder') m.id = `wamid.fuzz.${n}`;
    if (o.id?._serialized === 'placeholder') o.id = { ...o.id, _serialized: `false_${typeof o.from === 'string' ? o.from : 'odd'}_FZ${n}`, id: `FZ${n}` };
  };
  if (c.channel === 'whatsapp_web') fix(c.message);
  else if ('body' in c && 'json' in c.body) fix(c.body.json);
  return c;
}

function encode(body: FuzzBody): string | Uint8Array {
  if ('json' in body) return JSON.stringify(body.json) ?? 'null';
  if ('raw' in body) return body.raw;
  if ('bytes' in body) return new Uint8Array(body.bytes);
  // Valid JSON all the way, so it is the size that is refused.
  return JSON.stringify({ update_id: 1, object: 'whatsapp_business_account', text: 'x'.repeat(body.huge) });
}

/**
 * A POST over node:http rather than fetch: for a body over the limit the service answers 413 and closes the
 * connection before reading it all, and fetch then reports only "other side closed" instead of the answer.
 */
function post(url: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(typeof body === 'string' ? body : Buffer.from(body));
  });
}

/** The newest outbox row for a chat, so a reply queued by the next message can be told apart. */
export async function lastQueued(app: ChannelApp, channel: Channel, chatId: string): Promise<number> {
  const [row] = await app.database.db
    .select({ id: outbox.id })
    .from(outbox)
    .innerJoin(contacts, eq(contacts.id, outbox.contactId))
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, chatId)))
    .orderBy(desc(outbox.id))
    .limit(1);
  return row?.id ?? 0;
}

/** Texts queued for a chat after outbox row `after`. */
export async function queuedTexts(app: ChannelApp, channel: Channel, chatId: string, after: number): Promise<string[]> {
  const rows = await app.database.db
    .select({ payload: outbox.payload })
    .from(outbox)
    .innerJoin(contacts, eq(contacts.id, outbox.contactId))
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, chatId), gt(outbox.id, after)))
    .orderBy(outbox.id);
  return rows.map((r) => String(r.payload.text ?? ''));
}

async function inHandover(app: ChannelApp, channel: Channel, chatId: string): Promise<boolean> {
  const [c] = await app.database.db
    .select({ handoverAt: contacts.handoverAt })
    .from(contacts)
    .where(and(eq(contacts.channel, channel), eq(contacts.externalId, chatId)));
  return Boolean(c?.handoverAt);
}

async function handled(app: ChannelApp, providerMessageId: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const [m] = await app.database.db.select({ id: messages.id }).from(messages).where(eq(messages.providerMessageId, providerMessageId)).limit(1);
    if (m) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`whatsapp web message ${providerMessageId} was never handled`);
}

/** Sends one case the way its channel would. */
export async function send(f: FuzzApp, raw: FuzzCase): Promise<Outcome> {
  const c = stamp(raw);
  const base = f.app.base;
  switch (c.channel) {
    case 'telegram': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (c.secret !== 'none') headers['x-telegram-bot-api-secret-token'] = c.secret === 'good' ? TELEGRAM_SECRET : 'wrong-secret-0123456789';
      return post(`${base}/webhooks/telegram`, encode(c.body), headers);
    }
    case 'whatsapp_cloud': {
      // The signature covers the exact bytes, which for the fuzz need not be JSON.
      const body = encode(c.body);
      const headers = signedBytes(body, c.sign === 'bad' ? 'not-the-app-secret' : CLOUD_SECRET);
      if (c.sign === 'none') delete headers['x-hub-signature-256'];
      return post(`${base}/webhooks/whatsapp`, body, headers);
    }
    case 'webchat_events': {
      // A header carries no lone surrogates or control characters: the value goes percent-encoded, as a
      // page's script would have to set it (the server decodes it and still finds no session).
      const res = await fetch(`${base}/webchat/events`, { headers: { cookie: `${CHAT_COOKIE}=${encodeURIComponent(c.chatId.toWellFormed())}` } });
      return { status: res.status, body: await res.text() };
    }
    case 'webchat':
      return post(`${base}/webchat/messages`, encode(c.body), { cookie: cookieFor(c.chatId), ...(c.contentType ? { 'content-type': c.contentType } : {}) });
    case 'whatsapp_web':
      try {
        f.world.latest.emit('message', c.message);
      } catch (err) {
        return { threw: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      }
      if (c.expect === 'reply') await handled(f.app, (c.message as { id: { _serialized: string } }).id._serialized);
      return {};
  }
}

function signedBytes(body: string | Uint8Array, secret: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, secret) };
}

function hasReason(body: string | undefined): boolean {
  try {
    const parsed = JSON.parse(body ?? '') as Record<string, unknown>;
    return typeof parsed.error === 'string' && parsed.error.length > 0;
  } catch {
    return false;
  }
}

/**
 * Sends a case and returns what is wrong with the outcome ('' when all is well). `reply` cases must come back
 * 200 with an answer for the resident (queued, or in the web chat's response) unless the chat is with staff.
 */
export async function run(f: FuzzApp, c: FuzzCase): Promise<string> {
  const before = c.expect === 'reply' && c.channel !== 'webchat' ? await lastQueued(f.app, c.channel, c.chatId) : 0;
  let out: Outcome;
  try {
    out = await send(f, c);
  } catch (err) {
    return `no answer (${err instanceof Error ? err.message : String(err)})`;
  }
  if (out.threw) return `threw ${out.threw}`;
  if (out.status !== undefined && out.status >= 500) return `status ${out.status}: ${out.body?.slice(0, 300)}`;
  switch (c.expect) {
    case 'unauthorized':
      return out.status === 401 ? '' : `expected 401, got ${out.status}`;
    case 'reject':
      if (out.status === undefined || out.status < 400 || out.status >= 500) return `expected a 4xx, got ${out.status}`;
      // Node's HTTP parser refuses a URL over 16 KB itself, with an empty body, before the app sees it.
      if (c.channel === 'webchat_events' && out.status === 431) return '';
      return hasReason(out.body) ? '' : `${out.status} without a reason: ${out.body?.slice(0, 200)}`;
    case 'either':
      if (out.status !== undefined && out.status >= 400 && !hasReason(out.body)) return `4xx without a reason: ${out.body?.slice(0, 200)}`;
      return '';
    case 'reply': {
      if (out.status !== undefined && out.status !== 200) return `expected 200, got ${out.status}: ${out.body?.slice(0, 200)}`;
      if (c.channel === 'webchat') {
        const replies = (JSON.parse(out.body ?? '{}') as { replies?: unknown[] }).replies ?? [];
        if (replies.length > 0 || (await inHandover(f.app, c.channel, externalIdOf(c.chatId)))) return '';
        return 'no reply';
      }
      if ((await lastQueued(f.app, c.channel, c.chatId)) > before || (await inHandover(f.app, c.channel, c.chatId))) return '';
      return 'no reply queued';
    }
  }
}

/** A short line for a failure report: the channel, what was expected, and the body (cut). */
export function describeCase(c: FuzzCase): string {
  if (c.channel === 'webchat_events') return `${c.channel}/${c.expect}: cookie ${JSON.stringify(c.chatId).slice(0, 300)}`;
  const body = c.channel === 'whatsapp_web' ? c.message : 'json' in c.body ? c.body.json : 'huge' in c.body ? `<${c.body.huge} bytes>` : 'raw' in c.body ? c.body.raw : '<bytes>';
  return `${c.channel}/${c.expect}: ${JSON.stringify(body)?.slice(0, 300)}`;
}

/** Types "menu" into a chat on its own channel and returns what the bot answered. */
/** Types `text` ("menu" unless told) into a chat of the channel and returns what was answered. */
export async function sayMenu(f: FuzzApp, channel: FuzzCase['channel'], chatId: string, text = 'menu'): Promise<string[]> {
  const n = ++seq;
  if (channel === 'webchat_events') throw new Error('the events stream takes no messages');
  if (channel === 'webchat') {
    const out = await post(`${f.app.base}/webchat/messages`, JSON.stringify({ text }), { 'content-type': 'application/json', cookie: cookieFor(chatId) });
    if (out.status !== 200) throw new Error(`web chat answered ${out.status}: ${out.body}`);
    return ((JSON.parse(out.body!) as { replies: { text: string }[] }).replies ?? []).map((r) => r.text);
  }
  const before = await lastQueued(f.app, channel, chatId);
  if (channel === 'telegram') {
    const id = Number(chatId);
    const update = { update_id: n, message: { message_id: n, date: 1_700_000_000, from: { id, is_bot: false, first_name: 'Warga' }, chat: { id, type: 'private' }, text } };
    const out = await post(`${f.app.base}/webhooks/telegram`, JSON.stringify(update), { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    if (out.status !== 200) throw new Error(`telegram webhook answered ${out.status}: ${out.body}`);
  } else if (channel === 'whatsapp_cloud') {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: f.graph.phoneNumberId }, messages: [{ from: chatId, id: `wamid.menu.${n}`, type: 'text', text: { body: text } }] } }] }],
    });
    const out = await post(`${f.app.base}/webhooks/whatsapp`, body, signedBytes(body, CLOUD_SECRET));
    if (out.status !== 200) throw new Error(`cloud webhook answered ${out.status}: ${out.body}`);
  } else {
    const m = f.world.latest.simulateIncoming({ from: chatId, body: text, id: `MENU${n}` });
    await handled(f.app, m.id._serialized);
  }
  return queuedTexts(f.app, channel, chatId, before);
}

/**
 * Runs cases in `lanes` parallel lanes, each chat always in the same lane, so one chat's messages still go
 * one after another (a reply is told apart by the outbox row it adds). Returns the failures, described.
 */
export async function runLanes(f: FuzzApp, cases: FuzzCase[], lanes: number, onDone?: (c: FuzzCase, problem: string) => void): Promise<string[]> {
  const byLane: FuzzCase[][] = Array.from({ length: lanes }, () => []);
  for (const c of cases) byLane[laneOf(c.chatId, lanes)]!.push(c);
  const failures: string[] = [];
  await Promise.all(
    byLane.map(async (mine) => {
      for (const c of mine) {
        const problem = await run(f, c);
        if (problem) failures.push(`${problem} <- ${describeCase(c)}`);
        onDone?.(c, problem);
      }
    }),
  );
  return failures;
}

function laneOf(chatId: string, lanes: number): number {
  let h = 0;
  for (const ch of chatId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % lanes;
}

/** No stuck session: 5 answered chats per channel type "menu" afterwards and must get the menu. */
export async function expectNoStuckChat(f: FuzzApp, answered: Map<FuzzCase['channel'], Set<string>>): Promise<void> {
  const i18n = f.app.composition.i18n;
  // The menu's question, as first asked or after a task ("Ada lagi yang bisa kami bantu?").
  const prompts = ['menu:prompt', 'menu:promptAgain'].flatMap((key) => [i18n.t(key, { lng: 'id' }), i18n.t(key, { lng: 'en' })]);
  const picked = [...answered].flatMap(([channel, chats]) => [...chats].slice(0, 5).map((chatId) => ({ channel, chatId })));
  expect(picked).toHaveLength(20);
  const discard = [i18n.t('complaint:discard.prompt', { lng: 'id' }), i18n.t('complaint:discard.prompt', { lng: 'en' })];
  for (const { channel, chatId } of picked) {
    let replies = await sayMenu(f, channel, chatId);
    // A report left half-written asks before its draft is thrown away (issue 17); "ya" lets it go.
    if (replies.some((r) => discard.some((d) => r.includes(d)))) replies = await sayMenu(f, channel, chatId, 'ya');
    expect(replies.some((r) => prompts.some((p) => r.includes(p))), `${channel} ${chatId}: ${replies.join(' | ')}`).toBe(true);
  }
}
