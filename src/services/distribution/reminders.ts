// Reminders are rows (reminder_fires) with a due time and the invitation's reminderVersion at planning
// time. Moving an event or a slot bumps the version and plans again, so an old row can never send the old
// time: it is skipped when its turn comes. The job below runs every minute in every process; rows are
// claimed with SKIP LOCKED so two processes never send the same reminder.

import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { distributionEvents, invitations, reminderFires } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { OPEN_INVITATION_STATUSES } from './invitations.ts';
import { fanOut } from '../outreach/fan-out.ts';
import { onlyChats, reachHouseholds } from '../outreach/recipients.ts';
import { templateFor } from '../outreach/template-choice.ts';
import { translatorOf, zoneOf, type DistributionOptions } from './common.ts';
import { factsOfIds, type InvitationRowFacts } from './facts.ts';
import { textsFor } from '../../messages/notices/distribution.ts';
import { inQuietHours, REMINDER_PLAN, reminderTimes, type ReminderOffset } from './reminder-times.ts';

const OPEN = [...OPEN_INVITATION_STATUSES];

/**
 * Plans the reminders still ahead for the open invitations of an event (all of them, or `invitationIds`),
 * at each invitation's current reminderVersion. Set-based: one statement for a whole invitation round.
 */
export async function planReminders(
  db: Db,
  input: { eventId: number; eventDate: string; invitationIds?: readonly number[] },
  opts: Pick<DistributionOptions, 'now' | 'timeZone'>,
): Promise<number> {
  const plan = reminderTimes(input.eventDate, zoneOf(opts), opts.now).map((r) => ({ offset: r.offset, due_at: r.dueAt.toISOString() }));
  if (plan.length === 0 || input.invitationIds?.length === 0) return 0;
  const only = input.invitationIds ? sql`and i.id in (select unnest(${`{${input.invitationIds.join(',')}}`}::bigint[]))` : sql``;
  const rows = await db.execute(sql`
    insert into reminder_fires (invitation_id, "offset", due_at, version)
    select i.id, p."offset", p.due_at, i.reminder_version
    from invitations i cross join jsonb_to_recordset(${JSON.stringify(plan)}::jsonb) as p("offset" text, due_at timestamptz)
    where i.event_id = ${input.eventId} and i.status in ('invited', 'confirmed', 'reschedule_requested') ${only}
    on conflict do nothing
    returning id`);
  return rowCount(rows);
}

/**
 * Plans reminders for invitations just created (reminderVersion 1). Straight from the id list, without
 * reading the invitations back: right after a bulk insert the planner knows nothing of the new rows and
 * a join against them can take minutes.
 */
export async function planNewReminders(
  db: Db,
  input: { eventDate: string; invitationIds: readonly number[] },
  opts: Pick<DistributionOptions, 'now' | 'timeZone'>,
): Promise<void> {
  const plan = reminderTimes(input.eventDate, zoneOf(opts), opts.now).map((r) => ({ offset: r.offset, due_at: r.dueAt.toISOString() }));
  if (plan.length === 0) return;
  for (let i = 0; i < input.invitationIds.length; i += 20_000) {
    const ids = `{${input.invitationIds.slice(i, i + 20_000).join(',')}}`;
    await db.execute(sql`
      insert into reminder_fires (invitation_id, "offset", due_at, version)
      select u.id, p."offset", p.due_at, 1
      from unnest(${ids}::bigint[]) as u(id) cross join jsonb_to_recordset(${JSON.stringify(plan)}::jsonb) as p("offset" text, due_at timestamptz)
      on conflict do nothing`);
  }
}

/**
 * Bumps the version of the event's open invitations (all, or `invitationIds`), skips their pending
 * reminders and plans new ones for the event's current date.
 */
export async function replanReminders(
  db: Db,
  input: { eventId: number; eventDate: string; invitationIds?: readonly number[] },
  opts: Pick<DistributionOptions, 'now' | 'timeZone'>,
): Promise<number> {
  const scope = and(
    eq(invitations.eventId, input.eventId),
    inArray(invitations.status, OPEN),
    input.invitationIds ? inArray(invitations.id, input.invitationIds as number[]) : undefined,
  );
  await db
    .update(invitations)
    .set({ reminderVersion: sql`${invitations.reminderVersion} + 1`, updatedAt: opts.now })
    .where(scope);
  await skipPending(db, { eventId: input.eventId, invitationIds: input.invitationIds });
  return planReminders(db, input, opts);
}

