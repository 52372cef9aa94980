// What became of a broadcast's messages, from its outbox rows (chats and registry phones alike: every row
// the broadcast queued carries its id): waiting, being sent, accepted by the channel, delivered and read
// (WhatsApp reports these: the Cloud API's statuses and WhatsApp Web's ticks; Telegram and the web chat stop
// at sent), failed by a coarse reason, skipped.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { Actor } from '../actor.ts';
import { canManageBroadcasts } from './common.ts';
import { broadcastInScope } from './drafts.ts';

export interface BroadcastStats {
  total: number;
  queued: number;
  sending: number;
  /** Accepted by the channel (delivered and read ones included). */
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  /** Failed rows by reason: the part of outbox.lastError before any detail ("outside_24h_window"). */
  failedByReason: { reason: string; count: number }[];
  skipped: number;
}

export async function broadcastStats(db: Db, actor: Actor, id: number): Promise<BroadcastStats | undefined> {
  canManageBroadcasts(actor);
  const row = await broadcastInScope(db, actor, id);
  if (!row) return undefined;
  const [counts] = rowsOf<Record<string, number | string>>(
    await db.execute(sql`select count(*) as total,
        count(*) filter (where status = 'pending') as queued,
        count(*) filter (where status = 'sending') as sending,
        count(*) filter (where status = 'sent') as sent,
        count(*) filter (where status = 'sent' and delivered_at is not null) as delivered,
        count(*) filter (where status = 'sent' and read_at is not null) as read,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'skipped') as skipped
      from outbox where broadcast_id = ${id}`),
  );
  // Reasons carry details (codes, provider text, attempts): cut at the first ':' or ' (' so they group.
  const reasons = rowsOf<{ reason: string; n: number | string }>(
    await db.execute(sql`select left(trim(split_part(split_part(coalesce(last_error, 'unknown'), ':', 1), ' (', 1)), 80) as reason, count(*) as n
      from outbox where broadcast_id = ${id} and status = 'failed' group by 1 order by 2 desc, 1`),
  );
  const n = (k: string) => Number(counts?.[k] ?? 0);
  return {
    total: n('total'),
    queued: n('queued'),
    sending: n('sending'),
    sent: n('sent'),
    delivered: n('delivered'),
    read: n('read'),
    failed: n('failed'),
    failedByReason: reasons.map((r) => ({ reason: r.reason || 'unknown', count: Number(r.n) })),
    skipped: n('skipped'),
  };
}
