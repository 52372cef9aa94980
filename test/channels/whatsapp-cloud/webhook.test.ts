import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../../src/channels/adapter.ts';
import { createWhatsappCloudAdapter } from '../../../src/channels/whatsapp-cloud/adapter.ts';
import { signBody } from '../../../src/channels/whatsapp-cloud/signature.ts';
import { OUTSIDE_WINDOW, type WhatsappCloudConfig } from '../../../src/channels/whatsapp-cloud/sender.ts';
import { composeApp } from '../../../src/app/compose.ts';
import type { Engine } from '../../../src/conversation/engine.ts';
import { contacts, messages, outbox } from '../../../src/db/schema/index.ts';
import { createLogger } from '../../../src/log.ts';
import { enqueue } from '../../../src/outbox/enqueue.ts';
import { seedDemoCity } from '../../../src/services/seed/index.ts';
import { envelope, signedWebhook, startFakeGraph, webhook, type FakeGraph } from '../../fakes/graph.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { drainOutbox } from '../../helpers/drain.ts';

const SECRET = 'whatsapp-app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const HOUR = 60 * 60 * 1000;
// Siti's registry phone is 0812-7700-1001 (src/services/seed/batam-residents.ts DEMO_PHONES): a message from it proves the chat is hers.
const SITI = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985', wa: '6281277001001' };

let database: TestDatabase;
let graph: FakeGraph;
let config: WhatsappCloudConfig;
let adapter: ChannelAdapter;
let engine: Engine;
let wakes = 0;
const servers: ServerType[] = [];
let base: string;

/** Serves an adapter's routes over real HTTP, as the service mounts them. */
async function serveRoutes(a: ChannelAdapter): Promise<string> {
  const app = new Hono();
  app.route('/', a.routes!);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(payload: unknown, opts: { sign?: 'good' | 'none' | 'wrong'; url?: string } = {}) {
  const { body, headers } = signedWebhook(payload, opts.sign === 'wrong' ? 'not-the-secret' : SECRET);
  if (opts.sign === 'none') delete headers['x-hub-signature-256'];
  return fetch(`${opts.url ?? base}/webhooks/whatsapp`, { method: 'POST', headers, body });
}

let numberSeq = 0;
const newNumber = () => `62812${String(Date.now()).slice(-5)}${String(++numberSeq).padStart(3, '0')}`;

async function contactOf(wa: string) {
  const [c] = await database.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.channel, 'whatsapp_cloud'), eq(contacts.externalId, wa)));
  return c;
}

/** Sends what the webhook queued and returns the Graph API bodies this produced. */
async function deliver() {
  const before = graph.sent().length;
  const results = await drainOutbox(database, adapter.sender);
  for (const r of results) expect(r).toMatchObject({ status: 'sent' });
  return graph.sent().slice(before);
}

const textsOf = (bodies: Record<string, any>[]) => bodies.map((b) => b.text?.body ?? b.interactive?.body?.text ?? b.image?.caption ?? '').join('\n\n');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCity(database, { households: 50, today: new Date() });
  graph = await startFakeGraph();
  config = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: SECRET,
    verifyToken: VERIFY,
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta' }, createLogger('silent'), {
    adapters: (ctx) => [
      (adapter = createWhatsappCloudAdapter(
        {
          ...ctx,
          wakeDispatcher: () => {
            wakes++;
            ctx.wakeDispatcher();
          },
        },
        config,
      )),
    ],
  });
  engine = composition.engine;
  base = await serveRoutes(adapter);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await graph?.close();
  await database?.dispose();
});

