import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql, inArray } from 'drizzle-orm';
import { contacts, messages, outbox, satisfaction } from '../../../src/db/schema/index.ts';
import { createI18n } from '../../../src/i18n.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { aidSummary } from '../../../src/services/aid/summary.ts';
import { checkIn } from '../../../src/services/distribution/checkin.ts';
import { closeHandover } from '../../../src/services/handover.ts';
import { askRating, RATING_DELAY_MINUTES } from '../../../src/services/satisfaction/ask.ts';
import { pendingRating, recordRating } from '../../../src/services/satisfaction/answer.ts';
import { ikm, ikmBreakdown } from '../../../src/services/satisfaction/ikm.ts';
import { claimDue } from '../../../src/outbox/claim.ts';
import { enqueue } from '../../../src/outbox/enqueue.ts';
import { distributionWorld, EVENT_DATE, makeEvent, makeHousehold, makeInvitation, makeProgram, staff, TZ, type DistributionWorld } from '../distribution/fixtures.ts';

// One satisfaction question after each service, at most one a week per chat, answered once; and the IKM by
// service, bidang, site and month from the rows those answers leave.
let w: DistributionWorld;
let officer: Actor;
const DAY = new Date(`${EVENT_DATE}T01:00:00Z`); // 08:00 WIB on the event's day
const days = (n: number) => n * 86_400_000;

beforeAll(async () => {
  w = await distributionWorld();
  officer = await staff(w.db, 'field_officer', w.area.kecA);
}, 120_000);
afterAll(async () => {
  await w?.dispose();
});

async function chatOfHousehold() {
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ channel: 'telegram', language: 'id' }] });
  return { ...hh, contactId: hh.contactIds[0]! };
}

const asked = (contactId: number) => w.db.select().from(satisfaction).where(eq(satisfaction.contactId, contactId)).orderBy(asc(satisfaction.id));
const queued = (contactId: number) => w.db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(asc(outbox.id));
const optionIds = (payload: unknown) => ((payload as { options?: { id: string }[] }).options ?? []).map((o) => o.id);

describe('askRating', () => {
  it('asks a resident with two linked chats once a week, not once per chat', async () => {
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [{ channel: 'telegram', language: 'id' }, { channel: 'webchat', language: 'id' }] });
    const [telegram, webchat] = hh.contactIds as [number, number];
    await w.db.update(contacts).set({ memberId: hh.memberIds[0]! }).where(inArray(contacts.id, [telegram, webchat]));
    expect(await askRating(w.db, { contactId: telegram, service: 'aid_check', now: DAY })).toMatchObject({ asked: true });
    expect(await askRating(w.db, { contactId: webchat, service: 'collection', now: new Date(DAY.getTime() + days(2)) })).toEqual({ asked: false, reason: 'asked_this_week' });
  });

  it('asks once a week per chat, whatever the service, and says why not', async () => {
    const { contactId } = await chatOfHousehold();
    const first = await askRating(w.db, { contactId, service: 'handover', now: DAY });
    expect(first).toEqual({ asked: true, satisfactionId: expect.any(Number) });
    expect(await askRating(w.db, { contactId, service: 'aid_check', now: new Date(DAY.getTime() + days(6)) })).toEqual({ asked: false, reason: 'asked_this_week' });
    expect(await askRating(w.db, { contactId, service: 'aid_check', now: new Date(DAY.getTime() + days(7) + 1000) })).toMatchObject({ asked: true });
    expect((await asked(contactId)).map((r) => r.service)).toEqual(['handover', 'aid_check']);
    const rows = await queued(contactId);
    expect(rows).toHaveLength(2);
    expect((rows[0]!.payload as { text: string }).text).toMatch(/^Bagaimana layanan petugas kami/);
    expect(optionIds(rows[0]!.payload)).toEqual([1, 2, 3, 4, 5].map((n) => `csat:${first.asked ? first.satisfactionId : 0}:${n}`));
  });

  it('asks nobody who wrote BERHENTI, whom no message reaches, or who is with an officer', async () => {
    const a = await chatOfHousehold();
    await w.db.update(contacts).set({ stoppedAt: DAY }).where(eq(contacts.id, a.contactId));
    expect(await askRating(w.db, { contactId: a.contactId, service: 'aid_check', now: DAY })).toEqual({ asked: false, reason: 'stopped' });
    const b = await chatOfHousehold();
    await w.db.update(contacts).set({ handoverAt: DAY }).where(eq(contacts.id, b.contactId));
    expect(await askRating(w.db, { contactId: b.contactId, service: 'aid_check', now: DAY })).toEqual({ asked: false, reason: 'in_handover' });
    expect(await asked(a.contactId)).toEqual([]);
    expect(await queued(b.contactId)).toEqual([]);
  });

  it('a question held for later does not hold up the replies written meanwhile', async () => {
    const { contactId } = await chatOfHousehold();
    const now = new Date();
    expect(await askRating(w.db, { contactId, service: 'aid_check', now, delayMinutes: RATING_DELAY_MINUTES })).toMatchObject({ asked: true });
    const [question] = await queued(contactId);
    expect(question!.notBefore.getTime()).toBe(now.getTime() + RATING_DELAY_MINUTES * 60_000);
    const [replyId] = await enqueue(w.db, { contactId, channel: 'telegram', messages: [{ text: 'Menu utama' }], priority: 'reply' });
    const claimed = await w.db.transaction((tx) => claimDue(tx, 'telegram', 100, 0, 60_000));
    expect(claimed.map((c) => c.id)).toContain(replyId);
    expect(claimed.map((c) => c.id)).not.toContain(question!.id);
  });
});

