// How far the day has come at each site of an event, for the officers checking in there: collections
// recorded at the site, out of the invitations whose slot is there. An officer of one kecamatan sees only
// the sites of their kecamatan (the ones they may check in at). Counts only, no resident.

import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { eventSlots, invitations, sites } from '../../db/schema/index.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { eventInScope } from './common.ts';

export interface SiteCheckins {
  siteId: number;
  siteName: string;
  /** Collections recorded at this site. */
  collected: number;
  /** Invitations (not cancelled or declined) whose slot is at this site. */
  expected: number;
}

export async function checkinCounts(db: Db, actor: Actor, eventId: number): Promise<SiteCheckins[]> {
  if (!can(actor, 'checkin.record')) return [];
  const event = await eventInScope(db, actor, eventId);
  if (!event) return [];
  const siteRows = await db
    .selectDistinct({ id: sites.id, name: sites.name, kecamatanId: sites.kecamatanId })
    .from(eventSlots)
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(eq(eventSlots.eventId, eventId));
  const visible = siteRows.filter((s) => actor.kecamatanId === null || s.kecamatanId === actor.kecamatanId);
  const collected = await db
    .select({ siteId: invitations.collectedSiteId, n: sql<number>`count(*)::int` })
    .from(invitations)
    .where(and(eq(invitations.eventId, eventId), eq(invitations.status, 'collected')))
    .groupBy(invitations.collectedSiteId);
  const expected = await db
    .select({ siteId: eventSlots.siteId, n: sql<number>`count(*)::int` })
    .from(invitations)
    .innerJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
    .where(and(eq(invitations.eventId, eventId), sql`${invitations.status} not in ('cancelled', 'declined')`))
    .groupBy(eventSlots.siteId);
  const of = (rows: { siteId: number | null; n: number }[], id: number) => Number(rows.find((r) => r.siteId === id)?.n ?? 0);
  return visible
    .map((s) => ({ siteId: s.id, siteName: s.name, collected: of(collected, s.id), expected: of(expected, s.id) }))
    .sort((a, b) => a.siteName.localeCompare(b.siteName));
}
