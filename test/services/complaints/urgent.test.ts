import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, cities, complaintEvents, complaintRoutes, complaints, dutyRoster, offices } from '../../../src/db/schema/index.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { fileComplaint } from '../../../src/services/complaints/file.ts';
import { verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { listComplaints } from '../../../src/services/complaints/list.ts';
import { workCounts } from '../../../src/services/inbox/counts.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { twoKecamatan } from '../staff/fixtures.ts';
import { complaintRow, contact, staff, wib } from './lifecycle.fixtures.ts';

// Urgent reports (issue 19): deadlines in hours, the duty officer out of office hours, the emergency queue.
// The office is open Monday–Friday 08:00–16:00 WIB; 5 December 2026 is a Saturday, 7 December a Monday.

let database: TestDatabase;
let nongsa: number;
let sagulung: number;
let dutyOfficer: Actor;
let supervisor: Actor;
let sagulungOperator: Actor;
const db = () => database.db;
const HOUR = 3_600_000;
const TZ = 'Asia/Jakarta';

beforeAll(async () => {
  database = await createTestDatabase();
  ({ nongsa, sagulung } = await twoKecamatan(db()));
  const [city] = await db().select({ id: cities.id }).from(cities);
  await db()
    .insert(offices)
    .values({ cityId: city!.id, name: 'Dinas Sosial', address: 'Jl. Uji 1', hours: 'Senin–Jumat 08.00–16.00', schedule: [{ days: [1, 2, 3, 4, 5], opens: '08:00', closes: '16:00' }] });
  await db().insert(complaintRoutes).values({ category: 'ppks', bidang: 'Rehsos' }).onConflictDoNothing();
  dutyOfficer = await staff(db(), 'operator', { bidang: 'Rehsos' });
  supervisor = await staff(db(), 'supervisor');
  sagulungOperator = await staff(db(), 'operator', { kecamatanId: sagulung });
});
afterAll(async () => {
  await database?.dispose();
});
beforeEach(async () => {
  await db().delete(dutyRoster);
});

const warnings: Record<string, unknown>[] = [];
const log = { warn: (fields: Record<string, unknown>) => void warnings.push(fields) };

async function ppks(now: Date, opts: { urgent?: boolean; viaDetails?: boolean; kecamatanId?: number | null } = {}) {
  const contactId = await contact(db());
  const urgent = opts.urgent ?? true;
  return fileComplaint(db(), {
    contactId,
    category: 'ppks',
    summary: 'Ada lansia terlantar di depan pasar, kondisinya lemah',
    details: { ppksKind: 'lansia_terlantar', ...(opts.viaDetails ? { urgent: urgent ? 'yes' : 'no' } : {}) },
    anonymous: true,
    kecamatanId: opts.kecamatanId === undefined ? nongsa : opts.kecamatanId,
    ...(opts.viaDetails ? {} : { urgent }),
    now,
    timeZone: TZ,
    log,
  });
}

const eventsOf = (id: number) => db().select().from(complaintEvents).where(eq(complaintEvents.complaintId, id)).orderBy(asc(complaintEvents.id));

describe('an urgent report filed out of office hours', () => {
  it('goes to the officer on duty that local date (02:00 Saturday is Saturday), due in 4 hours, with an event', async () => {
    await db().insert(dutyRoster).values({ onDate: '2026-12-05', staffId: dutyOfficer.id, setBy: supervisor.id });
    // Friday's officer must not get it: 02:00 WIB Saturday is still Friday 19:00 in UTC.
    await db().insert(dutyRoster).values({ onDate: '2026-12-04', staffId: supervisor.id, setBy: supervisor.id });
    const at = wib('2026-12-05T02:00:00');
    const filed = await ppks(at);
    expect(filed.urgent).toBe('duty_officer');
    const row = await complaintRow(db(), filed.id);
    expect(row).toMatchObject({ urgent: true, assigneeId: dutyOfficer.id, bidang: 'Rehsos', status: 'received' });
    expect(row.verifyDueAt).toEqual(new Date(at.getTime() + 4 * HOUR));
    const events = await eventsOf(filed.id);
    expect(events.map((e) => [e.kind, e.staffId, e.body])).toEqual([
      ['message_in', null, 'Ada lansia terlantar di depan pasar, kondisinya lemah'],
      ['assignment', null, String(dutyOfficer.id)],
    ]);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'complaint.duty_assign'), eq(auditLog.entityId, String(filed.id))));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({ to: dutyOfficer.id, date: '2026-12-05' });
  });

  it('takes urgency from the chat when filing is not told (details.urgent)', async () => {
    await db().insert(dutyRoster).values({ onDate: '2026-12-05', staffId: dutyOfficer.id, setBy: supervisor.id });
    const filed = await ppks(wib('2026-12-05T03:00:00'), { viaDetails: true });
    expect((await complaintRow(db(), filed.id)).assigneeId).toBe(dutyOfficer.id);
  });

  it('with nobody on duty waits unassigned in the emergency queue, and warns the log with ids only', async () => {
    warnings.length = 0;
    const at = wib('2026-12-06T23:30:00');
    const filed = await ppks(at);
    expect(filed.urgent).toBe('no_duty_officer');
    const row = await complaintRow(db(), filed.id);
    expect(row.assigneeId).toBeNull();
    expect(row.verifyDueAt).toEqual(new Date(at.getTime() + 4 * HOUR));
    expect((await eventsOf(filed.id)).map((e) => e.kind)).toEqual(['message_in']);
    expect(warnings).toEqual([{ complaintId: filed.id, date: '2026-12-06', reason: 'no_duty_officer' }]);
    const { rows } = await listComplaints(db(), supervisor, { queue: 'urgent', now: at });
    expect(rows.map((r) => r.id)).toContain(filed.id);
  });

  it('is not given to a duty officer who has since been deactivated', async () => {
    const gone = await staff(db(), 'operator');
    await db().insert(dutyRoster).values({ onDate: '2026-12-05', staffId: gone.id, setBy: supervisor.id });
    const { staffUsers } = await import('../../../src/db/schema/index.ts');
    await db().update(staffUsers).set({ active: false }).where(eq(staffUsers.id, gone.id));
    const filed = await ppks(wib('2026-12-05T04:00:00'));
    expect(filed.urgent).toBe('no_duty_officer');
    expect((await complaintRow(db(), filed.id)).assigneeId).toBeNull();
  });
});

