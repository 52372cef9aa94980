import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTemplateSync } from '../../../../src/app/template-sync.ts';
import type { WhatsappCloudConfig } from '../../../../src/channels/whatsapp-cloud/sender.ts';
import { auditLog, distributionEvents, whatsappTemplates } from '../../../../src/db/schema/index.ts';
import { createLogger } from '../../../../src/log.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { distributionWorld, makeEvent, type DistributionWorld } from '../../../services/distribution/fixtures.ts';
import { graphErrors, metaTemplate, startFakeGraph, type FakeGraph } from '../../../fakes/graph.ts';

// The templates page and the event page's "Template WhatsApp" form through the real app over HTTP: what the
// page says without the Cloud API or the account id, "Sinkronkan sekarang" against the fake Graph API (CSRF,
// roles, a failure shown), and choosing an event's templates with a refusal shown in words.

const STOP = 'Balas BERHENTI bila tidak ingin menerima pesan lagi.';
const XSS = '<script>alert(1)</script>';

describe('console WhatsApp templates', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let graph: FakeGraph;
  let config: WhatsappCloudConfig;
  let base: string;
  let admin: Browser;
  let spv: Browser;
  let operator: Browser;
  let viewer: Browser;
  let eventId: number;

  beforeAll(async () => {
    w = await distributionWorld();
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
    t = await createTestApp(w.database);
    base = await t.listen();
    for (const [email, role] of [['admin@tpl.test', 'admin'], ['spv@tpl.test', 'supervisor'], ['op@tpl.test', 'operator'], ['viewer@tpl.test', 'viewer']] as const) {
      await createStaffUser(w.db, 'system', { email, name: `Petugas ${role}`, role, password: PASSWORD });
    }
    ({ b: admin } = await signedIn(base, 'admin@tpl.test'));
    ({ b: spv } = await signedIn(base, 'spv@tpl.test'));
    ({ b: operator } = await signedIn(base, 'op@tpl.test'));
    ({ b: viewer } = await signedIn(base, 'viewer@tpl.test'));
    ({ eventId } = await makeEvent(w.db, { programId: w.householdProgramId, title: 'Penyaluran Uji Template', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 }] }));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await graph?.close();
    await w?.dispose();
  });
  beforeEach(() => graph.reset());

  const page = async (b: Browser, path = '/console/templates') => {
    const res = await b.fetch(path);
    return { status: res.status, html: await res.text() };
  };

  it('says plainly which setting is missing: the Cloud API, then the account id', async () => {
    t.deps.templates = undefined;
    const off = await page(admin);
    expect(off.status).toBe(200);
    expect(off.html).toContain('data-testid="not-configured"');
    expect(off.html).toContain('WHATSAPP_CLOUD_ACCESS_TOKEN');
    expect(off.html).not.toContain('/console/templates/sync');
    // No Cloud API: the event page has no template form either.
    expect((await page(admin, `/console/distribution/${eventId}`)).html).not.toContain('id="h-templates"');

    const { businessAccountId: _, ...noAccount } = config;
    t.deps.templates = createTemplateSync(w.database, noAccount, createLogger('silent'));
    const noWaba = await page(admin);
    expect(noWaba.html).toContain('WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID');
    expect(noWaba.html).not.toContain('action="/console/templates/sync"');
    expect(noWaba.html).toContain('pintu_undangan'); // the settings' defaults are shown
    expect(graph.requests).toHaveLength(0);
  });

  it('is linked and open for distribution and broadcast managers only', async () => {
    t.deps.templates = createTemplateSync(w.database, config, createLogger('silent'));
    for (const b of [admin, spv]) {
      const p = await page(b);
      expect(p.status).toBe(200);
      expect(p.html).toContain('href="/console/templates"');
    }
    for (const b of [operator, viewer]) {
      expect((await page(b)).status).toBe(403);
      expect((await page(b, '/console/password')).html).not.toContain('href="/console/templates"');
      const csrf = csrfIn((await page(b, '/console/password')).html);
      expect((await b.post('/console/templates/sync', { _csrf: csrf })).status).toBe(403);
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('syncs on the button (CSRF checked) and lists each template with its status, body and reason', async () => {
    t.deps.templates = createTemplateSync(w.database, config, createLogger('silent'));
    graph.setTemplates([
      metaTemplate('pintu_undangan', `Dinas Sosial mengundang Bapak/Ibu ke {{1}} pada {{2}} di {{3}}. Kode {{4}}. {{5}}. ${STOP}`),
      metaTemplate('pintu_pengingat', `Pengingat {{1}}: {{2}} di {{3}}, kode {{4}}. ${STOP}`),
      metaTemplate('pintu_ditolak', `Teks ${XSS} {{1}}`, { status: 'REJECTED', rejectedReason: 'INVALID_FORMAT' }),
      metaTemplate('pintu_menunggu', `Undangan {{1}} {{2}} {{3}} {{4}} {{5}}. ${STOP}`, { status: 'PENDING' }),
    ]);
    const before = await page(spv);
    expect(before.html).toContain('Belum pernah disinkronkan');
    expect((await spv.post('/console/templates/sync', { _csrf: 'wrong' })).status).toBe(403);
    expect(graph.requests).toHaveLength(0);

    const res = await spv.post('/console/templates/sync', { _csrf: csrfIn(before.html) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/templates?done=synced');
    expect(graph.requests.map((r) => r.path)).toEqual([`/${graph.wabaId}/message_templates`]);
    const after = await page(spv, res.headers.get('location')!);
    expect(after.html).toContain('data-testid="sync-result"');
    expect(after.html).toContain('Sinkronisasi berhasil: 4 template');
    expect(after.html).toContain('Sinkronisasi terakhir:');
    // Approved in green with its word, the others plainly not.
    expect(after.html).toMatch(/<strong style="color:#0b5d3b" data-status="APPROVED">Disetujui \(APPROVED\)<\/strong>/);
    expect(after.html).toMatch(/<span class="late" data-status="REJECTED">Ditolak \(REJECTED\)<\/span>/);
    expect(after.html).toContain('Menunggu persetujuan (PENDING)');
    expect(after.html).toContain('INVALID_FORMAT');
    expect(after.html).toContain('Dinas Sosial mengundang Bapak/Ibu ke {{1}}');
    expect(after.html).not.toContain(XSS);
    expect(after.html).toContain('&lt;script&gt;');
    const row = /<tr data-template="pintu_undangan:id">([\s\S]*?)<\/tr>/.exec(after.html)![1]!;
    expect(row).toContain('<td>5</td>');
    expect(row).toContain('UTILITY');
    expect(await w.db.select().from(auditLog).where(eq(auditLog.action, 'whatsapp.templates.sync'))).toHaveLength(1);
  });

  it('shows the last sync error on the page', async () => {
    t.deps.templates = createTemplateSync(w.database, config, createLogger('silent'));
    graph.failNext(graphErrors.token);
    const csrf = csrfIn((await page(admin)).html);
    expect((await admin.post('/console/templates/sync', { _csrf: csrf })).status).toBe(303);
    const p = await page(admin);
    expect(p.html).toContain('data-testid="sync-error"');
    expect(p.html).toContain('Sinkronisasi terakhir gagal');
    expect(p.html).toContain('WHATSAPP_CLOUD_ACCESS_TOKEN');
    // The templates stored by the last good sync are still listed.
    expect(p.html).toContain('data-template="pintu_undangan:id"');
  });

  it("chooses an event's templates on its page; a refused one is shown with its reason", async () => {
    t.deps.templates = createTemplateSync(w.database, config, createLogger('silent'));
    expect((await w.db.select().from(whatsappTemplates)).length).toBeGreaterThan(0); // synced above
    const eventPath = `/console/distribution/${eventId}`;
    const p = await page(spv, eventPath);
    expect(p.html).toContain('action="/console/distribution/' + eventId + '/templates"');
    expect(p.html).toContain('Bawaan pengaturan (pintu_undangan)');
    expect(p.html).toContain('pintu_menunggu · Menunggu persetujuan');
    const csrf = csrfIn(p.html);

    const refused = await spv.post(`${eventPath}/templates`, { _csrf: csrf, invitationTemplate: 'pintu_menunggu', reminderTemplate: '' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Template belum disetujui Meta');
    const rejected = await spv.post(`${eventPath}/templates`, { _csrf: csrf, invitationTemplate: 'pintu_ditolak', reminderTemplate: '' });
    expect(rejected.status).toBe(422);

    const ok = await spv.post(`${eventPath}/templates`, { _csrf: csrf, invitationTemplate: 'pintu_undangan', reminderTemplate: 'pintu_pengingat' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${eventPath}?done=templates_saved#templates`);
    const saved = await page(spv, `${eventPath}?done=templates_saved`);
    expect(saved.html).toContain('Template WhatsApp kegiatan ini sudah disimpan');
    expect(saved.html).toMatch(/<option value="pintu_undangan" selected="">/);
    expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, eventId)))[0]).toMatchObject({ invitationTemplate: 'pintu_undangan', reminderTemplate: 'pintu_pengingat' });
    expect(await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'distribution.event.templates'), eq(auditLog.entityId, String(eventId))))).toHaveLength(1);

    // A viewer sees no form and may not post; without CSRF nobody may.
    const v = await page(viewer, eventPath);
    expect(v.html).not.toContain('id="h-templates"');
    expect((await viewer.post(`${eventPath}/templates`, { _csrf: csrfIn(v.html), invitationTemplate: '' })).status).toBe(403);
    expect((await spv.post(`${eventPath}/templates`, { invitationTemplate: '' })).status).toBe(403);
    expect((await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, eventId)))[0]!.invitationTemplate).toBe('pintu_undangan');
  });
});
