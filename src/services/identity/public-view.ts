import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrollments, members, programs } from '../../db/schema/index.ts';

// What knowledge alone may see (DESIGN.md "Identity"): what Kemensos's public Cek Bansos shows for one person
// — the programs that person's record is on and whether each is active. No desil, no amounts, no other member,
// no invitation, no complaint: all of that needs possession of the registry phone or an officer's check.

export interface PublicProgram {
  name: string;
  /** The name for English-reading residents; null: the name serves both languages. */
  nameEn: string | null;
  active: boolean;
}

export async function publicPrograms(db: Db, memberId: number): Promise<PublicProgram[]> {
  const rows = await db
    .select({ name: programs.name, nameEn: programs.nameEn, status: enrollments.status })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(
      and(
        inArray(enrollments.status, ['verified', 'active', 'suspended']),
        or(eq(enrollments.householdId, sql`(select ${members.householdId} from ${members} where ${members.id} = ${memberId})`), eq(enrollments.memberId, memberId)),
      ),
    )
    .orderBy(asc(programs.code));
  const byName = new Map<string, PublicProgram>();
  for (const r of rows) {
    const seen = byName.get(r.name);
    byName.set(r.name, { name: r.name, nameEn: r.nameEn, active: (seen?.active ?? false) || r.status === 'active' });
  }
  return [...byName.values()];
}
