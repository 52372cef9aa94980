// Where field tasks come from besides data-quality findings (sync.ts) (issue 19, part 2):
//
//   proposal       an usulan a verified resident filed for their own family, not yet decided by the kelurahan
//                  meeting: the worker checks the poverty indicators at the house before the meeting. (An usulan
//                  for another family names an address in the resident's words, not a kelurahan the registry
//                  knows: it stays on the meeting's export without a task.)
//   missed_rounds  a family that missed the third summons of a distribution (rounds.ts followUpList): someone
//                  goes to see why (moved, died, too ill, never knew).
//   calldown       an invitation to a distribution still ahead that no message reaches (paper.ts notReached): the
//                  worker brings the paper invitation, due the day before the event.
//   ppks           a resident's report of someone in need (a complaint of category ppks), in the kelurahan
//                  where the person is: nearest to the shared location (within about 5 km of a kelurahan's
//                  centre), else the one kelurahan the typed place names. Urgent: due today. A report placed
//                  nowhere stays with the Rehsos desk, which can still send someone.
//
// Each source says which rows need a task and when an open task has nothing left to do (then it is
// cancelled). One task per source row ever: a decided proposal, a final no-show or an invitation are not
// looked at twice by the same route.

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { addDays } from '../../domain/dates.ts';
import type { FieldTaskKind } from '../../domain/vocabulary.ts';
import { MAX_ROUND } from '../distribution/rounds.ts';
import { notReached } from '../distribution/paper.ts';

export interface SourceRow {
  sourceId: number;
  kecamatanId: number;
  kelurahanId: number;
  householdId: number | null;
  memberId: number | null;
  details: Record<string, unknown>;
  /** Its own due date (YYYY-MM-DD); otherwise the usual working days from now. */
  dueOn?: string;
}

export interface TaskSource {
  kind: FieldTaskKind;
  /** Rows after `after` (their source id) that have never had a task of this kind, at most `limit`. */
  due(tx: Db, after: number, today: string, limit: number): Promise<SourceRow[]>;
  /** True for an open task (alias t) whose reason went away. */
  settled(today: string): SQL;
}

const OPEN_INVITATION = sql`('invited', 'confirmed', 'reschedule_requested')`;
const never = (kind: string, id: SQL) => sql`not exists (select 1 from field_tasks ft where ft.kind = ${kind} and ft.source_id = ${id})`;

type Raw = Record<string, string | number | null>;
const toRow = (r: Raw, details: Record<string, unknown>, dueOn?: string): SourceRow => ({
  sourceId: Number(r.source_id),
  kecamatanId: Number(r.kecamatan_id),
  kelurahanId: Number(r.kelurahan_id),
  householdId: r.household_id === null ? null : Number(r.household_id),
  memberId: r.member_id === null || r.member_id === undefined ? null : Number(r.member_id),
  details,
  ...(dueOn ? { dueOn } : {}),
});

const proposal: TaskSource = {
  kind: 'proposal',
  async due(tx, after, _today, limit) {
    const rows = rowsOf<Raw>(
      await tx.execute(sql`
        select c.id as source_id, k.kecamatan_id, h.kelurahan_id, h.id as household_id, m.id as member_id, c.tracking_id
        from complaints c
        join members m on m.id = c.member_id
        join households h on h.id = m.household_id
        join kelurahan k on k.id = h.kelurahan_id
        where c.category = 'usulan' and c.status <> 'closed' and c.details -> 'verificationOutcome' is null
          and c.id > ${after} and ${never('proposal', sql`c.id`)}
        order by c.id limit ${limit}`),
    );
    return rows.map((r) => toRow(r, { trackingId: r.tracking_id }));
  },
  settled: () => sql`not exists (select 1 from complaints c where c.id = t.source_id and c.status <> 'closed' and c.details -> 'verificationOutcome' is null)`,
};

/** Invitations matching `where` (alias i) with their household's place and their event, as task rows. */
async function invitationRows(tx: Db, where: SQL, limit: number): Promise<(Raw & { event_date: string })[]> {
  return rowsOf<Raw & { event_date: string }>(
    await tx.execute(sql`
      select i.id as source_id, k.kecamatan_id, h.kelurahan_id, h.id as household_id, null as member_id, d.title, d.event_date::text as event_date
      from invitations i
      join distribution_events d on d.id = i.event_id
      join households h on h.id = i.household_id
      join kelurahan k on k.id = h.kelurahan_id
      where ${where}
      order by i.id limit ${limit}`),
  );
}

