// Fan-out (issue 8, benchmark 3a): inviting N households queues N invitations, N outbox rows, N message rows
// and 3N reminder rows in one call. Target: 100,000 in under 10 s.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { inviteHouseholds } from '../src/services/distribution/invite.ts';
import { seedFanoutCity } from './fanout-setup.ts';
import type { BenchResult } from './result.ts';
import { withScratch } from './scratch.ts';

export interface FanoutFigures {
  households: number;
  invited: number;
  queuedChats: number;
  seconds: number;
  counts: Record<string, number>;
}

/** Times inviteHouseholds for `n` households on a database that has nothing else in it. */
export async function measureFanout(database: Database, n: number): Promise<FanoutFigures> {
  const { eventId, householdIds } = await seedFanoutCity(database, n);
  const actor = { kind: 'api' as const, id: 0, role: 'admin' as const, kecamatanId: null, bidang: null };
  const started = performance.now();
  const r = await inviteHouseholds(database.db, actor, { eventId, householdIds }, { now: new Date('2026-11-24T02:00:00Z'), timeZone: 'Asia/Jakarta' });
  const seconds = (performance.now() - started) / 1000;
  if (!r.ok) throw new Error(r.reason);
  const [counts] = rowsOf<Record<string, number>>(
    await database.db.execute(sql`select (select count(*)::int from outbox) as outbox, (select count(*)::int from messages) as messages,
      (select count(*)::int from invitations) as invitations, (select count(*)::int from reminder_fires) as fires`),
  );
  return { households: n, invited: r.invited, queuedChats: r.queuedChats, seconds, counts: counts! };
}

export async function fanoutBenchmark(n = 100_000): Promise<BenchResult> {
  const f = await withScratch((database) => measureFanout(database, n));
  const complete = f.invited === n && f.counts.outbox === n;
  return {
    benchmark: `Fan-out: ${n.toLocaleString('en')} invitations queued`,
    figure: `${f.seconds.toFixed(1)} s${complete ? '' : ` (only ${f.invited} invited, ${f.counts.outbox} queued)`}`,
    target: '< 10 s',
    met: complete && f.seconds < 10,
  };
}
