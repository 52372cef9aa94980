import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';

// The registry phone the office may write first to, per household: the head's own number first, then the
// spouse's, then any other living member's (registries often list one number per family, not always the
// head's). A number is passed over when
//   - it is listed in another household too: it proves neither family, and one family's invitation must not
//     reach the other (identity/registry-phone.ts reads it the same way);
//   - a chat on that number wrote BERHENTI (any channel): it is never contacted first again until MULAI, and
//     neither is any other number of the family (one member said stop for the family's invitations; staff
//     call them instead);
//   - the phone channel found it is not on WhatsApp (contacts.unreachable_at on that channel).
// A household with no usable number keeps the reason of its first number, so staff see why it is on paper.
//
// One statement per chunk of households: a city-wide round reads 100,000 households in a few statements.

export type PaperReason = 'no_phone' | 'opted_out' | 'not_on_whatsapp' | 'phone_shared' | 'no_channel';

export type PhoneTarget = { householdId: number; memberId: number; phone: string } | { householdId: number; paper: PaperReason };

const CHUNK = 10_000;

export async function registryPhoneTargets(db: Db, householdIds: readonly number[], channel: string): Promise<Map<number, PhoneTarget>> {
  const out = new Map<number, PhoneTarget>();
  for (let i = 0; i < householdIds.length; i += CHUNK) {
    const ids = `{${householdIds.slice(i, i + CHUNK).join(',')}}`;
    const rows = rowsOf<{ household_id: number | string; member_id: number | string; phone: string; shared: boolean; stopped: boolean; unreachable: boolean }>(
      await db.execute(sql`
        with p as (
          select m.household_id, m.id as member_id, m.phone_norm as phone,
            case m.relationship when 'kepala' then 0 when 'istri' then 1 when 'suami' then 1 else 2 end as rank
          from members m
          where m.household_id = any(${ids}::bigint[]) and m.phone_norm is not null and not m.deceased and m.missing_since is null
        ), shared as (
          select phone_norm from members
          where phone_norm in (select phone from p) and missing_since is null
          group by phone_norm having count(distinct household_id) > 1
        )
        select p.household_id, p.member_id, p.phone,
          p.phone in (select phone_norm from shared) as shared,
          exists (select 1 from contacts c where c.phone = p.phone and c.stopped_at is not null) as stopped,
          exists (select 1 from contacts c where c.phone = p.phone and c.channel = ${channel} and c.unreachable_at is not null) as unreachable
        from p
        order by p.household_id, p.rank, p.member_id`),
    );
    const stopped = new Set(rows.filter((r) => r.stopped).map((r) => Number(r.household_id)));
    for (const id of stopped) out.set(id, { householdId: id, paper: 'opted_out' });
    for (const r of rows) {
      const householdId = Number(r.household_id);
      if (stopped.has(householdId)) continue;
      const seen = out.get(householdId);
      if (seen && 'phone' in seen) continue;
      const problem: PaperReason | null = r.shared ? 'phone_shared' : r.unreachable ? 'not_on_whatsapp' : null;
      if (problem === null) out.set(householdId, { householdId, memberId: Number(r.member_id), phone: r.phone });
      else if (!seen) out.set(householdId, { householdId, paper: problem });
    }
  }
  for (const id of householdIds) if (!out.has(id)) out.set(id, { householdId: id, paper: 'no_phone' });
  return out;
}
