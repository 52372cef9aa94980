import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, complaintEvents, complaintRoutes, complaints, contacts, messages, outbox, satisfaction } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import {
  addNote,
  assignComplaint,
  autoCloseDue,
  closeComplaint,
  replyToResident,
  residentReplied,
  startWork,
  verifyComplaint,
} from '../../../src/services/complaints/lifecycle.ts';
import { listComplaints } from '../../../src/services/complaints/list.ts';
import { pendingRating, recordRating } from '../../../src/services/satisfaction/answer.ts';
import { getComplaint, laporExport, revealReporter } from '../../../src/services/complaints/queries.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { complaintRow, contact, file, kecamatanId, staff, wib } from './lifecycle.fixtures.ts';
import { memberOf, resident, seededDatabase } from '../seeded.ts';

let database: TestDatabase;
let nongsa: number;
let sagulung: number;
let admin: Actor;
let nongsaSupervisor: Actor;
let nongsaOperator: Actor;
let sagulungOperator: Actor;

beforeAll(async () => {
  database = await seededDatabase();
  const db = database.db;
  nongsa = await kecamatanId(db, 'Nongsa');
  sagulung = await kecamatanId(db, 'Sagulung');
  admin = await staff(db, 'admin');
  nongsaSupervisor = await staff(db, 'supervisor', { kecamatanId: nongsa });
  nongsaOperator = await staff(db, 'operator', { kecamatanId: nongsa });
  sagulungOperator = await staff(db, 'operator', { kecamatanId: sagulung });
});
afterAll(async () => {
  await database?.dispose();
});

const db = () => database.db;
const FRIDAY_EVENING = wib('2026-12-04T17:30:00');

async function outboxOf(contactId: number) {
  return db().select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(asc(outbox.id));
}

