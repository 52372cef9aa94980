import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsappCloudMediaFetcher } from '../../../src/channels/whatsapp-cloud/media.ts';
import { createWhatsappCloudSender, type WhatsappCloudConfig } from '../../../src/channels/whatsapp-cloud/sender.ts';
import { listMetaTemplates } from '../../../src/channels/whatsapp-cloud/templates.ts';
import { USER_AGENT } from '../../../src/channels/whatsapp-cloud/user-agent.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import type { Recipient } from '../../../src/outbox/sender.ts';
import { metaTemplate, startFakeGraph, type FakeGraph } from '../../fakes/graph.ts';

// Every request Pintu makes to the Graph API names itself `Pintu/<package.json version>` (Meta's OpenAPI
// document asks for `name/x.y.z`): sends, media uploads, media downloads and the template listing. And a
// template message goes out with the template chosen for it (an event's own), else the setting's.

const HOUR = 3_600_000;
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let graph: FakeGraph;
let config: WhatsappCloudConfig;
let sender: ReturnType<typeof createWhatsappCloudSender>;

const closed = (chatId: string): Recipient => ({ contactId: 1, chatId, language: 'id', lastInboundAt: new Date(Date.now() - 30 * HOUR) });
const open = (chatId: string): Recipient => ({ contactId: 1, chatId, language: 'id', lastInboundAt: new Date(Date.now() - HOUR) });

beforeAll(async () => {
  graph = await startFakeGraph();
  config = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: 'secret',
    verifyToken: 'verify',
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    businessAccountId: graph.wabaId,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  sender = createWhatsappCloudSender(config, { logger: createLogger('silent'), i18n: await createI18n('id'), partRetryDelayMs: 5 });
});
afterAll(() => graph.close());
beforeEach(() => graph.reset());

describe('User-Agent on every Graph API request', () => {
  it('is Pintu/<package.json version>, in the name/x.y.z shape', () => {
    expect(USER_AGENT).toBe(`Pintu/${version}`);
    expect(USER_AGENT).toMatch(/^[A-Za-z][A-Za-z0-9-]*\/\d+\.\d+\.\d+$/);
  });

  it('is carried by sends, uploads, media downloads and the template listing', async () => {
    expect((await sender.send(open('6281100000101'), { text: 'Halo Bapak/Ibu' })).status).toBe('sent');
    expect((await sender.send(open('6281100000102'), { text: 'QR undangan', image: { pngBase64: PNG, fileName: 'undangan.png' } })).status).toBe('sent');
    expect((await sender.send(closed('6281100000103'), { text: 'x', template: { kind: 'notice', params: ['Pemberitahuan'] } })).status).toBe('sent');
    const mediaId = graph.addMedia(Buffer.from('foto pengaduan'), 'image/jpeg');
    const got = await createWhatsappCloudMediaFetcher(config).fetch(mediaId);
    expect(got.ok).toBe(true);
    graph.setTemplates(Array.from({ length: 150 }, (_, i) => metaTemplate(`t_${i}`, 'Teks {{1}}. Balas STOP.')));
    expect((await listMetaTemplates(config)).ok).toBe(true);

    const paths = graph.requests.map((r) => `${r.method} ${r.path}`);
    // send, upload + send, template send, media lookup + download, two template pages
    expect(paths).toEqual([
      `POST /${graph.phoneNumberId}/messages`,
      `POST /${graph.phoneNumberId}/media`,
      `POST /${graph.phoneNumberId}/messages`,
      `POST /${graph.phoneNumberId}/messages`,
      `GET /${mediaId}`,
      `GET /media-download/${mediaId}`,
      `GET /${graph.wabaId}/message_templates`,
      `GET /${graph.wabaId}/message_templates`,
    ]);
    expect(graph.requests.map((r) => r.userAgent)).toEqual(graph.requests.map(() => `Pintu/${version}`));
  });
});

describe('the template a message goes out with', () => {
  it("is the message's chosen name and language when it has them", async () => {
    const r = await sender.send(closed('6281100000104'), {
      text: 'Undangan',
      template: { kind: 'invitation', name: 'pintu_undangan_desember', language: 'en', params: ['Sembako', 'Kamis', 'Kantor Lurah, Jl. Uji', 'AB12-CD34', 'Undangan ke-1'] },
    });
    expect(r.status).toBe('sent');
    expect(graph.sent()[0]!.template).toMatchObject({ name: 'pintu_undangan_desember', language: { code: 'en' } });
    expect(graph.sent()[0]!.template.components[0].parameters).toHaveLength(5);
  });

  it("is the kind's setting when the message names none", async () => {
    expect((await sender.send(closed('6281100000105'), { text: 'Pengingat', template: { kind: 'reminder', params: ['Sembako', 'Kamis', 'Kantor Lurah', 'AB12-CD34'] } })).status).toBe('sent');
    expect((await sender.send(closed('6281100000106'), { text: 'Undangan', template: { kind: 'invitation', name: 'pintu_undangan_v2', params: ['a', 'b', 'c', 'd', 'e'] } })).status).toBe('sent');
    const [reminder, invitation] = graph.sent();
    expect(reminder!.template).toMatchObject({ name: 'pintu_pengingat', language: { code: 'id' } });
    // A name without a language: the configured template language.
    expect(invitation!.template).toMatchObject({ name: 'pintu_undangan_v2', language: { code: 'id' } });
  });
});
