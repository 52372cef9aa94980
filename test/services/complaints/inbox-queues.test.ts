import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, staffUsers } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { assignComplaint, closeComplaint, replyToResident, residentReplied, startWork, verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { listComplaints, type ListQuery } from '../../../src/services/complaints/list.ts';
import { complaintConversation, getComplaint } from '../../../src/services/complaints/queries.ts';
import { dismissComplaint } from '../../../src/services/complaints/triage.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { seededDatabase } from '../seeded.ts';
import { contact, file, kecamatanId, staff, wib } from './lifecycle.fixtures.ts';

// The inbox of issue 18: the "waiting for me" queue, the officer / channel / date filters, and what a row says
// (channel, officer, resident replied, close reason). And reads that a page's own refresh makes, which are not audited.

let database: TestDatabase;
let nongsa: number;
let sagulung: number;
let admin: Actor;
let supervisor: Actor;
const db = () => database.db;
const AT = wib('2027-03-01T09:00:00'); // a Monday

beforeAll(async () => {
  database = await seededDatabase(20);
  nongsa = await kecamatanId(db(), 'Nongsa');
  sagulung = await kecamatanId(db(), 'Sagulung');
  admin = await staff(db(), 'admin');
  supervisor = await staff(db(), 'supervisor', { kecamatanId: nongsa });
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

let marks = 0;
/** A word only this test's complaints carry in their summary, so a search isolates them from the rest. */
const marker = () => `Tanda${process.pid}x${++marks}x${Math.random().toString(36).slice(2, 7)}`;

async function named(role: 'operator' | 'supervisor', name: string, kec = nongsa) {
  const a = await staff(db(), role, { kecamatanId: kec });
  await db().update(staffUsers).set({ name }).where(eq(staffUsers.id, a.id));
  return a;
}

async function filed(opts: { mark?: string; now?: Date; kecamatanId?: number; channel?: 'webchat' | 'telegram' | 'whatsapp_web' } = {}) {
  const contactId = await contact(db(), { channel: opts.channel ?? 'webchat' });
  const { id } = await file(db(), { contactId, kecamatanId: opts.kecamatanId ?? nongsa, now: opts.now ?? AT, summary: `Bantuan belum diterima ${opts.mark ?? ''}`.trim() });
  return { id, contactId };
}

/** Filed, verified, assigned to `to` and started. */
async function working(to: Actor, mark?: string) {
  const c = await filed({ ...(mark ? { mark } : {}) });
  await verifyComplaint(db(), admin, c.id, { now: AT });
  await assignComplaint(db(), admin, c.id, to.id, { now: AT });
  await startWork(db(), admin, c.id, { now: AT });
  return c;
}

async function answered(to: Actor, mark?: string) {
  const c = await working(to, mark);
  const r = await replyToResident(db(), to, c.id, { text: 'Sudah kami cek, mohon ditunggu.', now: wib('2027-03-01T10:00:00') });
  expect(r.ok).toBe(true);
  return c;
}

const ids = async (actor: Actor, q: ListQuery) => (await listComplaints(db(), actor, { now: AT, ...q })).rows.map((r) => r.id).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('the waiting queue', () => {
  it('holds my open complaints where the resident wrote after the last answer, or that were reopened', async () => {
    const me = await named('operator', 'Rina');
    const colleague = await named('operator', 'Dodi');
    const later = wib('2027-03-02T09:00:00');

    const fresh = await working(me); // only the filing message: nothing answered yet
    const quiet = await answered(me); // answered, no word since
    const reopened = await answered(me);
    await residentReplied(db(), { contactId: reopened.contactId, text: 'Belum cair juga, bagaimana?', now: later });
    const thanked = await answered(me);
    await residentReplied(db(), { contactId: thanked.contactId, text: 'Baik, terima kasih pak', now: later });
    const reanswered = await answered(me);
    await residentReplied(db(), { contactId: reanswered.contactId, text: 'Kapan tepatnya?', now: later });
    await replyToResident(db(), me, reanswered.id, { text: 'Hari Kamis.', now: wib('2027-03-02T10:00:00') });
    const closed = await answered(me);
    await residentReplied(db(), { contactId: closed.contactId, text: 'Oke terima kasih', now: later });
    await closeComplaint(db(), me, closed.id, { now: wib('2027-03-02T11:00:00') });
    const theirs = await answered(colleague);
    await residentReplied(db(), { contactId: theirs.contactId, text: 'Belum cair juga', now: later });

    expect(await ids(me, { queue: 'waiting' })).toEqual(sorted([reopened.id, thanked.id]));
    expect((await listComplaints(db(), me, { queue: 'waiting' })).total).toBe(2);
    expect(await ids(me, { queue: 'mine' })).toEqual(sorted([fresh.id, quiet.id, reopened.id, thanked.id, reanswered.id, closed.id]));
    expect(await ids(colleague, { queue: 'waiting' })).toEqual([theirs.id]);
    // A supervisor's own waiting queue is theirs, not everyone's in scope.
    expect(await ids(supervisor, { queue: 'waiting' })).toEqual([]);
    const api: Actor = { kind: 'api', id: 1, role: 'admin', kecamatanId: null, bidang: null };
    expect(await ids(api, { queue: 'waiting' })).toEqual([]);

  });

  // BUG (queries.ts listComplaints, the select's `residentReplied: residentRepliedSql`): drizzle renders a column
  // that sits directly in a select-list sql`` of a one-table query without its table ("id", not "complaints"."id"),
  // so inside the subquery `where e.complaint_id = "id"` compares with complaint_events.id itself and the mark is
  // false on every row. (The same fragment is right in WHERE, so the waiting queue itself is correct.) It should
  // be true for a reopened complaint and after a thanks. Fix: qualify the outer column (e.g. wrap in another sql``
  // or write complaints.id by name). listHandovers' lastAt/lastOfficer/lastIn subqueries use the same pattern.
  it('marks the rows where the resident wrote after the last answer', async () => {
    const me = await named('operator', 'Sari');
    const later = wib('2027-03-02T09:00:00');
    const fresh = await working(me);
    const quiet = await answered(me);
    const reopened = await answered(me);
    await residentReplied(db(), { contactId: reopened.contactId, text: 'Belum cair juga, bagaimana?', now: later });
    const thanked = await answered(me);
    await residentReplied(db(), { contactId: thanked.contactId, text: 'Baik, terima kasih pak', now: later });
    const rows = new Map((await listComplaints(db(), me, { queue: 'mine' })).rows.map((r) => [r.id, r.residentReplied]));
    expect(rows.get(fresh.id)).toBe(false);
    expect(rows.get(quiet.id)).toBe(false);
    expect(rows.get(reopened.id)).toBe(true);
    expect(rows.get(thanked.id)).toBe(true);
  });
});

describe('inbox filters', () => {
  it('filters by the officer holding the complaint, or by nobody', async () => {
    const mark = marker();
    const rina = await named('operator', 'Rina');
    const dodi = await named('operator', 'Dodi');
    const a = await working(rina, mark);
    const b = await working(rina, mark);
    const c = await working(dodi, mark);
    const free = await filed({ mark });
    expect(await ids(supervisor, { queue: 'all', search: mark, officer: rina.id })).toEqual(sorted([a.id, b.id]));
    expect(await ids(supervisor, { queue: 'all', search: mark, officer: dodi.id })).toEqual([c.id]);
    expect(await ids(supervisor, { queue: 'all', search: mark, officer: 'none' })).toEqual([free.id]);
    expect(await ids(supervisor, { queue: 'all', search: mark })).toEqual(sorted([a.id, b.id, c.id, free.id]));
    // An operator sees nobody else's complaints, whatever the filter asks.
    expect(await ids(rina, { queue: 'all', search: mark, officer: dodi.id })).toEqual([]);
    expect((await listComplaints(db(), supervisor, { queue: 'all', search: mark, officer: rina.id })).total).toBe(2);
  });

  it('filters by the resident’s channel', async () => {
    const mark = marker();
    const web = await filed({ mark, channel: 'webchat' });
    const tg = await filed({ mark, channel: 'telegram' });
    expect(await ids(supervisor, { queue: 'all', search: mark, channel: 'telegram' })).toEqual([tg.id]);
    expect(await ids(supervisor, { queue: 'all', search: mark, channel: 'webchat' })).toEqual([web.id]);
    expect(await ids(supervisor, { queue: 'all', search: mark, channel: 'whatsapp_cloud' })).toEqual([]);
  });

  it('filters by the day filed on the office’s calendar, both ends inclusive', async () => {
    const mark = marker();
    const before = await filed({ mark, now: wib('2027-05-31T23:59:00') }); // 31 May 16:59 UTC
    const first = await filed({ mark, now: wib('2027-06-01T00:00:00') }); // still 31 May in UTC
    const last = await filed({ mark, now: wib('2027-06-01T23:59:00') });
    const after = await filed({ mark, now: wib('2027-06-02T00:00:00') });
    const q = { queue: 'all' as const, search: mark };
    expect(await ids(supervisor, { ...q, from: '2027-06-01', to: '2027-06-01' })).toEqual(sorted([first.id, last.id]));
    expect(await ids(supervisor, { ...q, from: '2027-06-01' })).toEqual(sorted([first.id, last.id, after.id]));
    expect(await ids(supervisor, { ...q, to: '2027-06-01' })).toEqual(sorted([before.id, first.id, last.id]));
    expect(await ids(supervisor, { ...q, from: '2027-06-02', to: '2027-06-01' })).toEqual([]);
    // In another office's zone the days fall elsewhere: 00:00 WIB on 1 June is 31 May in UTC.
    expect(await ids(supervisor, { ...q, from: '2027-06-01', to: '2027-06-01', timeZone: 'UTC' })).toEqual(sorted([last.id, after.id]));
    // A day that is not YYYY-MM-DD is no filter at all.
    expect(await ids(supervisor, { ...q, from: '1/6/2027' })).toEqual(sorted([before.id, first.id, last.id, after.id]));
  });
});

describe('what an inbox row says', () => {
  it('carries the channel, the officer’s name and why it was closed without an answer', async () => {
    const mark = marker();
    const rina = await named('operator', 'Rina Wulandari');
    const held = await working(rina, mark);
    const free = await filed({ mark, channel: 'telegram' });
    const spam = await filed({ mark, channel: 'whatsapp_web' });
    await dismissComplaint(db(), supervisor, spam.id, { reason: 'spam', note: 'Iklan pinjaman', now: AT });
    const rows = new Map((await listComplaints(db(), supervisor, { queue: 'all', search: mark, now: AT })).rows.map((r) => [r.id, r]));
    expect(rows.get(held.id)).toMatchObject({ channel: 'webchat', assigneeId: rina.id, assigneeName: 'Rina Wulandari', closeReason: null, residentReplied: false, status: 'in_progress' });
    expect(rows.get(free.id)).toMatchObject({ channel: 'telegram', assigneeId: null, assigneeName: null, closeReason: null, residentReplied: false, status: 'received' });
    expect(rows.get(spam.id)).toMatchObject({ channel: 'whatsapp_web', closeReason: 'spam', status: 'closed' });
  });

  it('lists nothing of another kecamatan for a scoped supervisor', async () => {
    const mark = marker();
    const there = await filed({ mark, kecamatanId: sagulung });
    expect(await ids(supervisor, { queue: 'all', search: mark })).toEqual([]);
    expect(await ids(admin, { queue: 'all', search: mark })).toEqual([there.id]);
  });
});

describe('reads a page makes by itself', () => {
  const reads = async (action: string, id: number) =>
    (await db().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entity, 'complaint'), eq(auditLog.entityId, String(id))))).length;

  it('audits opening a complaint and its conversation, not the refreshes with audit: false', async () => {
    const c = await working(supervisor);
    expect(await getComplaint(db(), supervisor, c.id, { audit: false })).not.toBeNull();
    expect(await complaintConversation(db(), supervisor, c.id, { audit: false })).toMatchObject({ hidden: false });
    expect(await reads('complaint.read', c.id)).toBe(0);
    expect(await reads('complaint.conversation_read', c.id)).toBe(0);

    expect((await getComplaint(db(), supervisor, c.id))!.id).toBe(c.id);
    await complaintConversation(db(), supervisor, c.id);
    expect(await reads('complaint.read', c.id)).toBe(1);
    expect(await reads('complaint.conversation_read', c.id)).toBe(1);
    expect(await getComplaint(db(), supervisor, c.id, { audit: true })).not.toBeNull();
    expect(await reads('complaint.read', c.id)).toBe(2);
  });
});
