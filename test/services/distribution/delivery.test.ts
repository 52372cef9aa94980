import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forbidden } from '../../../src/services/access.ts';
import { deliveryOfInvitations, eventDelivery } from '../../../src/services/distribution/delivery.ts';
import { listInvitations } from '../../../src/services/distribution/invitation-list.ts';
import { eventProgress } from '../../../src/services/distribution/progress.ts';
import { makeProgram } from './fixtures.ts';
import { deliveryEvent, type DeliveryEvent } from './delivery-fixtures.ts';
import { distributionWorld, makeEvent, NOW, staff, type DistributionWorld } from './fixtures.ts';

// Delivery per invitation (the invitation list) and per event (the progress page), read off outbox rows set by
// hand to every state: the best message per invitation, the path (linked chat, registry phone, paper), the
// failure kind; and for the event only the invitation message itself, never a reminder.

let w: DistributionWorld;
let e: DeliveryEvent;

beforeAll(async () => {
  w = await distributionWorld();
  e = await deliveryEvent(w);
}, 120_000);
afterAll(async () => {
  await w?.dispose();
});

describe('deliveryOfInvitations', () => {
  it('gives each invitation its best state, its path, its channels and the kind of a failure', async () => {
    const ids = Object.values(e.inv);
    const d = await deliveryOfInvitations(w.db, [...ids, ids[0]!]);
    const of = (name: string) => d.get(e.inv[name]!)!;
    expect(d.size).toBe(ids.length);
    expect(of('read')).toEqual({ state: 'read', path: 'chat', channels: ['whatsapp_cloud'], failure: null });
    expect(of('delivered')).toEqual({ state: 'delivered', path: 'whatsapp', channels: ['whatsapp_cloud'], failure: null });
    expect(of('sent')).toEqual({ state: 'sent', path: 'chat', channels: ['telegram'], failure: null });
    expect(of('pending')).toEqual({ state: 'pending', path: 'whatsapp', channels: ['whatsapp_cloud'], failure: null });
    expect(of('sending')).toEqual({ state: 'pending', path: 'chat', channels: ['webchat'], failure: null });
    expect(of('notOnWa')).toEqual({ state: 'failed', path: 'paper', channels: ['whatsapp_web'], failure: 'not_on_whatsapp' });
    expect(of('template')).toEqual({ state: 'failed', path: 'paper', channels: ['whatsapp_cloud'], failure: 'template' });
    expect(of('stopped')).toEqual({ state: 'skipped', path: 'paper', channels: ['telegram'], failure: 'contact_stopped' });
    expect(of('none')).toEqual({ state: 'none', path: 'paper', channels: [], failure: null });
    // The list takes every message: the reminder that was read counts here (not on the progress page).
    expect(of('reminderOnly')).toEqual({ state: 'read', path: 'whatsapp', channels: ['whatsapp_cloud'], failure: null });
    // The linked chat failed, the registry phone got it: reached on WhatsApp.
    expect(of('twoWays')).toEqual({ state: 'delivered', path: 'whatsapp', channels: ['telegram', 'whatsapp_cloud'], failure: null });
  });

  it('answers an empty map for no ids, and "none" for an id without messages', async () => {
    expect((await deliveryOfInvitations(w.db, [])).size).toBe(0);
    expect((await deliveryOfInvitations(w.db, [987_654_321])).get(987_654_321)).toEqual({ state: 'none', path: 'paper', channels: [], failure: null });
  });
});

describe('eventDelivery', () => {
  it('counts path × state over the invitation message alone, with failure reasons', async () => {
    const d = await eventDelivery(w.db, w.admin, e.eventId);
    expect(d).not.toBeNull();
    // 12 invitations but the cancelled one.
    expect(d!.total).toBe(12);
    expect(d!.matrix).toEqual({
      chat: { read: 1, delivered: 0, sent: 2, pending: 1, failed: 0, skipped: 0, none: 0 },
      whatsapp: { read: 0, delivered: 2, sent: 0, pending: 1, failed: 0, skipped: 0, none: 0 },
      // reminderOnly: its invitation failed outside the window; the read reminder does not make it reached.
      paper: { read: 0, delivered: 0, sent: 0, pending: 0, failed: 3, skipped: 1, none: 1 },
    });
    expect(d!.byPath).toEqual({ chat: 4, whatsapp: 3, paper: 5 });
    expect(d!.byState).toEqual({ read: 1, delivered: 2, sent: 2, pending: 2, failed: 3, skipped: 1, none: 1 });
    expect(d!.failures).toEqual([
      { reason: 'not_on_whatsapp', count: 1 },
      { reason: 'outside_24h_window', count: 1 },
      { reason: 'template', count: 1 },
      { reason: 'contact_stopped', count: 1 },
    ]);
  });

  it('is part of the event progress, with the same figures', async () => {
    const p = await eventProgress(w.db, w.admin, e.eventId);
    expect(p!.delivery).toEqual(await eventDelivery(w.db, w.admin, e.eventId));
  });

  it('shows a kecamatan-scoped reader only their kelurahan, and nothing of another event', async () => {
    const b = await eventDelivery(w.db, await staff(w.db, 'viewer', w.area.kecB), e.eventId);
    expect(b!.total).toBe(1);
    expect(b!.matrix.chat.sent).toBe(1);
    const a = await eventDelivery(w.db, await staff(w.db, 'field_officer', w.area.kecA), e.eventId);
    expect(a!.total).toBe(11);
    expect(a!.matrix.chat.sent).toBe(1);

    const other = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteB, start: '13:00', end: '15:00', capacity: 5 }] });
    expect(await eventDelivery(w.db, await staff(w.db, 'viewer', w.area.kecA), other.eventId)).toBeNull();
    expect((await eventDelivery(w.db, w.admin, other.eventId))!.total).toBe(0);
  });

  it('is refused without distribution.read, null for an unknown event or another bidang', async () => {
    await expect(eventDelivery(w.db, await staff(w.db, 'operator'), e.eventId)).rejects.toBeInstanceOf(Forbidden);
    expect(await eventDelivery(w.db, w.admin, 999_999)).toBeNull();
    const rehsos = await makeProgram(w.db, { bidang: 'Rehsos' });
    const ev = await makeEvent(w.db, { programId: rehsos, slots: [{ siteId: w.siteA, start: '13:00', end: '15:00', capacity: 5 }] });
    const linjamsos = { ...(await staff(w.db, 'viewer')), bidang: 'Linjamsos' as const };
    expect(await eventDelivery(w.db, linjamsos, ev.eventId)).toBeNull();
  });
});

describe('the invitation list', () => {
  it('carries each row’s delivery, and the export its columns', async () => {
    const supervisor = await staff(w.db, 'supervisor');
    const r = await listInvitations(w.db, supervisor, { eventId: e.eventId }, { now: NOW });
    if (!r.ok) throw new Error(r.reason);
    const row = (name: string) => r.rows.find((x) => x.invitationId === e.inv[name])!;
    expect(row('template').delivery).toEqual({ state: 'failed', path: 'paper', channels: ['whatsapp_cloud'], failure: 'template' });
    expect(row('read').delivery.state).toBe('read');
    expect(row('none').delivery).toMatchObject({ state: 'none', path: 'paper' });
    // A page of two still reads each row's own messages.
    const page = await listInvitations(w.db, supervisor, { eventId: e.eventId, limit: 2, after: e.inv.pending! - 1 }, { now: NOW });
    if (!page.ok) throw new Error(page.reason);
    expect(page.rows.map((x) => x.delivery.state)).toEqual(['pending', 'pending']);
  });
});
