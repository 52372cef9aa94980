// Check-in at the distribution site: a field officer types or scans the invitation code, compares the
// head's birth date, the NIK's last four digits and the masked name (and the approved kuasa, if any) with
// the KTP in front of them (CodeLookup says why those), and records the
// collection. Every refusal changes nothing and says why; a collection sends a receipt to every linked
// chat of the household, which the resident can dispute with LAPOR (receipts.ts). A collection is recorded
// only on or after the event's day and until the event is closed or cancelled: a code read a week early
// is the resident arriving on the wrong day, not a collection.

import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, invitations, kecamatan, kelurahan, households, members, programs, proxies, sites, staffUsers } from '../../db/schema/index.ts';
import { INVITATION_STATUSES, PROXY_REASONS } from '../../domain/vocabulary.ts';
import { formatDateTime, todayIn } from '../../domain/dates.ts';
import { maskIdNumber, maskName, maskNumber } from '../../domain/mask.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { normalizeInvitationCode } from '../../domain/invitation-code.ts';
import { audit } from '../audit.ts';
import { zoneOf, type DistributionOptions } from './common.ts';
import { notifyHousehold } from './receipts.ts';
import { askAfterCollection } from '../satisfaction/ask.ts';
import { LAPOR_OPTION_PREFIX } from '../../messages/choices.ts';

type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * What an officer types or scans: case, spaces, dashes and dots do not matter ("k7mq-4xrt" is "K7MQ4XRT").
 * A scanner app may hand over a link or a prefix; the code is then the part after the last / = # or :.
 */
