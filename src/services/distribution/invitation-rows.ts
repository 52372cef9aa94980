import { sql } from 'drizzle-orm';
import { arrayLiteral } from '../../db/arrays.ts';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { freshCodes } from './codes.ts';

// The rows an invitation round writes, set-based for a city-wide round: the invitations with fresh codes and
// their planned reminders in one statement, then the seats they took on their slots in another. Lists go
// as one array parameter each, so a round of 100,000 households is a few statements whatever its size, and
// the statement text is the same for every round.

export interface PlannedInvitation {
  householdId: number;
  previousInvitationId: number | null;
  slotId: number;
}

export interface CreatedInvitation {
  id: number;
  householdId: number;
  code: string;
  slotId: number;
}

export interface InvitationRowsInput {
  eventId: number;
  round: number;
  now: Date;
  /** The reminders still ahead (reminder-times.ts), planned at reminder version 1 for every new invitation. */
  reminders: readonly { offset: string; dueAt: Date }[];
}


/**
 * Inserts the invitations in the order given, each with a fresh code, and plans their reminders. A code
 * that collides with an existing one is skipped by the unique index and that household tried again with a
 * new code; households still left after five tries (invited by another request in the meantime) come back
 * in `missing`. Returns the created invitations in the order they were inserted.
 */
export async function insertInvitations(
  tx: Db,
  planned: readonly PlannedInvitation[],
  input: InvitationRowsInput,
): Promise<{ created: CreatedInvitation[]; missing: readonly PlannedInvitation[] }> {
  const created: CreatedInvitation[] = [];
  const at = input.now.toISOString();
  const offsets = arrayLiteral(input.reminders.map((r) => r.offset));
  const dues = arrayLiteral(input.reminders.map((r) => r.dueAt.toISOString()));
  let pending = planned;
  for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
    const codes = freshCodes(pending.length);
    // The reminders read the invitations this statement inserts (its RETURNING), never the table: right after
    // a bulk insert the planner knows nothing of the new rows, and a join against them can take minutes.
    // They need no ON CONFLICT: the invitations are new, so are their reminders (and the check costs a third).
    const rows = rowsOf<{ id: string | number; household_id: string | number }>(
      await tx.execute(sql`
        with x as (
          select * from unnest(
            ${arrayLiteral(pending.map((p) => p.householdId))}::bigint[],
            ${arrayLiteral(pending.map((p) => p.slotId))}::int[],
            ${arrayLiteral(codes)}::text[],
            ${arrayLiteral(pending.map((p) => p.previousInvitationId))}::bigint[]
          ) with ordinality as x(household_id, slot_id, code, previous_invitation_id, n)
        ), i as (
          insert into invitations (event_id, household_id, slot_id, code, round, previous_invitation_id, status, created_at, updated_at)
          select ${input.eventId}::int, household_id, slot_id, code, ${input.round}::smallint, previous_invitation_id, 'invited', ${at}::timestamptz, ${at}::timestamptz
          -- ids follow the order given; no sort is done for it, the ordinality already is that order
          from x order by n
          on conflict do nothing
          returning id, household_id
        ), r as (
          insert into reminder_fires (invitation_id, "offset", due_at, version)
          select i.id, p."offset", p.due_at, 1
          from i cross join unnest(${offsets}::text[], ${dues}::timestamptz[]) as p("offset", due_at)
        )
        select id, household_id from i`),
    );
    // Sorted here, not in SQL: 100,000 rows spill a sort to disk at PostgreSQL's default work_mem.
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const byHousehold = new Map(pending.map((p, n) => [p.householdId, n]));
    const inserted = new Set<number>();
    for (const r of rows) {
      const householdId = Number(r.household_id);
      const n = byHousehold.get(householdId)!;
      created.push({ id: Number(r.id), householdId, code: codes[n]!, slotId: pending[n]!.slotId });
      inserted.add(householdId);
    }
    pending = pending.filter((p) => !inserted.has(p.householdId));
  }
  return { created, missing: pending };
}

/** Adds the seats the new invitations took to their slots' bookings, all slots in one statement. */
export async function bookSeats(tx: Db, created: readonly CreatedInvitation[]): Promise<void> {
  const perSlot = new Map<number, number>();
  for (const c of created) perSlot.set(c.slotId, (perSlot.get(c.slotId) ?? 0) + 1);
  if (perSlot.size === 0) return;
  await tx.execute(sql`
    update event_slots s set booked = s.booked + x.n
    from unnest(${arrayLiteral([...perSlot.keys()])}::int[], ${arrayLiteral([...perSlot.values()])}::int[]) as x(id, n)
    where s.id = x.id`);
}
