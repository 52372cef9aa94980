import { eq, sql, type SQL } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.ts';
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

/**
 * The registry phone of a household (`household`: its id, or a subquery for it): the member's own number
 * first, then the head's, then the spouse's. With it, how many households list that number.
 */
export function registryPhoneRow(household: SQL, memberId: number | SQL): SQL {
  return sql`select m.phone_norm as phone, (select count(distinct x.household_id) from members x where x.phone_norm = m.phone_norm) as households
    from members m
    where m.household_id = ${household} and m.phone_norm is not null and not m.deceased
    order by m.id = ${memberId} desc, case m.relationship when 'kepala' then 0 when 'istri' then 1 when 'suami' then 1 else 2 end, m.id
    limit 1`;
}

export type RegistryPhoneRow = { phone: string | null; households: number | string | null };

/** What a registryPhoneRow says, as a registry phone. */
export function registryPhone(row: RegistryPhoneRow | undefined): RegistryPhone {
  const phone = row?.phone;
  if (!phone) return { kind: 'none' };
  return Number(row.households) > 1 ? { kind: 'shared', phone } : { kind: 'phone', phone };
}

export async function registryPhoneOf(db: Db, memberId: number): Promise<RegistryPhone> {
  const [row] = rowsOf<RegistryPhoneRow>(await db.execute(registryPhoneRow(sql`(select household_id from members where id = ${memberId})`, memberId)));
  return registryPhone(row);
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

/** A chat linked to a household, with what a notice needs to reach it. */
export interface LinkedChat {
  id: number;
  channel: Channel;
  language: string | null;
  lastInboundAt: Date | null;
  phone: string | null;
  stoppedAt: Date | null;
}

/**
 * Who a notice to a household reaches, in one statement: the chats linked to it now, and its registry phone
 * (any member's own number first, as registryPhoneOf reads it for that member, then the head's).
 */
export async function householdReach(db: Db, householdId: number): Promise<{ chats: LinkedChat[]; registry: RegistryPhone }> {
  const member = sql`(select id from members where household_id = ${householdId}::bigint limit 1)`;
  type ChatJson = Omit<LinkedChat, 'lastInboundAt' | 'stoppedAt'> & { lastInboundAt: string | null; stoppedAt: string | null };
  const [row] = rowsOf<RegistryPhoneRow & { chats: ChatJson[] | string }>(
    await db.execute(sql`
      with registry as (${registryPhoneRow(sql`${householdId}::bigint`, member)})
      select (select phone from registry) as phone, (select households from registry) as households,
        coalesce((
          select json_agg(json_build_object('id', c.id, 'channel', c.channel, 'language', c.language, 'lastInboundAt', c.last_inbound_at,
            'phone', c.phone, 'stoppedAt', c.stopped_at) order by c.id)
          from contacts c where c.member_id in (select id from members where household_id = ${householdId}::bigint)
        ), '[]') as chats`),
  );
  const chats = typeof row!.chats === 'string' ? (JSON.parse(row!.chats) as ChatJson[]) : row!.chats;
  return {
    chats: chats.map((c) => ({ ...c, id: Number(c.id), lastInboundAt: c.lastInboundAt ? new Date(c.lastInboundAt) : null, stoppedAt: c.stoppedAt ? new Date(c.stoppedAt) : null })),
    registry: registryPhone(row),
  };
}
