// Which distribution events a staff member works with: the list pages, the check-in page's event picker and
// the API list. A kecamatan-scoped actor sees an event only when every site of it lies in their kecamatan, and
// a bidang-scoped one only events of their bidang's programs: the same rule as eventInScope (common.ts), so a
// list never shows what opening it would refuse.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { EVENT_STATUSES } from '../../domain/vocabulary.ts';
import type { Actor } from '../actor.ts';
import { canRead, eventInScope } from './common.ts';

export interface EventListRow {
  id: number;
  title: string;
  tranche: string;
  eventDate: string;
  status: (typeof EVENT_STATUSES)[number];
  closedAt: Date | null;
  programCode: string;
  programName: string;
  slotCount: number;
  capacity: number;
  booked: number;
  siteNames: string[];
}

export interface EventListQuery {
  /** Only events on or after this day (YYYY-MM-DD). */
  fromDate?: string;
  statuses?: readonly (typeof EVENT_STATUSES)[number][];
  programId?: number;
  limit?: number;
  /** Cursor paging (the API): events by id, only ids above this one. Without it: by date. */
  after?: number;
  byId?: boolean;
}

export async function listEvents(db: Db, actor: Actor, q: EventListQuery = {}): Promise<EventListRow[]> {
  canRead(actor);
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 500);
  const scope =
    actor.kecamatanId === null
      ? sql`true`
      : sql`exists (select 1 from event_slots s join sites si on si.id = s.site_id where s.event_id = e.id)
            and not exists (select 1 from event_slots s join sites si on si.id = s.site_id where s.event_id = e.id and si.kecamatan_id <> ${actor.kecamatanId})`;
  const bidang = actor.bidang === null ? sql`` : sql`and p.bidang = ${actor.bidang}`;
  const from = q.fromDate && /^\d{4}-\d{2}-\d{2}$/.test(q.fromDate) ? sql`and e.event_date >= ${q.fromDate}::date` : sql``;
  const statuses = q.statuses && q.statuses.length > 0 ? sql`and e.status in (${sql.join(q.statuses.map((s) => sql`${s}`), sql`, `)})` : sql``;
  const program = q.programId !== undefined ? sql`and e.program_id = ${q.programId}` : sql``;
  const cursor = q.after !== undefined ? sql`and e.id > ${q.after}` : sql``;
  const order = q.byId || q.after !== undefined ? sql`e.id asc` : sql`e.event_date asc, e.id asc`;
  const rows = rowsOf<{
    id: number;
    title: string;
    tranche: string;
    event_date: string | Date;
    status: EventListRow['status'];
    closed_at: string | Date | null;
    program_code: string;
    program_name: string;
    slot_count: string | number;
    capacity: string | number | null;
    booked: string | number | null;
    site_names: string[] | string | null;
  }>(
    await db.execute(sql`
      select e.id, e.title, e.tranche, e.event_date::text as event_date, e.status, e.closed_at,
             p.code as program_code, p.name as program_name,
             (select count(*) from event_slots s where s.event_id = e.id) as slot_count,
             (select sum(capacity) from event_slots s where s.event_id = e.id) as capacity,
             (select sum(booked) from event_slots s where s.event_id = e.id) as booked,
             (select array_agg(distinct si.name order by si.name) from event_slots s join sites si on si.id = s.site_id where s.event_id = e.id) as site_names
      from distribution_events e join programs p on p.id = e.program_id
      where ${scope} ${bidang} ${from} ${statuses} ${program} ${cursor}
      order by ${order}
      limit ${limit}`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    tranche: r.tranche,
    eventDate: typeof r.event_date === 'string' ? r.event_date.slice(0, 10) : r.event_date.toISOString().slice(0, 10),
    status: r.status,
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    programCode: r.program_code,
    programName: r.program_name,
    slotCount: Number(r.slot_count),
    capacity: Number(r.capacity ?? 0),
    booked: Number(r.booked ?? 0),
    siteNames: parseArray(r.site_names),
  }));
}

/** The sites an event runs at (for the check-in page's site picker); empty when the event is not visible. */
export async function eventSites(db: Db, actor: Actor, eventId: number): Promise<{ id: number; name: string; address: string }[]> {
  canRead(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return [];
  return rowsOf<{ id: number; name: string; address: string }>(
    await db.execute(sql`select distinct si.id, si.name, si.address from event_slots s join sites si on si.id = s.site_id where s.event_id = ${eventId} order by si.name`),
  ).map((r) => ({ id: Number(r.id), name: r.name, address: r.address }));
}

// postgres.js gives text[] as an array; PGlite may give the literal '{a,b}'.
function parseArray(v: string[] | string | null): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  if (inner === '') return [];
  return inner.split(',').map((s) => s.replace(/^"|"$/g, '').replace(/\\"/g, '"'));
}
