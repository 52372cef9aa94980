import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsappCloudSender, OUTSIDE_WINDOW, TOKEN_INVALID, type WhatsappCloudConfig } from '../../../src/channels/whatsapp-cloud/sender.ts';
import type { ChannelSender, Recipient } from '../../../src/outbox/sender.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createLogger } from '../../../src/log.ts';
import { graphErrors, startFakeGraph, type FakeGraph } from '../../fakes/graph.ts';

const HOUR = 60 * 60 * 1000;
// A real (tiny) PNG: 1×1 transparent pixel.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let graph: FakeGraph;
let sender: ChannelSender;
let config: WhatsappCloudConfig;
let now = new Date();

const to = (chatId: string, lastInboundAt: Date | null = new Date(now.getTime() - HOUR), language: string | null = 'id'): Recipient => ({
  contactId: 1,
  chatId,
  language,
  lastInboundAt,
});

beforeAll(async () => {
  graph = await startFakeGraph();
  config = {
    accessToken: graph.token,
    phoneNumberId: graph.phoneNumberId,
    appSecret: 'secret',
    verifyToken: 'verify',
    apiRoot: graph.apiRoot,
    ratePerSecond: 80,
    templates: { language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' },
  };
  sender = createWhatsappCloudSender(config, { logger: createLogger('silent'), i18n: await createI18n('id'), clock: () => now, partRetryDelayMs: 5 });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.reset();
  now = new Date();
});

describe('WhatsApp Cloud sender', () => {
  it('sends text with the bearer token and returns the wamid', async () => {
    const r = await sender.send(to('6281100000001'), { text: 'Halo Bapak/Ibu' });
    expect(r).toEqual({ status: 'sent', providerMessageId: expect.stringMatching(/^wamid\./) });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]!.authorization).toBe(`Bearer ${graph.token}`);
    expect(graph.sent()[0]).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '6281100000001', type: 'text', text: { body: 'Halo Bapak/Ibu', preview_url: false } });
    expect(sender.limits.perSecond).toBe(80);
  });

  it('sends buttons and lists that Meta accepts', async () => {
    const options = Array.from({ length: 7 }, (_, i) => ({ id: `o${i}`, label: `Pilihan yang panjang sekali nomor ${i + 1} untuk baris daftar` }));
    expect(await sender.send(to('6281100000002'), { text: 'Pilih', options: options.slice(0, 3) })).toMatchObject({ status: 'sent' });
    expect(await sender.send(to('6281100000002'), { text: 'Pilih', options })).toMatchObject({ status: 'sent' });
    expect(graph.sent().map((m) => m.interactive.type)).toEqual(['button', 'list']);
  });

  it('uploads an image as multipart and sends it by media id', async () => {
    const r = await sender.send(to('6281100000003'), { text: 'QR undangan', image: { pngBase64: PNG, fileName: 'undangan.png' } });
    expect(r.status).toBe('sent');
    const [upload, message] = graph.requests;
    expect(upload!.path).toBe(`/${graph.phoneNumberId}/media`);
    expect(upload!.form!.fields).toEqual({ messaging_product: 'whatsapp', type: 'image/png' });
    expect(upload!.form!.file).toMatchObject({ name: 'undangan.png', type: 'image/png' });
    expect(upload!.form!.file!.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect(message!.json).toMatchObject({ type: 'image', image: { id: (upload!.response as { id: string }).id, caption: 'QR undangan' } });
  });

  it('uploads a document likewise', async () => {
    const r = await sender.send(to('6281100000003'), { text: 'Tanda terima', document: { base64: Buffer.from('%PDF-1.4 test').toString('base64'), mimeType: 'application/pdf', fileName: 'tanda-terima.pdf' } });
    expect(r.status).toBe('sent');
    expect(graph.requests[0]!.form!.file).toMatchObject({ name: 'tanda-terima.pdf', type: 'application/pdf' });
    expect(graph.sent()[0]).toMatchObject({ type: 'document', document: { filename: 'tanda-terima.pdf', caption: 'Tanda terima' } });
  });

  describe('the 24-hour window', () => {
    it('sends the configured template instead, when the message has one', async () => {
      const r = await sender.send(to('6281100000004', new Date(now.getTime() - 25 * HOUR)), {
        text: 'Undangan penyaluran PKH ...',
        template: { kind: 'invitation', params: ['PKH', 'Sabtu, 12 Juli 2025 09.00', 'Kantor Lurah Sungai Panas'] },
      });
      expect(r.status).toBe('sent');
      expect(graph.sent()).toEqual([
        {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: '6281100000004',
          type: 'template',
          template: {
            name: 'pintu_undangan',
            language: { code: 'id' },
            components: [{ type: 'body', parameters: ['PKH', 'Sabtu, 12 Juli 2025 09.00', 'Kantor Lurah Sungai Panas'].map((text) => ({ type: 'text', text })) }],
          },
        },
      ]);
    });

    it('refuses a message without a template, naming why', async () => {
      expect(await sender.send(to('6281100000004', new Date(now.getTime() - 25 * HOUR)), { text: 'Jawaban petugas' })).toEqual({
        status: 'failed',
        reason: OUTSIDE_WINDOW,
        unreachable: false,
      });
      expect(await sender.send(to('6281100000004', null), { text: 'Halo' })).toMatchObject({ status: 'failed', reason: OUTSIDE_WINDOW });
      expect(graph.requests).toHaveLength(0);
    });

    it('sends a one-time code as the authentication template, with the code in the body and the copy-code button', async () => {
      const code = { text: 'Kode Pintu Bapak/Ibu: 482913 ...', template: { kind: 'code' as const, params: ['482913'] } };
      // A registry phone that never wrote to us (no window), and one that did (window open): the same template.
      expect(await sender.send(to('6281277001001', null), code)).toMatchObject({ status: 'sent' });
      expect(await sender.send(to('6281277001002', new Date(now.getTime() - HOUR)), code)).toMatchObject({ status: 'sent' });
      const template = {
        name: 'pintu_kode',
        language: { code: 'id' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
        ],
      };
      expect(graph.sent()).toEqual([
        { messaging_product: 'whatsapp', recipient_type: 'individual', to: '6281277001001', type: 'template', template },
        { messaging_product: 'whatsapp', recipient_type: 'individual', to: '6281277001002', type: 'template', template },
      ]);
    });

    it('refuses a code template without its code rather than sending an empty one', async () => {
      expect(await sender.send(to('6281277001001', null), { text: 'Kode', template: { kind: 'code', params: [] } })).toMatchObject({ status: 'failed', unreachable: false });
      expect(graph.requests).toHaveLength(0);
    });

    it('sends the message itself while the window is open, even when it has a template', async () => {
      await sender.send(to('6281100000004', new Date(now.getTime() - 23 * HOUR)), { text: 'Undangan', template: { kind: 'reminder', params: [] } });
      expect(graph.sent()[0]!.type).toBe('text');
    });
  });

  describe('errors', () => {
    it('retries on rate limits, honouring Retry-After when given', async () => {
      graph.failNext(graphErrors.rateLimit);
      const r = await sender.send(to('6281100000005'), { text: 'x' });
      expect(r).toMatchObject({ status: 'retry', reason: expect.stringContaining('rate_limited') });
      expect(r.status === 'retry' && r.retryAfterMs).toBeUndefined();
      graph.failNext({ ...graphErrors.rateLimit, retryAfter: 7 });
      expect(await sender.send(to('6281100000005'), { text: 'x' })).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
      graph.failNext(graphErrors.pairRateLimit);
      expect(await sender.send(to('6281100000005'), { text: 'x' })).toMatchObject({ status: 'retry' });
      graph.failNext({ httpStatus: 400, code: 80007, message: 'Rate limit issues' });
      expect(await sender.send(to('6281100000005'), { text: 'x' })).toMatchObject({ status: 'retry' });
    });

    it('retries on server errors and network failures', async () => {
      graph.failNext(graphErrors.server);
      expect(await sender.send(to('6281100000005'), { text: 'x' })).toMatchObject({ status: 'retry', reason: expect.stringContaining('server_error') });
      const offline = createWhatsappCloudSender({ ...config, apiRoot: 'http://127.0.0.1:9/v21.0' }, { logger: createLogger('silent'), clock: () => now });
      expect(await offline.send(to('6281100000005'), { text: 'x' })).toMatchObject({ status: 'retry', reason: expect.stringContaining('network') });
    });

    it('fails as unreachable for a number not on WhatsApp', async () => {
      graph.failFor('6281100000006', graphErrors.notOnWhatsapp);
      expect(await sender.send(to('6281100000006'), { text: 'x' })).toEqual({ status: 'failed', unreachable: true, reason: expect.stringContaining('131026') });
    });

    it('fails with outside_24h_window when Meta says re-engagement is needed', async () => {
      graph.failNext(graphErrors.reEngagement);
      expect(await sender.send(to('6281100000007'), { text: 'x' })).toEqual({ status: 'failed', unreachable: false, reason: OUTSIDE_WINDOW });
    });

    it('fails, without blaming the resident, when the access token is refused', async () => {
      const health: unknown[] = [];
      const bad = createWhatsappCloudSender({ ...config, accessToken: 'expired' }, { logger: createLogger('silent'), clock: () => now, onHealth: (h) => health.push(h) });
      expect(await bad.send(to('6281100000008'), { text: 'x' })).toEqual({ status: 'failed', unreachable: false, reason: TOKEN_INVALID });
      expect(health).toEqual([{ ok: false, error: TOKEN_INVALID }]);
    });

    it('retries a later part of a split message in place, never sending the first part twice', async () => {
      const text = `${'a '.repeat(2500)}\n\n${'b '.repeat(2500)}`;
      // Part 1 goes out, part 2 meets a 500 once, then goes out on the in-place retry.
      graph.failNext(graphErrors.server, 1, 1);
      expect(await sender.send(to('6281100000010'), { text })).toMatchObject({ status: 'sent' });
      expect(graph.requests.map((r) => r.status)).toEqual([200, 500, 200, 200]);
      expect(graph.sent()).toHaveLength(3);
      expect(new Set(graph.sent().map((m) => m.text.body)).size).toBe(3);
    });

    it('reports a message as partly sent when a later part cannot go', async () => {
      const text = `${'a '.repeat(2500)}\n\n${'b '.repeat(2500)}`;
      graph.failNext(graphErrors.server, 10, 1);
      const r = await sender.send(to('6281100000011'), { text });
      expect(r).toMatchObject({ status: 'failed', unreachable: false, reason: expect.stringMatching(/^partly_sent: 1 of 3 parts went out/) });
    });
  });
});
