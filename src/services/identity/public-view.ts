import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';

// What knowledge alone may see (DESIGN.md "Identity"): what Kemensos's public Cek Bansos shows for one person
// — the programs that person's record is on and whether each is active. No desil, no amounts, no other member,
// no invitation, no complaint: all of that needs possession of the registry phone or an officer's check.

export interface PublicProgram {
  name: string;
  /** The name for English-reading residents; null: the name serves both languages. */
  nameEn: string | null;
  active: boolean;
}

/**
 * The programs of a person's record as the public view shows them. `alongside` is another write that belongs
 * to this read (the lookup's audit row), run in the same statement.
 */
export async function publicPrograms(db: Db, memberId: number, alongside?: SQL): Promise<PublicProgram[]> {
  const rows = rowsOf<{ name: string; name_en: string | null; status: string }>(
    await db.execute(sql`
      ${alongside ? sql`with alongside as (${alongside})` : sql``}
      select p.name, p.name_en, e.status
      from enrollments e join programs p on p.id = e.program_id
      where e.status in ('verified', 'active', 'suspended')
        and (e.household_id = (select household_id from members where id = ${memberId}) or e.member_id = ${memberId})
      order by p.code`),
  );
  const byName = new Map<string, PublicProgram>();
  for (const r of rows) {
    const seen = byName.get(r.name);
    byName.set(r.name, { name: r.name, nameEn: r.name_en, active: (seen?.active ?? false) || r.status === 'active' });
  }
  return [...byName.values()];
}
