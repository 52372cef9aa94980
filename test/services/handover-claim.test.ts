import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { auditLog, contacts, messages, outbox, staffUsers } from '../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { Forbidden } from '../../src/services/access.ts';
import type { Actor } from '../../src/services/actor.ts';
import { claimHandover, closeHandover, getHandover, handoverCounts, listHandovers, releaseHandover, replyInHandover } from '../../src/services/handover.ts';
import { claimHolder, replyClaim } from '../../src/services/handover-desk/claim.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { contact, kecamatanId, staff } from './complaints/lifecycle.fixtures.ts';
import { seededDatabase } from './seeded.ts';

// Live chats are claimed (issue 18): one officer answers a resident at a time, everyone else sees who, a
// supervisor can take a chat over, and a claim belongs to one handover only.

let database: TestDatabase;
let rina: Actor;
let dodi: Actor;
let sari: Actor; // a supervisor
let nongsaOperator: Actor;
let viewer: Actor;
let i18n: Translator;
const db = () => database.db;

async function named(role: 'operator' | 'supervisor', name: string, scope: { kecamatanId?: number } = {}) {
  const a = await staff(db(), role, scope);
  await db().update(staffUsers).set({ name }).where(eq(staffUsers.id, a.id));
  return a;
}

beforeAll(async () => {
  database = await seededDatabase(10);
  rina = await named('operator', 'Rina');
  dodi = await named('operator', 'Dodi');
  sari = await named('supervisor', 'Sari');
  nongsaOperator = await named('operator', 'Nongsa', { kecamatanId: await kecamatanId(db(), 'Nongsa') });
  viewer = await staff(db(), 'viewer');
  i18n = await createI18n('id');
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function said(contactId: number, text: string, at = new Date()) {
  const [m] = await db().insert(messages).values({ contactId, channel: 'webchat', direction: 'in', kind: 'text', body: text, createdAt: at }).returning({ id: messages.id });
  return m!.id;
}

/** A resident (web chat, unverified: the city-wide desk's) who asked for an officer `minutes` ago. */
async function asked(opts: { language?: string; minutes?: number } = {}) {
  const at = minutesAgo(opts.minutes ?? 30);
  const id = await contact(db(), { channel: 'webchat', ...(opts.language ? { language: opts.language } : {}) });
  const requestId = await said(id, 'petugas', at);
  await db().update(contacts).set({ handoverAt: at, handoverMessageId: requestId }).where(eq(contacts.id, id));
  return id;
}

const row = async (id: number) => (await db().select().from(contacts).where(eq(contacts.id, id)))[0]!;
const listed = async (actor: Actor, id: number) => (await listHandovers(db(), actor)).find((h) => h.contactId === id);
const audits = async (id: number, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'contact'), eq(auditLog.entityId, String(id)), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.id));
const outboxTexts = async (id: number) => (await db().select().from(outbox).where(eq(outbox.contactId, id)).orderBy(asc(outbox.id))).map((r) => (r.payload as { text: string }).text);

describe('claimHolder and replyClaim', () => {
  const at = new Date('2027-01-10T03:00:00Z');
  it('counts a claim only from this handover on', () => {
    expect(claimHolder({ handoverAt: at, handoverStaffId: 7, handoverClaimedAt: at })).toBe(7);
    expect(claimHolder({ handoverAt: at, handoverStaffId: 7, handoverClaimedAt: new Date(at.getTime() + 1000) })).toBe(7);
    expect(claimHolder({ handoverAt: at, handoverStaffId: 7, handoverClaimedAt: new Date(at.getTime() - 1) })).toBeNull();
    expect(claimHolder({ handoverAt: null, handoverStaffId: 7, handoverClaimedAt: at })).toBeNull();
    expect(claimHolder({ handoverAt: at, handoverStaffId: null, handoverClaimedAt: at })).toBeNull();
    expect(claimHolder({ handoverAt: at, handoverStaffId: 7, handoverClaimedAt: null })).toBeNull();
  });
  it('lets a reply claim a free chat, the holder write, and nobody else', () => {
    expect(replyClaim(null, 5)).toEqual({ ok: true, claim: true });
    expect(replyClaim(5, 5)).toEqual({ ok: true, claim: false });
    expect(replyClaim(5, 6)).toEqual({ ok: false, reason: 'claimed_by_other' });
    // An API token writes in a chat nobody holds (without claiming it), never over an officer.
    expect(replyClaim(null, null)).toEqual({ ok: true, claim: false });
    expect(replyClaim(5, null)).toEqual({ ok: false, reason: 'claimed_by_other' });
  });
});

