// The figures that make work find the officer: the inbox's tabs, the menu's badge and the browser tab's title.
// One call per refresh for complaints and live chats together, each through its own service's scope rule.

import { and, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints } from '../../db/schema/index.ts';
import { can } from '../access.ts';
import type { Actor } from '../actor.ts';
import { urgentOpenWhere, waitingWhere } from '../complaints/list.ts';
import { scopeWhere, staffIdOf } from '../complaints/shared.ts';
import { handoverCounts } from '../handover.ts';

export interface WorkCounts {
  /** Open complaints assigned to the officer. */
  mine: number;
  /** Of those, the ones where the resident is waiting for the officer (replied, or reopened). */
  waiting: number;
  /** Open complaints nobody holds, in scope. */
  unassigned: number;
  /** Open complaints in scope, whoever holds them. */
  all: number;
  /** The emergency queue: urgent reports not yet closed, in scope; null for those who read no complaints. */
  urgent: number | null;
  /** Live chats nobody has taken, and the officer's own where the resident wrote last. */
  chats: number;
  /** What asks for the officer now: the badge and the tab title. */
  attention: number;
}

export async function workCounts(db: Db, actor: Actor): Promise<WorkCounts> {
  const readsQueue = can(actor, 'complaints.read_queue') || can(actor, 'complaints.read_scope');
  const me = staffIdOf(actor) ?? -1;
  const open = and(scopeWhere(actor, { queue: true }), ne(complaints.status, 'closed'));
  const [row] = readsQueue
    ? await db
        .select({
          all: sql<number>`count(*)::int`,
          unassigned: sql<number>`(count(*) filter (where ${complaints.assigneeId} is null))::int`,
          mine: sql<number>`(count(*) filter (where ${complaints.assigneeId} = ${me}))::int`,
          urgent: sql<number>`(count(*) filter (where ${urgentOpenWhere}))::int`,
        })
        .from(complaints)
        .where(open)
    : [];
  // "Waiting" as a query of its own over the officer's open complaints (complaints_open_assignee_idx). As a
  // FILTER over every open complaint, the resident-replied subqueries ran for rows that were not the officer's,
  // and the planner's estimate woke PostgreSQL's JIT compiler on every count (bench: 237 ms → 26 ms).
  const [w] = readsQueue
    ? await db
        .select({ n: sql<number>`count(*)::int` })
        .from(complaints)
        .where(and(open, waitingWhere(me)))
    : [];
  const chats = await handoverCounts(db, actor);
  const c = { all: Number(row?.all ?? 0), unassigned: Number(row?.unassigned ?? 0), mine: Number(row?.mine ?? 0), waiting: Number(w?.n ?? 0), urgent: readsQueue ? Number(row?.urgent ?? 0) : null };
  const chatsNeeding = chats.unclaimed + chats.mineWaiting;
  return { ...c, chats: chatsNeeding, attention: c.waiting + c.unassigned + chatsNeeding };
}

/** Changes whenever any of the counts could: the badge's stream compares it. */
export async function workVersion(db: Db, actor: Actor): Promise<string> {
  const w = await workCounts(db, actor);
  return [w.mine, w.waiting, w.unassigned, w.all, w.urgent ?? '-', w.chats].join(':');
}
