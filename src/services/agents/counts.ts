import { and, count, gte, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { complaints } from '../../db/schema/index.ts';
import type { AgentProblem } from '../../domain/vocabulary.ts';

// Complaints about each e-warong and agent (issue 20), by what went wrong: the figure an admin reads beside the
// agent before calling its owner or the bank that appointed it. A window rather than all time, so an agent that
// put things right is not marked for ever.

export const COUNT_WINDOW_DAYS = 90;

export interface AgentComplaints {
  total: number;
  /** Only the problems that were reported; a complaint without a problem counts in total alone. */
  byProblem: Partial<Record<AgentProblem, number>>;
}

/** Per agent id, its complaints filed in the last COUNT_WINDOW_DAYS days before `now`. */
export async function agentComplaintCounts(db: Db, now: Date): Promise<Map<number, AgentComplaints>> {
  const since = new Date(now.getTime() - COUNT_WINDOW_DAYS * 86_400_000);
  const rows = await db
    .select({ agentId: complaints.agentId, problem: complaints.agentProblem, n: count() })
    .from(complaints)
    .where(and(isNotNull(complaints.agentId), gte(complaints.createdAt, since)))
    .groupBy(complaints.agentId, complaints.agentProblem);
  const out = new Map<number, AgentComplaints>();
  for (const r of rows) {
    const c = out.get(r.agentId!) ?? { total: 0, byProblem: {} };
    c.total += Number(r.n);
    if (r.problem) c.byProblem[r.problem] = (c.byProblem[r.problem] ?? 0) + Number(r.n);
    out.set(r.agentId!, c);
  }
  return out;
}
