// Urgent reports (issue 19): someone in danger now. Their deadlines run in hours (PPKS_URGENT_HOURS), not
// working days, and one filed outside office hours goes straight to the officer on the duty roster for that
// date; with nobody on the roster it waits, unassigned, at the top of the emergency queue ("Darurat"). Inside
// office hours it stays unassigned in the routed bidang's queue (Rehsos for PPKS), where the desk is staffed.
//
// "Outside office hours" is the handover's rule, read from the same data: the city-wide office's weekly
// schedule (the first office with one, as services/handover-desk/wait.ts) minus public holidays. An office
// that keeps no schedule is taken as open, as the handover does: nobody is paged on a guess.

import { and, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaintEvents, complaints, holidays } from '../../db/schema/index.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { deskState } from '../../domain/office-hours.ts';
import type { Bidang } from '../../domain/vocabulary.ts';
import { DEFAULT_PPKS_URGENT_HOURS } from '../../config.ts';
import { inScope } from '../actor.ts';
import { audit } from '../audit.ts';
import { dutyOfficerFor } from '../duty/roster.ts';
import { listOffices } from '../offices.ts';

export { DEFAULT_PPKS_URGENT_HOURS };

const HOUR_MS = 3_600_000;

/** How an urgent report was placed when it was filed. */
export type UrgentRouting = 'office_hours' | 'duty_officer' | 'no_duty_officer';

/** Where a warning goes (the service's logger); structural, so services need no logger of their own. */
export interface WarnLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** An urgent deadline: this many hours from now, whatever the day. */
export function urgentDueAt(now: Date, hours: number): Date {
  return new Date(now.getTime() + hours * HOUR_MS);
}

/**
 * The hours an urgent report was given when it was filed (its verification window), so that its answer gets
 * the same: the setting as it stood then, also where the caller (the console, the API) does not hold it.
 */
export function urgentHoursOf(c: { createdAt: Date; verifyDueAt: Date | null }): number {
  if (!c.verifyDueAt) return DEFAULT_PPKS_URGENT_HOURS;
  const hours = Math.round((c.verifyDueAt.getTime() - c.createdAt.getTime()) / HOUR_MS);
  return hours >= 1 && hours <= 72 ? hours : DEFAULT_PPKS_URGENT_HOURS;
}

/** Whether the office is open at `now` by its own schedule and holidays (the handover's rule). */
export async function officeOpenAt(tx: Db, now: Date, timeZone: string): Promise<boolean> {
  const schedule = (await listOffices(tx)).find((o) => o.schedule !== null)?.schedule ?? null;
  if (!schedule) return true;
  const today = todayIn(timeZone, now);
  const days = await tx.select({ day: holidays.day }).from(holidays).where(and(gte(holidays.day, today), lte(holidays.day, addDays(today, 60))));
  return deskState(schedule, new Set(days.map((d) => d.day)), now, timeZone).open;
}

/**
 * Places a just-filed urgent report, inside the filing transaction. Out of hours: to the duty officer of the
 * local date ("02:00 Saturday" is Saturday's), with an assignment event by nobody (the system) and an audit
 * row; with no one on duty who can see it, a warning in the log (ids only) and the report stays unassigned.
 */
export async function placeUrgent(
  tx: Db,
  c: { id: number; kecamatanId: number | null; bidang: Bidang | null },
  input: { now: Date; timeZone: string; log?: WarnLog },
): Promise<UrgentRouting> {
  if (await officeOpenAt(tx, input.now, input.timeZone)) return 'office_hours';
  const date = todayIn(input.timeZone, input.now);
  const officer = await dutyOfficerFor(tx, date);
  // The roster only takes city-wide officers; one of another bidang cannot open this report, so it waits.
  if (!officer || !inScope({ kecamatanId: null, bidang: officer.bidang }, c)) {
    input.log?.warn({ complaintId: c.id, date, reason: officer ? 'duty_officer_out_of_scope' : 'no_duty_officer' }, 'urgent report out of office hours with no duty officer: left in the emergency queue');
    return 'no_duty_officer';
  }
  await tx.update(complaints).set({ assigneeId: officer.id }).where(eq(complaints.id, c.id));
  await tx.insert(complaintEvents).values({ complaintId: c.id, kind: 'assignment', staffId: null, body: String(officer.id), createdAt: input.now });
  await audit(tx, { kind: 'system' }, { action: 'complaint.duty_assign', entity: 'complaint', entityId: c.id, details: { to: officer.id, date }, at: input.now });
  return 'duty_officer';
}
