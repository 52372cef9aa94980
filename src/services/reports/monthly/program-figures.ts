// The program pages' figures: enrollments, distributions and complaints per program and kecamatan, each in one
// set-based query grouped by program and kecamatan (never a query per page), so a city of 330,000 households
// counts in a few seconds (bench/monthly-report.ts).
//
// Definitions (the page says each in a plain line):
// - enrolled: enrollments not ended that existed at the month's end (created before it). Enrollments keep no
//   history of their status, so the status is the one at counting time: the job counts on the first working
//   day of the next month, close enough to the month's end; a later "Buat ulang" counts again.
// - validated: of those, verified or active. The kecamatan is the household's (a person program's member's).
// - distributions: invitations to the program's events dated in the month, by the household's kecamatan, as
//   the distribution progress page counts them (services/distribution/progress.ts): cancelled ones left out.
// - reached by channel: an invitation with at least one message about it sent on the channel (the invitation,
//   a reminder or a notice: outbox.invitation_id), the same rows the delivery counts read.

import { and, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { rowsOf } from '../../../db/rows.ts';
import { complaints } from '../../../db/schema/index.ts';
import type { Actor } from '../../actor.ts';
import { scopeWhere } from '../../complaints/shared.ts';
import { REACH_CHANNELS, type ProgramAreaFigures, type ReachChannel } from './types.ts';

type Row = Record<string, unknown>;

export interface MonthBounds {
  from: Date;
  to: Date;
  /** The month's first day and the next month's first day, as dates (event dates are calendar dates). */
  fromDay: string;
  toDay: string;
}

export function zeroProgramArea(kecamatanId: number | null): ProgramAreaFigures {
  return {
    kecamatanId,
    enrolled: 0,
    validated: 0,
    newInMonth: 0,
    invitedByRound: [0, 0, 0],
    invited: 0,
    reached: { whatsapp: 0, telegram: 0, webchat: 0 },
    notReached: 0,
    collected: 0,
    noShowByRound: [0, 0, 0],
    complaints: 0,
  };
}

/** Which channels of the outbox count as which group: every WhatsApp path is WhatsApp to the family. */
const CHANNEL_GROUP: Record<ReachChannel, SQL> = {
  whatsapp: sql`o.channel in ('whatsapp_cloud', 'whatsapp_web', 'demo_phone')`,
  telegram: sql`o.channel = 'telegram'`,
  webchat: sql`o.channel = 'webchat'`,
};

/** Figures keyed `${programId}:${kecamatanId}`, kecamatan 'null' for rows of no kecamatan. */
export type ProgramAreaMap = Map<string, ProgramAreaFigures>;
export const keyOf = (programId: number, kecamatanId: number | null) => `${programId}:${kecamatanId}`;

/**
 * Every program × kecamatan figure of the month for `programIds` (the programs in the actor's bidang), within
 * the actor's kecamatan. Also the number of events per program.
 */
export async function programAreaFigures(
  db: Db,
  actor: Actor,
  programIds: readonly number[],
  b: MonthBounds,
): Promise<{ byArea: ProgramAreaMap; events: Map<number, number> }> {
  const byArea: ProgramAreaMap = new Map();
  const events = new Map<number, number>();
  if (programIds.length === 0) return { byArea, events };
  const of = (programId: number, kecamatanId: number | null) => {
    const key = keyOf(programId, kecamatanId);
    let f = byArea.get(key);
    if (!f) byArea.set(key, (f = zeroProgramArea(kecamatanId)));
    return f;
  };
  const ids = sql`${`{${programIds.join(',')}}`}::int[]`;
  // Raw statements take instants as ISO text (postgres.js binds no Date there).
  const area = actor.kecamatanId === null ? sql`` : sql`and kel.kecamatan_id = ${actor.kecamatanId}`;

  // Enrollments: a household program's row names the household, a person program's the member. A family has a
  // row per period (2026-Q3, 2026-Q4…), so recipients are counted once each, not once per period.
  const recipient = sql`coalesce('m' || e.member_id, 'h' || e.household_id)`;
  const enrolled = rowsOf<Row>(
    await db.execute(sql`
      select e.program_id, kel.kecamatan_id,
        count(distinct ${recipient}) filter (where e.status <> 'ended')::int as enrolled,
        count(distinct ${recipient}) filter (where e.status in ('verified', 'active'))::int as validated,
        count(distinct ${recipient}) filter (where e.created_at >= ${b.from.toISOString()}::timestamptz)::int as new_in_month
      from enrollments e
      left join members m on m.id = e.member_id
      join households h on h.id = coalesce(e.household_id, m.household_id)
      join kelurahan kel on kel.id = h.kelurahan_id
      where e.program_id = any(${ids}) and e.created_at < ${b.to.toISOString()}::timestamptz ${area}
      group by 1, 2`),
  );
  for (const r of enrolled) {
    Object.assign(of(Number(r.program_id), Number(r.kecamatan_id)), {
      enrolled: Number(r.enrolled),
      validated: Number(r.validated),
      newInMonth: Number(r.new_in_month),
    });
  }

  // Distributions dated in the month: the invitations first (event_date, then invitations_event_status_idx),
  // then their sent messages through outbox_invitation_idx, only for those invitations.
  const reachCols = REACH_CHANNELS.map((ch) => sql`bool_or(${CHANNEL_GROUP[ch]}) as ${sql.raw(ch)}`);
  const reachCounts = REACH_CHANNELS.map((ch) => sql`count(*) filter (where r.${sql.raw(ch)})::int as reached_${sql.raw(ch)}`);
  const dist = rowsOf<Row>(
    await db.execute(sql`
      with inv as (
        select i.id, i.event_id, i.round, i.status, e.program_id, kel.kecamatan_id
        from distribution_events e
        join invitations i on i.event_id = e.id
        join households h on h.id = i.household_id
        join kelurahan kel on kel.id = h.kelurahan_id
        where e.program_id = any(${ids}) and e.event_date >= ${b.fromDay}::date and e.event_date < ${b.toDay}::date
          and i.status <> 'cancelled' ${area}
      ),
      reach as (
        select o.invitation_id, ${sql.join(reachCols, sql`, `)}
        from outbox o join inv on inv.id = o.invitation_id
        where o.status = 'sent'
        group by o.invitation_id
      )
      select inv.program_id, inv.kecamatan_id, grouping(inv.kecamatan_id) as is_total,
        count(distinct inv.event_id)::int as events,
        count(*)::int as invited,
        ${sql.join(
          [1, 2, 3].map((n) => sql`count(*) filter (where inv.round = ${n})::int as invited_${sql.raw(String(n))}`),
          sql`, `,
        )},
        ${sql.join(reachCounts, sql`, `)},
        count(*) filter (where r.invitation_id is null)::int as not_reached,
        count(*) filter (where inv.status = 'collected')::int as collected,
        ${sql.join(
          [1, 2, 3].map((n) => sql`count(*) filter (where inv.status = 'no_show' and inv.round = ${n})::int as no_show_${sql.raw(String(n))}`),
          sql`, `,
        )}
      from inv left join reach r on r.invitation_id = inv.id
      group by grouping sets ((inv.program_id, inv.kecamatan_id), (inv.program_id))`),
  );
  for (const r of dist) {
    const programId = Number(r.program_id);
    if (Number(r.is_total) === 1) {
      events.set(programId, Number(r.events));
      continue;
    }
    const f = of(programId, Number(r.kecamatan_id));
    f.invited = Number(r.invited);
    f.invitedByRound = [Number(r.invited_1), Number(r.invited_2), Number(r.invited_3)];
    f.reached = Object.fromEntries(REACH_CHANNELS.map((ch) => [ch, Number(r[`reached_${ch}`])])) as Record<ReachChannel, number>;
    f.notReached = Number(r.not_reached);
    f.collected = Number(r.collected);
    f.noShowByRound = [Number(r.no_show_1), Number(r.no_show_2), Number(r.no_show_3)];
  }

  // Complaints that name the program, by the complaints' own scope rule (kecamatan, and bidang for a desk).
  const filed = await db
    .select({ programId: complaints.programId, kecamatanId: complaints.kecamatanId, n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(
      and(
        scopeWhere(actor, { queue: false }),
        isNotNull(complaints.programId),
        sql`${complaints.programId} = any(${ids})`,
        gte(complaints.createdAt, b.from),
        lt(complaints.createdAt, b.to),
      ),
    )
    .groupBy(complaints.programId, complaints.kecamatanId);
  for (const r of filed) of(r.programId!, r.kecamatanId).complaints = Number(r.n);

  return { byArea, events };
}

/** The total of a program's rows (those of no kecamatan included): every figure is a count, so they add up. */
export function totalOf(rows: readonly ProgramAreaFigures[]): ProgramAreaFigures {
  const t = zeroProgramArea(null);
  for (const r of rows) {
    t.enrolled += r.enrolled;
    t.validated += r.validated;
    t.newInMonth += r.newInMonth;
    t.invited += r.invited;
    t.notReached += r.notReached;
    t.collected += r.collected;
    t.complaints += r.complaints;
    for (const ch of REACH_CHANNELS) t.reached[ch] += r.reached[ch];
    for (let i = 0; i < 3; i++) {
      t.invitedByRound[i] = t.invitedByRound[i]! + r.invitedByRound[i]!;
      t.noShowByRound[i] = t.noShowByRound[i]! + r.noShowByRound[i]!;
    }
  }
  return t;
}
