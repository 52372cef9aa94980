// Sending a due broadcast: claimed with SKIP LOCKED (every process runs the job), its recipients chosen
// in one statement at the moment of sending, and one bulk outbox row per chat, tagged with the broadcast.
// The outbox does the rest: the channel's rate limit, replies before bulk, retries. Quiet hours are kept
// by the rows themselves: queued in the night, they carry notBefore 06:00 and wait.

import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { broadcasts } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { translatorOf, zoneOf } from '../distribution/common.ts';
import { enqueueMany, type QueuedMessage } from '../../outbox/enqueue.ts';
import { nextSendable } from '../distribution/reminder-times.ts';
import type { BroadcastOptions } from './common.ts';
import { segmentRecipients } from './segment.ts';
import { broadcastMessage } from './texts.ts';

export interface SendResult {
  broadcasts: number;
  queued: number;
}

/** Queues every scheduled broadcast that is due (or just `onlyId`). Safe to run in several processes at once. */
export async function sendDueBroadcasts(db: Db, opts: BroadcastOptions & { onlyId?: number }): Promise<SendResult> {
  const i18n = await translatorOf(opts);
  const defaultLocale = opts.defaultLocale ?? 'id';
  const sendFrom = nextSendable(opts.now, zoneOf(opts));
  const total: SendResult = { broadcasts: 0, queued: 0 };
  for (;;) {
    const queued = await db.transaction(async (tx) => {
      const [due] = await tx
        .select()
        .from(broadcasts)
        .where(and(eq(broadcasts.status, 'scheduled'), lte(broadcasts.scheduledAt, opts.now), opts.onlyId ? eq(broadcasts.id, opts.onlyId) : undefined))
        .orderBy(broadcasts.scheduledAt, broadcasts.id)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!due) return null;
      const recipients = await segmentRecipients(tx, due.segment, defaultLocale);
      const byLanguage = new Map<string, ReturnType<typeof broadcastMessage>>();
      const rows: QueuedMessage[] = recipients.map((r) => {
        let message = byLanguage.get(r.language);
        if (!message) byLanguage.set(r.language, (message = broadcastMessage(i18n, due.texts, r.language)));
        return { contactId: r.contactId, channel: r.channel, message };
      });
      // What the outbox took, which leaves out a chat that stopped messages since the segment was read.
      const recipientCount = (await enqueueMany(tx, rows, { priority: 'bulk', now: opts.now, sendFrom, broadcastId: due.id })).length;
      await tx
        .update(broadcasts)
        .set({ status: 'sent', startedAt: opts.now, finishedAt: sql`greatest(clock_timestamp(), ${opts.now.toISOString()}::timestamptz)`, recipientCount, updatedAt: opts.now })
        .where(eq(broadcasts.id, due.id));
      await audit(tx, { kind: 'system' }, { action: 'broadcast.send', entity: 'broadcast', entityId: due.id, details: { recipientCount, heldUntilMorning: sendFrom.getTime() > opts.now.getTime() }, at: opts.now });
      return recipientCount;
    });
    if (queued === null) break;
    total.broadcasts++;
    total.queued += queued;
    if (opts.onlyId) break;
  }
  return total;
}