describe('the lifecycle received → verified → in_progress → answered → closed', () => {
  it('counts every deadline in working days, from a Friday-evening report past Christmas and New Year', async () => {
    const contactId = await contact(db(), { language: 'en' });
    const { id, trackingId } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });
    // Filed Friday 17:30: Saturday and Sunday do not count; Mon 7, Tue 8, Wed 9 December.
    expect((await complaintRow(db(), id)).verifyDueAt).toEqual(wib('2026-12-09T17:30:00'));

    const verified = await verifyComplaint(db(), nongsaSupervisor, id, { now: wib('2026-12-09T10:00:00') });
    // Thu 10, Fri 11, Mon 14, Tue 15, Wed 16.
    expect(verified).toEqual({ ok: true, bidang: 'Linjamsos', kecamatanId: nongsa, answerDueAt: wib('2026-12-16T10:00:00') });
    expect(await verifyComplaint(db(), nongsaSupervisor, id, { now: wib('2026-12-09T10:05:00') })).toEqual({ ok: false, reason: 'invalid_status' });

    expect(await assignComplaint(db(), nongsaSupervisor, id, nongsaOperator.id, { now: wib('2026-12-09T10:10:00') })).toEqual({ ok: true });
    expect(await startWork(db(), nongsaOperator, id, { now: wib('2026-12-10T08:00:00') })).toEqual({ ok: true });
    expect(await addNote(db(), nongsaOperator, id, { text: 'Cek data penerima di SIKS-NG', now: wib('2026-12-10T08:05:00') })).toMatchObject({ ok: true });

    const reply = await replyToResident(db(), nongsaOperator, id, { text: 'Bantuan Bapak/Ibu akan disalurkan ulang.', now: wib('2026-12-21T09:00:00') });
    // 22, 23; 24–25 holidays and the weekend; 28, 29, 30, 31; 1 Jan holiday; 4 Jan; 5 Jan (Isra Mikraj) off; 6, 7, 8.
    expect(reply).toMatchObject({ ok: true, autoCloseAt: wib('2027-01-08T09:00:00') });
    expect(await complaintRow(db(), id)).toMatchObject({ status: 'answered', answeredAt: wib('2026-12-21T09:00:00'), autoCloseAt: wib('2027-01-08T09:00:00') });

    const closed = await closeComplaint(db(), nongsaOperator, id, { now: wib('2026-12-22T09:00:00') });
    expect(closed).toEqual({ ok: true, csatAsked: true });
    expect(await complaintRow(db(), id)).toMatchObject({ status: 'closed', closedAt: wib('2026-12-22T09:00:00'), autoCloseAt: null });

    const events = await db().select().from(complaintEvents).where(eq(complaintEvents.complaintId, id)).orderBy(asc(complaintEvents.createdAt), asc(complaintEvents.id));
    expect(events.map((e) => [e.kind, e.toStatus])).toEqual([
      ['message_in', null],
      ['status_change', 'verified'],
      ['assignment', null],
      ['status_change', 'in_progress'],
      ['note', null],
      ['message_out', null],
      ['status_change', 'answered'],
      ['status_change', 'closed'],
    ]);

    // The note never went out; the reply and the rating question (in English, for this chat) did.
    const sent = await outboxOf(contactId);
    expect(sent.map((r) => (r.payload as { text: string }).text)).toEqual([
      'Bantuan Bapak/Ibu akan disalurkan ulang.',
      expect.stringContaining(`We have completed your report ${trackingId}`),
    ]);
    // Each button names the asked row, so a press days later rates this question.
    const [asked] = await db().select().from(satisfaction).where(eq(satisfaction.complaintId, id));
    expect(asked).toMatchObject({ contactId, service: 'complaint', score: null });
    expect(sent[1]!.payload).toMatchObject({ options: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${asked!.id}:${n}`, label: expect.stringContaining(String(n)) })) });
  });

  it('asks for the rating in Bahasa Indonesia by default', async () => {
    const contactId = await contact(db());
    const { id } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });
    await verifyComplaint(db(), admin, id, { now: FRIDAY_EVENING });
    await replyToResident(db(), admin, id, { text: 'Sudah kami tindak lanjuti.', now: FRIDAY_EVENING });
    await closeComplaint(db(), admin, id, { now: FRIDAY_EVENING });
    const [, question] = await outboxOf(contactId);
    expect((question!.payload as { text: string }).text).toMatch(/Bapak\/Ibu/);
    expect((question!.payload as { options: { label: string }[] }).options[4]!.label).toMatch(/Sangat puas/);
  });

  it('refuses steps out of order, and shows nothing to viewers and field officers', async () => {
    const contactId = await contact(db());
    const { id } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });
    expect(await startWork(db(), admin, id)).toEqual({ ok: false, reason: 'invalid_status' });
    expect(await replyToResident(db(), admin, id, { text: 'halo' })).toEqual({ ok: false, reason: 'invalid_status' });
    expect(await closeComplaint(db(), admin, id)).toEqual({ ok: false, reason: 'invalid_status' });
    // Viewers read dashboards and field officers check people in: complaints do not exist for them.
    for (const role of ['viewer', 'field_officer'] as const) {
      const who = await staff(db(), role);
      expect(await getComplaint(db(), who, id)).toBeNull();
      expect(await verifyComplaint(db(), who, id)).toEqual({ ok: false, reason: 'not_found' });
      expect((await listComplaints(db(), who, { queue: 'all' })).rows).toEqual([]);
    }
  });
});

describe('routing', () => {
  it('routes by category, by a kecamatan route an admin added, and by an explicit choice', async () => {
    const contactId = await contact(db());
    const usulan = await file(db(), { contactId, kecamatanId: nongsa, category: 'usulan', now: FRIDAY_EVENING });
    expect(await verifyComplaint(db(), admin, usulan.id)).toMatchObject({ ok: true, bidang: 'Linjamsos' });

    // An admin sends "service" complaints from Nongsa to Rehsos after they were filed; Sagulung keeps PM.
    const inNongsa = await file(db(), { contactId, kecamatanId: nongsa, category: 'service', now: FRIDAY_EVENING });
    const inSagulung = await file(db(), { contactId, kecamatanId: sagulung, category: 'service', now: FRIDAY_EVENING });
    await db().insert(complaintRoutes).values({ category: 'service', kecamatanId: nongsa, bidang: 'Rehsos' });
    expect(await verifyComplaint(db(), admin, inNongsa.id)).toMatchObject({ ok: true, bidang: 'Rehsos', kecamatanId: nongsa });
    expect(await verifyComplaint(db(), admin, inSagulung.id)).toMatchObject({ ok: true, bidang: 'PM' });

    // A changed city-wide route applies to every kecamatan without its own.
    await db().update(complaintRoutes).set({ bidang: 'Dayasos' }).where(and(eq(complaintRoutes.category, 'other')));
    const other = await file(db(), { contactId, kecamatanId: sagulung, category: 'other', now: FRIDAY_EVENING });
    expect(await verifyComplaint(db(), admin, other.id)).toMatchObject({ ok: true, bidang: 'Dayasos' });

    // Staff correct the kecamatan and pick the bidang themselves.
    const moved = await file(db(), { contactId, kecamatanId: null, category: 'service', now: FRIDAY_EVENING });
    expect(await verifyComplaint(db(), admin, moved.id, { kecamatanId: nongsa })).toMatchObject({ ok: true, bidang: 'Rehsos', kecamatanId: nongsa });
    const chosen = await file(db(), { contactId, kecamatanId: nongsa, category: 'usulan', now: FRIDAY_EVENING });
    expect(await verifyComplaint(db(), admin, chosen.id, { bidang: 'PM' })).toMatchObject({ ok: true, bidang: 'PM' });
    expect(await verifyComplaint(db(), admin, chosen.id, { bidang: 'Nope' as never })).toEqual({ ok: false, reason: 'invalid_input' });
  });
});

describe('scope', () => {
  it('hides a Nongsa complaint from a Sagulung operator, and shows it to the Nongsa supervisor and a city-wide admin', async () => {
    const contactId = await contact(db());
    const { id, trackingId } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });

    expect(await getComplaint(db(), sagulungOperator, id)).toBeNull();
    expect(await verifyComplaint(db(), sagulungOperator, id)).toEqual({ ok: false, reason: 'not_found' });
    expect(await assignComplaint(db(), sagulungOperator, id, sagulungOperator.id)).toEqual({ ok: false, reason: 'not_found' });
    expect(await addNote(db(), sagulungOperator, id, { text: 'x' })).toEqual({ ok: false, reason: 'not_found' });
    expect(await laporExport(db(), sagulungOperator, id)).toBeNull();
    expect((await listComplaints(db(), sagulungOperator, { queue: 'all', search: trackingId })).rows).toEqual([]);
    // Guessing ids near it tells nothing either.
    expect(await getComplaint(db(), sagulungOperator, id + 100_000)).toBeNull();

    expect(await getComplaint(db(), nongsaSupervisor, id)).toMatchObject({ id, trackingId, kecamatanName: 'Nongsa' });
    expect(await getComplaint(db(), admin, id)).toMatchObject({ id });
    expect(await verifyComplaint(db(), nongsaSupervisor, id)).toMatchObject({ ok: true });
    expect(await replyToResident(db(), sagulungOperator, id, { text: 'x' })).toEqual({ ok: false, reason: 'not_found' });

    // A bidang scope narrows it further.
    const rehsos = await staff(db(), 'supervisor', { kecamatanId: nongsa, bidang: 'Rehsos' });
    expect(await getComplaint(db(), rehsos, id)).toBeNull();
  });

  it("lets an operator take an unassigned complaint, not give it away, and not open a colleague's", async () => {
    const contactId = await contact(db());
    const { id } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });
    const colleague = await staff(db(), 'operator', { kecamatanId: nongsa });

    expect(await assignComplaint(db(), nongsaOperator, id, colleague.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await assignComplaint(db(), nongsaOperator, id, sagulungOperator.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await assignComplaint(db(), colleague, id, colleague.id)).toEqual({ ok: true });
    expect(await getComplaint(db(), nongsaOperator, id)).toBeNull();
    expect(await assignComplaint(db(), nongsaOperator, id, nongsaOperator.id)).toEqual({ ok: false, reason: 'not_found' });

    // Supervisors reassign, but only to someone whose scope covers the complaint.
    expect(await assignComplaint(db(), nongsaSupervisor, id, sagulungOperator.id)).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await assignComplaint(db(), nongsaSupervisor, id, nongsaOperator.id)).toEqual({ ok: true });
    expect(await getComplaint(db(), nongsaOperator, id)).toMatchObject({ assigneeId: nongsaOperator.id });
    const audited = await db().select().from(auditLog).where(and(eq(auditLog.action, 'complaint.assign'), eq(auditLog.entityId, String(id))));
    expect(audited).toHaveLength(2);
  });
});

describe('the inbox', () => {
  it('filters by queue, status, SLA and search, and treats SQL in the search box as text', async () => {
    const bulang = await kecamatanId(db(), 'Bulang');
    const op = await staff(db(), 'operator', { kecamatanId: bulang });
    const sup = await staff(db(), 'supervisor', { kecamatanId: bulang });
    const contactId = await contact(db());
    const late = await file(db(), { contactId, kecamatanId: bulang, now: wib('2026-12-03T09:00:00'), summary: 'Beras tidak sampai' });
    const dueToday = await file(db(), { contactId, kecamatanId: bulang, now: wib('2026-12-04T14:00:00'), summary: 'Nama ibu salah ketik' });
    const fresh = await file(db(), { contactId, kecamatanId: bulang, now: wib('2026-12-09T08:00:00'), summary: "x'; drop table complaints; --" });
    await assignComplaint(db(), sup, fresh.id, sup.id);
    const now = wib('2026-12-09T09:00:00');

    const all = await listComplaints(db(), sup, { queue: 'all', now });
    expect(all.rows.map((r) => r.id)).toEqual([late.id, dueToday.id, fresh.id]);
    expect(all.total).toBe(3);
    expect(all.rows[0]!.sla).toMatchObject({ kind: 'verify', late: true, msLeft: -(24 * 3_600_000) });
    expect(all.rows[1]!.sla).toMatchObject({ kind: 'verify', late: false, dueAt: wib('2026-12-09T14:00:00'), msLeft: 5 * 3_600_000 });

    // The operator's "all" is their queue plus the unassigned ones; the supervisor took the third.
    expect((await listComplaints(db(), op, { queue: 'all', now })).rows.map((r) => r.id)).toEqual([late.id, dueToday.id]);
    expect((await listComplaints(db(), sup, { queue: 'mine', now })).rows.map((r) => r.id)).toEqual([fresh.id]);
    expect((await listComplaints(db(), sup, { queue: 'unassigned', now })).rows.map((r) => r.id)).toEqual([late.id, dueToday.id]);
    expect((await listComplaints(db(), sup, { queue: 'all', sla: 'late', now })).rows.map((r) => r.id)).toEqual([late.id]);
    expect((await listComplaints(db(), sup, { queue: 'all', sla: 'due_today', now })).rows.map((r) => r.id)).toEqual([dueToday.id]);
    expect((await listComplaints(db(), sup, { queue: 'all', status: 'verified', now })).rows).toEqual([]);
    expect((await listComplaints(db(), sup, { queue: 'all', limit: 1, offset: 1, now })).rows.map((r) => r.id)).toEqual([dueToday.id]);

    expect((await listComplaints(db(), sup, { queue: 'all', search: 'ibu salah', now })).rows.map((r) => r.id)).toEqual([dueToday.id]);
    const spoken = late.trackingId.toLowerCase().replaceAll('-', ' ');
    expect((await listComplaints(db(), sup, { queue: 'all', search: spoken, now })).rows.map((r) => r.id)).toEqual([late.id]);
    expect((await listComplaints(db(), sup, { queue: 'all', search: "'; drop table complaints; --", now })).rows.map((r) => r.id)).toEqual([fresh.id]);
    expect((await listComplaints(db(), sup, { queue: 'all', search: "' or '1'='1", now })).rows).toEqual([]);
    expect((await listComplaints(db(), sup, { queue: 'all', search: '%', now })).rows).toEqual([]);
    expect((await db().select().from(complaints)).length).toBeGreaterThan(3);
  });
});

describe('anonymous reports', () => {
  it('hides the reporter from operators and supervisors; an admin may reveal, and that is audited', async () => {
    const siti = await memberOf(db(), resident('Siti').nik);
    const contactId = await contact(db(), { displayName: 'Siti Aminah' });
    const { id } = await file(db(), { contactId, memberId: siti.id, kecamatanId: nongsa, category: 'sanggahan', anonymous: true, now: FRIDAY_EVENING });

    for (const who of [nongsaOperator, nongsaSupervisor]) {
      const seen = await getComplaint(db(), who, id);
      expect(seen!.reporter).toEqual({ hidden: true });
      expect(seen).not.toHaveProperty('contactId');
      expect(seen).not.toHaveProperty('memberId');
      expect(JSON.stringify(seen)).not.toContain(siti.nik);
      expect(await revealReporter(db(), who, id)).toEqual({ ok: false, reason: 'forbidden' });
      expect((await laporExport(db(), who, id))!).toMatchObject({ anonymous: true, channel: null });
      expect(await laporExport(db(), who, id)).not.toHaveProperty('reporter');
    }

    const byAdmin = await getComplaint(db(), admin, id);
    expect(byAdmin!.reporter).toEqual({ hidden: false, channel: 'webchat', displayName: 'S*** A****', memberName: expect.stringMatching(/^S\*+/), verified: true });
    const revealed = await revealReporter(db(), admin, id);
    expect(revealed).toMatchObject({ ok: true, reporter: { contactId, displayName: 'Siti Aminah', member: { id: siti.id, nik: siti.nik, name: siti.name } } });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'complaint.reveal_reporter'), eq(auditLog.entityId, String(id))));
    expect(audits).toEqual([expect.objectContaining({ actorKind: 'staff', staffId: admin.id, entity: 'complaint', details: { anonymous: true }, ip: '10.0.0.7' })]);
  });

  it('masks a named reporter, reveals them to staff working it (audited), and exports them for LAPOR!', async () => {
    const dewi = await memberOf(db(), resident('Dewi').nik);
    const contactId = await contact(db(), { channel: 'telegram' });
    const { id, trackingId } = await file(db(), { contactId, memberId: dewi.id, kecamatanId: nongsa, category: 'wrong_data', summary: 'Nama anak salah', now: FRIDAY_EVENING });
    expect((await getComplaint(db(), nongsaOperator, id))!.reporter).toMatchObject({ hidden: false, channel: 'telegram', memberName: expect.not.stringContaining(dewi.name) });
    expect(await revealReporter(db(), nongsaOperator, id)).toMatchObject({ ok: true, reporter: { member: { nik: dewi.nik } } });
    expect(await revealReporter(db(), await staff(db(), 'viewer'), id)).toEqual({ ok: false, reason: 'not_found' });
    expect(await revealReporter(db(), sagulungOperator, id)).toEqual({ ok: false, reason: 'not_found' });

    expect(await laporExport(db(), nongsaSupervisor, id)).toEqual({
      trackingId,
      title: 'Nama anak salah',
      description: 'Nama anak salah',
      category: 'wrong_data',
      date: FRIDAY_EVENING.toISOString(),
      location: { kecamatan: 'Nongsa' },
      status: 'received',
      anonymous: false,
      secret: true,
      channel: 'telegram',
      bidang: 'Linjamsos',
      reporter: { name: dewi.name, nik: dewi.nik, channel: 'telegram' },
    });
    expect(await laporExport(db(), await staff(db(), 'viewer'), id)).toBeNull();
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.entityId, String(id)), eq(auditLog.entity, 'complaint')));
    expect(audits.map((a) => a.action).sort()).toEqual(['complaint.export_lapor', 'complaint.read', 'complaint.reveal_reporter']);
  });
});

describe('replying on the resident’s channel', () => {
  async function verifiedOn(opts: Parameters<typeof contact>[1]) {
    const contactId = await contact(db(), opts);
    const { id } = await file(db(), { contactId, kecamatanId: nongsa, now: FRIDAY_EVENING });
    await verifyComplaint(db(), admin, id, { now: FRIDAY_EVENING });
    return { contactId, id };
  }

  it('queues the reply for the contact’s channel with reply priority and the staff id', async () => {
    const { contactId, id } = await verifiedOn({ channel: 'telegram' });
    const result = await replyToResident(db(), nongsaOperator, id, { text: 'Kami sudah cek, bantuan cair minggu depan.', now: wib('2026-12-07T09:00:00') });
    expect(result.ok).toBe(true);
    const rows = await outboxOf(contactId);
    expect(rows).toEqual([expect.objectContaining({ channel: 'telegram', priority: 0, status: 'pending', payload: { text: 'Kami sudah cek, bantuan cair minggu depan.' } })]);
    expect(result).toMatchObject({ outboxIds: [rows[0]!.id] });
    const history = await db().select().from(messages).where(eq(messages.contactId, contactId));
    expect(history).toEqual([expect.objectContaining({ direction: 'out', staffId: nongsaOperator.id, body: 'Kami sudah cek, bantuan cair minggu depan.' })]);
  });

  it('writes nothing, neither the status nor the outbox row, when the transaction around it fails', async () => {
    const { contactId, id } = await verifiedOn({ channel: 'telegram' });
    await expect(
      db().transaction(async (tx) => {
        expect((await replyToResident(tx, nongsaOperator, id, { text: 'Halo' })).ok).toBe(true);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outboxOf(contactId)).toEqual([]);
    expect((await complaintRow(db(), id)).status).toBe('verified');
  });

  it('refuses WhatsApp Cloud free text 24 hours after the resident last wrote, and allows it inside the window', async () => {
    const now = wib('2026-12-07T09:00:00');
    const stale = await verifiedOn({ channel: 'whatsapp_cloud', lastInboundAt: new Date(now.getTime() - 25 * 3_600_000) });
    expect(await replyToResident(db(), nongsaOperator, stale.id, { text: 'Halo', now })).toEqual({ ok: false, reason: 'outside_24h_window' });
    expect(await outboxOf(stale.contactId)).toEqual([]);
    expect((await complaintRow(db(), stale.id)).status).toBe('verified');
    expect((await getComplaint(db(), nongsaOperator, stale.id, { now }))!.replyWindowOpen).toBe(false);

    const never = await verifiedOn({ channel: 'whatsapp_cloud', lastInboundAt: null });
    expect(await replyToResident(db(), nongsaOperator, never.id, { text: 'Halo', now })).toEqual({ ok: false, reason: 'outside_24h_window' });

    const fresh = await verifiedOn({ channel: 'whatsapp_cloud', lastInboundAt: new Date(now.getTime() - 23 * 3_600_000) });
    expect((await getComplaint(db(), nongsaOperator, fresh.id, { now }))!.replyWindowOpen).toBe(true);
    expect(await replyToResident(db(), nongsaOperator, fresh.id, { text: 'Halo', now })).toMatchObject({ ok: true });
    expect(await outboxOf(fresh.contactId)).toHaveLength(1);
  });

  it('refuses an unreachable contact and a complaint with no chat', async () => {
    const blocked = await verifiedOn({ channel: 'telegram', unreachableAt: FRIDAY_EVENING });
    expect(await replyToResident(db(), admin, blocked.id, { text: 'Halo' })).toEqual({ ok: false, reason: 'unreachable' });
    const orphan = await verifiedOn({});
    await db().update(complaints).set({ contactId: null }).where(eq(complaints.id, orphan.id));
    expect(await replyToResident(db(), admin, orphan.id, { text: 'Halo' })).toEqual({ ok: false, reason: 'no_channel' });
    expect(await replyToResident(db(), admin, orphan.id, { text: '   ' })).toEqual({ ok: false, reason: 'invalid_input' });
  });
});

describe('auto-close, reopen and satisfaction', () => {
  async function answered(at: Date, contactOpts: Parameters<typeof contact>[1] = {}) {
    const contactId = await contact(db(), contactOpts);
    const { id, trackingId } = await file(db(), { contactId, kecamatanId: nongsa, now: at });
    await verifyComplaint(db(), admin, id, { now: at });
    const reply = await replyToResident(db(), admin, id, { text: 'Sudah kami proses.', now: at });
    if (!reply.ok) throw new Error(reply.reason);
    return { contactId, id, trackingId, autoCloseAt: reply.autoCloseAt };
  }

  it('closes 10 working days after the answer when nobody replied, and asks for a rating', async () => {
    // Complaints answered by the suites above fall due in January; close them first so the counts below are this one's.
    await autoCloseDue(db(), wib('2027-02-01T00:00:00'));
    const a = await answered(wib('2027-02-01T10:00:00'));
    // Mon 1 Feb 2027: 2, 3, 4, 5, 8, 9, 10, 11, 12, 15 (6 Feb, Imlek, is a Saturday anyway).
    expect(a.autoCloseAt).toEqual(wib('2027-02-15T10:00:00'));
    expect(await autoCloseDue(db(), wib('2027-02-15T09:59:00'))).toBe(0);
    expect((await complaintRow(db(), a.id)).status).toBe('answered');

    expect(await autoCloseDue(db(), wib('2027-02-15T10:00:00'))).toBe(1);
    expect(await complaintRow(db(), a.id)).toMatchObject({ status: 'closed', closedAt: wib('2027-02-15T10:00:00'), autoCloseAt: null });
    const sent = await outboxOf(a.contactId);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ priority: 1, payload: { options: expect.arrayContaining([{ id: expect.stringMatching(/^csat:\d+:5$/), label: expect.any(String) }]) } });
    expect(await autoCloseDue(db(), wib('2027-02-16T10:00:00'))).toBe(0);
  });

  it('reopens when the resident replies, with a new answer deadline, and then does not auto-close', async () => {
    const a = await answered(wib('2027-03-01T10:00:00'));
    const replied = await residentReplied(db(), { contactId: a.contactId, text: 'Belum masuk, Pak', now: wib('2027-03-05T16:00:00') });
    expect(replied).toEqual({ complaintId: a.id, trackingId: a.trackingId, reopened: true });
    // Fri 5 March: 8, (9 Nyepi, 10, 11 Idul Fitri), 12, 15, 16, 17.
    expect(await complaintRow(db(), a.id)).toMatchObject({ status: 'reopened', answerDueAt: wib('2027-03-17T16:00:00'), autoCloseAt: null });
    expect(await autoCloseDue(db(), wib('2027-06-01T10:00:00'))).toBeGreaterThanOrEqual(0);
    expect((await complaintRow(db(), a.id)).status).toBe('reopened');
    expect((await getComplaint(db(), admin, a.id))!.events.at(-2)).toMatchObject({ kind: 'message_in', body: 'Belum masuk, Pak' });

    // Working it again closes it again.
    expect(await startWork(db(), admin, a.id)).toEqual({ ok: true });
    expect(await replyToResident(db(), admin, a.id, { text: 'Sudah cair hari ini.', now: wib('2027-03-08T10:00:00') })).toMatchObject({ ok: true });
    expect((await complaintRow(db(), a.id)).answeredAt).toEqual(wib('2027-03-01T10:00:00'));
    // A chat with no complaint open has nothing to join.
    const contactOnly = await contact(db());
    expect(await residentReplied(db(), { contactId: contactOnly, text: 'halo', now: wib('2027-03-08T10:00:00') })).toBeNull();
  });

  it('adds a message before the answer to the latest open complaint without reopening, NIK masked', async () => {
    const contactId = await contact(db());
    await file(db(), { contactId, kecamatanId: nongsa, now: wib('2027-03-01T10:00:00') });
    const latest = await file(db(), { contactId, kecamatanId: nongsa, now: wib('2027-03-02T10:00:00') });
    const replied = await residentReplied(db(), { contactId, text: 'NIK saya 2171105203850001', now: wib('2027-03-03T10:00:00') });
    expect(replied).toEqual({ complaintId: latest.id, trackingId: latest.trackingId, reopened: false });
    expect((await complaintRow(db(), latest.id)).status).toBe('received');
    const events = await db().select().from(complaintEvents).where(eq(complaintEvents.complaintId, latest.id)).orderBy(asc(complaintEvents.id));
    expect(events.at(-1)).toMatchObject({ kind: 'message_in', body: expect.not.stringContaining('2171105203850001') });
  });

  it('is safe when several processes run auto-close at once', async () => {
    const due = await Promise.all([1, 2, 3, 4, 5].map(() => answered(wib('2027-04-01T10:00:00'))));
    const at = wib('2027-05-03T10:00:00');
    const before = await db().select({ id: complaints.id }).from(complaints).where(eq(complaints.status, 'answered'));
    const counts = await Promise.all([autoCloseDue(db(), at, { batch: 2 }), autoCloseDue(db(), at, { batch: 2 }), autoCloseDue(db(), at, { batch: 2 })]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(before.length);
    for (const d of due) {
      expect((await complaintRow(db(), d.id)).status).toBe('closed');
      const closes = await db().select().from(complaintEvents).where(and(eq(complaintEvents.complaintId, d.id), eq(complaintEvents.toStatus, 'closed')));
      expect(closes).toHaveLength(1);
      expect(await outboxOf(d.contactId)).toHaveLength(2);
    }
  });

  it('takes one rating, from the complaint’s own chat only', async () => {
    const a = await answered(wib('2027-02-01T10:00:00'));
    const stranger = await contact(db());
    const now = wib('2027-02-02T10:00:00');
    // Not closed yet: nothing was asked, and an old-style press finds nothing to rate.
    expect(await pendingRating(db(), a.contactId)).toBeNull();
    expect(await recordRating(db(), { complaintId: a.id, contactId: a.contactId, score: 5, now })).toEqual({ ok: false, reason: 'not_found' });
    await closeComplaint(db(), admin, a.id, { now });
    const pending = await pendingRating(db(), a.contactId);
    expect(pending).toMatchObject({ service: 'complaint', complaintId: a.id, answered: false });
    const satisfactionId = pending!.satisfactionId!;

    expect(await recordRating(db(), { satisfactionId, contactId: stranger, score: 1, now })).toEqual({ ok: false, reason: 'not_found' });
    expect(await recordRating(db(), { satisfactionId, contactId: a.contactId, score: 6, now })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await recordRating(db(), { satisfactionId, contactId: a.contactId, score: 4, comment: ' Cepat ', now })).toEqual({ ok: true });
    expect(await recordRating(db(), { satisfactionId, contactId: a.contactId, score: 1, now })).toEqual({ ok: false, reason: 'already_rated' });
    // The complaint keeps its rating too, for its page.
    expect(await complaintRow(db(), a.id)).toMatchObject({ csat: 4, csatComment: 'Cepat' });
    expect(await pendingRating(db(), a.contactId)).toBeNull();
    expect(await pendingRating(db(), a.contactId, satisfactionId)).toMatchObject({ answered: true });
  });

  it('asks a WhatsApp Cloud contact outside the window through a template, and skips an unreachable one', async () => {
    const at = wib('2027-02-01T10:00:00');
    const wa = await answered(at, { channel: 'whatsapp_cloud', lastInboundAt: at });
    expect(await closeComplaint(db(), admin, wa.id, { now: wib('2027-02-04T10:00:00') })).toEqual({ ok: true, csatAsked: true });
    const [, question] = await outboxOf(wa.contactId);
    // The notice template carries the whole question, which names the report.
    const payload = question!.payload as { text: string; template: { kind: string; params: string[] } };
    expect(payload.template).toEqual({ kind: 'notice', params: [payload.text] });
    expect(payload.text).toContain(wa.trackingId);

    const gone = await answered(at);
    await db().update(contacts).set({ unreachableAt: at }).where(eq(contacts.id, gone.contactId));
    expect(await closeComplaint(db(), admin, gone.id, { now: at })).toEqual({ ok: true, csatAsked: false });
  });
});
