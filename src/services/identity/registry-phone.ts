import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, members } from '../../db/schema/index.ts';
import type { Channel } from '../../domain/vocabulary.ts';
import { phoneChatId } from '../../domain/phone.ts';

// The registry phone of a member: their own number, else a number held for another member of the household
// (the head's first: registries often list one phone per family). A number listed in two households proves
// neither: whoever holds it could be either family, so such a number is never used as proof.

export type RegistryPhone =
  | { kind: 'phone'; phone: string }
  | { kind: 'none' }
  /** The number is listed in more than one household. */
  | { kind: 'shared'; phone: string };

const HEAD_FIRST = sql`case ${members.relationship} when 'kepala' then 0 when 'istri' then 1 when 'suami' then 1 else 2 end`;

export async function registryPhoneOf(db: Db, memberId: number): Promise<RegistryPhone> {
  // One statement: the number, and how many households list it (householdsOfPhone, inline).
  const [row] = await db
    .select({
      phone: members.phoneNorm,
      // Spelled out: drizzle leaves a one-table query's columns unqualified, and inside the subquery a bare
      // phone_norm would be x's own.
      households: sql<number | string>`(select count(distinct x.household_id) from members x where x.phone_norm = members.phone_norm)`,
    })
    .from(members)
    .where(and(eq(members.householdId, sql`(select household_id from members where id = ${memberId})`), isNotNull(members.phoneNorm), eq(members.deceased, false)))
    .orderBy(sql`${members.id} = ${memberId} desc`, HEAD_FIRST, members.id)
    .limit(1);
  const phone = row?.phone;
  if (!phone) return { kind: 'none' };
  return Number(row.households) > 1 ? { kind: 'shared', phone } : { kind: 'phone', phone };
}

/** The households that list this number (normal form) for any of their members. */
export async function householdsOfPhone(db: Db, phone: string): Promise<number[]> {
  const rows = await db.selectDistinct({ householdId: members.householdId }).from(members).where(eq(members.phoneNorm, phone));
  return rows.map((r) => r.householdId);
}

/** Whether `phone` is a registry phone of this member's household and of no other household. */
export async function provesHousehold(db: Db, phone: string | null, householdId: number): Promise<boolean> {
  if (!phone) return false;
  const households = await householdsOfPhone(db, phone);
  return households.length === 1 && households[0] === householdId;
}

/**
 * The chat on `channel` that reaches this number, created if the office never wrote to it: a code, or the
 * news that a new chat linked to the family, goes to the phone whether or not it ever wrote to us.
 */
export async function phoneContact(db: Db, channel: Channel, phone: string): Promise<typeof contacts.$inferSelect> {
  const externalId = phoneChatId(channel, phone);
  const [row] = await db
    .insert(contacts)
    .values({ channel, externalId, phone })
    .onConflictDoUpdate({ target: [contacts.channel, contacts.externalId], set: { phone } })
    .returning();
  return row!;
}

/** The chats of a household that are linked now, with what a notice needs to reach them. */
export async function linkedChatsOf(db: Db, householdId: number) {
  return db
    .select({ id: contacts.id, channel: contacts.channel, language: contacts.language, lastInboundAt: contacts.lastInboundAt, phone: contacts.phone, stoppedAt: contacts.stoppedAt })
    .from(contacts)
    .where(inArray(contacts.memberId, db.select({ id: members.id }).from(members).where(eq(members.householdId, householdId))));
}
