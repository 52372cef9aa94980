// Waits until a freshly started service has finished the work it does at start-up, so a benchmark measures the
// service's answers and not its jobs. Every job runs a first round at start (src/app/jobs.ts): on a registry of
// 330,000 households the data-quality scan alone keeps PostgreSQL busy for about 10 s, which fell inside the
// first measured run and cost it a third of its rate.
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { cpuSeconds } from './rss.ts';

/**
 * Resolves with the seconds waited once, for `quietSeconds` in a row, the service used under 5% of a CPU and
 * PostgreSQL ran no statement for any other connection to its database. Throws after `limitSeconds`.
 */
export async function settled(db: Db, pid: number, quietSeconds = 2, limitSeconds = 180): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  let cpu = cpuSeconds(pid);
  while ((performance.now() - t0) / 1000 < limitSeconds) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSeconds(pid);
    const [busy] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')`),
    );
    quiet = now - cpu < 0.05 && busy!.n === 0 ? quiet + 1 : 0;
    cpu = now;
    if (quiet >= quietSeconds) return (performance.now() - t0) / 1000;
  }
  throw new Error(`the service was still busy ${limitSeconds} s after it started`);
}
