import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contacts, messages } from '../../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../../src/i18n.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { assignComplaint, replyToResident, residentReplied, startWork, verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { dismissComplaint } from '../../../src/services/complaints/triage.ts';
import { claimHandover, closeHandover, replyInHandover } from '../../../src/services/handover.ts';
import { workCounts, workVersion } from '../../../src/services/inbox/counts.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { contact, file, kecamatanId, staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { seededDatabase } from '../seeded.ts';

// The figures on the inbox's tabs, the menu's badge and the tab title (issue 18): complaints by queue, open only
// and in scope, and live chats nobody took plus the officer's own where the resident wrote last.

let database: TestDatabase;
let nongsa: number;
let sagulung: number;
let me: Actor; // a Nongsa operator
let colleague: Actor;
let supervisor: Actor; // Nongsa
let sagulungOperator: Actor;
let admin: Actor;
let viewer: Actor;
let desk: Actor; // the city-wide front desk, who answers live chats
let desk2: Actor;
let i18n: Translator;
const db = () => database.db;
const AT = wib('2027-03-01T09:00:00');
const LATER = wib('2027-03-02T09:00:00');

beforeAll(async () => {
  database = await seededDatabase(10);
  nongsa = await kecamatanId(db(), 'Nongsa');
  sagulung = await kecamatanId(db(), 'Sagulung');
  me = await staff(db(), 'operator', { kecamatanId: nongsa });
  colleague = await staff(db(), 'operator', { kecamatanId: nongsa });
  supervisor = await staff(db(), 'supervisor', { kecamatanId: nongsa });
  sagulungOperator = await staff(db(), 'operator', { kecamatanId: sagulung });
  admin = await staff(db(), 'admin');
  viewer = await staff(db(), 'viewer');
  desk = await staff(db(), 'operator');
  desk2 = await staff(db(), 'operator');
  i18n = await createI18n('id');
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

async function filed(kec = nongsa) {
  const contactId = await contact(db());
  const { id } = await file(db(), { contactId, kecamatanId: kec, now: AT });
  return { id, contactId };
}
async function held(by: Actor) {
  const c = await filed();
  await verifyComplaint(db(), admin, c.id, { now: AT });
  await assignComplaint(db(), admin, c.id, by.id, { now: AT });
  await startWork(db(), admin, c.id, { now: AT });
  return c;
}
async function answered(by: Actor) {
  const c = await held(by);
  const r = await replyToResident(db(), by, c.id, { text: 'Sudah kami cek.', now: AT });
  expect(r.ok).toBe(true);
  return c;
}

describe('workCounts: complaints', () => {
  it('counts my queue, what waits for me, the unassigned and everything open in scope', async () => {
    await filed(); // unassigned, received
    const verified = await filed();
    await verifyComplaint(db(), supervisor, verified.id, { now: AT }); // unassigned, verified
    await held(me); // mine, in progress: not waiting
    const reopened = await answered(me);
    await residentReplied(db(), { contactId: reopened.contactId, text: 'Belum cair juga, bagaimana?', now: LATER }); // mine, waiting
    const thanked = await answered(me);
    await residentReplied(db(), { contactId: thanked.contactId, text: 'Baik, terima kasih', now: LATER }); // mine, answered, waiting
    await answered(me); // mine, answered, nothing since: not waiting
    await held(colleague); // theirs
    const dismissedMine = await held(me);
    await dismissComplaint(db(), supervisor, dismissedMine.id, { reason: 'duplicate', note: 'Ganda', now: AT });
    const dismissedFree = await filed();
    await dismissComplaint(db(), supervisor, dismissedFree.id, { reason: 'spam', note: 'Iklan', now: AT });
    await filed(sagulung); // another kecamatan, unassigned

    // Mine: 4 open (the dismissed one is closed). All for an operator: own and unassigned (2), not the colleague's.
    // Unverified live chats belong to the city-wide desk, so a kecamatan operator counts none of them.
    expect(await workCounts(db(), me)).toEqual({ mine: 4, waiting: 2, unassigned: 2, all: 6, urgent: 0, chats: 0, attention: 4 });
    expect(await workCounts(db(), colleague)).toEqual({ mine: 1, waiting: 0, unassigned: 2, all: 3, urgent: 0, chats: 0, attention: 2 });
    expect(await workCounts(db(), supervisor)).toEqual({ mine: 0, waiting: 0, unassigned: 2, all: 7, urgent: 0, chats: 0, attention: 2 });
    expect(await workCounts(db(), sagulungOperator)).toEqual({ mine: 0, waiting: 0, unassigned: 1, all: 1, urgent: 0, chats: 0, attention: 1 });
    expect(await workCounts(db(), viewer)).toEqual({ mine: 0, waiting: 0, unassigned: 0, all: 0, urgent: null, chats: 0, attention: 0 });
  });

  it('moves the version when a count moves, and only then', async () => {
    const before = await workVersion(db(), supervisor);
    const w = await workCounts(db(), supervisor);
    expect(before).toBe([w.mine, w.waiting, w.unassigned, w.all, w.urgent, w.chats].join(':'));
    expect(await workVersion(db(), supervisor)).toBe(before);
    const c = await filed();
    const after = await workVersion(db(), supervisor);
    expect(after).toBe([w.mine, w.waiting, w.unassigned + 1, w.all + 1, w.urgent, w.chats].join(':'));
    await assignComplaint(db(), supervisor, c.id, supervisor.id, { now: AT });
    expect(await workVersion(db(), supervisor)).toBe([w.mine + 1, w.waiting, w.unassigned, w.all + 1, w.urgent, w.chats].join(':'));
    // A complaint elsewhere changes nothing here.
    await filed(sagulung);
    expect(await workVersion(db(), supervisor)).toBe([w.mine + 1, w.waiting, w.unassigned, w.all + 1, w.urgent, w.chats].join(':'));
  });
});

describe('workCounts: live chats', () => {
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);
  async function asked(minutes = 30) {
    const at = minutesAgo(minutes);
    const id = await contact(db(), { channel: 'webchat' });
    const [m] = await db().insert(messages).values({ contactId: id, channel: 'webchat', direction: 'in', kind: 'text', body: 'petugas', createdAt: at }).returning({ id: messages.id });
    await db().update(contacts).set({ handoverAt: at, handoverMessageId: m!.id }).where(eq(contacts.id, id));
    return id;
  }

  it('adds chats nobody took and mine where the resident wrote last to what asks for attention', async () => {
    const base = await workCounts(db(), desk);
    expect(base.chats).toBe(0);
    const free = await asked();
    const mineWaiting = await asked();
    await replyInHandover(db(), desk, mineWaiting, { text: 'Sebentar.' });
    await db().insert(messages).values({ contactId: mineWaiting, channel: 'webchat', direction: 'in', kind: 'text', body: 'Baik' });
    const mineAnswered = await asked();
    await replyInHandover(db(), desk, mineAnswered, { text: 'Sudah saya jawab.' });
    const theirs = await asked();
    await claimHandover(db(), desk2, theirs);

    const counts = await workCounts(db(), desk);
    expect(counts).toEqual({ ...base, chats: 2, attention: base.attention + 2 });
    expect((await workCounts(db(), desk2)).chats).toBe(2); // the free one, and his own (he has not written yet)

    await closeHandover(db(), desk, free, { i18n });
    expect((await workCounts(db(), desk)).chats).toBe(1);
    expect((await workCounts(db(), desk2)).chats).toBe(1);
    expect(await workVersion(db(), desk)).toBe([base.mine, base.waiting, base.unassigned, base.all, base.urgent, 1].join(':'));
  });
});
