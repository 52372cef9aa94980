// How the messages about each invitation went, read off the outbox (outbox.invitation_id is set on the
// invitation, its reminders and the notices of a change or cancellation): sent, delivered, read or failed,
// which way the family was reached (a linked chat, a registry phone on WhatsApp, or paper), and the kind of
// failure. WhatsApp Cloud statuses and WhatsApp Web ticks fill delivered_at/read_at (outbox/statuses.ts);
// Telegram and the web chat report nothing after sending, so "sent" is as far as they go.
//
// Only figures and kinds leave here: a failure's kind, never the provider's text, which may repeat a number.

import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { distributionEvents, programs } from '../../db/schema/index.ts';
import { DELIVERY_PATHS, DELIVERY_STATES, failureKindOf, FAILURE_KINDS, type DeliveryPath, type DeliveryState, type FailureKind } from '../../domain/delivery.ts';
import type { Channel } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { canRead, programInScope } from './common.ts';

export interface InvitationDelivery {
  state: DeliveryState;
  path: DeliveryPath;
  /** Every channel a message about the invitation went to (or was meant to). */
  channels: Channel[];
  /** The kind of the latest failed or skipped message, when that is as far as the invitation got. */
  failure: FailureKind | null;
}

export interface EventDelivery {
  /** Invitations counted: every one of the event but the cancelled, as on the progress page. */
  total: number;
  byPath: Record<DeliveryPath, number>;
  byState: Record<DeliveryState, number>;
  /** Path × state: how many families of each path got how far. Paper holds only failed, skipped and none. */
  matrix: Record<DeliveryPath, Record<DeliveryState, number>>;
  /** Invitations whose invitation failed or was skipped, by kind of failure, most first. */
  failures: { reason: FailureKind; count: number }[];
}

/**
 * One outbox row's state as a rank, best highest (DELIVERY_STATES in reverse; 0 is "none"). Read implies
 * delivered (statuses.ts stores both); a row failed after a delivery report is failed: the status wins.
 */
const RANK = sql`case
  when o.status = 'sent' and o.read_at is not null then 6
  when o.status = 'sent' and o.delivered_at is not null then 5
  when o.status = 'sent' then 4
  when o.status in ('pending', 'sending') then 3
  when o.status = 'failed' then 2
  when o.status = 'skipped' then 1
  else 0 end`;
const STATE_OF_RANK: readonly DeliveryState[] = ['none', 'skipped', 'failed', 'pending', 'sent', 'delivered', 'read'];
const LIVE = sql`o.status in ('pending', 'sending', 'sent')`;

/**
 * Per invitation among the rows `where` picks: the best rank, the channels, whether a live message goes to a
 * linked chat or to any chat at all, and the latest failure's text. A skipped row needs none: the claim skips
 * a row only because the family said BERHENTI (outbox/claim.ts).
 */
function perInvitation(where: SQL): SQL {
  return sql`
    select o.invitation_id,
      max(${RANK}) as rank,
      string_agg(distinct o.channel, ',' order by o.channel) as channels,
      bool_or(${LIVE} and c.member_id is not null) as to_chat,
      bool_or(${LIVE}) as live,
      (array_agg(o.last_error order by o.id desc) filter (where o.status = 'failed'))[1] as last_error
    from outbox o
    join contacts c on c.id = o.contact_id
    where ${where}
    group by o.invitation_id`;
}

function pathOf(toChat: unknown, live: unknown): DeliveryPath {
  // PGlite and postgres.js both answer booleans; 't' is read the same way for a driver that does not.
  if (toChat === true || toChat === 't') return 'chat';
  if (live === true || live === 't') return 'whatsapp';
  return 'paper';
}

function stateOf(rank: unknown): DeliveryState {
  return STATE_OF_RANK[Number(rank ?? 0)] ?? 'none';
}

/** The kind of failure of an invitation that got no further than failed or skipped; null otherwise. */
function failureOf(state: DeliveryState, lastError: unknown): FailureKind | null {
  if (state === 'skipped') return 'contact_stopped';
  if (state === 'failed') return failureKindOf(lastError == null ? null : String(lastError));
  return null;
}

const NOTHING: InvitationDelivery = Object.freeze({ state: 'none', path: 'paper', channels: [], failure: null }) as InvitationDelivery;
const CHUNK = 5000;

/**
 * Delivery per invitation, over all its messages: the invitation, its reminders and notices. An invitation
 * with no message is "none" on paper. One statement per chunk of ids, through outbox_invitation_idx. The
 * caller has checked the invitations are the actor's to see (the list does, before asking).
 */
export async function deliveryOfInvitations(db: Db, invitationIds: readonly number[]): Promise<Map<number, InvitationDelivery>> {
  const out = new Map<number, InvitationDelivery>();
  const ids = [...new Set(invitationIds.filter((id) => Number.isSafeInteger(id)))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const list = sql`${`{${part.join(',')}}`}::bigint[]`;
    const rows = rowsOf<Record<string, unknown>>(await db.execute(perInvitation(sql`o.invitation_id = any(${list})`)));
    for (const r of rows) {
      const state = stateOf(r.rank);
      out.set(Number(r.invitation_id), {
        state,
        path: pathOf(r.to_chat, r.live),
        channels: String(r.channels ?? '')
          .split(',')
          .filter(Boolean) as Channel[],
        failure: failureOf(state, r.last_error),
      });
    }
  }
  for (const id of ids) if (!out.has(id)) out.set(id, { ...NOTHING, channels: [] });
  return out;
}

