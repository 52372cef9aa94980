import { eq } from 'drizzle-orm';
import { listOffices, type Office } from '../offices.ts';
import type { Db } from '../../db/client.ts';
import { offices } from '../../db/schema/index.ts';
import type { WeeklySchedule } from '../../domain/office-hours.ts';
import { Forbidden, requirePermission, scopeWithin } from '../access.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

// An office's hours as the admin keeps them (settings.manage): the words residents read (Indonesian, and
// English when it differs) and the weekly schedule the handover counts with (domain/office-hours.ts). The
// FAQ and the handover read the offices table on every use, so a change answers the next resident.
// A kecamatan-scoped admin changes their kecamatan's office only; the city-wide office is the city's.

export const HOURS_TEXT_MAX = 200;
export const MAX_SPANS = 4;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export interface OfficeHoursInput {
  hours: string;
  /** '' or null: the Indonesian serves both. */
  hoursEn: string | null;
  /** Empty: the office keeps no schedule (the handover then names no time). */
  schedule: WeeklySchedule;
}

export type OfficeHoursProblem =
  | { field: 'hours' | 'hoursEn'; problem: 'empty' | 'too_long' }
  | { field: 'schedule'; span: number; problem: 'no_days' | 'bad_day' | 'bad_time' | 'opens_after_closes' | 'overlap' }
  | { field: 'schedule'; span: null; problem: 'too_many' };

/** What is wrong with the hours as typed; empty when nothing. Spans are numbered from 1 as the form shows them. */
export function officeHoursProblems(input: OfficeHoursInput): OfficeHoursProblem[] {
  const problems: OfficeHoursProblem[] = [];
  const hours = input.hours.trim();
  if (!hours) problems.push({ field: 'hours', problem: 'empty' });
  else if ([...hours].length > HOURS_TEXT_MAX) problems.push({ field: 'hours', problem: 'too_long' });
  if (input.hoursEn !== null && [...input.hoursEn.trim()].length > HOURS_TEXT_MAX) problems.push({ field: 'hoursEn', problem: 'too_long' });
  if (input.schedule.length > MAX_SPANS) problems.push({ field: 'schedule', span: null, problem: 'too_many' });
  input.schedule.forEach((s, i) => {
    const span = i + 1;
    if (s.days.length === 0) problems.push({ field: 'schedule', span, problem: 'no_days' });
    else if (!s.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) problems.push({ field: 'schedule', span, problem: 'bad_day' });
    if (!TIME.test(s.opens) || !TIME.test(s.closes)) problems.push({ field: 'schedule', span, problem: 'bad_time' });
    else if (minutesOf(s.opens) >= minutesOf(s.closes)) problems.push({ field: 'schedule', span, problem: 'opens_after_closes' });
    else {
      // Two spans on one day that overlap would make "open until" ambiguous for the handover.
      const clash = input.schedule.slice(0, i).some(
        (o) => TIME.test(o.opens) && TIME.test(o.closes) && o.days.some((d) => s.days.includes(d)) && minutesOf(o.opens) < minutesOf(s.closes) && minutesOf(s.opens) < minutesOf(o.closes),
      );
      if (clash) problems.push({ field: 'schedule', span, problem: 'overlap' });
    }
  });
  return problems;
}

/** The offices whose hours this admin may change, in the FAQ's order, with their kecamatan id for scope. */
export async function officesToManage(db: Db, actor: Actor): Promise<(Office & { kecamatanId: number | null })[]> {
  requirePermission(actor, 'settings.manage');
  const [listed, ids] = await Promise.all([listOffices(db), db.select({ id: offices.id, kecamatanId: offices.kecamatanId }).from(offices)]);
  const kecamatanOf = new Map(ids.map((r) => [r.id, r.kecamatanId]));
  return listed
    .map((o) => ({ ...o, kecamatanId: kecamatanOf.get(o.id) ?? null }))
    .filter((o) => scopeWithin({ kecamatanId: o.kecamatanId, bidang: null }, { kecamatanId: actor.kecamatanId, bidang: null }));
}

export type UpdateOfficeHoursResult = { ok: true } | { ok: false; reason: 'invalid_input' | 'not_found' };

export async function updateOfficeHours(db: Db, actor: Actor, officeId: number, input: OfficeHoursInput): Promise<UpdateOfficeHoursResult> {
  requirePermission(actor, 'settings.manage');
  if (officeHoursProblems(input).length > 0) return { ok: false, reason: 'invalid_input' };
  const hoursEn = input.hoursEn?.trim() ? input.hoursEn.trim() : null;
  const schedule = input.schedule.length > 0 ? input.schedule.map((s) => ({ days: [...new Set(s.days)].sort((a, b) => a - b), opens: s.opens, closes: s.closes })) : null;
  return db.transaction(async (tx) => {
    const [office] = await tx.select({ id: offices.id, kecamatanId: offices.kecamatanId }).from(offices).where(eq(offices.id, officeId)).for('update');
    if (!office) return { ok: false as const, reason: 'not_found' as const };
    if (!scopeWithin({ kecamatanId: office.kecamatanId, bidang: null }, { kecamatanId: actor.kecamatanId, bidang: null })) {
      throw new Forbidden('scope', 'an office outside your kecamatan');
    }
    await tx.update(offices).set({ hours: input.hours.trim(), hoursEn, schedule }).where(eq(offices.id, office.id));
    await audit(tx, actor, { action: 'office.hours_update', entity: 'office', entityId: office.id, details: { spans: schedule?.length ?? 0, english: hoursEn !== null } });
    return { ok: true as const };
  });
}