/** Pending reminders of an event's invitations (or some of them) will not be sent. */
export async function skipPending(db: Db, input: { eventId: number; invitationIds?: readonly number[] }): Promise<void> {
  await db
    .update(reminderFires)
    .set({ status: 'skipped' })
    .where(
      and(
        eq(reminderFires.status, 'pending'),
        inArray(
          reminderFires.invitationId,
          db
            .select({ id: invitations.id })
            .from(invitations)
            .where(and(eq(invitations.eventId, input.eventId), input.invitationIds ? inArray(invitations.id, input.invitationIds as number[]) : undefined)),
        ),
      ),
    );
}

/**
 * A resident who changed slot (services/distribution/invitations.ts changeSlot) has their pending reminders skipped,
 * since they named the old time. This finds open invitations of upcoming events with nothing pending at
 * their current version while a reminder time still lies ahead, and plans them again at a new version.
 */
export async function healReminders(db: Db, opts: Pick<DistributionOptions, 'now' | 'timeZone'>): Promise<number> {
  const timeZone = zoneOf(opts);
  const today = todayIn(timeZone, opts.now);
  const events = await db
    .select({ id: distributionEvents.id, eventDate: distributionEvents.eventDate })
    .from(distributionEvents)
    .where(and(inArray(distributionEvents.status, ['planned', 'open', 'moved']), sql`${distributionEvents.eventDate} >= ${today}`));
  let planned = 0;
  for (const ev of events) {
    const ahead = reminderTimes(ev.eventDate, timeZone, opts.now).map((r) => r.offset);
    if (ahead.length === 0) continue;
    // Orphans: open, holding a slot, no pending fire at the current version, and not every upcoming offset
    // already sent at it (a reminder sent is never repeated).
    const orphans = await db.execute(sql`
      select i.id from invitations i
      where i.event_id = ${ev.id} and i.status in ('invited', 'confirmed', 'reschedule_requested') and i.slot_id is not null
        and exists (select 1 from reminder_fires f where f.invitation_id = i.id)
        and not exists (select 1 from reminder_fires f where f.invitation_id = i.id and f.status = 'pending' and f.version = i.reminder_version)
        and not exists (
          select 1 from reminder_fires f where f.invitation_id = i.id and f.status = 'sent'
            and f."offset" = ${ahead[ahead.length - 1]!})`);
    const ids = rowsOf<{ id: number | string }>(orphans).map((r) => Number(r.id));
    if (ids.length === 0) continue;
    // Offsets already sent keep their place in the past: only those still ahead are planned again.
    planned += await replanReminders(db, { eventId: ev.id, eventDate: ev.eventDate, invitationIds: ids }, opts);
  }
  return planned;
}

export interface FireResult {
  sent: number;
  skipped: number;
  /** Due but held back: quiet hours (21:00–06:00). */
  held: boolean;
}

/**
 * Sends what is due. Skipped, never sent: a stale version, an invitation no longer open (collected,
 * declined, cancelled, no-show), a cancelled or closed event, a slot that has already begun, or an earlier
 * offset overtaken by a later one (the H-1 that waited out the night must not follow the H0).
 * In quiet hours nothing is claimed: the rows stay pending and go out from 06:00.
 */
export async function fireDueReminders(db: Db, opts: DistributionOptions & { limit?: number; batch?: number }): Promise<FireResult> {
  const timeZone = zoneOf(opts);
  if (inQuietHours(opts.now, timeZone)) return { sent: 0, skipped: 0, held: true };
  await healReminders(db, opts);
  const i18n = await translatorOf(opts);
  const texts = textsFor(i18n, timeZone, opts.defaultLocale ?? 'id');
  // 09:00 on the day before a city-wide distribution is 100,000 reminders at once: work through them in
  // batches, each its own transaction, so other processes share the work through SKIP LOCKED.
  const limit = Math.max(opts.limit ?? 200_000, 1);
  const batch = Math.min(Math.max(opts.batch ?? 2000, 1), 5000);
  const total: FireResult = { sent: 0, skipped: 0, held: false };
  while (total.sent + total.skipped < limit) {
    const size = Math.min(batch, limit - total.sent - total.skipped);
    const r = await fireBatch(db, { ...opts, timeZone }, texts, size);
    total.sent += r.sent;
    total.skipped += r.skipped;
    if (r.sent + r.skipped < size) break;
  }
  return total;
}

