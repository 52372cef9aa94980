// An event's invitations for staff and other systems (the API's GET /events/:id/invitations): one page at a
// time by keyset (`after` the last id seen), so a 100,000-row event pages in constant time per page and a
// row added meanwhile never shifts the pages. Names are masked; the read is audited, like every staff read
// of personal data. A kecamatan-scoped actor sees only households of their kecamatan.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { INVITATION_STATUSES } from '../../domain/vocabulary.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { maskName } from '../../domain/mask.ts';
import { csvOf, type Sheet } from '../../domain/csv.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManage, eventInScope, refuse, type Outcome } from './common.ts';
import { deliveryOfInvitations, type InvitationDelivery } from './delivery.ts';

type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface InvitationListQuery {
  eventId: number;
  /** Only ids greater than this one (the last id of the previous page). */
  after?: number;
  limit?: number;
  status?: InvitationStatus;
  kelurahanId?: number;
}

export interface InvitationListRow {
  invitationId: number;
  householdId: number;
  code: string;
  round: number;
  status: InvitationStatus;
  kelurahanId: number;
  kelurahan: string;
  /** "S*** B****": the head of the household, masked. */
  headName: string | null;
  slotId: number | null;
  slotStartsAt: Date | null;
  siteName: string | null;
  /** At least one linked, reachable chat: the invitation went out on it. */
  reachable: boolean;
  proxyStatus: 'pending' | 'approved' | null;
  collectedAt: Date | null;
  /** How far its messages got (the best of them), which way the family is reached, and why one failed. */
  delivery: InvitationDelivery;
}

export const MAX_PAGE = 500;

export async function listInvitations(
  db: Db,
  actor: Actor,
  q: InvitationListQuery,
  opts: { now: Date },
): Promise<Outcome<{ rows: InvitationListRow[]; nextAfter: number | null }>> {
  canManage(actor);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), MAX_PAGE);
  const event = await eventInScope(db, actor, q.eventId);
  if (!event) return refuse('not_found');
  const after = q.after !== undefined && Number.isSafeInteger(q.after) ? q.after : 0;

  // One more row than asked tells whether there is a next page without a count.
  const result = await db.execute(sql`
    select i.id, i.household_id, i.code, i.round, i.status, i.slot_id, i.collected_at,
      k.id as kelurahan_id, k.name as kelurahan, s.starts_at, si.name as site_name,
      (select m.name from members m where m.household_id = h.id order by (m.relationship = 'kepala') desc, m.id limit 1) as head_name,
      exists (select 1 from contacts c join members m on m.id = c.member_id where m.household_id = h.id and c.unreachable_at is null) as reachable,
      (select p.status from proxies p where p.invitation_id = i.id and p.status in ('pending', 'approved') order by p.id desc limit 1) as proxy_status
    from invitations i
    join households h on h.id = i.household_id
    join kelurahan k on k.id = h.kelurahan_id
    left join event_slots s on s.id = i.slot_id
    left join sites si on si.id = s.site_id
    where i.event_id = ${event.id} and i.id > ${after}
      ${actor.kecamatanId === null ? sql`` : sql`and k.kecamatan_id = ${actor.kecamatanId}`}
      ${q.status === undefined ? sql`` : sql`and i.status = ${q.status}`}
      ${q.kelurahanId === undefined ? sql`` : sql`and h.kelurahan_id = ${q.kelurahanId}`}
    order by i.id
    limit ${limit + 1}`);
  const raw = rowsOf<Record<string, unknown>>(result);
  const page = raw.slice(0, limit);
  const delivery = await deliveryOfInvitations(db, page.map((r) => Number(r.id)));
  const rows: InvitationListRow[] = page.map((r) => ({
    invitationId: Number(r.id),
    householdId: Number(r.household_id),
    code: formatInvitationCode(String(r.code)),
    round: Number(r.round),
    status: r.status as InvitationStatus,
    kelurahanId: Number(r.kelurahan_id),
    kelurahan: String(r.kelurahan),
    headName: r.head_name == null ? null : maskName(String(r.head_name)),
    slotId: r.slot_id == null ? null : Number(r.slot_id),
    slotStartsAt: r.starts_at == null ? null : new Date(r.starts_at as string | Date),
    siteName: r.site_name == null ? null : String(r.site_name),
    // PGlite and postgres.js both give a boolean; a driver giving 't' is read the same way.
    reachable: r.reachable === true || r.reachable === 't',
    proxyStatus: (r.proxy_status as InvitationListRow['proxyStatus']) ?? null,
    collectedAt: r.collected_at == null ? null : new Date(r.collected_at as string | Date),
    delivery: delivery.get(Number(r.id))!,
  }));
  const nextAfter = raw.length > limit ? rows[rows.length - 1]!.invitationId : null;
  await audit(db, actor, {
    action: 'distribution.invitations.read',
    entity: 'distribution_event',
    entityId: event.id,
    details: { after, limit, status: q.status ?? null, kelurahanId: q.kelurahanId ?? null, rowCount: rows.length },
    at: opts.now,
  });
  return { ok: true, rows, nextAfter };
}

/** The whole filtered list as CSV (masked as in the list; each page's read is audited by listInvitations). */
export async function invitationsCsv(
  db: Db,
  actor: Actor,
  q: Omit<InvitationListQuery, 'after' | 'limit'>,
  opts: { now: Date; header: readonly string[]; timeZone: string },
): Promise<Outcome<{ sheet: Sheet; csv: string; count: number }>> {
  const rows: InvitationListRow[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await listInvitations(db, actor, { ...q, limit: MAX_PAGE, ...(after !== undefined ? { after } : {}) }, opts);
    if (!page.ok) return page;
    rows.push(...page.rows);
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  const time = (d: Date | null) =>
    d === null ? '' : new Intl.DateTimeFormat('sv-SE', { timeZone: opts.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
  const sheet: Sheet = {
    header: opts.header,
    // Delivery as codes, like the status: read, delivered, sent, pending, failed, skipped, none; chat, whatsapp, paper.
    rows: rows.map((r) => [
      r.code,
      r.round,
      r.status,
      r.kelurahan,
      r.headName,
      r.siteName,
      time(r.slotStartsAt),
      r.reachable ? 1 : 0,
      r.proxyStatus,
      time(r.collectedAt),
      r.delivery.state,
      r.delivery.path,
      r.delivery.failure,
    ]),
  };
  return { ok: true, sheet, csv: csvOf(sheet), count: rows.length };
}