describe('webhook verification', () => {
  it('answers the challenge to the right verify token, as plain text', async () => {
    const res = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode', async () => {
    expect((await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${base}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${base}/webhooks/whatsapp`)).status).toBe(403);
  });
});

describe('inbound messages', () => {
  it('answers a signed text message through the Graph API', async () => {
    const wa = newNumber();
    const wakesBefore = wakes;
    const res = await post(webhook.text(wa, 'selamat pagi', { name: 'Bu Ani' }));
    expect(res.status).toBe(200);
    expect(wakes).toBe(wakesBefore + 1);
    const c = await contactOf(wa);
    expect(c).toMatchObject({ displayName: 'Bu Ani', language: 'id' });
    expect(c!.lastInboundAt).not.toBeNull();

    const bodies = await deliver();
    expect(bodies.every((b) => b.to === wa && b.messaging_product === 'whatsapp')).toBe(true);
    expect(textsOf(bodies)).toContain('Selamat datang di Pintu');
    // The language question comes with two reply buttons carrying the option ids.
    const buttons = bodies.at(-1)!;
    expect(buttons.type).toBe('interactive');
    expect(buttons.interactive.action.buttons.map((b: any) => [b.reply.id, b.reply.title])).toEqual([
      ['id', 'Bahasa Indonesia'],
      ['en', 'English'],
    ]);
    const rows = await database.db.select().from(outbox).where(eq(outbox.contactId, c!.id)).orderBy(asc(outbox.id));
    expect(rows.every((r) => r.status === 'sent' && r.providerMessageId?.startsWith('wamid.'))).toBe(true);
    expect(adapter.status()).toMatchObject({ state: 'ready', lastWebhookAt: expect.any(String) });
  });

  it('picks the option of a pressed button', async () => {
    const wa = newNumber();
    await post(webhook.text(wa, 'selamat pagi'));
    await deliver();
    expect((await post(webhook.buttonReply(wa, 'en', 'English'))).status).toBe(200);
    const bodies = await deliver();
    expect(textsOf(bodies)).toContain("continue in English");
    expect((await contactOf(wa))!.language).toBe('en');
    // The main menu has seven entries: an interactive list in English.
    const list = bodies.at(-1)!;
    expect(list.interactive.type).toBe('list');
    expect(list.interactive.action.button).toBe('See options');
    expect(list.interactive.action.sections[0].rows.map((r: any) => r.id)).toContain('aid');
  });

  it('lets Siti check her aid end to end', async () => {
    // From her own number, the family's registry phone: NIK, KK and birth date find her, the number proves it is her.
    const wa = SITI.wa;
    await post(webhook.text(wa, 'selamat pagi', { name: 'Siti' }));
    await deliver();
    await post(webhook.buttonReply(wa, 'id', 'Bahasa Indonesia'));
    const menu = (await deliver()).at(-1)!;
    const aid = menu.interactive.action.sections[0].rows.find((r: any) => r.id === 'aid');
    expect(aid.title).toBe('Cek bansos saya');
    await post(webhook.listReply(wa, aid.id, aid.title));
    await deliver();
    await post(webhook.text(wa, SITI.nik));
    await deliver();
    await post(webhook.text(wa, SITI.kk));
    await deliver();
    await post(webhook.text(wa, SITI.birth));
    const text = textsOf(await deliver());
    expect(text).toContain('identitas sudah terverifikasi');
    expect(text).toContain('Ya, keluarga Bapak/Ibu menerima Program Keluarga Harapan');
    expect(text.replace(/[\s.-]/g, '')).not.toMatch(/\d{16}/);
    // What the resident typed is kept masked in the history.
    const stored = await database.db.select({ body: messages.body }).from(messages).where(and(eq(messages.contactId, (await contactOf(wa))!.id), eq(messages.direction, 'in')));
    expect(stored.map((m) => m.body).join(' ')).not.toContain(SITI.nik);
    expect(stored.map((m) => m.body).join(' ')).not.toContain(SITI.kk);
    expect((await contactOf(wa))!.memberId).not.toBeNull();
  });

  it('answers a redelivered message once', async () => {
    const wa = newNumber();
    const payload = webhook.text(wa, 'selamat pagi', { id: `wamid.redelivered.${wa}` });
    expect((await post(payload)).status).toBe(200);
    const c = await contactOf(wa);
    const queued = async () => (await database.db.select({ n: count() }).from(outbox).where(eq(outbox.contactId, c!.id)))[0]!.n;
    const first = await queued();
    expect(first).toBeGreaterThan(0);
    expect((await post(payload)).status).toBe(200);
    expect(await queued()).toBe(first);
    await deliver();
  });

  it('refuses unsigned or wrongly signed webhooks and stores nothing', async () => {
    const totals = async () => ({
      contacts: (await database.db.select({ n: count() }).from(contacts))[0]!.n,
      messages: (await database.db.select({ n: count() }).from(messages))[0]!.n,
      outbox: (await database.db.select({ n: count() }).from(outbox))[0]!.n,
    });
    const before = await totals();
    const wa = newNumber();
    const unsigned = await post(webhook.text(wa, 'halo'), { sign: 'none' });
    const wrong = await post(webhook.text(wa, 'halo'), { sign: 'wrong' });
    const tampered = await fetch(`${base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: signedWebhook(webhook.text(wa, 'halo'), SECRET).headers,
      body: JSON.stringify(webhook.text(wa, 'halo yang lain')),
    });
    expect([unsigned.status, wrong.status, tampered.status]).toEqual([401, 401, 401]);
    expect(await totals()).toEqual(before);
    expect(await contactOf(wa)).toBeUndefined();
  });

  it('refuses a malformed body with the reason', async () => {
    const res = await post(envelope({ messages: [{ id: 'wamid.x', type: 'text', text: { body: 'x' } }] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_payload', reason: expect.stringContaining('messages[0].from') });
    const raw = '{"object": "whatsapp_business_account", "entry": [';
    const notJson = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, SECRET) }, body: raw });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'bad_payload', reason: 'body is not JSON' });
  });

  it('answers 500 when the database is down, so Meta delivers again', async () => {
    const down = createWhatsappCloudAdapter(
      {
        database,
        engine: { handle: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) },
        logger: createLogger('silent'),
        wakeDispatcher: () => {},
      },
      config,
    );
    const url = await serveRoutes(down);
    expect((await post(webhook.text(newNumber(), 'halo'), { url })).status).toBe(500);
  });
});

