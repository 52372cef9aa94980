import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, invitations, outbox, proxies } from '../../../src/db/schema/index.ts';
import { maskName } from '../../../src/domain/mask.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { decideProxy, pendingProxies } from '../../../src/services/distribution/proxies.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, NOW, staff, TZ, type ChatSpec, type DistributionWorld } from './fixtures.ts';

let w: DistributionWorld;
let eventId: number;
let slotA: number;
let supervisorA: Actor;
let supervisorB: Actor;
const opts = { now: NOW, timeZone: TZ };

beforeAll(async () => {
  w = await distributionWorld();
  const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 }] });
  eventId = ev.eventId;
  slotA = ev.slotIds[0]!;
  supervisorA = await staff(w.db, 'supervisor', w.area.kecA);
  supervisorB = await staff(w.db, 'supervisor', w.area.kecB);
});
afterAll(async () => {
  await w?.dispose();
});

async function namedProxy(opts: { kelurahanId?: number; chats?: ChatSpec[]; status?: 'invited' | 'confirmed' | 'collected'; relation?: string } = {}) {
  const hh = await makeHousehold(w.db, { kelurahanId: opts.kelurahanId ?? w.area.kelA1, chats: opts.chats ?? [{ language: 'id' }] });
  const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: slotA, status: opts.status ?? 'invited' });
  const [p] = await w.db
    .insert(proxies)
    .values({ invitationId: inv.invitationId, name: 'Rahmat Hidayat', nik: '2171010101900003', relation: opts.relation ?? 'spouse', reason: 'at_sea', reasonNote: 'melaut, NIK istri 2171010101900003', status: 'pending', createdAt: NOW })
    .returning({ id: proxies.id });
  return { ...hh, ...inv, proxyId: p!.id };
}

async function proxyRow(id: number) {
  const [p] = await w.db.select().from(proxies).where(eq(proxies.id, id));
  return p!;
}

async function sentTo(contactIds: number[]) {
  const rows = await w.db.select().from(outbox).orderBy(asc(outbox.id));
  return rows.filter((r) => contactIds.includes(r.contactId)).map((r) => ({ contactId: r.contactId, text: (r.payload as { text: string }).text }));
}

describe('pendingProxies', () => {
  it('lists pending kuasa of open invitations in scope, masked, and audits the read', async () => {
    const a = await namedProxy();
    const b = await namedProxy({ kelurahanId: w.area.kelB1 });
    const collected = await namedProxy({ status: 'collected' });
    const list = await pendingProxies(w.db, supervisorA, { eventId });
    const ids = list.map((p) => p.proxyId);
    expect(ids).toContain(a.proxyId);
    expect(ids).not.toContain(b.proxyId);
    expect(ids).not.toContain(collected.proxyId);
    const row = list.find((p) => p.proxyId === a.proxyId)!;
    expect(row).toMatchObject({
      invitationId: a.invitationId,
      code: a.code,
      eventId,
      kelurahan: 'Sungai Binti',
      headName: maskName(a.headName),
      proxyName: maskName('Rahmat Hidayat'),
      proxyNik: '217101******0003',
      relation: 'spouse',
      reason: 'at_sea',
      reasonNote: 'melaut, NIK istri 217101******0003',
    });
    expect(JSON.stringify(list)).not.toContain('2171010101900003');
    expect((await pendingProxies(w.db, w.admin, { eventId })).map((p) => p.proxyId)).toEqual(expect.arrayContaining([a.proxyId, b.proxyId]));
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'proxy.list'), eq(auditLog.staffId, supervisorA.id)));
    expect(audits).toHaveLength(1);
  });

  it('is refused to roles that do not manage distributions', async () => {
    for (const role of ['field_officer', 'viewer', 'operator'] as const) {
      await expect(pendingProxies(w.db, await staff(w.db, role))).rejects.toBeInstanceOf(Forbidden);
    }
  });
});

