// Seats by distance: invited households go to the nearest site of the event that still has room, spread
// evenly over its slots (the rule itself is domain/allocation.ts). This file reads what the rule needs —
// the event's future slots of active sites, where each household's kelurahan is, staff's moves of a
// kelurahan to another site — and offers it three ways: inside the invitation transaction (under a lock on
// the slots), as a preview staff read before sending, and the move itself. It also counts the "site too far"
// complaints per site, the measure of whether the allocation works.

import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { eventSiteAreas, eventSlots, kecamatan, kelurahan, sites } from '../../db/schema/index.ts';
import { allocateSeats as allocate, type AllocationHousehold, type AllocationSite, type PlannedSeat } from '../../domain/allocation.ts';
import { distanceKm, pointOf, type Point } from '../../domain/geo.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManage, canRead, eventInScope, kecamatanInScope, refuse, type EventRow, type Outcome } from './common.ts';

/** A slot seats can be taken in, with what the invitation message says about its site. */
export interface SeatSlot {
  id: number;
  siteId: number;
  capacity: number;
  booked: number;
  startsAt: Date;
  endsAt: Date;
  siteName: string;
  siteAddress: string;
  latitude: string | null;
  longitude: string | null;
}

export interface SeatPlan {
  /** In the order the households were given. */
  planned: { householdId: number; slotId: number }[];
  /** Households no site of the event had room for, in the order given. */
  noCapacity: number[];
  slots: SeatSlot[];
}

interface Place {
  name: string;
  kecamatanId: number;
  point: Point | null;
}

interface Loaded {
  slots: (SeatSlot & { siteKecamatanId: number; kecamatanName: string })[];
  households: AllocationHousehold[];
  places: Map<number, Place>;
  overrides: Map<number, number>;
}

/** Ids as one text parameter: 100,000 of them would be 100,000 bind parameters otherwise. */
const idList = (ids: readonly number[]) => ids.join(',');

async function loadAllocation(db: Db, eventId: number, householdIds: readonly number[], now: Date, lock: boolean): Promise<Loaded> {
  const slotQuery = db
    .select({
      id: eventSlots.id,
      siteId: eventSlots.siteId,
      capacity: eventSlots.capacity,
      booked: eventSlots.booked,
      startsAt: eventSlots.startsAt,
      endsAt: eventSlots.endsAt,
      siteName: sites.name,
      siteAddress: sites.address,
      latitude: sites.latitude,
      longitude: sites.longitude,
      siteKecamatanId: sites.kecamatanId,
      kecamatanName: kecamatan.name,
    })
    .from(eventSlots)
    .innerJoin(sites, eq(sites.id, eventSlots.siteId))
    .innerJoin(kecamatan, eq(kecamatan.id, sites.kecamatanId))
    .where(and(eq(eventSlots.eventId, eventId), gt(eventSlots.startsAt, now), eq(sites.active, true)))
    .orderBy(asc(eventSlots.startsAt), asc(eventSlots.id));
  // Locked so two rounds sent at once cannot both take the last seat.
  const slots = lock ? await slotQuery.for('update', { of: eventSlots }) : await slotQuery;

  const households: AllocationHousehold[] = [];
  if (householdIds.length > 0) {
    const rows = rowsOf<{ id: string | number; kelurahan_id: number; kecamatan_id: number }>(
      await db.execute(sql`
        select h.id, h.kelurahan_id, k.kecamatan_id
        from households h join kelurahan k on k.id = h.kelurahan_id
        where h.id = any(string_to_array(${idList(householdIds)}, ',')::bigint[])`),
    );
    const byId = new Map(rows.map((r) => [Number(r.id), { kelurahanId: Number(r.kelurahan_id), kecamatanId: Number(r.kecamatan_id) }]));
    for (const householdId of householdIds) {
      const at = byId.get(householdId);
      if (at) households.push({ householdId, ...at });
    }
  }

  const kelurahanIds = [...new Set(households.map((h) => h.kelurahanId))];
  const places = new Map<number, Place>();
  if (kelurahanIds.length > 0) {
    const rows = await db
      .select({ id: kelurahan.id, name: kelurahan.name, kecamatanId: kelurahan.kecamatanId, latitude: kelurahan.latitude, longitude: kelurahan.longitude })
      .from(kelurahan)
      .where(inArray(kelurahan.id, kelurahanIds));
    for (const r of rows) places.set(r.id, { name: r.name, kecamatanId: r.kecamatanId, point: pointOf(r.latitude, r.longitude) });
  }

  const moved = await db.select({ kelurahanId: eventSiteAreas.kelurahanId, siteId: eventSiteAreas.siteId }).from(eventSiteAreas).where(eq(eventSiteAreas.eventId, eventId));
  return { slots, households, places, overrides: new Map(moved.map((m) => [m.kelurahanId, m.siteId])) };
}

