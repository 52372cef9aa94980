import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { households, members } from '../../db/schema/index.ts';
import { DEMO_SOURCE } from '../seed/index.ts';
import { demoPhoneList } from './phones.ts';

// Whether this database holds the demo city's phones as proof: each demo number is listed by exactly one
// household, and that household came from the demo seed (households.source = 'demo', never a DTSEN import).
// The demo phone page exists only then: a database without the demo city, or one whose registry lists a demo
// number elsewhere, has no demo phone worth showing.

export async function demoPhonesSeeded(db: Db): Promise<boolean> {
  const phones = demoPhoneList().map((p) => p.normal);
  if (phones.length === 0) return false;
  const rows = await db
    .selectDistinct({ phone: members.phoneNorm, householdId: members.householdId, source: households.source })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(inArray(members.phoneNorm, phones));
  return phones.every((phone) => {
    const listed = rows.filter((r) => r.phone === phone);
    return listed.length === 1 && listed[0]!.source === DEMO_SOURCE;
  });
}