describe('an urgent report filed in office hours', () => {
  it('stays unassigned in the Rehsos queue, due in hours; verified, its answer is due in hours too', async () => {
    await db().insert(dutyRoster).values({ onDate: '2026-12-07', staffId: dutyOfficer.id, setBy: supervisor.id });
    const at = wib('2026-12-07T10:00:00');
    const filed = await ppks(at);
    expect(filed.urgent).toBe('office_hours');
    const row = await complaintRow(db(), filed.id);
    expect(row).toMatchObject({ assigneeId: null, bidang: 'Rehsos', urgent: true });
    expect(row.verifyDueAt).toEqual(wib('2026-12-07T14:00:00'));

    const verified = await verifyComplaint(db(), supervisor, filed.id, { now: wib('2026-12-07T11:00:00'), timeZone: TZ });
    expect(verified).toMatchObject({ ok: true, answerDueAt: wib('2026-12-07T15:00:00') });
    const configured = await ppks(at);
    expect(await verifyComplaint(db(), supervisor, configured.id, { now: wib('2026-12-07T11:00:00'), timeZone: TZ, urgentHours: 2 })).toMatchObject({ answerDueAt: wib('2026-12-07T13:00:00') });
  });

  it('uses the hours it is given (PPKS_URGENT_HOURS)', async () => {
    const at = wib('2026-12-07T10:00:00');
    const filed = await fileComplaint(db(), { contactId: await contact(db()), category: 'ppks', summary: 'Anak terlantar', details: {}, anonymous: false, kecamatanId: nongsa, urgent: true, urgentHours: 12, now: at, timeZone: TZ });
    expect((await complaintRow(db(), filed.id)).verifyDueAt).toEqual(wib('2026-12-07T22:00:00'));
  });
});

describe('a report that is not urgent', () => {
  it('keeps working days and nobody is paged, whatever the hour', async () => {
    await db().insert(dutyRoster).values({ onDate: '2026-12-05', staffId: dutyOfficer.id, setBy: supervisor.id });
    const filed = await ppks(wib('2026-12-05T02:00:00'), { urgent: false, viaDetails: true });
    expect(filed.urgent).toBeUndefined();
    const row = await complaintRow(db(), filed.id);
    expect(row).toMatchObject({ urgent: false, assigneeId: null, bidang: 'Rehsos' });
    // Saturday 02:00: Mon 7, Tue 8, Wed 9 December.
    expect(row.verifyDueAt).toEqual(wib('2026-12-09T02:00:00'));
    const verified = await verifyComplaint(db(), supervisor, filed.id, { now: wib('2026-12-07T11:00:00'), timeZone: TZ });
    // Five working days from Monday 11:00: Tue 8 … Mon 14.
    expect(verified).toMatchObject({ ok: true, answerDueAt: wib('2026-12-14T11:00:00') });
  });
});

describe('the emergency queue', () => {
  it('lists and counts only urgent reports not closed, in scope, by deadline', async () => {
    await db().delete(complaintEvents);
    await db().delete(complaints);
    const later = await ppks(wib('2026-12-07T11:00:00'));
    const sooner = await ppks(wib('2026-12-07T09:00:00'));
    const elsewhere = await ppks(wib('2026-12-07T10:00:00'), { kecamatanId: sagulung });
    await ppks(wib('2026-12-07T09:30:00'), { urgent: false });
    const closed = await ppks(wib('2026-12-07T08:30:00'));
    await db().update(complaints).set({ status: 'closed' }).where(eq(complaints.id, closed.id));

    const now = wib('2026-12-07T12:00:00');
    const all = await listComplaints(db(), supervisor, { queue: 'urgent', now });
    expect(all.rows.map((r) => r.id)).toEqual([sooner.id, elsewhere.id, later.id]);
    expect(all.rows.every((r) => r.urgent)).toBe(true);
    expect(all.total).toBe(3);
    expect((await workCounts(db(), supervisor)).urgent).toBe(3);

    // A Sagulung operator sees Sagulung's only.
    const theirs = await listComplaints(db(), sagulungOperator, { queue: 'urgent', now });
    expect(theirs.rows.map((r) => r.id)).toEqual([elsewhere.id]);
    expect((await workCounts(db(), sagulungOperator)).urgent).toBe(1);
    // A viewer reads no complaints: no tab at all.
    expect((await workCounts(db(), await staff(db(), 'viewer'))).urgent).toBeNull();
  });
});
