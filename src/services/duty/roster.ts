// The duty roster (issue 19): who answers urgent reports outside office hours, one officer per date, for the
// whole city. An urgent report filed at 02:00 on Saturday goes to Saturday's officer (services/complaints/
// urgent.ts); with nobody on the roster it waits, unassigned, in the emergency queue.
//
// Supervisors and admins set it ('complaints.assign'). The officer must be able to see every urgent report,
// wherever it comes from: an active staff member who works complaints with no kecamatan of their own (a
// kecamatan officer would be handed reports they cannot open). Only a city-wide supervisor changes it, as
// only a city-wide admin changes the holiday calendar: the roster is the city's, not one kecamatan's.

import { and, asc, eq, gte, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dutyRoster, staffUsers } from '../../db/schema/index.ts';
import { addDays, isRealDate, todayIn } from '../../domain/dates.ts';
import { can, Forbidden, requirePermission } from '../access.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';

/** How far ahead the roster page shows and the roster may be read in one go. */
export const MAX_DAYS = 62;

export interface DutyOfficer {
  id: number;
  name: string;
}

export interface DutyDay {
  /** YYYY-MM-DD, the office's calendar. */
  date: string;
  officer: DutyOfficer | null;
}

export type SetDutyResult = { ok: true; changed: boolean } | { ok: false; reason: 'invalid_date' | 'past' | 'not_eligible' };

interface When {
  now: Date;
  timeZone: string;
}

/** A real calendar day written YYYY-MM-DD. */
export function isDay(raw: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Whether this person may change the roster (the page shows its forms only to them). */
export function mayChangeDuty(actor: Actor): boolean {
  return can(actor, 'complaints.assign') && actor.kecamatanId === null;
}

function requireChange(actor: Actor): void {
  requirePermission(actor, 'complaints.assign');
  if (actor.kecamatanId !== null) throw new Forbidden('scope', 'the duty roster is city-wide');
}

/** Those who may be put on duty: active, working complaints, city-wide; by name. */
export async function eligibleDutyOfficers(db: Db, actor: Actor): Promise<DutyOfficer[]> {
  requirePermission(actor, 'complaints.assign');
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(and(eq(staffUsers.active, true), isNull(staffUsers.kecamatanId)))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  return rows.filter((r) => can(r, 'complaints.work')).map(({ id, name }) => ({ id, name }));
}

/**
 * Puts an officer on duty for a date, or takes the date off the roster (null). A date before today (the
 * office's calendar) is refused: the past is what happened, and reports already filed were handled by it.
 */
export async function setDuty(db: Db, actor: Actor, date: string, staffId: number | null, when: When): Promise<SetDutyResult> {
  requireChange(actor);
  if (!isDay(date)) return { ok: false, reason: 'invalid_date' };
  if (date < todayIn(when.timeZone, when.now)) return { ok: false, reason: 'past' };
  if (staffId !== null && (!Number.isSafeInteger(staffId) || staffId < 1)) return { ok: false, reason: 'not_eligible' };
  return db.transaction(async (tx) => {
    if (staffId !== null) {
      const [s] = await tx.select({ role: staffUsers.role, active: staffUsers.active, kecamatanId: staffUsers.kecamatanId }).from(staffUsers).where(eq(staffUsers.id, staffId));
      if (!s || !s.active || s.kecamatanId !== null || !can(s, 'complaints.work')) return { ok: false as const, reason: 'not_eligible' as const };
    }
    const [before] = await tx.select({ staffId: dutyRoster.staffId }).from(dutyRoster).where(eq(dutyRoster.onDate, date)).for('update');
    const from = before?.staffId ?? null;
    if (from === staffId) return { ok: true as const, changed: false };
    const setBy = actor.kind === 'staff' ? actor.id : null;
    if (staffId === null) await tx.delete(dutyRoster).where(eq(dutyRoster.onDate, date));
    else
      await tx
        .insert(dutyRoster)
        .values({ onDate: date, staffId, setBy, updatedAt: when.now })
        .onConflictDoUpdate({ target: dutyRoster.onDate, set: { staffId, setBy, updatedAt: when.now } });
    await audit(tx, actor, { action: 'duty.set', entity: 'duty_roster', entityId: date, details: { from, to: staffId } });
    return { ok: true as const, changed: true };
  });
}

/** The roster for `days` dates from `from` (YYYY-MM-DD), each with its officer or none. */
export async function listDuty(db: Db, actor: Actor, from: string, days: number): Promise<DutyDay[]> {
  requirePermission(actor, 'complaints.assign');
  if (!isDay(from)) return [];
  const n = Math.min(Math.max(Math.trunc(days), 1), MAX_DAYS);
  const until = addDays(from, n);
  const rows = await db
    .select({ date: dutyRoster.onDate, id: staffUsers.id, name: staffUsers.name })
    .from(dutyRoster)
    .innerJoin(staffUsers, eq(staffUsers.id, dutyRoster.staffId))
    .where(and(gte(dutyRoster.onDate, from), lt(dutyRoster.onDate, until)));
  const byDate = new Map(rows.map((r) => [r.date, { id: r.id, name: r.name }]));
  return Array.from({ length: n }, (_, i) => {
    const date = addDays(from, i);
    return { date, officer: byDate.get(date) ?? null };
  });
}

/**
 * The officer on duty on a date, when there is one who can still take the report: someone deactivated or
 * moved to a kecamatan since the roster was set is no duty officer (the report then waits in the queue).
 */
export async function dutyOfficerFor(db: Db, date: string): Promise<(DutyOfficer & { bidang: Bidang | null }) | null> {
  if (!isDay(date)) return null;
  const [row] = await db
    .select({ id: staffUsers.id, name: staffUsers.name, bidang: staffUsers.bidang, role: staffUsers.role, active: staffUsers.active, kecamatanId: staffUsers.kecamatanId })
    .from(dutyRoster)
    .innerJoin(staffUsers, eq(staffUsers.id, dutyRoster.staffId))
    .where(eq(dutyRoster.onDate, date));
  if (!row || !row.active || row.kecamatanId !== null || !can(row, 'complaints.work')) return null;
  return { id: row.id, name: row.name, bidang: row.bidang };
}
