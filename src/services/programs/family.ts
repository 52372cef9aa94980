import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrollments, households, members, programs } from '../../db/schema/index.ts';

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
  programs: FamilyProgram[];
}

/** Null when the member is not in the registry (a link to a row since removed). */
export async function familyPrograms(db: Db, memberId: number): Promise<FamilyPrograms | null> {
  const [who] = await db
    .select({ householdId: members.householdId, kelurahanId: households.kelurahanId })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(eq(members.id, memberId));
  if (!who) return null;
  // The members as an array (= any(array(...))), not `in (subquery)`: an OR with a hashed subquery cannot use
  // an index, and on a city's enrollments it was a parallel sequential scan of 100+ ms in every linked aid check
  // (the stall of issue 21's Telegram benchmark); the array lets both sides of the OR use their index.
  const family = sql`any(array(select ${members.id} from ${members} where ${members.householdId} = ${who.householdId}))`;
  const rows = await db
    .selectDistinct({ id: programs.id, code: programs.code, name: programs.name, nameEn: programs.nameEn })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(and(inArray(enrollments.status, ['verified', 'active']), or(eq(enrollments.householdId, who.householdId), sql`${enrollments.memberId} = ${family}`)))
    .orderBy(asc(programs.code));
  return { householdId: who.householdId, kelurahanId: who.kelurahanId, programs: rows };
}
