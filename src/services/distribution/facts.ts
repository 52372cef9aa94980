// Everything a message about one invitation needs (event, program, slot, site), read in one query.

import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, invitations, programs, sites } from '../../db/schema/index.ts';
import type { InvitationFacts } from '../../messages/notices/distribution.ts';

export interface InvitationRowFacts extends InvitationFacts {
  householdId: number;
  eventId: number;
  status: (typeof invitations.$inferSelect)['status'];
  reminderVersion: number;
  eventStatus: (typeof distributionEvents.$inferSelect)['status'];
  eventDate: string;
}

export async function invitationFacts(db: Db, where: SQL | undefined): Promise<InvitationRowFacts[]> {
  return db
    .select({
      invitationId: invitations.id,
      householdId: invitations.householdId,
      eventId: invitations.eventId,
      code: invitations.code,
      round: invitations.round,
      status: invitations.status,
      reminderVersion: invitations.reminderVersion,
      eventTitle: distributionEvents.title,
      eventTitleEn: distributionEvents.titleEn,
      eventStatus: distributionEvents.status,
      eventDate: distributionEvents.eventDate,
      programName: programs.name,
      startsAt: eventSlots.startsAt,
      endsAt: eventSlots.endsAt,
      siteName: sites.name,
      siteAddress: sites.address,
      latitude: sites.latitude,
      longitude: sites.longitude,
    })
    .from(invitations)
    .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .innerJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(where)
    .orderBy(invitations.id);
}

export function factsOfIds(db: Db, ids: readonly number[]) {
  return ids.length === 0 ? Promise.resolve([]) : invitationFacts(db, and(inArray(invitations.id, ids as number[])));
}