describe('the four services each queue one question', () => {
  it('after the aid summary a verified chat read, ten minutes later', async () => {
    const hh = await chatOfHousehold();
    // Read for the name only ("already verified as …"): no aid check served yet, nothing asked.
    await aidSummary(w.db, hh.memberIds[0]!, { today: EVENT_DATE, now: DAY, contactId: hh.contactId });
    expect(await asked(hh.contactId)).toEqual([]);
    await aidSummary(w.db, hh.memberIds[0]!, { today: EVENT_DATE, now: DAY, contactId: hh.contactId, served: true });
    await aidSummary(w.db, hh.memberIds[0]!, { today: EVENT_DATE, now: new Date(DAY.getTime() + 60_000), contactId: hh.contactId, served: true }); // "details"
    const rows = await asked(hh.contactId);
    expect(rows).toMatchObject([{ service: 'aid_check', kecamatanId: w.area.kecA, score: null }]);
    const out = await queued(hh.contactId);
    expect(out).toHaveLength(1);
    expect((out[0]!.payload as { text: string }).text).toMatch(/^Bagaimana layanan cek bansos tadi\?/);
    expect(out[0]!.notBefore.getTime() - DAY.getTime()).toBe(RATING_DELAY_MINUTES * 60_000);
  });

  it('after a collection at a site, with the site and the program’s bidang', async () => {
    const programId = await makeProgram(w.db, { bidang: 'Linjamsos', code: `LJ${Date.now() % 100000}` });
    const { eventId } = await makeEvent(w.db, { programId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 20 }] });
    const hh = await chatOfHousehold();
    const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: null, status: 'confirmed' });
    const r = await checkIn(w.db, officer, { code: inv.code, eventId, siteId: w.siteA }, { now: DAY, timeZone: TZ });
    expect(r.ok).toBe(true);
    expect(await asked(hh.contactId)).toMatchObject([{ service: 'collection', siteId: w.siteA, programId, bidang: 'Linjamsos', kecamatanId: w.area.kecA, ref: String(inv.invitationId) }]);
    const out = await queued(hh.contactId);
    expect(out.filter((o) => optionIds(o.payload).some((id) => id.startsWith('csat:')))).toHaveLength(1);
  });

  it('after a chat with an officer is closed, only when an officer wrote in it', async () => {
    const i18n = await createI18n('id');
    const admin = w.admin;
    const served = await chatOfHousehold();
    const idle = await chatOfHousehold();
    for (const c of [served, idle]) await w.db.update(contacts).set({ handoverAt: DAY, lastInboundAt: DAY }).where(eq(contacts.id, c.contactId));
    await w.db.insert(messages).values({ contactId: served.contactId, channel: 'telegram', direction: 'out', kind: 'text', body: 'Baik, kami bantu.', staffId: admin.id, createdAt: new Date(DAY.getTime() + 60_000) });
    const at = new Date(DAY.getTime() + 120_000);
    expect(await closeHandover(w.db, admin, served.contactId, { i18n, now: at })).toMatchObject({ ok: true });
    expect(await closeHandover(w.db, admin, idle.contactId, { i18n, now: at })).toMatchObject({ ok: true });
    expect(await asked(served.contactId)).toMatchObject([{ service: 'handover', kecamatanId: w.area.kecA }]);
    expect(await asked(idle.contactId)).toEqual([]);
  });
  // The fourth, a closed complaint: test/services/complaints/lifecycle.test.ts (the row and its buttons).
});