const eventOf = (r: Raw & { event_date: string }) => ({ eventTitle: r.title, eventDate: String(r.event_date).slice(0, 10) });

const missedRounds: TaskSource = {
  kind: 'missed_rounds',
  async due(tx, after, _today, limit) {
    const rows = await invitationRows(tx, sql`i.status = 'no_show' and i.round >= ${MAX_ROUND} and i.id > ${after} and ${never('missed_rounds', sql`i.id`)}`, limit);
    return rows.map((r) => toRow(r, eventOf(r)));
  },
  // A no-show is final; the family stays to be seen until someone has.
  settled: () => sql`false`,
};

/** Invitation i is still open, to an event still ahead, and no message reaches it: someone must knock. */
const stillToKnock = (today: string) =>
  sql`i.status in ${OPEN_INVITATION} and d.status in ('planned', 'open', 'moved') and d.event_date >= ${today}::date and ${notReached}`;

const callDown: TaskSource = {
  kind: 'calldown',
  async due(tx, after, today, limit) {
    const rows = await invitationRows(tx, sql`${stillToKnock(today)} and i.id > ${after} and ${never('calldown', sql`i.id`)}`, limit);
    return rows.map((r) => {
      const event = eventOf(r);
      // The day before the event, so the family still has time to come; never a day already gone.
      const dayBefore = addDays(event.eventDate, -1);
      return toRow(r, event, dayBefore < today ? today : dayBefore);
    });
  },
  // Settled meanwhile (a message got through at last, the family declined or came, the event passed or was
  // cancelled): nobody needs to knock any more.
  settled: (today) => sql`not exists (select 1 from invitations i join distribution_events d on d.id = i.event_id
    where i.id = t.source_id and ${stillToKnock(today)})`,
};

const lat = sql`(c.details -> 'places' -> 'where' ->> 'latitude')::float8`;
const lng = sql`(c.details -> 'places' -> 'where' ->> 'longitude')::float8`;
// Degrees squared, with longitude shrunk by the latitude: near the equator a plain distance is good enough to
// pick the nearest centre. 0.045° is about 5 km.
const distance = sql`(k.latitude::float8 - ${lat}) ^ 2 + ((k.longitude::float8 - ${lng}) * cos(radians(${lat}))) ^ 2`;

const ppks: TaskSource = {
  kind: 'ppks',
  async due(tx, after, today, limit) {
    const rows = rowsOf<Raw>(
      await tx.execute(sql`
        select c.id as source_id, coalesce(near.kecamatan_id, named.kecamatan_id) as kecamatan_id, coalesce(near.id, named.id) as kelurahan_id,
          null as household_id, null as member_id, c.tracking_id, c.urgent, c.details ->> 'where' as place, c.details ->> 'who' as who,
          c.details ->> 'situation' as situation, c.details ->> 'kind' as ppks_kind, ${lat} as latitude, ${lng} as longitude
        from complaints c
        left join lateral (
          select k.id, k.kecamatan_id from kelurahan k
          where k.latitude is not null and k.longitude is not null and jsonb_typeof(c.details -> 'places' -> 'where' -> 'latitude') = 'number'
            and ${distance} < 0.045 ^ 2
          order by ${distance} limit 1) near on true
        left join lateral (
          select min(k.id) as id, min(k.kecamatan_id) as kecamatan_id from kelurahan k
          where length(k.name) >= 4 and position(lower(k.name) in lower(coalesce(c.details ->> 'where', ''))) > 0
          having count(*) = 1) named on true
        where c.category = 'ppks' and c.status <> 'closed' and c.close_reason is null
          and coalesce(near.id, named.id) is not null
          and c.id > ${after} and ${never('ppks', sql`c.id`)}
        order by c.id limit ${limit}`),
    );
    return rows.map((r) => {
      const details: Record<string, unknown> = { trackingId: r.tracking_id, urgent: String(r.urgent) === 'true', ppksKind: r.ppks_kind, place: r.place, who: r.who, situation: r.situation };
      if (r.latitude !== null && r.longitude !== null) Object.assign(details, { latitude: Number(r.latitude), longitude: Number(r.longitude) });
      return toRow(r, details, details.urgent ? today : undefined);
    });
  },
  settled: () => sql`not exists (select 1 from complaints c where c.id = t.source_id and c.status <> 'closed')`,
};

export const TASK_SOURCES: readonly TaskSource[] = [proposal, missedRounds, callDown, ppks];