function sitesOf(slots: Loaded['slots']): AllocationSite[] {
  const bySite = new Map<number, AllocationSite & { slots: AllocationSite['slots'][number][] }>();
  for (const s of slots) {
    let site = bySite.get(s.siteId);
    if (!site) {
      site = { siteId: s.siteId, kecamatanId: s.siteKecamatanId, point: pointOf(s.latitude, s.longitude), slots: [] };
      bySite.set(s.siteId, site);
    }
    site.slots.push({ slotId: s.id, startsAt: s.startsAt, free: s.capacity - s.booked });
  }
  return [...bySite.values()];
}

function run(loaded: Loaded) {
  return allocate({
    households: loaded.households,
    kelurahanPoints: new Map([...loaded.places].map(([id, p]) => [id, p.point])),
    sites: sitesOf(loaded.slots),
    overrides: loaded.overrides,
  });
}

/**
 * Seats for households about to be invited, inside the caller's transaction on an event it has locked and
 * scope-checked (invite.ts inviteWithin). The event's slots stay locked until that transaction ends.
 * Households the database does not know are left out of both lists (the caller has refused them already).
 */
export async function allocateSeats(tx: Db, event: Pick<EventRow, 'id'>, items: readonly { householdId: number }[], now: Date): Promise<SeatPlan> {
  const loaded = await loadAllocation(tx, event.id, items.map((i) => i.householdId), now, true);
  const plan = run(loaded);
  const slots = loaded.slots.map(({ siteKecamatanId: _k, kecamatanName: _n, ...slot }) => slot);
  return { planned: plan.planned.map(({ householdId, slotId }) => ({ householdId, slotId })), noCapacity: plan.noCapacity, slots };
}

export interface PreviewKelurahan {
  id: number;
  name: string;
  /** Households of this kelurahan that would get a seat here (or, under withoutRoom, none anywhere). */
  households: number;
  /** From the kelurahan's centre to this site; null when either point is unknown. */
  distanceKm: number | null;
  /** The site staff moved this kelurahan to for this event, or null (nearest). */
  movedTo: number | null;
}

export interface PreviewSite {
  siteId: number;
  siteName: string;
  kecamatan: string;
  /** Seats free now, before this invitation. */
  free: number;
  /** Households this invitation would seat here. */
  allocated: number;
  kelurahan: PreviewKelurahan[];
  /** Some kelurahan were moved here by staff. */
  overridden: boolean;
}

export interface AllocationPreview {
  sites: PreviewSite[];
  /** Households no site had room for: they would be reported as 'no_capacity'. */
  withoutRoom: { households: number; kelurahan: PreviewKelurahan[] };
  /** Households left out because they already have an invitation to this event. */
  alreadyInvited: number;
}

/**
 * What inviting these households would do, site by site, without locking or writing anything. The numbers
 * are counts and area names only — no resident is named — so the preview is not a personal-data read.
 */
export async function allocationPreview(db: Db, actor: Actor, eventId: number, householdIds: readonly number[], now: Date): Promise<Outcome<AllocationPreview>> {
  canManage(actor);
  if (!Array.isArray(householdIds) || householdIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) return refuse('invalid_input', 'households');
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');

  const ids = [...new Set(householdIds)];
  const invited = new Set<number>();
  if (ids.length > 0) {
    const rows = rowsOf<{ household_id: string | number }>(
      await db.execute(sql`
        select distinct household_id from invitations
        where event_id = ${event.id} and household_id = any(string_to_array(${idList(ids)}, ',')::bigint[])`),
    );
    for (const r of rows) invited.add(Number(r.household_id));
  }
  const fresh = ids.filter((id) => !invited.has(id));
  const loaded = await loadAllocation(db, event.id, fresh, now, false);
  // As inviteHouseholds: an unknown household, or one outside the actor's kecamatan, refuses the whole request.
  if (loaded.households.length !== fresh.length || loaded.households.some((h) => !kecamatanInScope(actor, h.kecamatanId))) return refuse('not_found', 'household');

  const plan = run(loaded);
  return { ok: true, ...summarise(loaded, plan.planned, plan.noCapacity), alreadyInvited: invited.size };
}