describe('recordRating', () => {
  it('takes an answer once per asked row, from the asked chat only', async () => {
    const a = await chatOfHousehold();
    const b = await chatOfHousehold();
    const q = await askRating(w.db, { contactId: a.contactId, service: 'aid_check', now: DAY });
    const id = q.asked ? q.satisfactionId : 0;
    expect(await recordRating(w.db, { contactId: b.contactId, satisfactionId: id, score: 5, now: DAY })).toEqual({ ok: false, reason: 'not_found' });
    expect(await recordRating(w.db, { contactId: a.contactId, satisfactionId: id, score: 0, now: DAY })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await recordRating(w.db, { contactId: a.contactId, satisfactionId: id, score: 3, comment: 'Lambat', now: DAY })).toEqual({ ok: true });
    expect(await recordRating(w.db, { contactId: a.contactId, satisfactionId: id, score: 5, now: DAY })).toEqual({ ok: false, reason: 'already_rated' });
    expect((await asked(a.contactId))[0]).toMatchObject({ score: 3, comment: 'Lambat', answeredAt: DAY });
    // An old "csat:4" only ever rated complaints: an aid check's question is not its.
    expect(await pendingRating(w.db, a.contactId)).toBeNull();
  });
});

describe('the IKM from the satisfaction rows', () => {
  it('by service, bidang, site and month, in the reader’s scope', async () => {
    // A world of its own: only these rows, in two months of 2031.
    const jan = new Date('2031-01-15T03:00:00Z');
    const feb = new Date('2031-02-10T03:00:00Z');
    const rate = async (score: number, at: Date, values: Partial<typeof satisfaction.$inferInsert>) => {
      await w.db.insert(satisfaction).values({ service: 'aid_check', score, askedAt: at, answeredAt: at, ...values });
    };
    await rate(5, jan, { service: 'collection', siteId: w.siteA, bidang: 'Linjamsos', kecamatanId: w.area.kecA });
    await rate(4, jan, { service: 'collection', siteId: w.siteA, bidang: 'Linjamsos', kecamatanId: w.area.kecA });
    await rate(3, feb, { service: 'collection', siteId: w.siteB, bidang: 'Linjamsos', kecamatanId: w.area.kecB });
    await rate(5, feb, { service: 'aid_check', kecamatanId: w.area.kecA });
    await rate(2, feb, { service: 'complaint', bidang: 'Rehsos', kecamatanId: w.area.kecB });
    await w.db.insert(satisfaction).values({ service: 'aid_check', askedAt: feb, kecamatanId: w.area.kecA }); // asked, never answered

    const period = { from: new Date('2031-01-01T00:00:00+07:00'), to: new Date('2031-03-01T00:00:00+07:00') };
    const admin = w.admin;
    // (5+4+3+5+2)/5 = 3.8 → 76
    expect(await ikm(w.db, admin, period)).toEqual({ ikm: 76, mutu: 'C', count: 5, distribution: [0, 1, 1, 1, 2] });
    const figures = async (by: 'service' | 'bidang' | 'site' | 'month', actor: Actor = admin) =>
      (await ikmBreakdown(w.db, actor, period, by, { timeZone: TZ })).map((g) => [g.key, g.name, g.figure.ikm, g.figure.count]);
    expect(await figures('service')).toEqual([
      ['aid_check', null, 100, 1],
      ['collection', null, 80, 3],
      ['complaint', null, 40, 1],
    ]);
    expect(await figures('bidang')).toEqual([
      ['', null, 100, 1],
      ['Linjamsos', null, 80, 3],
      ['Rehsos', null, 40, 1],
    ]);
    const sites = await figures('site');
    expect(sites.map((s) => [s[0], s[2], s[3]])).toEqual([
      [String(w.siteA), 90, 2],
      [String(w.siteB), 60, 1],
    ]);
    expect(sites[0]![1]).toEqual(expect.any(String));
    expect(await figures('month')).toEqual([
      ['2031-01', null, 90, 2],
      ['2031-02', null, 66.67, 3],
    ]);
    // A kecamatan's supervisor counts their kecamatan's ratings only.
    const kecB = await staff(w.db, 'supervisor', w.area.kecB);
    expect(await figures('service', kecB)).toEqual([
      ['collection', null, 60, 1],
      ['complaint', null, 40, 1],
    ]);
    await w.db.execute(sql`delete from satisfaction where asked_at >= '2031-01-01'`);
  });
});


