import { eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, kecamatan, offices } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { addHoliday, holidayProblems, listHolidays, removeHoliday } from '../../../src/services/calendar/holidays.ts';
import { officeHoursProblems, officesToManage, updateOfficeHours } from '../../../src/services/calendar/office-hours.ts';
import { holidaySet } from '../../../src/services/complaints/shared.ts';
import { deskHours } from '../../../src/services/handover-desk/wait.ts';
import { listOffices } from '../../../src/services/offices.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';
import { seededDatabase, TZ } from '../seeded.ts';

// Holidays and office hours as data the admin keeps (issue 18). The handover and the working-day deadlines
// read both tables when they count, so an edit is what the next count uses: these tests change the data and
// ask again, in the same process, with nothing restarted or refreshed.

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase(0);
}, 120_000);
afterAll(async () => {
  await database?.dispose();
});

const at = (local: string) => new Date(`${local}+07:00`);

describe('holidays', () => {
  it('checks a day and a name', () => {
    expect(holidayProblems({ day: '2026-12-07', name: 'Libur daerah' })).toEqual([]);
    expect(holidayProblems({ day: '2026-02-30', name: '' })).toEqual(['day_invalid', 'name_empty']);
    expect(holidayProblems({ day: '7/12/2026', name: 'x'.repeat(101) })).toEqual(['day_invalid', 'name_too_long']);
  });

  it('adds a day (a past one flagged), refuses a duplicate, removes, audits, and the handover and SLA count it at once', async () => {
    const db = database.db;
    const admin = await staffActor(db, { role: 'admin' });
    const friday = at('2026-12-04T18:00:00');
    expect((await deskHours(db, { now: friday, timeZone: TZ })).nextOpening).toEqual(at('2026-12-07T08:00:00'));
    expect((await holidaySet(db, friday, TZ)).has('2026-12-07')).toBe(false);

    expect(await addHoliday(db, admin, { day: '2026-12-07', name: 'Libur daerah' }, '2026-12-04')).toEqual({ ok: true, past: false });
    expect(await addHoliday(db, admin, { day: '2026-12-07', name: 'Lagi' }, '2026-12-04')).toEqual({ ok: false, reason: 'duplicate' });
    expect(await addHoliday(db, admin, { day: '2026-12-01', name: 'Terlambat dicatat' }, '2026-12-04')).toEqual({ ok: true, past: true });
    expect(await addHoliday(db, admin, { day: '2026-13-01', name: 'x' }, '2026-12-04')).toEqual({ ok: false, reason: 'invalid_input' });
    expect((await listHolidays(db, admin)).find((h) => h.day === '2026-12-07')).toEqual({ day: '2026-12-07', name: 'Libur daerah' });

    // Read at use time: Monday is now a holiday for the handover and for working-day deadlines.
    expect((await deskHours(db, { now: friday, timeZone: TZ })).nextOpening).toEqual(at('2026-12-08T08:00:00'));
    expect((await holidaySet(db, friday, TZ)).has('2026-12-07')).toBe(true);

    expect(await removeHoliday(db, admin, '2026-12-07')).toBe(true);
    expect(await removeHoliday(db, admin, '2026-12-07')).toBe(false);
    expect((await deskHours(db, { now: friday, timeZone: TZ })).nextOpening).toEqual(at('2026-12-07T08:00:00'));
    const actions = (await db.select().from(auditLog).where(eq(auditLog.staffId, admin.id))).map((a) => [a.action, a.entityId, a.details]);
    expect(actions).toEqual([
      ['holiday.add', '2026-12-07', { past: false }],
      ['holiday.add', '2026-12-01', { past: true }],
      ['holiday.remove', '2026-12-07', null],
    ]);
  });

  it('is changed by a city-wide admin only', async () => {
    const db = database.db;
    const [office] = await db.select({ kecamatanId: offices.kecamatanId }).from(offices).where(eq(offices.id, (await listOffices(db)).at(-1)!.id));
    const local = await staffActor(db, { role: 'admin', kecamatanId: office!.kecamatanId });
    const supervisor = await staffActor(db, { role: 'supervisor' });
    await expect(addHoliday(db, local, { day: '2026-12-09', name: 'x' }, '2026-12-04')).rejects.toBeInstanceOf(Forbidden);
    await expect(removeHoliday(db, local, '2026-12-01')).rejects.toBeInstanceOf(Forbidden);
    await expect(listHolidays(db, supervisor)).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('office hours', () => {
  const span = (days: number[], opens: string, closes: string) => ({ days, opens, closes });

  it('checks the texts and every span: days, HH:MM, opens before closes, no overlap on a day', () => {
    expect(officeHoursProblems({ hours: 'Senin–Jumat 08.00–16.00', hoursEn: null, schedule: [span([1, 2, 3, 4], '08:00', '16:00'), span([5], '08:00', '11:30'), span([5], '13:30', '16:30')] })).toEqual([]);
    expect(
      officeHoursProblems({
        hours: ' ',
        hoursEn: 'x'.repeat(201),
        schedule: [span([], '08:00', '16:00'), span([1], '8:00', '16:00'), span([2], '16:00', '08:00'), span([3], '08:00', '12:00'), span([3], '11:00', '13:00')],
      }),
    ).toEqual([
      { field: 'hours', problem: 'empty' },
      { field: 'hoursEn', problem: 'too_long' },
      { field: 'schedule', span: null, problem: 'too_many' },
      { field: 'schedule', span: 1, problem: 'no_days' },
      { field: 'schedule', span: 2, problem: 'bad_time' },
      { field: 'schedule', span: 3, problem: 'opens_after_closes' },
      { field: 'schedule', span: 5, problem: 'overlap' },
    ]);
    expect(officeHoursProblems({ hours: 'x', hoursEn: null, schedule: [span([8], '08:00', '09:00')] })).toEqual([{ field: 'schedule', span: 1, problem: 'bad_day' }]);
    expect(officeHoursProblems({ hours: 'x', hoursEn: null, schedule: [span([1], '08:00', '24:00')] })).toEqual([{ field: 'schedule', span: 1, problem: 'bad_time' }]);
  });

  it('saves the texts and schedule, which the FAQ and the handover read on the next message; bad input changes nothing', async () => {
    const db = database.db;
    const admin = await staffActor(db, { role: 'admin' });
    const city = (await listOffices(db))[0]!;
    const before = await listOffices(db);
    expect(await updateOfficeHours(db, admin, city.id, { hours: '', hoursEn: null, schedule: [] })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await listOffices(db)).toEqual(before);

    expect(
      await updateOfficeHours(db, admin, city.id, { hours: 'Senin–Jumat 07.30–15.00', hoursEn: 'Monday–Friday 07:30–15:00', schedule: [span([5, 1, 2, 3, 4], '07:30', '15:00')] }),
    ).toEqual({ ok: true });
    const now = (await listOffices(db))[0]!;
    expect(now).toMatchObject({ hours: 'Senin–Jumat 07.30–15.00', hoursEn: 'Monday–Friday 07:30–15:00', schedule: [span([1, 2, 3, 4, 5], '07:30', '15:00')] });
    const friday = await deskHours(db, { now: at('2026-12-04T15:30:00'), timeZone: TZ });
    expect(friday).toMatchObject({ open: false, nextOpening: at('2026-12-07T07:30:00') });

    // No schedule at all: the handover names no time (and an empty English text means the Indonesian serves both).
    expect(await updateOfficeHours(db, admin, city.id, { hours: 'Senin–Jumat 07.30–15.00', hoursEn: '  ', schedule: [] })).toEqual({ ok: true });
    expect((await listOffices(db))[0]).toMatchObject({ hoursEn: null, schedule: null });
    expect(await updateOfficeHours(db, admin, 999_999, { hours: 'x', hoursEn: null, schedule: [] })).toEqual({ ok: false, reason: 'not_found' });
    const trail = (await db.select().from(auditLog).where(eq(auditLog.staffId, admin.id))).map((a) => [a.action, a.details]);
    expect(trail).toEqual([
      ['office.hours_update', { spans: 1, english: true }],
      ['office.hours_update', { spans: 0, english: false }],
    ]);
  });

  it('lets a kecamatan admin change only the offices of their kecamatan', async () => {
    const db = database.db;
    const [office] = await db.select({ id: offices.id, kecamatanId: offices.kecamatanId }).from(offices).limit(1);
    const [elsewhere] = await db.select({ id: kecamatan.id }).from(kecamatan).where(ne(kecamatan.id, office!.kecamatanId!)).limit(1);
    const outsider = await staffActor(db, { role: 'admin', kecamatanId: elsewhere!.id });
    expect(await officesToManage(db, outsider)).toEqual([]);
    await expect(updateOfficeHours(db, outsider, office!.id, { hours: 'x', hoursEn: null, schedule: [] })).rejects.toBeInstanceOf(Forbidden);
    const local = await staffActor(db, { role: 'admin', kecamatanId: office!.kecamatanId });
    expect((await officesToManage(db, local)).map((o) => o.id)).toEqual([office!.id]);
    expect(await updateOfficeHours(db, local, office!.id, { hours: 'Senin–Kamis 08.00–15.00', hoursEn: null, schedule: [] })).toEqual({ ok: true });
  });
});
