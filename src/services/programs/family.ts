import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';

// The programs a family receives now: its household programs and every member's person programs, verified or
// active (a proposal is not received yet; a suspended program is, to the family, still its program, but its
// goods are not being collected). Read for the family's own chat only: the buttons of a report about its aid,
// and which e-warong serve it (services/agents/nearby.ts).

export interface FamilyProgram {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
}

export interface FamilyPrograms {
  householdId: number;
  kelurahanId: number;
  /** The kelurahan's centre, for what is near the family (agents/nearby.ts); null when unknown. */
  kelurahanPoint: { latitude: number | string | null; longitude: number | string | null };
  programs: FamilyProgram[];
}

/** Null when the member is not in the registry (a link to a row since removed). One statement. */
export async function familyPrograms(db: Db, memberId: number): Promise<FamilyPrograms | null> {
  // The members as an array (= any(array(...))), not `in (subquery)`: an OR with a hashed subquery cannot use
  // an index, and on a city's enrollments it was a parallel sequential scan of 100+ ms in every linked aid check
  // (the stall of issue 21's Telegram benchmark); the array lets both sides of the OR use their index.
  const [row] = rowsOf<{ household_id: number; kelurahan_id: number; latitude: number | string | null; longitude: number | string | null; programs: FamilyProgram[] | string }>(
    await db.execute(sql`
      with who as (
        select m.household_id, h.kelurahan_id, k.latitude, k.longitude
        from members m join households h on h.id = m.household_id join kelurahan k on k.id = h.kelurahan_id
        where m.id = ${memberId}
      )
      select who.*, coalesce((
        select json_agg(json_build_object('id', p.id, 'code', p.code, 'name', p.name, 'nameEn', p.name_en) order by p.code)
        from programs p
        where p.id in (
          select e.program_id from enrollments e
          where e.status in ('verified', 'active')
            and (e.household_id = who.household_id or e.member_id = any(array(select x.id from members x where x.household_id = who.household_id))))
      ), '[]') as programs
      from who`),
  );
  if (!row) return null;
  const programs = typeof row.programs === 'string' ? (JSON.parse(row.programs) as FamilyProgram[]) : row.programs;
  return {
    householdId: Number(row.household_id),
    kelurahanId: Number(row.kelurahan_id),
    kelurahanPoint: { latitude: row.latitude, longitude: row.longitude },
    programs: programs.map((p) => ({ ...p, id: Number(p.id) })),
  };
}
