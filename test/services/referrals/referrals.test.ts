import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaintEvents, messages, referralEvents, referrals } from '../../../src/db/schema/index.ts';
import { PRIORITY } from '../../../src/domain/vocabulary.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { createReferral } from '../../../src/services/referrals/create.ts';
import { getReferral, listReferrals } from '../../../src/services/referrals/read.ts';
import { setReferralStatus } from '../../../src/services/referrals/status.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { contact, fieldTask, finding, ppksReport, queuedTexts, referralWorld, type ReferralWorld } from './world.ts';

// Referrals (issue 19 part 5): who may refer which case, what is refused (and that a refusal writes nothing),
// the moves a referral may make with an event and an audit row each, the list and its filters, and the
// reporter of a complaint told in their language through the outbox — nobody told when the chat is unreachable.

describe('services/referrals', () => {
  let database: TestDatabase;
  let w: ReferralWorld;
  const db = () => database.db;
  const count = async () => (await db().select({ id: referrals.id }).from(referrals)).length;
  const due = '2026-12-01'; // NOW is 2026-11-24 09:00 WIB

  beforeAll(async () => {
    database = await createTestDatabase();
    w = await referralWorld(database.db);
  }, 60_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('refers a complaint: the referral, its first event, the audit row, and the reporter told in Indonesian', async () => {
    const chat = await contact(db(), { language: 'id' });
    const c = await ppksReport(db(), chat, w.area.kecA);
    const made = await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, dueOn: due, note: 'Mohon asesmen untuk panti.' }, w.opts);
    expect(made).toMatchObject({ ok: true, notified: true });
    if (!made.ok) return;
    const [r] = await db().select().from(referrals).where(eq(referrals.id, made.id));
    expect(r).toMatchObject({ sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, kecamatanId: w.area.kecA, status: 'sent', dueOn: due, note: 'Mohon asesmen untuk panti.', createdBy: w.operatorA.id });
    const events = await db().select().from(referralEvents).where(eq(referralEvents.referralId, made.id));
    expect(events.map((e) => [e.status, e.staffId])).toEqual([['sent', w.operatorA.id]]);
    const [a] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'referral.create'), eq(auditLog.entityId, String(made.id))));
    expect(a?.details).toMatchObject({ sourceKind: 'complaint', agencyId: w.panti, notified: true });

    const queued = await queuedTexts(db(), chat);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.priority).toBe(PRIORITY.reply);
    expect(queued[0]!.text).toContain(`Laporan ${c.trackingId} sudah kami teruskan ke Panti Werdha Kasih (Lembaga Kesejahteraan Sosial (LKS)).`);
    // The note is for the agency, not the resident.
    expect(queued[0]!.text).not.toContain('asesmen');
    const [line] = await db().select().from(messages).where(eq(messages.contactId, chat));
    expect(line?.complaintId).toBe(c.id);
    const out = await db().select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, c.id), eq(complaintEvents.kind, 'message_out')));
    expect(out.map((e) => e.body)).toEqual([queued[0]!.text]);
  });

  it('moves sent → accepted → done with an event and an audit row each, telling an English reporter each time', async () => {
    const chat = await contact(db(), { language: 'en' });
    const c = await ppksReport(db(), chat, w.area.kecA, { anonymous: true });
    const made = await createReferral(db(), w.supervisorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.dukcapil, dueOn: due, note: '' }, w.opts);
    if (!made.ok) throw new Error(made.reason);
    expect(await setReferralStatus(db(), w.supervisorA, made.id, 'accepted', '', w.opts)).toMatchObject({ ok: true, status: 'accepted', notified: true });
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'done', 'KTP sudah terbit.', w.opts)).toMatchObject({ ok: true, status: 'done', notified: true });
    const texts = (await queuedTexts(db(), chat)).map((q) => q.text);
    expect(texts).toEqual([
      `We have passed report ${c.trackingId} on to Dukcapil Kota (Government agency). They will follow it up, and we will let you know when there is news.`,
      `Report ${c.trackingId} was accepted by Dukcapil Kota (Government agency) and is being handled.`,
      `Dukcapil Kota (Government agency) has finished handling report ${c.trackingId}. Thank you for reporting.\n\nOfficer's note: KTP sudah terbit.`,
    ]);
    const events = await db().select().from(referralEvents).where(eq(referralEvents.referralId, made.id)).orderBy(referralEvents.id);
    expect(events.map((e) => [e.status, e.note])).toEqual([
      ['sent', null],
      ['accepted', null],
      ['done', 'KTP sudah terbit.'],
    ]);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'referral.status'), eq(auditLog.entityId, String(made.id)))).orderBy(auditLog.id);
    expect(audits.map((a) => [a.details?.from, a.details?.to])).toEqual([
      ['sent', 'accepted'],
      ['accepted', 'done'],
    ]);
    // Nothing moves out of done; a refusal writes nothing.
    expect(await setReferralStatus(db(), w.supervisorA, made.id, 'refused', '', w.opts)).toEqual({ ok: false, reason: 'invalid_move' });
    expect(await db().select().from(referralEvents).where(eq(referralEvents.referralId, made.id))).toHaveLength(3);
    expect(await queuedTexts(db(), chat)).toHaveLength(3);
    const detail = await getReferral(db(), w.supervisorA, made.id, w.opts);
    expect(detail?.events.map((e) => e.status)).toEqual(['sent', 'accepted', 'done']);
    expect(detail?.moves).toEqual([]);
  });

  it('refuses sent → done, an unknown status, and a note over 2000 characters', async () => {
    const c = await ppksReport(db(), await contact(db()), w.area.kecA);
    const made = await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, dueOn: due, note: '' }, w.opts);
    if (!made.ok) throw new Error(made.reason);
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'done', '', w.opts)).toEqual({ ok: false, reason: 'invalid_move' });
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'lost', '', w.opts)).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'refused', 'x'.repeat(2001), w.opts)).toEqual({ ok: false, reason: 'note_too_long' });
    const [r] = await db().select().from(referrals).where(eq(referrals.id, made.id));
    expect(r?.status).toBe('sent');
    expect(await db().select().from(referralEvents).where(eq(referralEvents.referralId, made.id))).toHaveLength(1);
  });

  it('tells the reporter of a refusal with the office\'s note, through the notice template once the WhatsApp window closed', async () => {
    const chat = await contact(db(), { channel: 'whatsapp_cloud', language: 'id', lastInboundAt: new Date(w.opts.now.getTime() - 3 * 86_400_000) });
    const c = await ppksReport(db(), chat, w.area.kecA);
    const made = await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, dueOn: due, note: '' }, w.opts);
    if (!made.ok) throw new Error(made.reason);
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'refused', 'Panti sedang penuh; kami cari panti lain.', w.opts)).toMatchObject({ ok: true, notified: true });
    const queued = await queuedTexts(db(), chat);
    expect(queued.at(-1)!.text).toBe(
      `Mohon maaf, Panti Werdha Kasih (Lembaga Kesejahteraan Sosial (LKS)) tidak dapat menangani laporan ${c.trackingId}. Kami akan mencari jalan lain untuk membantu.\n\nCatatan petugas: Panti sedang penuh; kami cari panti lain.`,
    );
    expect(queued.at(-1)!.template).toEqual({ kind: 'notice', params: [c.trackingId] });
  });

  it('queues nothing for an unreachable chat or a complaint without one, and the referral still moves', async () => {
    const chat = await contact(db(), { unreachable: true });
    const c = await ppksReport(db(), chat, w.area.kecA);
    const made = await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, dueOn: due, note: '' }, w.opts);
    expect(made).toMatchObject({ ok: true, notified: false });
    if (!made.ok) return;
    expect(await setReferralStatus(db(), w.operatorA, made.id, 'accepted', '', w.opts)).toMatchObject({ ok: true, status: 'accepted', notified: false });
    expect(await queuedTexts(db(), chat)).toEqual([]);
    expect(await db().select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, c.id), eq(complaintEvents.kind, 'message_out')))).toEqual([]);

    const walkIn = await ppksReport(db(), null, w.area.kecA);
    expect(await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: walkIn.id, agencyId: w.panti, dueOn: due, note: '' }, w.opts)).toMatchObject({ ok: true, notified: false });
  });

  it('refuses bad input and writes nothing: past due date, bad date, long note, inactive or unknown agency, twice to the same agency', async () => {
    const chat = await contact(db());
    const c = await ppksReport(db(), chat, w.area.kecA);
    const base = { sourceKind: 'complaint' as const, sourceId: c.id, agencyId: w.panti, dueOn: due, note: '' };
    const before = await count();
    expect(await createReferral(db(), w.operatorA, { ...base, dueOn: '2026-11-23' }, w.opts)).toEqual({ ok: false, reason: 'due_in_past' });
    expect(await createReferral(db(), w.operatorA, { ...base, dueOn: '2026-02-30' }, w.opts)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(await createReferral(db(), w.operatorA, { ...base, note: 'x'.repeat(2001) }, w.opts)).toEqual({ ok: false, reason: 'note_too_long' });
    expect(await createReferral(db(), w.operatorA, { ...base, agencyId: w.closed }, w.opts)).toEqual({ ok: false, reason: 'agency_inactive' });
    expect(await createReferral(db(), w.operatorA, { ...base, agencyId: 999_999 }, w.opts)).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await count()).toBe(before);
    expect(await queuedTexts(db(), chat)).toEqual([]);
    // Today (office zone) is a valid due date.
    const made = await createReferral(db(), w.operatorA, { ...base, dueOn: '2026-11-24' }, w.opts);
    expect(made.ok).toBe(true);
    expect(await createReferral(db(), w.supervisorA, base, w.opts)).toEqual({ ok: false, reason: 'already_referred' });
    expect(await count()).toBe(before + 1);
    expect(await queuedTexts(db(), chat)).toHaveLength(1);
    // Another agency is fine; so is the same one again once the first is refused.
    expect((await createReferral(db(), w.operatorA, { ...base, agencyId: w.dukcapil }, w.opts)).ok).toBe(true);
    if (made.ok) await setReferralStatus(db(), w.operatorA, made.id, 'refused', '', w.opts);
    expect((await createReferral(db(), w.operatorA, base, w.opts)).ok).toBe(true);
  });

  it('keeps each case in its desk\'s scope: another kecamatan is not found, a role without the permission is forbidden', async () => {
    const c = await ppksReport(db(), await contact(db()), w.area.kecA);
    const ref = (sourceKind: 'complaint' | 'field_task' | 'finding', sourceId: number) => ({ sourceKind, sourceId, agencyId: w.dukcapil, dueOn: due, note: '' });
    expect(await createReferral(db(), w.operatorB, ref('complaint', c.id), w.opts)).toEqual({ ok: false, reason: 'not_found' });
    await expect(createReferral(db(), w.viewer, ref('complaint', c.id), w.opts)).rejects.toBeInstanceOf(Forbidden);

    const taskA = await fieldTask(db(), w.area, 'A');
    await expect(createReferral(db(), w.operatorA, ref('field_task', taskA), w.opts)).rejects.toBeInstanceOf(Forbidden);
    expect(await createReferral(db(), w.supervisorB, ref('field_task', taskA), w.opts)).toEqual({ ok: false, reason: 'not_found' });
    const task = await createReferral(db(), w.supervisorA, ref('field_task', taskA), w.opts);
    expect(task).toMatchObject({ ok: true, notified: false });

    const findingA = await finding(db(), w.area.kecA);
    const cityFinding = await finding(db(), null);
    await expect(createReferral(db(), w.operatorA, ref('finding', findingA), w.opts)).rejects.toBeInstanceOf(Forbidden);
    expect(await createReferral(db(), w.supervisorB, ref('finding', findingA), w.opts)).toEqual({ ok: false, reason: 'not_found' });
    expect(await createReferral(db(), w.supervisorA, ref('finding', cityFinding), w.opts)).toEqual({ ok: false, reason: 'not_found' });
    expect((await createReferral(db(), w.supervisorA, ref('finding', findingA), w.opts)).ok).toBe(true);
    expect((await createReferral(db(), w.admin, ref('finding', cityFinding), w.opts)).ok).toBe(true);

    // Reading and changing follow the same rule.
    if (!task.ok) return;
    expect(await getReferral(db(), w.supervisorB, task.id, w.opts)).toBeNull();
    expect(await getReferral(db(), w.operatorA, task.id, w.opts)).toBeNull();
    expect(await setReferralStatus(db(), w.supervisorB, task.id, 'accepted', '', w.opts)).toEqual({ ok: false, reason: 'not_found' });
    await expect(listReferrals(db(), w.viewer, {}, w.opts)).rejects.toBeInstanceOf(Forbidden);
    expect((await getReferral(db(), w.supervisorA, task.id, w.opts))?.source).toEqual({ kind: 'field_task', id: taskA, trackingId: null });
  });

  it('lists in scope with the agency, the case\'s label, the due date and overdue; filters by status, agency and overdue', async () => {
    const c = await ppksReport(db(), await contact(db()), w.area.kecA);
    const cB = await ppksReport(db(), await contact(db()), w.area.kecB);
    const made = await createReferral(db(), w.operatorA, { sourceKind: 'complaint', sourceId: c.id, agencyId: w.panti, dueOn: '2026-11-25', note: '' }, w.opts);
    const madeB = await createReferral(db(), w.operatorB, { sourceKind: 'complaint', sourceId: cB.id, agencyId: w.panti, dueOn: '2026-11-25', note: '' }, w.opts);
    if (!made.ok || !madeB.ok) throw new Error('not made');
    const later = { ...w.opts, now: new Date('2026-11-27T02:00:00Z') };

    const mine = await listReferrals(db(), w.operatorA, {}, later);
    const row = mine.find((r) => r.id === made.id);
    expect(row).toMatchObject({ source: { kind: 'complaint', id: c.id, trackingId: c.trackingId }, agency: { id: w.panti, name: 'Panti Werdha Kasih', kind: 'lks' }, status: 'sent', dueOn: '2026-11-25', overdue: true });
    expect(mine.some((r) => r.id === madeB.id)).toBe(false);
    expect((await listReferrals(db(), w.admin, {}, later)).some((r) => r.id === madeB.id)).toBe(true);

    expect((await listReferrals(db(), w.operatorA, { overdue: true }, later)).map((r) => r.id)).toContain(made.id);
    expect((await listReferrals(db(), w.operatorA, { overdue: true }, w.opts)).map((r) => r.id)).not.toContain(made.id);
    expect((await listReferrals(db(), w.operatorA, { agencyId: w.dukcapil }, later)).map((r) => r.id)).not.toContain(made.id);
    await setReferralStatus(db(), w.operatorA, made.id, 'accepted', '', w.opts);
    const accepted = await listReferrals(db(), w.operatorA, { status: 'accepted', agencyId: w.panti }, later);
    expect(accepted.map((r) => r.id)).toContain(made.id);
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);
    await setReferralStatus(db(), w.operatorA, made.id, 'done', '', w.opts);
    // Done is not overdue, whatever its date.
    expect((await listReferrals(db(), w.operatorA, { status: 'done' }, later)).find((r) => r.id === made.id)?.overdue).toBe(false);
    expect((await listReferrals(db(), w.operatorA, { overdue: true }, later)).map((r) => r.id)).not.toContain(made.id);
  });
});
