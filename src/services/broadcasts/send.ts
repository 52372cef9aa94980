// Sending a due broadcast: claimed with SKIP LOCKED (every process runs the job), its recipients chosen
// in one go at the moment of sending (reach.ts: linked chats, and registry phones when chosen), and one bulk
// outbox row per recipient, tagged with the broadcast. The outreach fan-out writes the rows: a first message
// to a registry phone says who writes, why and how to stop, and on the Cloud API openings are spread over the
// days Meta's daily limit needs. The outbox does the rest: the channel's rate limit, replies before bulk,
// retries. Quiet hours are kept by the rows themselves: queued in the night, they carry notBefore 06:00 and wait.

import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { broadcasts } from '../../db/schema/index.ts';
import { todayIn } from '../../domain/dates.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import { audit } from '../audit.ts';
import { translatorOf, zoneOf } from '../distribution/common.ts';
import { nextSendable } from '../distribution/reminder-times.ts';
import { fanOut } from '../outreach/fan-out.ts';
import { countPaths, onlyChats } from '../outreach/recipients.ts';
import type { BroadcastOptions } from './common.ts';
import { broadcastReach, broadcastTemplate } from './reach.ts';
import { localeOf } from './segment.ts';
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
  const day = { defaultLocale, today: todayIn(zoneOf(opts), opts.now) };
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
      const { reach: all } = await broadcastReach(tx, due, day, opts.outreach);
      // Checked when it was scheduled; should Meta have paused or rejected the template since, the chats
      // still get the broadcast and the registry phones do not (the audit says why), rather than a day of
      // messages failing at Meta.
      const template = await broadcastTemplate(tx, due, all, opts.outreach);
      const reach = template.ok ? all : onlyChats(all);
      const byLanguage = new Map<Locale, OutboundMessage>();
      const build = (language: string | null): OutboundMessage => {
        const l = localeOf(language, defaultLocale);
        let message = byLanguage.get(l);
        if (!message) byLanguage.set(l, (message = broadcastMessage(i18n, due.texts, l)));
        return message;
      };
      const items = [...reach.recipients.keys()].map((householdId) => ({ householdId }));
      const sent = await fanOut(tx, items, reach, build, {
        env: opts.outreach,
        i18n,
        defaultLocale,
        now: opts.now,
        sendFrom,
        broadcastId: due.id,
        ...(template.ok && template.template ? { template: template.template } : {}),
      });
      // What the outbox took, which leaves out a chat that stopped messages since the segment was read.
      const recipientCount = sent.queued;
      await tx
        .update(broadcasts)
        .set({ status: 'sent', startedAt: opts.now, finishedAt: sql`greatest(clock_timestamp(), ${opts.now.toISOString()}::timestamptz)`, recipientCount, updatedAt: opts.now })
        .where(eq(broadcasts.id, due.id));
      const paths = countPaths(reach);
      await audit(tx, { kind: 'system' }, {
        action: 'broadcast.send',
        entity: 'broadcast',
        entityId: due.id,
        details: {
          recipientCount,
          heldUntilMorning: sendFrom.getTime() > opts.now.getTime(),
          // Households by path (flat: the audit keeps no nested values).
          chatHouseholdCount: paths.chat,
          registryPhoneCount: paths.whatsapp,
          notReachedCount: paths.paper,
          lastOpeningAt: sent.lastOpeningAt?.toISOString() ?? null,
          ...(template.ok ? {} : { templateRefused: template.reason, template: template.name }),
        },
        at: opts.now,
      });
      return recipientCount;
    });
    if (queued === null) break;
    total.broadcasts++;
    total.queued += queued;
    if (opts.onlyId) break;
  }
  return total;
}