function summarise(loaded: Loaded, planned: PlannedSeat[], noCapacity: number[]): Omit<AllocationPreview, 'alreadyInvited'> {
  const kelurahanOf = new Map(loaded.households.map((h) => [h.householdId, h.kelurahanId]));
  const sites = new Map<number, PreviewSite & { point: Point | null; counts: Map<number, number> }>();
  for (const s of loaded.slots) {
    let site = sites.get(s.siteId);
    if (!site) {
      site = { siteId: s.siteId, siteName: s.siteName, kecamatan: s.kecamatanName, free: 0, allocated: 0, kelurahan: [], overridden: false, point: pointOf(s.latitude, s.longitude), counts: new Map() };
      sites.set(s.siteId, site);
    }
    site.free += Math.max(0, s.capacity - s.booked);
  }
  for (const p of planned) {
    const site = sites.get(p.siteId)!;
    const kel = kelurahanOf.get(p.householdId)!;
    site.allocated++;
    site.counts.set(kel, (site.counts.get(kel) ?? 0) + 1);
  }
  const row = (id: number, households: number, sitePoint: Point | null | undefined): PreviewKelurahan => {
    const place = loaded.places.get(id);
    const distance = place?.point && sitePoint ? Math.round(distanceKm(place.point, sitePoint) * 10) / 10 : null;
    return { id, name: place?.name ?? `#${id}`, households, distanceKm: distance, movedTo: loaded.overrides.get(id) ?? null };
  };
  const byName = (a: PreviewKelurahan, b: PreviewKelurahan) => a.name.localeCompare(b.name, 'id') || a.id - b.id;

  const out: PreviewSite[] = [];
  for (const { point, counts, ...site } of sites.values()) {
    site.kelurahan = [...counts].map(([id, n]) => row(id, n, point)).sort(byName);
    site.overridden = site.kelurahan.some((k) => k.movedTo === site.siteId);
    out.push(site);
  }
  out.sort((a, b) => a.kecamatan.localeCompare(b.kecamatan, 'id') || a.siteName.localeCompare(b.siteName, 'id') || a.siteId - b.siteId);

  const left = new Map<number, number>();
  for (const id of noCapacity) {
    const kel = kelurahanOf.get(id)!;
    left.set(kel, (left.get(kel) ?? 0) + 1);
  }
  return { sites: out, withoutRoom: { households: noCapacity.length, kelurahan: [...left].map(([id, n]) => row(id, n, null)).sort(byName) } };
}

export interface MoveKelurahanInput {
  eventId: number;
  kelurahanId: number;
  /** The site its households go to first; null sends them back to the nearest. */
  siteId: number | null;
}

/**
 * Staff send a kelurahan's households to another site than the nearest (a road cut, a ferry that does not
 * run that day, the site the lurah prefers). It applies to invitations sent from now on; households already
 * invited keep their seat and can still change site or slot themselves.
 */
export async function moveKelurahan(db: Db, actor: Actor, input: MoveKelurahanInput, opts: { now: Date }): Promise<Outcome<{ changed: boolean }>> {
  canManage(actor);
  if (!Number.isSafeInteger(input.eventId) || !Number.isSafeInteger(input.kelurahanId)) return refuse('invalid_input');
  if (input.siteId !== null && !Number.isSafeInteger(input.siteId)) return refuse('invalid_input', 'site');
  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, input.eventId, true);
    if (!event) return refuse('not_found');
    if (event.status === 'cancelled' || event.status === 'done') return refuse('invalid_status');
    const [kel] = await tx.select({ id: kelurahan.id, kecamatanId: kelurahan.kecamatanId }).from(kelurahan).where(eq(kelurahan.id, input.kelurahanId));
    if (!kel || !kecamatanInScope(actor, kel.kecamatanId)) return refuse('not_found', 'kelurahan');

    const key = and(eq(eventSiteAreas.eventId, event.id), eq(eventSiteAreas.kelurahanId, kel.id));
    const [before] = await tx.select({ siteId: eventSiteAreas.siteId }).from(eventSiteAreas).where(key);
    const from = before?.siteId ?? null;
    if (input.siteId === null) {
      if (from !== null) await tx.delete(eventSiteAreas).where(key);
    } else {
      // A site the event has a slot at and that still runs; the event's scope already covers its sites.
      const [site] = await tx
        .select({ id: sites.id })
        .from(sites)
        .innerJoin(eventSlots, and(eq(eventSlots.siteId, sites.id), eq(eventSlots.eventId, event.id)))
        .where(and(eq(sites.id, input.siteId), eq(sites.active, true)))
        .limit(1);
      if (!site) return refuse('unknown_site');
      if (from !== input.siteId) {
        const createdBy = actor.kind === 'staff' ? actor.id : null;
        await tx
          .insert(eventSiteAreas)
          .values({ eventId: event.id, kelurahanId: kel.id, siteId: input.siteId, createdBy, createdAt: opts.now })
          .onConflictDoUpdate({ target: [eventSiteAreas.eventId, eventSiteAreas.kelurahanId], set: { siteId: input.siteId, createdBy, createdAt: opts.now } });
      }
    }
    const changed = from !== input.siteId;
    if (changed) {
      await audit(tx, actor, {
        action: input.siteId === null ? 'distribution.site_area.clear' : 'distribution.site_area.move',
        entity: 'distribution_event',
        entityId: event.id,
        details: { kelurahanId: kel.id, siteId: input.siteId, previousSiteId: from },
        at: opts.now,
      });
    }
    return { ok: true, changed };
  });
}

