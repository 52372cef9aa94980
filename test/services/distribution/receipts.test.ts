import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { complaints, contacts, invitations } from '../../../src/db/schema/index.ts';
import { recentReceipt, reportReceipt } from '../../../src/services/distribution/receipts.ts';
import { parseLaporOption } from '../../../src/messages/choices.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, NOW, TZ, type DistributionWorld } from './fixtures.ts';

const DAY = 86_400_000;
let w: DistributionWorld;
let eventId: number;
let slotA: number;

beforeAll(async () => {
  w = await distributionWorld();
  const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 }] });
  eventId = ev.eventId;
  slotA = ev.slotIds[0]!;
});
afterAll(async () => {
  await w?.dispose();
});

async function collectedAt(at: Date | null, status: 'collected' | 'confirmed' = 'collected') {
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ language: 'id' }] });
  const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: slotA, status });
  if (at) await w.db.update(invitations).set({ collectedAt: at, collectedSiteId: w.siteA }).where(eq(invitations.id, inv.invitationId));
  return { ...hh, ...inv };
}

describe('recentReceipt', () => {
  it('finds a collection of the household within 30 days, and nothing older, in the future or not collected', async () => {
    const fresh = await collectedAt(new Date(NOW.getTime() - 29 * DAY));
    expect(await recentReceipt(w.db, { householdId: fresh.householdId, now: NOW })).toMatchObject({ invitationId: fresh.invitationId, code: fresh.code, eventId });
    const old = await collectedAt(new Date(NOW.getTime() - 31 * DAY));
    expect(await recentReceipt(w.db, { householdId: old.householdId, now: NOW })).toBeUndefined();
    const future = await collectedAt(new Date(NOW.getTime() + DAY));
    expect(await recentReceipt(w.db, { householdId: future.householdId, now: NOW })).toBeUndefined();
    const open = await collectedAt(null, 'confirmed');
    expect(await recentReceipt(w.db, { householdId: open.householdId, now: NOW })).toBeUndefined();
    // Named by the button: only when it is this household's.
    expect(await recentReceipt(w.db, { householdId: fresh.householdId, invitationId: fresh.invitationId, now: NOW })).toBeDefined();
    expect(await recentReceipt(w.db, { householdId: open.householdId, invitationId: fresh.invitationId, now: NOW })).toBeUndefined();
  });
});

describe('reportReceipt', () => {
  it('files once per collection and chat, and refuses a chat that is not verified', async () => {
    const r = await collectedAt(new Date(NOW.getTime() - DAY));
    const who = { contactId: r.contactIds[0]!, memberId: r.memberIds[0]!, householdId: r.householdId, now: NOW, timeZone: TZ };
    const first = await reportReceipt(w.db, who);
    expect(first).toMatchObject({ ok: true, invitationId: r.invitationId, alreadyReported: false });
    const again = await reportReceipt(w.db, who);
    expect(again).toEqual({ ...first, alreadyReported: true });
    const rows = await w.db.select().from(complaints).where(eq(complaints.invitationId, r.invitationId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ source: 'receipt', invitationCode: r.code, eventId });

    const [anon] = await w.db.insert(contacts).values({ channel: 'webchat', externalId: `anon-${Date.now()}` }).returning({ id: contacts.id });
    expect(await reportReceipt(w.db, { contactId: anon!.id, memberId: null, householdId: null, now: NOW })).toEqual({ ok: false, reason: 'no_recent_receipt' });
  });
});

describe('parseLaporOption', () => {
  it('reads the receipt button and nothing else', () => {
    expect(parseLaporOption('lapor:42')).toBe(42);
    expect(parseLaporOption('lapor:')).toBeNull();
    expect(parseLaporOption('lapor:4x')).toBeNull();
    expect(parseLaporOption('csat:4')).toBeNull();
    expect(parseLaporOption(undefined)).toBeNull();
  });
});
