import type { Db } from '../../db/client.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';
import type { OutboundMessage } from '../../messages/types.ts';
import { enqueueMany, type QueuedMessage } from '../../outbox/enqueue.ts';
import type { OutreachEnv } from './env.ts';
import { forRecipient } from './first-message.ts';
import { planOpenings } from './quota.ts';
import { openPhoneChats, type Reach } from './recipients.ts';
import type { ChosenTemplate } from './template-choice.ts';

// Queues one bulk message per recipient of each item's household (recipients.ts decides who), in the
// caller's transaction: invitations, reminders, a change of date or site. Messages are built in chunks while
// earlier chunks are written, so a city-wide round of 100,000 households costs seconds, not minutes.

export interface FanOutOptions {
  env: OutreachEnv | undefined;
  i18n: Translator;
  defaultLocale: Locale;
  now: Date;
  /** Earliest sending time (quiet hours); openings of later days count from it. */
  sendFrom?: Date;
  /** The WhatsApp Cloud template the messages go with when the window is closed (checked before). */
  template?: ChosenTemplate;
  /** Tags every row with the broadcast it belongs to, for its delivery statistics (services/broadcasts). */
  broadcastId?: number;
}

export interface FanOutResult {
  /** Outbox rows queued (a household may have several chats). */
  queued: number;
  /** Households with at least one message queued. */
  households: number;
  /** When the last message that opens a new WhatsApp conversation may go (Meta's daily limit); null: none. */
  lastOpeningAt: Date | null;
}

const CHUNK = 2000;

export async function fanOut<F extends { householdId: number; invitationId?: number }>(
  db: Db,
  items: readonly F[],
  reach: Reach,
  build: (language: string | null, item: F) => OutboundMessage,
  opts: FanOutOptions,
): Promise<FanOutResult> {
  await openPhoneChats(db, reach, opts.env, opts.now);
  let openings = 0;
  for (const item of items) for (const r of reach.recipients.get(item.householdId) ?? []) if (r.channel === 'whatsapp_cloud' && r.windowClosed && r.path === 'whatsapp') openings++;
  const from = opts.sendFrom ?? opts.now;
  const plan = openings > 0 ? await planOpenings(db, openings, opts.env?.cloud?.dailyNewConversations ?? 1000, from) : null;
  let next = 0;
  const wrap = { i18n: opts.i18n, defaultLocale: opts.defaultLocale, ...(opts.template ? { template: opts.template } : {}) };

  const writes: Promise<unknown>[] = [];
  let queued = 0;
  let households = 0;
  try {
    for (let i = 0; i < items.length; i += CHUNK) {
      const rows: QueuedMessage[] = [];
      for (const item of items.slice(i, i + CHUNK)) {
        const list = reach.recipients.get(item.householdId);
        if (!list || list.length === 0) continue;
        households++;
        for (const r of list) {
          const w = forRecipient(build(r.language, item), r, wrap);
          // Only a first write to a registry phone is spread over days; a linked chat's template is a
          // reply-like notice Meta also counts, but it is never held back for a stranger's quota.
          const opening = w.opensConversation && r.path === 'whatsapp';
          rows.push({
            contactId: r.contactId,
            channel: r.channel,
            message: w.message,
            ...(item.invitationId !== undefined ? { invitationId: item.invitationId } : {}),
            ...(opening ? { opensConversation: true, notBefore: plan!.notBefore[next++]! } : {}),
          });
        }
      }
      // Counted from what the outbox took: it leaves out a chat that stopped messages since it was read.
      writes.push(
        enqueueMany(db, rows, { priority: 'bulk', now: opts.now, ...(opts.sendFrom ? { sendFrom: opts.sendFrom } : {}), ...(opts.broadcastId !== undefined ? { broadcastId: opts.broadcastId } : {}) }).then((ids) => {
          queued += ids.length;
        }),
      );
      // Let the driver send what is queued before the next chunk takes the CPU.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    const settled = await Promise.allSettled(writes);
    const failed = settled.find((x) => x.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return { queued, households, lastOpeningAt: plan?.lastAt ?? null };
}
