// How a field task reads, for the worker's phone and the supervisor's page alike: what to look at and where,
// never a NIK or a KK number, the person's name masked. One query shape for every list, so scope and masking
// cannot differ between them.

import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { fieldTasks, fieldVisits, households, kelurahan, members, staffUsers } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import { maskName } from '../../domain/mask.ts';
import type { FieldOutcome, FieldReview, FieldTaskKind, FieldTaskStatus } from '../../domain/vocabulary.ts';

export interface FieldTaskView {
  id: number;
  kind: FieldTaskKind;
  sourceId: number;
  status: FieldTaskStatus;
  kecamatanId: number;
  kelurahanId: number;
  kelurahanName: string;
  householdId: number | null;
  memberId: number | null;
  /** What to look at, in the office's words: the finding's kind (e.g. 'reported_deceased'), nothing personal. */
  reason: string;
  /** Masked: "S*** R****" (the member's or the head's name), and the household's address as registered. */
  personMasked: string | null;
  address: string | null;
  /** A resident's report (PPKS): what they saw, in their words. */
  situation: string | null;
  /** A map link target: the household's kelurahan centre (kelurahan.latitude/longitude) when known. */
  latitude: number | null;
  longitude: number | null;
  assigneeId: number | null;
  assigneeName: string | null;
  dueOn: string; // YYYY-MM-DD
  overdue: boolean; // dueOn before today in opts.timeZone and status 'open'
  /** The household's living members, masked, for "who is it about" (filled by getFieldTask only; [] elsewhere). */
  members: { id: number; nameMasked: string; relationship: string; birthYear: number | null }[];
  /** Latest visit, if any: outcome, review, visitedAt, and the supervisor's note when they rejected it. */
  lastVisit: { id: number; outcome: FieldOutcome; review: FieldReview; visitedAt: Date; reviewNote: string | null } | null;
}

export type FieldTaskRow = typeof fieldTasks.$inferSelect;

/** What the task is about: the finding's kind for a finding (kept in details at sync), else the task's kind. */
export function reasonOf(task: Pick<FieldTaskRow, 'kind' | 'details'>): string {
  const findingKind = task.details.findingKind;
  return task.kind === 'finding' && typeof findingKind === 'string' ? findingKind : task.kind;
}

/** Overdue: still to be visited and due before today in the office's zone. */
export function overdueWhere(today: string): SQL {
  return and(eq(fieldTasks.status, 'open'), sql`${fieldTasks.dueOn} < ${today}`)!;
}

const headName = sql<string | null>`(select m.name from members m where m.household_id = ${fieldTasks.householdId} order by (m.relationship = 'kepala') desc, m.id limit 1)`;

/**
 * The tasks matching `where`, due first, at most `limit`. The caller has put the actor's scope into `where`.
 * `timeZone` decides what "today" is for `overdue`.
 */
export async function selectTaskViews(db: Db, where: SQL | undefined, o: { now: Date; timeZone: string; limit: number }): Promise<FieldTaskView[]> {
  const rows = await db
    .select({
      t: fieldTasks,
      kelurahanName: kelurahan.name,
      latitude: kelurahan.latitude,
      longitude: kelurahan.longitude,
      address: households.address,
      rt: households.rt,
      rw: households.rw,
      memberName: members.name,
      headName,
      assigneeName: staffUsers.name,
    })
    .from(fieldTasks)
    .innerJoin(kelurahan, eq(kelurahan.id, fieldTasks.kelurahanId))
    .leftJoin(households, eq(households.id, fieldTasks.householdId))
    .leftJoin(members, eq(members.id, fieldTasks.memberId))
    .leftJoin(staffUsers, eq(staffUsers.id, fieldTasks.assigneeId))
    .where(where)
    .orderBy(asc(fieldTasks.dueOn), asc(fieldTasks.id))
    .limit(o.limit);
  if (rows.length === 0) return [];
  const visits = await db
    .selectDistinctOn([fieldVisits.taskId], { taskId: fieldVisits.taskId, id: fieldVisits.id, outcome: fieldVisits.outcome, review: fieldVisits.review, visitedAt: fieldVisits.visitedAt, reviewNote: fieldVisits.reviewNote })
    .from(fieldVisits)
    .where(inArray(fieldVisits.taskId, rows.map((r) => r.t.id)))
    .orderBy(fieldVisits.taskId, desc(fieldVisits.createdAt), desc(fieldVisits.id));
  const latest = new Map(visits.map((v) => [v.taskId, { id: v.id, outcome: v.outcome, review: v.review, visitedAt: v.visitedAt, reviewNote: v.review === 'rejected' ? v.reviewNote : null }]));
  const today = todayIn(o.timeZone, o.now);
  return rows.map((r) => {
    const name = r.memberName ?? r.headName;
    const reported = reportedPlace(r.t.details);
    return {
      id: r.t.id,
      kind: r.t.kind,
      sourceId: r.t.sourceId,
      status: r.t.status,
      kecamatanId: r.t.kecamatanId,
      kelurahanId: r.t.kelurahanId,
      kelurahanName: r.kelurahanName,
      householdId: r.t.householdId,
      memberId: r.t.memberId,
      reason: reasonOf(r.t),
      personMasked: name ? maskName(name) : reported.who,
      address: r.address === null ? reported.place : addressLine(r.address, r.rt, r.rw),
      situation: reported.situation,
      latitude: reported.latitude ?? (r.latitude === null ? null : Number(r.latitude)),
      longitude: reported.longitude ?? (r.longitude === null ? null : Number(r.longitude)),
      assigneeId: r.t.assigneeId,
      assigneeName: r.assigneeName,
      dueOn: r.t.dueOn,
      overdue: r.t.status === 'open' && r.t.dueOn < today,
      members: [],
      lastVisit: latest.get(r.t.id) ?? null,
    };
  });
}

/**
 * What a resident's report (a PPKS task) says of where and whom, for the worker: the place as typed, the person
 * as described ("Bapak tua, sekitar 70 tahun"; "Tidak tahu" shows as nothing), what was seen, and the shared
 * location, which is nearer the person than the kelurahan's centre. The description is shown as written, not
 * masked: it is how the worker finds someone on the street, and it is no registry record.
 */
function reportedPlace(d: Record<string, unknown>): { place: string | null; who: string | null; situation: string | null; latitude: number | null; longitude: number | null } {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const who = str(d.who);
  return {
    place: str(d.place),
    who: who === null || who === 'unknown' ? null : who,
    situation: str(d.situation),
    latitude: typeof d.latitude === 'number' ? d.latitude : null,
    longitude: typeof d.longitude === 'number' ? d.longitude : null,
  };
}

// RT/RW are how a worker finds the house on the ground; the registry keeps them apart from the street.
function addressLine(address: string, rt: string | null, rw: string | null): string {
  return rt || rw ? `${address}, RT ${rt ?? '-'}/RW ${rw ?? '-'}` : address;
}

/** The household's living members, masked: whom the worker may meet at the door. */
export async function livingMembers(db: Db, householdId: number): Promise<FieldTaskView['members']> {
  const rows = await db
    .select({ id: members.id, name: members.name, relationship: members.relationship, birthDate: members.birthDate })
    .from(members)
    .where(and(eq(members.householdId, householdId), eq(members.deceased, false), isNull(members.missingSince)))
    .orderBy(sql`(${members.relationship} = 'kepala') desc`, asc(members.id));
  return rows.map((m) => ({ id: m.id, nameMasked: maskName(m.name), relationship: m.relationship, birthYear: /^\d{4}/.test(m.birthDate) ? Number(m.birthDate.slice(0, 4)) : null }));
}
