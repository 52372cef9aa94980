import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { members } from '../../db/schema/index.ts';
import { maskIdNumber, maskName } from '../../domain/mask.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { openedLately, RESIDENTS_PERMISSION, scopedHousehold } from './scope.ts';

// "Hubungkan chat warga (tatap muka)" on a household's page starts the in-person link (services/identity/
// in-person.ts) with the member already chosen, so the officer who just found the resident by their KTP does
// not type the NIK again. The link page names the member by id; this turns the id back into the NIK for the
// in-person check, which then runs exactly as if it had been typed (and still shows the birth date to compare
// with the card). Only for a household this officer opened, with a reason, within OPENING_VALID_MS: the id alone
// is no way around the audited opening. The NIK goes to the check, never to a page.

export interface MemberForLink {
  memberId: number;
  /** For services/identity/in-person.ts only; pages show maskedNik. */
  nik: string;
  maskedName: string;
  maskedNik: string;
}

/** The member to link, or undefined: unknown, out of scope, deceased, or not opened lately. */
export async function memberForLink(db: Db, actor: Actor, memberId: number, now: Date): Promise<MemberForLink | undefined> {
  if (!can(actor, RESIDENTS_PERMISSION)) return undefined;
  const [m] = await db.select({ id: members.id, householdId: members.householdId, nik: members.nik, name: members.name, deceased: members.deceased }).from(members).where(eq(members.id, memberId));
  if (!m || m.deceased) return undefined;
  const h = await scopedHousehold(db, actor, m.householdId);
  if (!h || !(await openedLately(db, actor, h.id, now))) return undefined;
  return { memberId: m.id, nik: m.nik, maskedName: maskName(m.name), maskedNik: maskIdNumber(m.nik) };
}