describe('claimHandover', () => {
  it('gives the chat to the first officer, refuses the second, and shows everyone who is on it', async () => {
    const id = await asked();
    expect((await listed(dodi, id))!.claimedBy).toBeNull();
    const now = new Date();
    expect(await claimHandover(db(), rina, id, { now })).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ handoverStaffId: rina.id, handoverClaimedAt: now });
    expect((await audits(id, 'handover.claim')).map((a) => [a.staffId, a.details])).toEqual([[rina.id, { fromStaffId: null }]]);

    expect(await claimHandover(db(), dodi, id)).toEqual({ ok: false, reason: 'claimed_by_other' });
    expect((await row(id)).handoverStaffId).toBe(rina.id);
    expect((await listed(dodi, id))!.claimedBy).toEqual({ id: rina.id, name: 'Rina' });
    expect((await getHandover(db(), dodi, id, { audit: false }))!.claimedBy).toEqual({ id: rina.id, name: 'Rina' });

    // Claiming one's own chat again changes and audits nothing.
    expect(await claimHandover(db(), rina, id)).toEqual({ ok: true });
    expect(await audits(id, 'handover.claim')).toHaveLength(1);
    expect((await row(id)).handoverClaimedAt).toEqual(now);
  });

  it('lets a supervisor take a chat over, audited with whom it was taken from', async () => {
    const id = await asked();
    await claimHandover(db(), rina, id);
    expect(await claimHandover(db(), sari, id)).toEqual({ ok: true });
    expect((await row(id)).handoverStaffId).toBe(sari.id);
    expect((await audits(id, 'handover.claim')).map((a) => [a.staffId, a.details])).toEqual([
      [rina.id, { fromStaffId: null }],
      [sari.id, { fromStaffId: rina.id }],
    ]);
    expect((await listed(rina, id))!.claimedBy).toEqual({ id: sari.id, name: 'Sari' });
    expect(await replyInHandover(db(), rina, id, { text: 'Halo' })).toEqual({ ok: false, reason: 'claimed_by_other' });
  });

  it('refuses what is not in handover or not in scope, an API token, and staff who do not answer residents', async () => {
    const idle = await contact(db(), { channel: 'webchat' });
    expect(await claimHandover(db(), rina, idle)).toEqual({ ok: false, reason: 'not_in_handover' });
    expect(await claimHandover(db(), rina, 0)).toEqual({ ok: false, reason: 'not_in_handover' });
    const id = await asked();
    // An unverified chat is the city-wide desk's: a kecamatan officer cannot take it.
    expect(await claimHandover(db(), nongsaOperator, id)).toEqual({ ok: false, reason: 'not_in_handover' });
    const api: Actor = { kind: 'api', id: 1, role: 'admin', kecamatanId: null, bidang: null };
    expect(await claimHandover(db(), api, id)).toEqual({ ok: false, reason: 'invalid_input' });
    await expect(claimHandover(db(), viewer, id)).rejects.toBeInstanceOf(Forbidden);
    await expect(releaseHandover(db(), viewer, id)).rejects.toBeInstanceOf(Forbidden);
    expect(await row(id)).toMatchObject({ handoverStaffId: null, handoverClaimedAt: null });
  });
});

