// Who is invited to an event: households with an ACTIVE enrollment in the event's program, in the chosen
// areas (and the actor's kecamatan), minus those that cannot or need not come:
// - person programs (elderly, disability aid) count only enrollments of living members: a household whose
//   only enrolled member died is not invited;
// - household programs skip a household whose every member is deceased;
// - a household that already collected this program's tranche (at another event) is not invited again;
// - a household already invited to this event (any round, any answer) is left out.

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { Actor } from '../actor.ts';
import { canManage, eventInScope, refuse, type Outcome } from './common.ts';

export interface SelectionInput {
  eventId: number;
  kecamatanIds?: number[];
  kelurahanIds?: number[];
}

function idList(ids: readonly number[] | undefined): string | undefined {
  if (!ids || ids.length === 0) return undefined;
  if (ids.some((id) => !Number.isSafeInteger(id))) throw new RangeError('area ids must be whole numbers');
  return `{${ids.join(',')}}`;
}

export async function selectRecipients(db: Db, actor: Actor, input: SelectionInput): Promise<Outcome<{ householdIds: number[]; count: number }>> {
  canManage(actor);
  let kec: string | undefined;
  let kel: string | undefined;
  try {
    kec = idList(input.kecamatanIds);
    kel = idList(input.kelurahanIds);
  } catch {
    return refuse('invalid_input', 'area');
  }
  const event = await eventInScope(db, actor, input.eventId);
  if (!event) return refuse('not_found');
  if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');

  const areas: SQL[] = [];
  if (kec) areas.push(sql`and k.kecamatan_id = any(${kec}::int[])`);
  if (kel) areas.push(sql`and h.kelurahan_id = any(${kel}::int[])`);
  if (actor.kecamatanId !== null) areas.push(sql`and k.kecamatan_id = ${actor.kecamatanId}`);

  const enrolled =
    event.programUnit === 'person'
      ? sql`exists (
          select 1 from enrollments e join members m on m.id = e.member_id
          where e.program_id = ${event.programId} and e.status = 'active' and m.household_id = h.id and not m.deceased)`
      : sql`exists (
          select 1 from enrollments e
          where e.program_id = ${event.programId} and e.status = 'active' and e.household_id = h.id)
        and exists (select 1 from members m where m.household_id = h.id and not m.deceased)`;

  const result = await db.execute(sql`
    select h.id from households h join kelurahan k on k.id = h.kelurahan_id
    where ${enrolled} ${sql.join(areas, sql` `)}
      and not exists (
        select 1 from invitations i join distribution_events d on d.id = i.event_id
        where i.household_id = h.id and i.status = 'collected' and d.program_id = ${event.programId} and d.tranche = ${event.tranche})
      and not exists (select 1 from invitations i where i.household_id = h.id and i.event_id = ${event.id})
    order by k.kecamatan_id, h.kelurahan_id, h.id`);
  const householdIds = rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
  return { ok: true, householdIds, count: householdIds.length };
}
