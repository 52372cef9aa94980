import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTemplateSync } from '../../src/app/template-sync.ts';
import type { WhatsappCloudConfig } from '../../src/channels/whatsapp-cloud/sender.ts';
import { whatsappTemplates } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { graphErrors, metaTemplate, startFakeGraph, type FakeGraph } from '../fakes/graph.ts';

// The template sync the service runs: at start-up and on a timer when the Business Account id is set, never
// without it; a failure kept as the last result for the templates page and logged without the token.

let database: TestDatabase;
let graph: FakeGraph;
let config: WhatsappCloudConfig;
let lines: string[];
const logger = () => createLogger('info', { write: (s: string) => void lines.push(s) });

beforeAll(async () => {
  database = await createTestDatabase();
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
}, 60_000);
afterAll(async () => {
  await graph?.close();
  await database?.dispose();
});
beforeEach(async () => {
  graph.reset();
  lines = [];
  await database.db.delete(whatsappTemplates);
});

const until = async (ok: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('template sync', () => {
  it('syncs at once when scheduled, then on its timer, and stores what Meta listed', async () => {
    graph.setTemplates([metaTemplate('pintu_undangan', 'Undangan {{1}}. Balas BERHENTI.')]);
    const sync = createTemplateSync(database, config, logger());
    const job = sync.schedule(150);
    try {
      await until(() => graph.requests.length >= 2);
    } finally {
      job.stop();
    }
    await until(() => sync.last()?.ok === true);
    expect(sync.last()).toMatchObject({ ok: true, saved: 1, deleted: 0, skipped: 0 });
    expect((await database.db.select().from(whatsappTemplates)).map((r) => r.name)).toEqual(['pintu_undangan']);
    expect(sync).toMatchObject({ language: 'id', canSync: true, defaults: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' } });
  });

  it('keeps a failure as the last result and logs it without the token', async () => {
    const sync = createTemplateSync(database, { ...config, accessToken: 'EAAG-revoked-token-123' }, logger());
    const r = await sync.sync();
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('WHATSAPP_CLOUD_ACCESS_TOKEN') });
    expect(sync.last()).toBe(r);
    const log = lines.join('\n');
    expect(log).toContain('WhatsApp template sync failed');
    expect(log).not.toContain('EAAG-revoked-token-123');
    // Any other refusal of the Graph API is a failure too, never an exception.
    graph.failNext(graphErrors.server);
    expect((await createTemplateSync(database, config, logger()).sync()).ok).toBe(false);
  });

  it('runs one sync at a time: a second call waits for the first', async () => {
    graph.setTemplates(Array.from({ length: 250 }, (_, i) => metaTemplate(`t_${i}`, 'Teks {{1}}. Balas STOP.')));
    const sync = createTemplateSync(database, config, logger());
    const [a, b] = await Promise.all([sync.sync(), sync.sync()]);
    expect(a).toBe(b);
    expect(graph.requests).toHaveLength(3); // one listing of three pages
    expect(a).toMatchObject({ ok: true, saved: 250 });
  });

  it('does nothing without the Business Account id, and says which setting is missing', async () => {
    const { businessAccountId: _, ...noAccount } = config;
    const sync = createTemplateSync(database, noAccount, logger());
    expect(sync.canSync).toBe(false);
    sync.schedule(10).stop();
    expect(await sync.sync()).toMatchObject({ ok: false, error: expect.stringContaining('WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID') });
    await new Promise((r) => setTimeout(r, 50));
    expect(graph.requests).toHaveLength(0);
  });
});
