// Kuasa (proxy) approval: a resident names someone to collect for the household through the chat
// (services/distribution/invitations.ts nameProxy); staff of the household's kecamatan approve or reject it, once, and
// the household hears the decision on every linked chat. The site sees only approved kuasa (checkin.ts).

import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents, eventSlots, households, invitations, kecamatan, kelurahan, proxies, sites } from '../../db/schema/index.ts';
import { PROXY_REASONS, PROXY_STATUSES } from '../../domain/vocabulary.ts';
import { formatDateTime, formatTime } from '../../domain/dates.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { maskIdNumbers, maskIdNumber, maskName } from '../../domain/mask.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { OPEN_INVITATION_STATUSES } from './invitations.ts';
import { headOf } from './checkin.ts';
import { canManage, zoneOf, type DistributionOptions } from './common.ts';
import { notifyHousehold } from './receipts.ts';

type ProxyStatus = (typeof PROXY_STATUSES)[number];

/** Relations the chat offers as buttons; anything else is the resident's own word and is shown as written. */
const CODED_RELATIONS = ['spouse', 'child', 'parent', 'sibling'];

export interface PendingProxy {
  proxyId: number;
  invitationId: number;
  code: string;
  eventId: number;
  eventTitle: string;
  round: number;
  invitationStatus: (typeof OPEN_INVITATION_STATUSES)[number];
  kelurahan: string;
  kecamatan: string;
  /** Masked, like everything personal shown to staff. */
  headName: string | null;
  proxyName: string;
  proxyNik: string;
  relation: string;
  reason: (typeof PROXY_REASONS)[number];
  reasonNote: string | null;
  slotStartsAt: Date | null;
  siteName: string | null;
  createdAt: Date;
}

/**
 * Kuasa waiting for a decision, on invitations still open, in the actor's kecamatan (by the household's
 * address), oldest first. Audited as a staff read of personal data.
 */
export async function pendingProxies(
  db: Db,
  actor: Actor,
  filter: { eventId?: number | null; limit?: number; /** Only proxies with a higher id (cursor paging). */ after?: number } = {},
  opts: { now?: Date } = {},
): Promise<PendingProxy[]> {
  canManage(actor);
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 200), 1), 1000);
  const rows = await db
    .select({
      proxyId: proxies.id,
      invitationId: invitations.id,
      householdId: invitations.householdId,
      code: invitations.code,
      eventId: invitations.eventId,
      eventTitle: distributionEvents.title,
      round: invitations.round,
      invitationStatus: invitations.status,
      kelurahan: kelurahan.name,
      kecamatan: kecamatan.name,
      proxyName: proxies.name,
      proxyNik: proxies.nik,
      relation: proxies.relation,
      reason: proxies.reason,
      reasonNote: proxies.reasonNote,
      slotStartsAt: eventSlots.startsAt,
      siteName: sites.name,
      createdAt: proxies.createdAt,
    })
    .from(proxies)
    .innerJoin(invitations, eq(invitations.id, proxies.invitationId))
    .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
    .innerJoin(households, eq(households.id, invitations.householdId))
    .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
    .innerJoin(kecamatan, eq(kecamatan.id, kelurahan.kecamatanId))
    .leftJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
    .leftJoin(sites, eq(sites.id, eventSlots.siteId))
    .where(
      and(
        eq(proxies.status, 'pending'),
        inArray(invitations.status, [...OPEN_INVITATION_STATUSES]),
        filter.eventId != null ? eq(invitations.eventId, filter.eventId) : undefined,
        filter.after !== undefined ? gt(proxies.id, filter.after) : undefined,
        actor.kecamatanId !== null ? eq(kelurahan.kecamatanId, actor.kecamatanId) : undefined,
      ),
    )
    .orderBy(asc(proxies.id)) // named in this order: the oldest request first, and a stable cursor
    .limit(limit);

  const out: PendingProxy[] = [];
  for (const { householdId, proxyName, proxyNik, reasonNote, invitationStatus, ...r } of rows) {
    const head = await headOf(db, householdId);
    out.push({
      ...r,
      invitationStatus: invitationStatus as PendingProxy['invitationStatus'],
      headName: head ? maskName(head.name) : null,
      proxyName: maskName(proxyName),
      proxyNik: maskIdNumber(proxyNik),
      // The resident's own words may hold a NIK ("istri saya 2171..."); staff see it masked like the rest.
      reasonNote: reasonNote === null ? null : maskIdNumbers(reasonNote),
    });
  }
  await audit(db, actor, {
    action: 'proxy.list',
    entity: 'proxy',
    details: { eventId: filter.eventId ?? null, count: out.length, proxyIds: out.map((p) => p.proxyId) },
    ...(opts.now ? { at: opts.now } : {}),
  });
  return out;
}

