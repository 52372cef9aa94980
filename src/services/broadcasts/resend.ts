// Sending again what a stopped process left unknown. The dispatcher chooses "at most once" for a row it had
// taken when the process died (outbox/dispatcher.ts, INTERRUPTED): the request may have reached Telegram or
// Meta, and neither can be asked, so the row is failed as "terputus saat mengirim" rather than sent twice.
// No order of writes can make that exactly once (the provider takes no idempotency key), so the choice is the
// office's: after a crash, the few rows of a broadcast (at most the dispatcher's in-flight bound) can be queued
// again, knowing some residents may read the announcement twice. Quiet hours hold them as they held the rest.

import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { rowsOf } from '../../db/rows.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../actor.ts';
import { zoneOf } from '../distribution/common.ts';
import { nextSendable } from '../distribution/reminder-times.ts';
import { canManageBroadcasts, refuse, type BroadcastOptions, type BroadcastOutcome } from './common.ts';
import { broadcastInScope } from './drafts.ts';

/** The rows failed as interrupted: how outbox/dispatcher.ts words them, as domain/delivery.ts reads them. */
export const interruptedSql = sql`${outbox.status} = 'failed' and ${outbox.lastError} like 'interrupted%'`;

/** How many of a sent broadcast's messages were interrupted (the number the console offers to send again). */
export async function interruptedCount(db: Db, broadcastId: number): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from ${outbox} where ${outbox.broadcastId} = ${broadcastId} and ${interruptedSql}`));
  return Number(row?.n ?? 0);
}

/** Queues a sent broadcast's interrupted rows again; refuses when there are none (nothing changes then). */
export async function resendInterrupted(db: Db, actor: Actor, id: number, opts: BroadcastOptions): Promise<BroadcastOutcome<{ requeued: number }>> {
  canManageBroadcasts(actor);
  return db.transaction(async (tx) => {
    const row = await broadcastInScope(tx, actor, id, true);
    if (!row) return refuse('not_found');
    if (row.status !== 'sent') return refuse('invalid_status');
    const sendFrom = nextSendable(opts.now, zoneOf(opts));
    const requeued = await tx
      .update(outbox)
      .set({ status: 'pending', lastError: null, claimedUntil: null, notBefore: sendFrom })
      .where(and(eq(outbox.broadcastId, id), interruptedSql))
      .returning({ id: outbox.id });
    if (requeued.length === 0) return refuse('nothing_to_resend');
    await audit(tx, actor, { action: 'broadcast.resend_interrupted', entity: 'broadcast', entityId: id, details: { rows: requeued.length }, at: opts.now });
    return { ok: true as const, requeued: requeued.length };
  });
}
