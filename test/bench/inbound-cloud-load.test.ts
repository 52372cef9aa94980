// The inbound benchmark's WhatsApp Cloud requests (bench/load-cloud.ts, load-channels.ts) must be what Meta sends
// and drive the same knowledge-only aid check, or the Cloud figures measure something else: the webhooks are
// read by the adapter's own parser and signature check, and a short run against the real webhook must leave
// every completed check found by knowledge, its code sent to the registry phone, the chat not linked.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsappCloudAdapter } from '../../src/channels/whatsapp-cloud/adapter.ts';
import { parseWebhook } from '../../src/channels/whatsapp-cloud/inbound.ts';
import { verifySignature } from '../../src/channels/whatsapp-cloud/signature.ts';
import { composeApp } from '../../src/app/compose.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { channelRequests } from '../../bench/load-channels.ts';
import { CLOUD_AID_CHECK_STEPS, SENDER_PREFIX } from '../../bench/load-cloud.ts';
import { runLoad } from '../../bench/load-generator.ts';
import { RESIDENTS_SQL, type Resident } from '../../bench/load-updates.ts';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const SECRET = 'bench-app-secret-for-tests';
const PHONE_NUMBER_ID = '106540352242922';

describe('WhatsApp Cloud requests of the load generator', () => {
  it('are signed webhooks of a new resident: a greeting, Bahasa Indonesia, the aid entry, NIK, KK, birth date', () => {
    const resident = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985', phone: '6281277001001' };
    const requests = channelRequests({ channel: 'whatsapp_cloud', secret: SECRET, phoneNumberId: PHONE_NUMBER_ID });
    expect(requests.steps).toBe(CLOUD_AID_CHECK_STEPS);
    const inbound = Array.from({ length: requests.steps }, (_, k) => {
      const { body, headers } = requests.request(resident, 4242, k, 100 + k);
      expect(verifySignature(body, headers['x-hub-signature-256'], SECRET)).toBe(true);
      const parsed = parseWebhook(JSON.parse(body), { phoneNumberId: PHONE_NUMBER_ID });
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.ignored).toBe(0);
      expect(parsed.inbound).toHaveLength(1);
      return parsed.inbound[0]!;
    });
    expect(inbound.map((i) => ({ kind: i.kind, value: i.kind === 'choice' ? i.choice : i.text }))).toEqual([
      { kind: 'text', value: 'Halo' },
      { kind: 'choice', value: 'id' },
      { kind: 'choice', value: 'aid' },
      { kind: 'text', value: resident.nik },
      { kind: 'text', value: resident.kk },
      { kind: 'text', value: resident.birth },
    ]);
    // From a number of its own, not the resident's registry phone (which would link the chat at once).
    expect(new Set(inbound.map((i) => i.chatId))).toEqual(new Set([`${SENDER_PREFIX}00004242`]));
    expect(new Set(inbound.map((i) => i.providerMessageId)).size).toBe(requests.steps);
  });
});

describe('the load generator against the real WhatsApp Cloud webhook', () => {
  let database: TestDatabase;
  let graph: FakeGraph;
  let server: ServerType;
  let base: string;
  let residents: Resident[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 60, today: new Date() });
    graph = await startFakeGraph({ phoneNumberId: PHONE_NUMBER_ID });
    const config = {
      accessToken: graph.token,
      phoneNumberId: PHONE_NUMBER_ID,
      appSecret: SECRET,
      verifyToken: 'bench-verify-token',
      apiRoot: graph.apiRoot,
      ratePerSecond: 80,
      templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
    };
    // As the service composes it: the identity's phone channel is WhatsApp Cloud, so a check found by knowledge sends a code.
    const composition = await composeApp(database, { defaultLocale: 'id', timezone: 'Asia/Jakarta', whatsappCloud: config }, createLogger('silent'), {
      adapters: (ctx) => [createWhatsappCloudAdapter(ctx, config)],
    });
    const app = new Hono();
    app.route('/', composition.channels[0]!.routes!);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    residents = rowsOf<Resident>(await database.db.execute(sql.raw(`${RESIDENTS_SQL} order by m.id`)));
  }, 120_000);

  afterAll(async () => {
    if (server) await new Promise((r) => server.close(r));
    await graph?.close();
    await database?.dispose();
  });

  it('completes aid checks that each end found by knowledge, the code sent, the chat not linked', async () => {
    const r = await runLoad({
      url: `${base}/webhooks/whatsapp`,
      channel: 'whatsapp_cloud',
      secret: SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      residents,
      firstChatId: 710_000_000,
      mode: 'closed',
      concurrency: 2,
      warmupMs: 0,
      durationMs: 200,
    });
    expect(r.failures).toEqual({});
    expect(r.checksCompleted).toBeGreaterThan(0);
    expect(r.answered).toBe(r.residentsUsed * CLOUD_AID_CHECK_STEPS);
    const [ended] = rowsOf<{ n: number; linked: number }>(
      await database.db.execute(sql`select count(*) filter (where s.flow = 'identity' and s.step = 'code')::int as n,
          count(*) filter (where c.member_id is not null)::int as linked
        from contacts c left join sessions s on s.contact_id = c.id
        where c.channel = 'whatsapp_cloud' and c.external_id like ${`${SENDER_PREFIX}%`}`),
    );
    expect(ended).toEqual({ n: r.checksCompleted, linked: 0 });
  });
});