export type DecideProxyResult =
  | { ok: true; proxyId: number; status: 'approved' | 'rejected'; notified: number }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_decided'; status: ProxyStatus }
  | { ok: false; reason: 'invitation_closed'; invitationStatus: string }
  | { ok: false; reason: 'note_required' }
  | { ok: false; reason: 'invalid_input' };

const MAX_NOTE = 500;

/**
 * Approves or rejects a pending kuasa. A rejection needs a note: it is the reason the resident reads.
 * The proxy row is locked, so two supervisors deciding at once cannot both win; a decided kuasa stays
 * decided. Unknown and out-of-scope proxies are the same 'not_found', so ids cannot be probed.
 */
export async function decideProxy(
  db: Db,
  actor: Actor,
  proxyId: number,
  decision: { approve: boolean; note?: string | null },
  opts: DistributionOptions,
): Promise<DecideProxyResult> {
  canManage(actor);
  if (!Number.isSafeInteger(proxyId) || proxyId < 1 || typeof decision.approve !== 'boolean') return { ok: false, reason: 'invalid_input' };
  const note = (decision.note ?? '').replace(/\s+/g, ' ').trim();
  if (note.length > MAX_NOTE) return { ok: false, reason: 'invalid_input' };
  if (!decision.approve && note === '') return { ok: false, reason: 'note_required' };

  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(proxies).where(eq(proxies.id, proxyId)).for('update');
    if (!p) return { ok: false, reason: 'not_found' };
    const [inv] = await tx
      .select({
        id: invitations.id,
        householdId: invitations.householdId,
        status: invitations.status,
        code: invitations.code,
        eventTitle: distributionEvents.title,
        kecamatanId: kelurahan.kecamatanId,
        startsAt: eventSlots.startsAt,
        endsAt: eventSlots.endsAt,
        siteName: sites.name,
      })
      .from(invitations)
      .innerJoin(distributionEvents, eq(distributionEvents.id, invitations.eventId))
      .innerJoin(households, eq(households.id, invitations.householdId))
      .innerJoin(kelurahan, eq(kelurahan.id, households.kelurahanId))
      .leftJoin(eventSlots, eq(eventSlots.id, invitations.slotId))
      .leftJoin(sites, eq(sites.id, eventSlots.siteId))
      .where(eq(invitations.id, p.invitationId));
    if (!inv || (actor.kecamatanId !== null && inv.kecamatanId !== actor.kecamatanId)) return { ok: false, reason: 'not_found' };
    if (p.status !== 'pending') return { ok: false, reason: 'already_decided', status: p.status };
    if (!(OPEN_INVITATION_STATUSES as readonly string[]).includes(inv.status)) return { ok: false, reason: 'invitation_closed', invitationStatus: inv.status };

    const status = decision.approve ? ('approved' as const) : ('rejected' as const);
    const staffId = actor.kind === 'staff' ? actor.id : null;
    await tx
      .update(proxies)
      .set({ status, decidedBy: staffId, decidedAt: opts.now, decisionNote: note || null })
      .where(eq(proxies.id, p.id));
    // The invitation's state (who may collect) changed: progress counts and their version move with it.
    await tx.update(invitations).set({ updatedAt: sql`greatest(${invitations.updatedAt} + interval '1 millisecond', ${opts.now.toISOString()}::timestamptz)` }).where(eq(invitations.id, inv.id));
    await audit(tx, actor, {
      action: decision.approve ? 'proxy.approve' : 'proxy.reject',
      entity: 'proxy',
      entityId: p.id,
      details: { invitationId: inv.id, code: inv.code },
      at: opts.now,
    });

    const timeZone = zoneOf(opts);
    const code = formatInvitationCode(inv.code);
    const notified = await notifyHousehold(tx, {
      householdId: inv.householdId,
      priority: 'reply',
      staffId,
      opts,
      render: (t, locale) => {
        const name = maskName(p.name);
        if (!decision.approve) return { text: t('checkin:proxy.rejected', { name, title: inv.eventTitle, reason: note, code }) };
        const relation = CODED_RELATIONS.includes(p.relation) ? t(`invitations:proxy.relations.${p.relation}`) : p.relation;
        const lines = [t('checkin:proxy.approved', { name, relation, title: inv.eventTitle })];
        if (inv.startsAt && inv.endsAt && inv.siteName) {
          lines.push(t('checkin:proxy.when', { when: `${formatDateTime(inv.startsAt, locale, timeZone)} – ${formatTime(inv.endsAt, locale, timeZone)}`, site: inv.siteName }));
        }
        lines.push(t('checkin:proxy.bring', { code }));
        return { text: lines.join('\n') };
      },
    });
    return { ok: true, proxyId: p.id, status, notified };
  });
}