describe('decideProxy', () => {
  it('approves, tells every linked chat in its language who may collect and what to bring, and audits', async () => {
    const p = await namedProxy({ chats: [{ language: 'id' }, { language: 'en', channel: 'telegram' }, { language: 'id', unreachable: true }] });
    const [before] = await w.db.select({ updatedAt: invitations.updatedAt }).from(invitations).where(eq(invitations.id, p.invitationId));
    const r = await decideProxy(w.db, supervisorA, p.proxyId, { approve: true }, opts);
    expect(r).toEqual({ ok: true, proxyId: p.proxyId, status: 'approved', notified: 2 });
    expect(await proxyRow(p.proxyId)).toMatchObject({ status: 'approved', decidedBy: supervisorA.id, decidedAt: NOW, decisionNote: null });
    const [after] = await w.db.select({ updatedAt: invitations.updatedAt }).from(invitations).where(eq(invitations.id, p.invitationId));
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());

    const sent = await sentTo(p.contactIds);
    expect(sent.map((s) => s.contactId)).toEqual([p.contactIds[0], p.contactIds[1]]);
    const name = maskName('Rahmat Hidayat');
    expect(sent[0]!.text).toContain(`${name} (Suami/istri) boleh mengambil bantuan`);
    expect(sent[0]!.text).toContain('Surat kuasa');
    expect(sent[0]!.text).toContain('KTP asli kuasa');
    expect(sent[0]!.text).toContain(`Kode undangan ${p.code}`);
    expect(sent[0]!.text).toContain('Kamis, 10 Desember 2026 pukul 08.00 WIB – 10.00 WIB, di Kantor Kelurahan Sungai Binti');
    expect(sent[1]!.text).toContain(`${name} (Husband/wife) may collect the aid`);
    expect(sent[1]!.text).toContain('Thursday, 10 December 2026 at 08:00 WIB');
    expect(sent.map((s) => s.text).join()).not.toContain('Rahmat');
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'proxy.approve'), eq(auditLog.entityId, String(p.proxyId))));
    expect(audits).toHaveLength(1);
  });

  it('rejects with the reason and what to do, and needs that reason', async () => {
    const p = await namedProxy({ relation: 'tetangga' });
    expect(await decideProxy(w.db, supervisorA, p.proxyId, { approve: false, note: '   ' }, opts)).toEqual({ ok: false, reason: 'note_required' });
    expect((await proxyRow(p.proxyId)).status).toBe('pending');
    const r = await decideProxy(w.db, supervisorA, p.proxyId, { approve: false, note: 'Surat kuasa belum ditandatangani.' }, opts);
    expect(r).toMatchObject({ ok: true, status: 'rejected', notified: 1 });
    expect(await proxyRow(p.proxyId)).toMatchObject({ status: 'rejected', decisionNote: 'Surat kuasa belum ditandatangani.' });
    const [msg] = await sentTo(p.contactIds);
    expect(msg!.text).toContain('tidak disetujui');
    expect(msg!.text).toContain('Alasan: Surat kuasa belum ditandatangani.');
    expect(msg!.text).toContain(`kode undangan ${p.code}`);
    expect(msg!.text).toContain('kuasa lain');
  });

  it('refuses a second decision, changing nothing', async () => {
    const p = await namedProxy();
    expect((await decideProxy(w.db, supervisorA, p.proxyId, { approve: true }, opts)).ok).toBe(true);
    const row = await proxyRow(p.proxyId);
    const queued = (await sentTo(p.contactIds)).length;
    expect(await decideProxy(w.db, w.admin, p.proxyId, { approve: false, note: 'berubah pikiran' }, opts)).toEqual({ ok: false, reason: 'already_decided', status: 'approved' });
    expect(await decideProxy(w.db, w.admin, p.proxyId, { approve: true }, opts)).toEqual({ ok: false, reason: 'already_decided', status: 'approved' });
    expect(await proxyRow(p.proxyId)).toEqual(row);
    expect((await sentTo(p.contactIds)).length).toBe(queued);
  });

  it('refuses out-of-scope and unknown proxies alike, roles without the right, and closed invitations', async () => {
    const p = await namedProxy();
    expect(await decideProxy(w.db, supervisorB, p.proxyId, { approve: true }, opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await decideProxy(w.db, supervisorA, 999_999, { approve: true }, opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await decideProxy(w.db, supervisorA, -1, { approve: true }, opts)).toEqual({ ok: false, reason: 'invalid_input' });
    await expect(decideProxy(w.db, await staff(w.db, 'field_officer'), p.proxyId, { approve: true }, opts)).rejects.toBeInstanceOf(Forbidden);
    const done = await namedProxy({ status: 'collected' });
    expect(await decideProxy(w.db, supervisorA, done.proxyId, { approve: true }, opts)).toEqual({ ok: false, reason: 'invitation_closed', invitationStatus: 'collected' });
    expect((await proxyRow(p.proxyId)).status).toBe('pending');
    expect((await proxyRow(done.proxyId)).status).toBe('pending');
    expect(await sentTo([...p.contactIds, ...done.contactIds])).toEqual([]);
  });
});
