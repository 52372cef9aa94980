import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMetaTemplates, TEMPLATE_TOKEN_INVALID } from '../../../src/channels/whatsapp-cloud/templates.ts';
import { graphErrors, metaTemplate, startFakeGraph, type FakeGraph } from '../../fakes/graph.ts';

// Reading the account's templates from the Graph API over real HTTP (the fake Graph): every page followed,
// odd entries skipped and counted, and each kind of failure answered as a sentence, never thrown.

const INVITATION = 'Dinas Sosial mengundang Bapak/Ibu ke {{1}} pada {{2}} di {{3}}. Kode {{4}}. {{5}}. Balas BERHENTI bila tidak ingin menerima pesan lagi.';

let graph: FakeGraph;
let config: { accessToken: string; apiRoot: string; businessAccountId: string };

beforeAll(async () => {
  graph = await startFakeGraph();
  config = { accessToken: graph.token, apiRoot: graph.apiRoot, businessAccountId: graph.wabaId };
});
afterAll(() => graph.close());
beforeEach(() => graph.reset());

describe('listMetaTemplates', () => {
  it('follows paging.next through every page and reads body and parameters', async () => {
    const many = Array.from({ length: 230 }, (_, i) => metaTemplate(`pintu_uji_${String(i).padStart(3, '0')}`, `Pesan {{1}} nomor ${i}. Balas STOP.`));
    graph.setTemplates([metaTemplate('pintu_undangan', INVITATION, { id: '987' }), ...many]);
    const r = await listMetaTemplates(config);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.templates).toHaveLength(231);
    expect(r.skipped).toBe(0);
    // 231 templates at 100 a page: three requests, the 2nd and 3rd by the absolute next link with its cursor.
    const calls = graph.requests.filter((q) => q.path === `/${graph.wabaId}/message_templates`);
    expect(calls).toHaveLength(3);
    expect(calls.every((q) => q.status === 200 && q.authorization === `Bearer ${graph.token}`)).toBe(true);
    expect(r.templates[0]).toEqual({
      name: 'pintu_undangan',
      language: 'id',
      status: 'APPROVED',
      category: 'UTILITY',
      metaId: '987',
      body: INVITATION,
      parameterCount: 5,
      components: [{ type: 'BODY', text: INVITATION }],
      reason: null,
    });
    expect(r.templates.at(-1)!.name).toBe('pintu_uji_229');
    // Only the fields asked for came back (the fake serves what `fields` names).
    expect((calls[0]!.response as { data: Record<string, unknown>[] }).data[0]).not.toHaveProperty('parameter_format');
  });

  it('skips entries without a name, language or status, and counts them', async () => {
    graph.setTemplates([
      metaTemplate('pintu_pengingat', 'Pengingat {{1}} {{2}} {{3}} {{4}}. Balas BERHENTI.'),
      null,
      'not a template',
      { language: 'id', status: 'APPROVED', components: [] },
      { name: 'tanpa_bahasa', status: 'APPROVED' },
      { name: 'tanpa_status', language: 'id' },
      { name: 'pintu_rusak', language: 'id', status: 'rejected', components: 'not a list', rejected_reason: 'INVALID_FORMAT', category: 'utility' },
      metaTemplate('pintu_bernama', 'Halo {{nama}}, acara {{acara}} pada {{waktu}}. Balas STOP.', { status: 'PENDING' }),
      metaTemplate('pintu_pengingat', 'the same name and language again'),
    ]);
    const r = await listMetaTemplates(config);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.skipped).toBe(6);
    expect(r.templates.map((t) => t.name)).toEqual(['pintu_pengingat', 'pintu_rusak', 'pintu_bernama']);
    expect(r.templates[0]!.parameterCount).toBe(4);
    expect(r.templates[1]).toMatchObject({ status: 'REJECTED', category: 'UTILITY', body: null, parameterCount: 0, components: [], reason: 'INVALID_FORMAT' });
    expect(r.templates[2]).toMatchObject({ status: 'PENDING', parameterCount: 3 });
  });

  it('answers a refused token, a Graph error, no account id and an unreachable host as failures', async () => {
    expect(await listMetaTemplates({ ...config, accessToken: 'wrong' })).toEqual({ ok: false, kind: 'token', error: TEMPLATE_TOKEN_INVALID });
    graph.failNext({ ...graphErrors.token, httpStatus: 400 }); // code 190 on a 400, as Meta sometimes answers
    expect(await listMetaTemplates(config)).toMatchObject({ ok: false, kind: 'token' });
    graph.failNext(graphErrors.server);
    expect(await listMetaTemplates(config)).toMatchObject({ ok: false, kind: 'refused', error: expect.stringContaining('HTTP 500 code 131000') });
    expect(await listMetaTemplates({ ...config, businessAccountId: undefined } as never)).toMatchObject({ ok: false, kind: 'not_configured' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await listMetaTemplates({ ...config, apiRoot: `http://127.0.0.1:${port}/v21.0` })).toMatchObject({ ok: false, kind: 'network' });
  });

  it('fails on an answer that is not JSON, not a list, or pages that never end or leave Meta', async () => {
    let answer: (url: URL) => { status: number; body: string } = () => ({ status: 200, body: '<html>proxy error</html>' });
    const odd = createServer((req, res) => {
      const a = answer(new URL(req.url ?? '/', 'http://x'));
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body);
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    const root = `http://127.0.0.1:${(odd.address() as AddressInfo).port}/v21.0`;
    const cfg = { ...config, apiRoot: root };
    try {
      expect(await listMetaTemplates(cfg)).toMatchObject({ ok: false, kind: 'answer' });
      answer = () => ({ status: 200, body: JSON.stringify({ data: { not: 'a list' } }) });
      expect(await listMetaTemplates(cfg)).toMatchObject({ ok: false, kind: 'answer' });
      // A next link back to the first page: stopped at the cap instead of going round for ever.
      answer = () => ({ status: 200, body: JSON.stringify({ data: [], paging: { next: `${root}/${graph.wabaId}/message_templates?after=x` } }) });
      expect(await listMetaTemplates(cfg, { maxPages: 5 })).toMatchObject({ ok: false, kind: 'answer', error: expect.stringContaining('5 pages') });
      // The bearer token is never sent to another host.
      answer = () => ({ status: 200, body: JSON.stringify({ data: [], paging: { next: 'https://elsewhere.example/next' } }) });
      expect(await listMetaTemplates(cfg)).toMatchObject({ ok: false, kind: 'answer', error: expect.stringContaining('another host') });
    } finally {
      odd.closeAllConnections();
      await new Promise((r) => odd.close(r));
    }
  });
});