export function normalizeCheckinCode(input: string): string {
  const last = input.trim().split(/[/?=#:]/).pop() ?? '';
  return normalizeInvitationCode(last).slice(0, 40);
}

export type CheckinRefusal =
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'unknown_code' }
  | { ok: false; reason: 'other_event'; eventId: number }
  | { ok: false; reason: 'unknown_site' }
  | { ok: false; reason: 'out_of_scope' }
  | { ok: false; reason: 'event_cancelled' }
  | { ok: false; reason: 'event_closed' }
  /** Before the event's day: check-in opens on `opensOn` (YYYY-MM-DD, the office's calendar). */
  | { ok: false; reason: 'not_yet_open'; opensOn: string }
  | { ok: false; reason: 'not_collectable'; status: InvitationStatus }
  | ({ ok: false; reason: 'already_collected' } & CollectionFacts)
  | { ok: false; reason: 'proxy_not_approved' };

export type CheckinRefusalReason = CheckinRefusal['reason'];

/** When, where and by whom an invitation was collected, for the officer who tries it again. */
export interface CollectionFacts {
  collectedAt: Date;
  siteId: number | null;
  siteName: string | null;
  byProxy: boolean;
  /** Masked: the kuasa's name when collected by proxy, else the head of the household's. */
  collectorName: string | null;
  /** The officer who recorded it (staff names are not resident data). */
  recordedBy: string | null;
}

export interface MaskedProxy {
  proxyId: number;
  name: string;
  nik: string;
  relation: string;
  reason: (typeof PROXY_REASONS)[number];
}

export interface CodeLookup {
  invitationId: number;
  code: string;
  eventId: number;
  eventTitle: string;
  /** YYYY-MM-DD: check-in opens on this day (blocker 'not_yet_open' before it). */
  eventDate: string;
  programName: string;
  status: InvitationStatus;
  round: number;
  /**
   * What the officer compares with the KTP in their hand. The usual masked NIK (area and serial,
   * '217110******0001') cannot tell two people apart: the serial counts people born on the same day in the
   * same kecamatan, so most are 0001–0003, and the area is everyone's around the site. What does tell them
   * apart is the birth date printed on the KTP ("Tempat/Tgl Lahir"). It is shown with the NIK's last four
   * digits only ('************0001'), never with its first six: the birth date is digits 7–12, so the
   * area digits beside it would make the whole number (mask.ts). The name stays masked: the birth date,
   * the NIK's end and the initials together already single out one person of the family's kelurahan.
   */
  headName: string | null;
  headNik: string | null;
  /** YYYY-MM-DD, as printed on the KTP. */
  headBirthDate: string | null;
  kelurahan: string;
  kecamatan: string;
  slot: { slotId: number; siteId: number; siteName: string; startsAt: Date; endsAt: Date } | null;
  proxy: MaskedProxy | null;
  /** A kuasa was named but not yet approved by staff: the kuasa cannot collect yet. */
  proxyPending: boolean;
  collected: CollectionFacts | null;
  /** Why a check-in now would be refused (ignoring "by proxy"), or null when it would succeed. */
  blocker: CheckinRefusalReason | null;
}

export type LookupResult = { ok: true; lookup: CodeLookup } | Extract<CheckinRefusal, { reason: 'forbidden' | 'unknown_code' | 'other_event' | 'unknown_site' | 'out_of_scope' }>;

export type CheckinResult =
  | { ok: true; invitationId: number; collectedAt: Date; siteId: number; byProxy: boolean; receipts: number }
  | CheckinRefusal;

/** Lookup before confirming: the masked identity, the slot and the kuasa. Audited as a staff read of personal data. */
export async function lookupCode(
  db: Db,
  actor: Actor,
  input: { code: string; eventId?: number | null; siteId?: number | null },
  opts: { now?: Date; timeZone?: string } = {},
): Promise<LookupResult> {
  if (!can(actor, 'checkin.record')) return { ok: false, reason: 'forbidden' };
  const today = todayIn(zoneOf(opts), opts.now ?? new Date());
  return db.transaction(async (tx) => {
    const found = await locate(tx, actor, input, false);
    if (!found.ok) return found;
    const { inv, event } = found;
    const lookup = await describe(tx, inv, event, today);
    await audit(tx, actor, {
      action: 'invitation.lookup',
      entity: 'invitation',
      entityId: inv.id,
      details: { eventId: inv.eventId, code: inv.code, status: inv.status },
      ...(opts.now ? { at: opts.now } : {}),
    });
    return { ok: true, lookup };
  });
}

/**
 * Records the collection. The invitation row is locked first, so two officers checking the same code at
 * once queue up: the first collects, the second sees "already collected" with when and where.
 */
export async function checkIn(
  db: Db,
  actor: Actor,
  input: { code: string; eventId?: number | null; siteId?: number | null; byProxy?: boolean },
  opts: DistributionOptions,
): Promise<CheckinResult> {
  if (!can(actor, 'checkin.record')) return { ok: false, reason: 'forbidden' };
  const byProxy = input.byProxy === true;
  return db.transaction(async (tx) => {
    const found = await locate(tx, actor, input, true);
    if (!found.ok) return found;
    const { inv, event, site } = found;
    const blocked = await blocker(tx, inv, event, todayIn(zoneOf(opts), opts.now));
    if (blocked) return blocked;
    const proxy = await approvedProxy(tx, inv.id);
    if (byProxy && !proxy) return { ok: false, reason: 'proxy_not_approved' };

    const staffId = actor.kind === 'staff' ? actor.id : null;
    await tx
      .update(invitations)
      .set({ status: 'collected', collectedAt: opts.now, collectedSiteId: site.id, collectedByStaffId: staffId, collectedByProxy: byProxy, updatedAt: opts.now })
      .where(eq(invitations.id, inv.id));
    await audit(tx, actor, {
      action: 'invitation.checkin',
      entity: 'invitation',
      entityId: inv.id,
      details: { eventId: inv.eventId, siteId: site.id, code: inv.code, byProxy },
      at: opts.now,
    });

    const timeZone = zoneOf(opts);
    const head = byProxy ? null : await headOf(tx, inv.householdId);
    const receipts = await notifyHousehold(tx, {
      householdId: inv.householdId,
      priority: 'reply',
      staffId,
      opts,
      render: (t, locale) => ({
        text: t('checkin:receipt.text', {
          program: event.programName,
          date: formatDateTime(opts.now, locale, timeZone),
          site: site.name,
          by: byProxy ? t('checkin:receipt.byProxy', { name: maskName(proxy!.name) }) : head ? maskName(head.name) : t('checkin:receipt.byHousehold'),
        }),
        options: [{ id: `${LAPOR_OPTION_PREFIX}${inv.id}`, label: t('checkin:receipt.button') }],
      }),
    });
    // The collection is a service to rate (issue 20).
    await askAfterCollection(tx, { householdId: inv.householdId, invitationId: inv.id, site, programId: event.programId, programBidang: event.programBidang, now: opts.now });
    return { ok: true, invitationId: inv.id, collectedAt: opts.now, siteId: site.id, byProxy, receipts };
  });
}

// ---- shared steps ------------------------------------------------------------------------------------

interface InvitationRow {
  id: number;
  eventId: number;
  householdId: number;
  slotId: number | null;
  code: string;
  round: number;
  status: InvitationStatus;
  collectedAt: Date | null;
  collectedSiteId: number | null;
  collectedByStaffId: number | null;
  collectedByProxy: boolean | null;
}

interface EventRow {
  id: number;
  title: string;
  status: (typeof distributionEvents.$inferSelect)['status'];
  eventDate: string;
  closedAt: Date | null;
  programName: string;
  programId: number;
  programBidang: string | null;
}

type Located =
  | { ok: true; inv: InvitationRow; event: EventRow; site: { id: number; name: string; kecamatanId: number } }
  | Extract<CheckinRefusal, { reason: 'unknown_code' | 'other_event' | 'unknown_site' | 'out_of_scope' }>;

/**
 * The invitation behind a code (locked when `lock`), its event, and the site the collection happens at:
 * the one named, or else the invitation's own slot's. The site must host a slot of the event and lie in
 * the actor's kecamatan.
 */
async function locate(
  tx: Db,
  actor: Actor,
  input: { code: string; eventId?: number | null; siteId?: number | null },
  lock: boolean,
): Promise<Located> {
  const code = normalizeCheckinCode(input.code);
  if (code === '') return { ok: false, reason: 'unknown_code' };
  // Only the invitation row is locked: locking the joined event row would queue every check-in of the event.
  const q = tx
    .select({
      id: invitations.id,
      eventId: invitations.eventId,
      householdId: invitations.householdId,
      slotId: invitations.slotId,
      code: invitations.code,
      round: invitations.round,
      status: invitations.status,
      collectedAt: invitations.collectedAt,
      collectedSiteId: invitations.collectedSiteId,
      collectedByStaffId: invitations.collectedByStaffId,
      collectedByProxy: invitations.collectedByProxy,
    })
    .from(invitations)
    .where(eq(invitations.code, code));
  const [inv] = lock ? await q.for('update') : await q;
  if (!inv) return { ok: false, reason: 'unknown_code' };
  if (input.eventId != null && inv.eventId !== input.eventId) return { ok: false, reason: 'other_event', eventId: inv.eventId };

  const [event] = await tx
    .select({
      id: distributionEvents.id,
      title: distributionEvents.title,
      status: distributionEvents.status,
      eventDate: distributionEvents.eventDate,
      closedAt: distributionEvents.closedAt,
      programName: programs.name,
      programId: programs.id,
      programBidang: programs.bidang,
    })
    .from(distributionEvents)
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .where(eq(distributionEvents.id, inv.eventId));
  if (!event) return { ok: false, reason: 'unknown_code' };

  let siteId = input.siteId ?? null;
  if (siteId === null && inv.slotId !== null) {
    const [slot] = await tx.select({ siteId: eventSlots.siteId }).from(eventSlots).where(eq(eventSlots.id, inv.slotId));
    siteId = slot?.siteId ?? null;
  }
  if (siteId === null || !Number.isSafeInteger(siteId)) return { ok: false, reason: 'unknown_site' };
  const [site] = await tx
    .select({ id: sites.id, name: sites.name, kecamatanId: sites.kecamatanId })
    .from(sites)
    .where(and(eq(sites.id, siteId), sql`exists (select 1 from ${eventSlots} where ${eventSlots.eventId} = ${inv.eventId} and ${eventSlots.siteId} = ${sites.id})`));
  if (!site) return { ok: false, reason: 'unknown_site' };
  if (actor.kecamatanId !== null && site.kecamatanId !== actor.kecamatanId) return { ok: false, reason: 'out_of_scope' };
  return { ok: true, inv, event, site };
}

/** Why this invitation cannot be collected today (YYYY-MM-DD in the office's zone), or null. */
async function blocker(tx: Db, inv: InvitationRow, event: EventRow, today: string): Promise<CheckinRefusal | null> {
  // A second try of a collected code says when and where first, whatever happened to the event since.
  if (inv.status === 'collected') return { ok: false, reason: 'already_collected', ...(await collectionFacts(tx, inv)) };
  if (event.status === 'cancelled') return { ok: false, reason: 'event_cancelled' };
  if (event.closedAt !== null || event.status === 'done') return { ok: false, reason: 'event_closed' };
  // A moved event's date is its new day. After the day, until someone closes it, a late collection is
  // still recorded (an event may run past midnight, a site may finish the next morning).
  if (today < event.eventDate) return { ok: false, reason: 'not_yet_open', opensOn: event.eventDate };
  if (inv.status === 'declined' || inv.status === 'cancelled' || inv.status === 'no_show') return { ok: false, reason: 'not_collectable', status: inv.status };
  return null;
}

async function collectionFacts(tx: Db, inv: InvitationRow): Promise<CollectionFacts> {
  const [site] = inv.collectedSiteId === null ? [] : await tx.select({ name: sites.name }).from(sites).where(eq(sites.id, inv.collectedSiteId));
  const [staff] =
    inv.collectedByStaffId === null ? [] : await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, inv.collectedByStaffId));
  let collectorName: string | null = null;
  if (inv.collectedByProxy) {
    const proxy = await approvedProxy(tx, inv.id);
    collectorName = proxy ? maskName(proxy.name) : null;
  } else {
    const head = await headOf(tx, inv.householdId);
    collectorName = head ? maskName(head.name) : null;
  }
  return {
    collectedAt: inv.collectedAt ?? new Date(0),
    siteId: inv.collectedSiteId,
    siteName: site?.name ?? null,
    byProxy: inv.collectedByProxy === true,
    collectorName,
    recordedBy: staff?.name ?? null,
  };
}

