// Fan-out (issue 8, benchmark 3a; issue 16): inviting N households — half with a linked chat, half with only a
// registry phone the office writes first to on the WhatsApp Cloud API — queues N invitations, N outbox rows (a
// chat message or a template), N message rows, N/2 new contacts and 3N reminder rows in one call, one
// transaction. Target: 100,000 in under 5 s.
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
  reach: { chat: number; whatsapp: number; paper: number };
  lastOpeningAt: Date | null;
}

/** Times inviteHouseholds for `n` households on a database that has nothing else in it. */
export async function measureFanout(database: Database, n: number): Promise<FanoutFigures> {
  const { eventId, householdIds } = await seedFanoutCity(database, n);
  const actor = { kind: 'api' as const, id: 0, role: 'admin' as const, kecamatanId: null, bidang: null };
  const started = performance.now();
  const outreach = {
    phoneChannel: 'whatsapp_cloud' as const,
    cloud: { templateLanguage: 'id', templates: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' }, dailyNewConversations: 1000 },
  };
  const r = await inviteHouseholds(database.db, actor, { eventId, householdIds }, { now: new Date('2026-11-24T02:00:00Z'), timeZone: 'Asia/Jakarta', outreach });
  const seconds = (performance.now() - started) / 1000;
  if (!r.ok) throw new Error(r.reason);
  const [counts] = rowsOf<Record<string, number>>(
    await database.db.execute(sql`select (select count(*)::int from outbox) as outbox, (select count(*)::int from messages) as messages,
      (select count(*)::int from invitations) as invitations, (select count(*)::int from reminder_fires) as fires,
      (select count(*)::int from contacts) as contacts`),
  );
  return { households: n, invited: r.invited, queuedChats: r.queuedChats, seconds, counts: counts!, reach: r.reach, lastOpeningAt: r.lastOpeningAt };
}

export async function fanoutBenchmark(n = 100_000): Promise<BenchResult> {
  const f = await withScratch((database) => measureFanout(database, n));
  // Every row the round owes, not only the invitations: N outbox and history rows, 3N reminders, and a chat
  // for each of the N/2 registry phones beside the N/2 linked chats the city starts with.
  const c = f.counts;
  const complete = f.invited === n && c.invitations === n && c.outbox === n && c.messages === n && c.fires === 3 * n && c.contacts === n;
  return {
    benchmark: `Fan-out: ${n.toLocaleString('en')} invitations queued (half to registry phones)`,
    figure: `${f.seconds.toFixed(1)} s (${f.reach.chat} chat, ${f.reach.whatsapp} WhatsApp templates over ${f.lastOpeningAt ? Math.round((f.lastOpeningAt.getTime() - Date.parse('2026-11-24T02:00:00Z')) / 86_400_000) + 1 : 1} days)${complete ? '' : ` (incomplete: ${f.invited} invited, ${JSON.stringify(c)})`}`,
    target: '< 5 s',
    met: complete && f.seconds < 5,
  };
}