export interface SiteComplaints {
  siteId: number;
  siteName: string;
  complaints: number;
}

/**
 * "The site is too far" complaints per site of this event, every site of the event listed (0 included).
 *
 * How a complaint reaches a site: the complaint flow (flows/complaint.ts) files a 'site_too_far' complaint
 * with invitation_id = the household's next upcoming invitation, when the chat is linked to a household
 * and has one. So:
 * 1. complaints.invitation_id set: that invitation, when it belongs to this event → its slot's site.
 *    A complaint pointing at another event's invitation is about that event's site and is not counted here.
 * 2. invitation_id empty (no upcoming invitation at the time, e.g. filed before the invitation went out):
 *    complaints.member_id → members.household_id → that household's invitation in this event created
 *    before the complaint (the latest round), → its slot's site.
 * A complaint whose invitation lost its slot (declined) names no site and is not counted; one that was
 * collected counts at the slot's site, else where it was collected. Anonymous complaints count too: a
 * count names nobody.
 */
export async function siteTooFarCounts(db: Db, actor: Actor, eventId: number): Promise<Outcome<{ sites: SiteComplaints[] }>> {
  canRead(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  const rows = rowsOf<{ site_id: number; n: number | string }>(
    await db.execute(sql`
      select site_id, count(*) as n from (
        select coalesce(es.site_id, i.collected_site_id) as site_id
        from complaints c
        join invitations i on i.id = c.invitation_id and i.event_id = ${event.id}
        left join event_slots es on es.id = i.slot_id
        where c.category = 'site_too_far'
        union all
        select site_id from (
          select distinct on (c.id) coalesce(es.site_id, i.collected_site_id) as site_id
          from complaints c
          join members m on m.id = c.member_id
          join invitations i on i.household_id = m.household_id and i.event_id = ${event.id} and i.created_at <= c.created_at
          left join event_slots es on es.id = i.slot_id
          where c.category = 'site_too_far' and c.invitation_id is null
          order by c.id, i.round desc, i.id desc
        ) latest
      ) x
      where site_id is not null
      group by site_id`),
  );
  const counts = new Map(rows.map((r) => [Number(r.site_id), Number(r.n)]));
  const eventSites = await db
    .selectDistinct({ id: sites.id, name: sites.name })
    .from(sites)
    .innerJoin(eventSlots, eq(eventSlots.siteId, sites.id))
    .where(eq(eventSlots.eventId, event.id));
  const listed = new Map(eventSites.map((s) => [s.id, s.name]));
  // A site the event no longer has a slot at can still be where a household collected.
  const missing = [...counts.keys()].filter((id) => !listed.has(id));
  if (missing.length > 0) for (const s of await db.select({ id: sites.id, name: sites.name }).from(sites).where(inArray(sites.id, missing))) listed.set(s.id, s.name);
  const out = [...listed].map(([siteId, siteName]) => ({ siteId, siteName, complaints: counts.get(siteId) ?? 0 }));
  out.sort((a, b) => b.complaints - a.complaints || a.siteName.localeCompare(b.siteName, 'id') || a.siteId - b.siteId);
  return { ok: true, sites: out };
}