describe('releaseHandover', () => {
  it('lets the holder let go, and is a no-op for anyone else', async () => {
    const id = await asked();
    await claimHandover(db(), rina, id);
    expect(await releaseHandover(db(), dodi, id)).toEqual({ ok: true });
    expect((await row(id)).handoverStaffId).toBe(rina.id);
    expect(await audits(id, 'handover.release')).toEqual([]);
    expect(await releaseHandover(db(), rina, id)).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ handoverStaffId: null, handoverClaimedAt: null });
    expect((await audits(id, 'handover.release')).map((a) => a.staffId)).toEqual([rina.id]);
    expect((await listed(dodi, id))!.claimedBy).toBeNull();
    expect(await claimHandover(db(), dodi, id)).toEqual({ ok: true });
  });
});

describe('replyInHandover and claims', () => {
  it('claims a free chat for the officer who answers, and keeps every other officer out', async () => {
    const id = await asked();
    const sent = await replyInHandover(db(), dodi, id, { text: 'Halo Bapak/Ibu, saya bantu.', i18n });
    expect(sent.ok).toBe(true);
    expect((await row(id)).handoverStaffId).toBe(dodi.id);
    expect(await replyInHandover(db(), rina, id, { text: 'Saya juga bantu.', i18n })).toEqual({ ok: false, reason: 'claimed_by_other' });
    // Even a supervisor takes over explicitly, never by a reply that lands beside another officer's.
    expect(await replyInHandover(db(), sari, id, { text: 'Saya ambil alih.' })).toEqual({ ok: false, reason: 'claimed_by_other' });
    expect(await outboxTexts(id)).toEqual(['Dodi, petugas Dinas Sosial:\nHalo Bapak/Ibu, saya bantu.']);
    expect(await replyInHandover(db(), dodi, id, { text: 'Mohon tunggu sebentar.' })).toMatchObject({ ok: true });
    expect(await outboxTexts(id)).toHaveLength(2);
  });

  it('signs in the resident’s language', async () => {
    const id = await asked({ language: 'en' });
    await replyInHandover(db(), rina, id, { text: 'How can I help?', i18n });
    expect(await outboxTexts(id)).toEqual(['Rina, social affairs office:\nHow can I help?']);
  });

  it('no longer counts a claim from an earlier handover', async () => {
    const id = await asked({ minutes: 10 });
    // Rina held this chat in a handover that ended; the resident then asked again.
    await db().update(contacts).set({ handoverStaffId: rina.id, handoverClaimedAt: minutesAgo(90) }).where(eq(contacts.id, id));
    expect((await listed(dodi, id))!.claimedBy).toBeNull();
    expect((await getHandover(db(), dodi, id, { audit: false }))!.claimedBy).toBeNull();
    expect(await replyInHandover(db(), dodi, id, { text: 'Halo, saya Dodi.' })).toMatchObject({ ok: true });
    expect((await row(id)).handoverStaffId).toBe(dodi.id);
    expect((await listed(rina, id))!.claimedBy).toEqual({ id: dodi.id, name: 'Dodi' });
  });

  it('clears the claim when the handover closes, so the next one starts free', async () => {
    const id = await asked();
    await claimHandover(db(), rina, id);
    expect(await closeHandover(db(), rina, id, { i18n })).toEqual({ ok: true, notified: true });
    expect(await row(id)).toMatchObject({ handoverAt: null, handoverStaffId: null, handoverClaimedAt: null });
    await db().update(contacts).set({ handoverAt: new Date() }).where(eq(contacts.id, id));
    expect((await listed(dodi, id))!.claimedBy).toBeNull();
    expect(await claimHandover(db(), dodi, id)).toEqual({ ok: true });
  });
});