const zeroStates = (): Record<DeliveryState, number> => Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;

/**
 * The event's delivery counts, for a kecamatan-scoped actor over the kelurahan of their kecamatan (as
 * eventProgress counts). No permission check: eventProgress and eventDelivery check before calling.
 *
 * "Reached by" is decided by the invitation message alone (payload template kind 'invitation': every copy of
 * the invitation, on each chat or number it went to), never by reminders or notices. The question the page
 * answers is whether the invitation, with its code and QR, got to the family: a reminder read on H-1 after a
 * failed invitation does not carry the code, and counting reminders would move the figures day by day as they
 * go out and count a family twice. The invitation list shows the best of all messages per family instead.
 *
 * One statement. The event's outbox rows (outbox_invitation_idx) are first boiled down to a few narrow
 * columns (the fence `offset 0` keeps the payload out of the grouping's sort), then grouped per invitation
 * and counted by path, state and failure text; the few distinct texts are sorted into kinds here. The
 * invitation-message test is a column, not a WHERE condition: the planner cannot estimate a JSON test and,
 * told it keeps a handful of rows, probes contacts row by row; as it is, it hashes them. For a failed
 * invitation any one of its failure texts is counted (min, not the latest). A skipped one was always skipped
 * because the family said BERHENTI (outbox/claim.ts). Measured on real PostgreSQL on a shared 2-core machine
 * under heavy load: about 1 s for 100,000 invitations with 200,000 messages, ten times the rest of the progress
 * counts, so the console refreshes these figures on their own clock, not at every check-in.
 */
export async function deliveryCounts(db: Db, eventId: number, kecamatanId: number | null): Promise<EventDelivery> {
  const scope = kecamatanId === null ? sql`` : sql`and kel.kecamatan_id = ${kecamatanId}`;
  const result = await db.execute(sql`
    with m as (
      select o.invitation_id,
        case when o.first then ${RANK} end as rank,
        o.first and ${LIVE} and c.member_id is not null as to_chat,
        o.first and ${LIVE} as live,
        case when o.first and o.status = 'failed' then o.last_error end as last_error
      from (
        select o.invitation_id, o.contact_id, o.status, o.read_at, o.delivered_at, o.last_error,
          coalesce((o.payload->'template'->>'kind') = 'invitation', false) as first
        from outbox o
        where o.invitation_id in (select id from invitations where event_id = ${eventId})
        offset 0
      ) o
      join contacts c on c.id = o.contact_id
      offset 0
    ), f as (
      select invitation_id, max(rank) as rank, bool_or(to_chat) as to_chat, bool_or(live) as live, min(last_error) as last_error
      from m group by invitation_id
    )
    select
      case when f.to_chat then 'chat' when f.live then 'whatsapp' else 'paper' end as path,
      coalesce(f.rank, 0) as rank,
      case when f.rank = 2 then f.last_error end as last_error,
      count(*)::int as n
    from invitations i
    join households h on h.id = i.household_id
    join kelurahan kel on kel.id = h.kelurahan_id
    left join f on f.invitation_id = i.id
    where i.event_id = ${eventId} and i.status <> 'cancelled' ${scope}
    group by 1, 2, 3`);

  const matrix = Object.fromEntries(DELIVERY_PATHS.map((p) => [p, zeroStates()])) as Record<DeliveryPath, Record<DeliveryState, number>>;
  const byPath = Object.fromEntries(DELIVERY_PATHS.map((p) => [p, 0])) as Record<DeliveryPath, number>;
  const byState = zeroStates();
  const failures = new Map<FailureKind, number>();
  let total = 0;
  for (const r of rowsOf<Record<string, unknown>>(result)) {
    const path = String(r.path) as DeliveryPath;
    const state = stateOf(r.rank);
    const n = Number(r.n);
    matrix[path][state] += n;
    byPath[path] += n;
    byState[state] += n;
    total += n;
    const kind = failureOf(state, r.last_error);
    if (kind) failures.set(kind, (failures.get(kind) ?? 0) + n);
  }
  return {
    total,
    byPath,
    byState,
    matrix,
    failures: [...failures]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || FAILURE_KINDS.indexOf(a.reason) - FAILURE_KINDS.indexOf(b.reason)),
  };
}

/**
 * The delivery counts of one event for a reader (distribution.read), or null when the event is unknown or
 * not theirs: scoped as eventProgress is (a kecamatan office sees its own kelurahan of a city-wide event, and
 * nothing of an event with no site in its kecamatan; a bidang sees its own programs' events).
 */
export async function eventDelivery(db: Db, actor: Actor, eventId: number): Promise<EventDelivery | null> {
  canRead(actor);
  if (!Number.isSafeInteger(eventId)) return null;
  const [event] = await db
    .select({ id: distributionEvents.id, bidang: programs.bidang })
    .from(distributionEvents)
    .innerJoin(programs, eq(programs.id, distributionEvents.programId))
    .where(eq(distributionEvents.id, eventId));
  if (!event || !programInScope(actor, event.bidang)) return null;
  if (actor.kecamatanId !== null) {
    const [here] = rowsOf<{ one: number }>(
      await db.execute(sql`select 1 as one from event_slots s join sites si on si.id = s.site_id where s.event_id = ${eventId} and si.kecamatan_id = ${actor.kecamatanId} limit 1`),
    );
    if (!here) return null;
  }
  return deliveryCounts(db, eventId, actor.kecamatanId);
}