describe('status updates', () => {
  async function chatWithSentReply() {
    const wa = newNumber();
    await post(webhook.text(wa, 'selamat pagi'));
    await deliver();
    const c = (await contactOf(wa))!;
    const [row] = await database.db.select().from(outbox).where(eq(outbox.contactId, c.id)).orderBy(asc(outbox.id)).limit(1);
    return { wa, contact: c, row: row! };
  }

  it('marks the message failed and the resident unreachable when the number is not on WhatsApp', async () => {
    const { wa, contact, row } = await chatWithSentReply();
    const res = await post(webhook.status(row.providerMessageId!, 'failed', wa, { errors: [{ code: 131026, title: 'Message undeliverable' }] }));
    expect(res.status).toBe(200);
    const [after] = await database.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(after).toMatchObject({ status: 'failed', lastError: expect.stringContaining('131026') });
    const c = (await contactOf(wa))!;
    expect(c.unreachableAt).not.toBeNull();
    expect(c.unreachableReason).toContain('131026');
    expect(c.id).toBe(contact.id);

    // Writing again makes the resident reachable again.
    await post(webhook.text(wa, 'menu'));
    expect((await contactOf(wa))!.unreachableAt).toBeNull();
    await deliver();
  });

  it('records a re-engagement failure as outside the 24-hour window, without blaming the number', async () => {
    const { wa, row } = await chatWithSentReply();
    await post(webhook.status(row.providerMessageId!, 'failed', wa, { errors: [{ code: 131047, title: 'Re-engagement message' }] }));
    const [after] = await database.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(after).toMatchObject({ status: 'failed', lastError: OUTSIDE_WINDOW });
    expect((await contactOf(wa))!.unreachableAt).toBeNull();
  });

  it('takes delivered and read updates, and ones for unknown messages, without changing anything', async () => {
    const { wa, row } = await chatWithSentReply();
    for (const s of ['sent', 'delivered', 'read'] as const) expect((await post(webhook.status(row.providerMessageId!, s, wa))).status).toBe(200);
    expect((await post(webhook.status('wamid.unknown', 'failed', newNumber(), { errors: [{ code: 131026, title: 'Message undeliverable' }] }))).status).toBe(200);
    const [after] = await database.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(after!.status).toBe('sent');
  });
});

describe('the 24-hour window', () => {
  it('sends an invitation as its template and refuses plain text, with a reason staff can read', async () => {
    const wa = newNumber();
    await post(webhook.text(wa, 'selamat pagi'));
    await deliver();
    const c = (await contactOf(wa))!;
    await database.db
      .update(contacts)
      .set({ lastInboundAt: new Date(Date.now() - 25 * HOUR) })
      .where(eq(contacts.id, c.id));
    const [invitation, plain] = [
      { text: 'Undangan penyaluran PKH: Sabtu 09.00 di Kantor Lurah.', template: { kind: 'invitation' as const, params: ['PKH', 'Sabtu 09.00', 'Kantor Lurah'] } },
      { text: 'Jawaban petugas atas pengaduan Anda.' },
    ];
    const ids = [
      ...(await enqueue(database.db, { contactId: c.id, channel: 'whatsapp_cloud', messages: [invitation], priority: 'bulk' })),
      ...(await enqueue(database.db, { contactId: c.id, channel: 'whatsapp_cloud', messages: [plain], priority: 'reply' })),
    ];
    const before = graph.sent().length;
    const results = await drainOutbox(database, adapter.sender);
    expect(results).toEqual([
      { status: 'sent', providerMessageId: expect.stringMatching(/^wamid\./) },
      { status: 'failed', reason: OUTSIDE_WINDOW, unreachable: false },
    ]);
    const bodies = graph.sent().slice(before);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      to: wa,
      type: 'template',
      template: { name: 'pintu_undangan', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ text: 'PKH' }, { text: 'Sabtu 09.00' }, { text: 'Kantor Lurah' }] }] },
    });
    const rows = await database.db
      .select({ id: outbox.id, status: outbox.status, lastError: outbox.lastError })
      .from(outbox)
      .where(sql`${outbox.id} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)
      .orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([
      ['sent', null],
      ['failed', OUTSIDE_WINDOW],
    ]);
    void engine;
  });
});