async function describe(tx: Db, inv: InvitationRow, event: EventRow, today: string): Promise<CodeLookup> {
  const [area] = await tx
    .select({ kelurahan: kelurahan.name, kecamatan: kecamatan.name })
    .from(households)
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .where(eq(households.id, inv.householdId));
  const head = await headOf(tx, inv.householdId);
  const [slot] =
    inv.slotId === null
      ? []
      : await tx
          .select({ slotId: eventSlots.id, siteId: sites.id, siteName: sites.name, startsAt: eventSlots.startsAt, endsAt: eventSlots.endsAt })
          .from(eventSlots)
          .innerJoin(sites, eq(sites.id, eventSlots.siteId))
          .where(eq(eventSlots.id, inv.slotId));
  const proxy = await approvedProxy(tx, inv.id);
  const [pending] = await tx
    .select({ id: proxies.id })
    .from(proxies)
    .where(and(eq(proxies.invitationId, inv.id), eq(proxies.status, 'pending')))
    .limit(1);
  const refusal = await blocker(tx, inv, event, today);
  return {
    invitationId: inv.id,
    code: inv.code,
    eventId: inv.eventId,
    eventTitle: event.title,
    eventDate: event.eventDate,
    programName: event.programName,
    status: inv.status,
    round: inv.round,
    headName: head ? maskName(head.name) : null,
    headNik: head ? maskNumber(head.nik, 0, 4) : null,
    headBirthDate: head?.birthDate ?? null,
    kelurahan: area?.kelurahan ?? '',
    kecamatan: area?.kecamatan ?? '',
    slot: slot ?? null,
    proxy: proxy ? { proxyId: proxy.id, name: maskName(proxy.name), nik: maskIdNumber(proxy.nik), relation: proxy.relation, reason: proxy.reason } : null,
    proxyPending: pending !== undefined,
    collected: inv.status === 'collected' ? await collectionFacts(tx, inv) : null,
    blocker: refusal?.reason ?? null,
  };
}

/** The head of the family as the KK lists them (kepala), else the first living member. */
export async function headOf(tx: Db, householdId: number): Promise<{ name: string; nik: string; birthDate: string } | undefined> {
  const [m] = await tx
    .select({ name: members.name, nik: members.nik, birthDate: members.birthDate })
    .from(members)
    .where(and(eq(members.householdId, householdId), eq(members.deceased, false)))
    .orderBy(sql`(${members.relationship} = 'kepala') desc`, asc(members.id))
    .limit(1);
  return m;
}

async function approvedProxy(tx: Db, invitationId: number) {
  const [p] = await tx
    .select({ id: proxies.id, name: proxies.name, nik: proxies.nik, relation: proxies.relation, reason: proxies.reason })
    .from(proxies)
    .where(and(eq(proxies.invitationId, invitationId), eq(proxies.status, 'approved')))
    .orderBy(asc(proxies.id))
    .limit(1);
  return p;
}
