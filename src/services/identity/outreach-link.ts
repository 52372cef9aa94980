import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, members } from '../../db/schema/index.ts';
import { PHONE_CHANNELS } from '../../domain/phone.ts';
import type { IdentityEnv } from './env.ts';
import { linkContact } from './links.ts';
import { householdsOfPhone } from './registry-phone.ts';

// A resident answers the office's first message (an invitation sent to the family's registry phone) from
// that very number: the sender's number is the proof (possession, DESIGN.md "Identity"), so the chat is
// linked to the member whose number it is without a NIK being asked. Only on a phone channel, whose sender
// number the provider vouches for; only a number of exactly one household (a shared one proves neither); the
// member is the one listing the number, the head first when several of the family list it.

const HEAD_FIRST = sql`case ${members.relationship} when 'kepala' then 0 when 'istri' then 1 when 'suami' then 1 else 2 end`;

export async function linkByRegistryPhone(
  db: Db,
  env: IdentityEnv,
  input: { contactId: number; now: Date },
): Promise<{ linked: true; memberId: number; householdId: number } | { linked: false }> {
  const [chat] = await db
    .select({ channel: contacts.channel, phone: contacts.phone, memberId: contacts.memberId })
    .from(contacts)
    .where(eq(contacts.id, input.contactId));
  if (!chat || chat.memberId !== null || !chat.phone || !PHONE_CHANNELS.includes(chat.channel)) return { linked: false };
  const households = await householdsOfPhone(db, chat.phone);
  if (households.length !== 1) return { linked: false };
  const [member] = await db
    .select({ id: members.id, householdId: members.householdId })
    .from(members)
    .where(and(eq(members.phoneNorm, chat.phone), eq(members.deceased, false), isNull(members.missingSince)))
    .orderBy(HEAD_FIRST, members.id)
    .limit(1);
  if (!member) return { linked: false };
  await linkContact(db, env, { contactId: input.contactId, memberId: member.id, householdId: member.householdId, proof: 'registry_phone', now: input.now });
  return { linked: true, memberId: member.id, householdId: member.householdId };
}