async function fireBatch(db: Db, opts: DistributionOptions, texts: ReturnType<typeof textsFor>, limit: number): Promise<{ sent: number; skipped: number }> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: reminderFires.id, invitationId: reminderFires.invitationId, offset: reminderFires.offset, version: reminderFires.version })
      .from(reminderFires)
      .where(and(eq(reminderFires.status, 'pending'), lte(reminderFires.dueAt, opts.now), isNull(reminderFires.firedAt)))
      .orderBy(reminderFires.dueAt, reminderFires.id)
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return { sent: 0, skipped: 0 };

    const facts = new Map((await factsOfIds(tx, [...new Set(due.map((d) => d.invitationId))])).map((f) => [f.invitationId, f]));
    const rank = (o: ReminderOffset) => REMINDER_PLAN.findIndex((p) => p.offset === o);
    const latest = new Map<number, number>();
    for (const d of due) latest.set(d.invitationId, Math.max(latest.get(d.invitationId) ?? -1, rank(d.offset)));

    const send: typeof due = [];
    const skip: number[] = [];
    for (const d of due) {
      const f = facts.get(d.invitationId);
      const fresh =
        f !== undefined &&
        d.version === f.reminderVersion &&
        (OPEN as string[]).includes(f.status) &&
        f.eventStatus !== 'cancelled' &&
        f.eventStatus !== 'done' &&
        f.startsAt.getTime() > opts.now.getTime() &&
        rank(d.offset) === latest.get(d.invitationId);
      if (fresh) send.push(d);
      else skip.push(d.id);
    }

    // Per event, for the WhatsApp Cloud template the event chose for its reminders.
    const byEvent = new Map<number, { householdId: number; invitationId: number; offset: ReminderOffset; f: InvitationRowFacts }[]>();
    for (const d of send) {
      const f = facts.get(d.invitationId)!;
      const list = byEvent.get(f.eventId) ?? [];
      list.push({ householdId: f.householdId, invitationId: f.invitationId, offset: d.offset, f });
      byEvent.set(f.eventId, list);
    }
    const chosen = await reminderTemplates(tx, [...byEvent.keys()]);
    for (const [eventId, items] of byEvent) {
      const reach = await reachHouseholds(tx, [...new Set(items.map((i) => i.householdId))], opts.outreach);
      const template = await templateFor(tx, opts.outreach, 'reminder', chosen.get(eventId), reach);
      // A template that stopped being usable since the invitation (Meta paused it): the linked chats still
      // get their reminder, the registry phones cannot; their households are on the call-down list anyway.
      const usable = template.ok ? reach : onlyChats(reach);
      await fanOut(tx, items, usable, (language, i) => texts(language).reminder(i.offset, i.f), {
        env: opts.outreach,
        i18n: await translatorOf(opts),
        defaultLocale: opts.defaultLocale ?? 'id',
        now: opts.now,
        ...(template.ok && template.template ? { template: template.template } : {}),
      });
    }
    if (send.length > 0) {
      await tx
        .update(reminderFires)
        .set({ status: 'sent', firedAt: opts.now })
        .where(inArray(reminderFires.id, send.map((d) => d.id)));
    }
    if (skip.length > 0) await tx.update(reminderFires).set({ status: 'skipped', firedAt: opts.now }).where(inArray(reminderFires.id, skip));
    return { sent: send.length, skipped: skip.length };
  });
}

async function reminderTemplates(db: Db, eventIds: number[]): Promise<Map<number, string | null>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db.select({ id: distributionEvents.id, template: distributionEvents.reminderTemplate }).from(distributionEvents).where(inArray(distributionEvents.id, eventIds));
  return new Map(rows.map((r) => [r.id, r.template]));
}

function rowCount(result: unknown): number {
  return rowsOf(result).length;
}

