// A household's linked chats: every chat verified as one of its members that can still be reached. An
// invitation goes to all of them (the wife on WhatsApp, the son on Telegram), each in its own language.
// For bulk messages (invitations, reminders, notices of a change), chats that wrote BERHENTI are left out, so
// a household whose every chat stopped counts as one without a chat and is invited another way.

import { and, inArray, isNull, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts, members } from '../../db/schema/index.ts';
import { type Channel } from '../../domain/vocabulary.ts';

export interface LinkedChat {
  householdId: number;
  contactId: number;
  channel: Channel;
  language: string | null;
}

export async function linkedChats(db: Db, householdIds: readonly number[], opts: { bulk?: boolean } = {}): Promise<LinkedChat[]> {
  if (householdIds.length === 0) return [];
  const out: LinkedChat[] = [];
  // Chunked: a city-wide round would otherwise be one statement with 100,000 parameters.
  for (let i = 0; i < householdIds.length; i += 10_000) {
    const rows = await db
      .select({ householdId: members.householdId, contactId: contacts.id, channel: contacts.channel, language: contacts.language })
      .from(contacts)
      .innerJoin(members, eq(members.id, contacts.memberId))
      .where(and(inArray(members.householdId, householdIds.slice(i, i + 10_000) as number[]), isNotNull(contacts.memberId), isNull(contacts.unreachableAt), opts.bulk ? isNull(contacts.stoppedAt) : undefined))
      .orderBy(contacts.id);
    out.push(...rows);
  }
  return out;
}

export function byHousehold(chats: readonly LinkedChat[]): Map<number, LinkedChat[]> {
  const map = new Map<number, LinkedChat[]>();
  for (const c of chats) {
    const list = map.get(c.householdId);
    if (list) list.push(c);
    else map.set(c.householdId, [c]);
  }
  return map;
}