describe('listHandovers', () => {
  it('shows the language and whether the resident is waiting for an officer', async () => {
    const id = await asked({ language: 'en' });
    expect(await listed(rina, id)).toMatchObject({ language: 'en', claimedBy: null, residentWaiting: true });
    await replyInHandover(db(), rina, id, { text: 'Hello, I am here.' });
    expect(await listed(rina, id)).toMatchObject({ residentWaiting: false, claimedBy: { id: rina.id, name: 'Rina' } });
    expect((await getHandover(db(), rina, id, { audit: false }))!.residentWaiting).toBe(false);
    await said(id, 'My aid has not arrived');
    expect((await listed(rina, id))!.residentWaiting).toBe(true);
    expect((await getHandover(db(), rina, id, { audit: false }))!.residentWaiting).toBe(true);
    const plain = await asked();
    expect((await listed(rina, plain))!.language).toBeNull();
  });

  it('shows a button press in the chat as the option the resident chose', async () => {
    const id = await asked();
    await db()
      .insert(messages)
      .values({ contactId: id, channel: 'webchat', direction: 'out', kind: 'text', body: 'Ada yang bisa dibantu?', payload: { options: [{ id: 'aid', label: 'Cek bantuan' }, { id: 'stop', label: 'Selesai' }] } });
    await db().insert(messages).values({ contactId: id, channel: 'webchat', direction: 'in', kind: 'choice', body: null, payload: { choice: 'aid' } });
    const view = (await getHandover(db(), rina, id, { audit: false }))!;
    expect(view.messages.map((m) => [m.direction, m.body, m.chosen])).toEqual([
      ['in', 'petugas', null],
      ['out', 'Ada yang bisa dibantu?', null],
      ['in', null, 'Cek bantuan'],
    ]);
  });

  // BUG (handover.ts listHandovers, `lastAt`): the subquery sits directly in the select list of a one-table query,
  // where drizzle renders ${contacts.id} as a bare "id"; inside `from messages m` that is m.id, so lastMessageAt is
  // the time of the message whose id happens to equal the contact's id (usually null). It should be the time of
  // the chat's latest message.
  it('shows when the chat last moved', async () => {
    const id = await asked({ minutes: 20 });
    const at = minutesAgo(5);
    await said(id, 'Halo, masih ada?', at);
    expect((await listed(rina, id))!.lastMessageAt).toEqual(at);
  });
});

describe('handoverCounts', () => {
  it('counts chats nobody took and the officer’s own where the resident wrote last', async () => {
    // Only this test's chats are in handover.
    await db().update(contacts).set({ handoverAt: null }).where(isNotNull(contacts.handoverAt));
    await asked(); // nobody's yet
    const stale = await asked({ minutes: 10 });
    await db().update(contacts).set({ handoverStaffId: rina.id, handoverClaimedAt: minutesAgo(60) }).where(eq(contacts.id, stale));
    const rinaWaiting = await asked();
    await replyInHandover(db(), rina, rinaWaiting, { text: 'Sebentar ya.' });
    await said(rinaWaiting, 'Baik, saya tunggu');
    const rinaAnswered = await asked();
    await replyInHandover(db(), rina, rinaAnswered, { text: 'Sudah saya cek.' });
    const dodiWaiting = await asked();
    await claimHandover(db(), dodi, dodiWaiting);

    expect(await handoverCounts(db(), rina)).toEqual({ unclaimed: 2, mineWaiting: 1, total: 5 });
    // Dodi has not written yet: the resident is waiting for him.
    expect(await handoverCounts(db(), dodi)).toEqual({ unclaimed: 2, mineWaiting: 1, total: 5 });
    expect(await handoverCounts(db(), sari)).toEqual({ unclaimed: 2, mineWaiting: 0, total: 5 });
    // Unverified chats are the city-wide desk's.
    expect(await handoverCounts(db(), nongsaOperator)).toEqual({ unclaimed: 0, mineWaiting: 0, total: 0 });
    expect(await handoverCounts(db(), viewer)).toEqual({ unclaimed: 0, mineWaiting: 0, total: 0 });

    await closeHandover(db(), rina, rinaWaiting, { i18n });
    expect(await handoverCounts(db(), rina)).toEqual({ unclaimed: 2, mineWaiting: 0, total: 4 });
  });
});
