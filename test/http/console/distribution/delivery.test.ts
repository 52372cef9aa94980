import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { PASSWORD, signedIn, type Browser } from '../../../helpers/console.ts';
import { deliveryEvent, type DeliveryEvent } from '../../../services/distribution/delivery-fixtures.ts';
import { distributionWorld, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// Delivery over HTTP: the API's invitation list and its CSV carry each row's delivery state, path and failure
// kind; the console progress page (and its live part) shows path × state and the failure reasons.

describe('delivery on the invitation list and the progress page', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let e: DeliveryEvent;
  let token: string;
  let spv: Browser;

  beforeAll(async () => {
    w = await distributionWorld();
    e = await deliveryEvent(w);
    t = await createTestApp(w.database, { clock: () => NOW });
    const base = await t.listen();
    ({ token } = await createApiToken(w.db, w.admin, { name: 'uji pengiriman', role: 'supervisor' }));
    await createStaffUser(w.db, 'system', { email: 'spv@delivery.test', name: 'Supervisor Uji', role: 'supervisor', password: PASSWORD });
    ({ b: spv } = await signedIn(base, 'spv@delivery.test'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const get = (path: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('GET /events/:id/invitations gives each row its delivery', async () => {
    const res = await get(`/api/v1/events/${e.eventId}/invitations`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { invitationId: number; delivery: unknown }[] };
    const of = (name: string) => body.items.find((i) => i.invitationId === e.inv[name])!.delivery;
    expect(of('notOnWa')).toEqual({ state: 'failed', path: 'paper', channels: ['whatsapp_web'], failure: 'not_on_whatsapp' });
    expect(of('delivered')).toEqual({ state: 'delivered', path: 'whatsapp', channels: ['whatsapp_cloud'], failure: null });
    expect(of('read')).toEqual({ state: 'read', path: 'chat', channels: ['whatsapp_cloud'], failure: null });
    expect(of('none')).toEqual({ state: 'none', path: 'paper', channels: [], failure: null });
  });

  it('the CSV has the delivery columns with headers from the locale', async () => {
    const csv = (await (await get(`/api/v1/events/${e.eventId}/invitations.csv`)).text()).trim().split('\r\n');
    expect(csv[0]!.endsWith(',pengiriman,jalur,alasan_gagal')).toBe(true);
    expect(csv.some((line) => line.endsWith(',failed,paper,template'))).toBe(true);
    expect(csv.some((line) => line.endsWith(',skipped,paper,contact_stopped'))).toBe(true);
    expect(csv.some((line) => line.endsWith(',read,chat,'))).toBe(true);
    const en = (await (await t.app.request(`/api/v1/events/${e.eventId}/invitations.csv`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } })).text()).split('\r\n')[0]!;
    expect(en).toBe('code,round,status,kelurahan,head_of_household,site,slot,has_chat,proxy,collected,delivery,path,failure');
  });

  it('the progress page shows path × state and the failure reasons, and so does its delivery part', async () => {
    for (const path of [`/console/distribution/${e.eventId}/progress`, `/console/distribution/${e.eventId}/progress/delivery`]) {
      const res = await spv.fetch(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain('Pengiriman undangan');
      expect(html).toContain('id="delivery-chart-title"');
      expect(html).toMatch(/data-testid="delivery-chat-read">1</);
      expect(html).toMatch(/data-testid="delivery-chat-sent">2</);
      expect(html).toMatch(/data-testid="delivery-whatsapp-delivered">2</);
      expect(html).toMatch(/data-testid="delivery-paper-failed">3</);
      expect(html).toMatch(/data-testid="delivery-paper-none">1</);
      expect(html).toMatch(/data-testid="delivery-paper">5</);
      expect(html).toMatch(/data-testid="delivery-total-pending">2</);
      expect(html).toMatch(/data-testid="failure-not_on_whatsapp">1</);
      expect(html).toMatch(/data-testid="failure-template">1</);
      expect(html).toContain('template WhatsApp ditolak Meta');
      expect(html).toContain('nomor tidak memakai WhatsApp');
      expect(html).toContain('lewat WhatsApp (nomor di data)');
      // Delivery reports do not move the invitations the stream watches: the card reloads on its own.
      expect(html).toContain(`hx-get="/console/distribution/${e.eventId}/progress/delivery" hx-trigger="every 60s"`);
    }
    // The part that reloads at every check-in leaves the heavier delivery count out.
    const live = await (await spv.fetch(`/console/distribution/${e.eventId}/progress/live`)).text();
    expect(live).toContain('data-testid="total-invited"');
    expect(live).not.toContain('data-testid="delivery"');
    expect((await spv.fetch('/console/distribution/999999/progress/delivery')).status).toBe(404);
  });
});
