// One message per invitation to every linked chat of its household, each in the chat's own language,
// queued in the caller's transaction.

import type { OutboundMessage } from '../../messages/types.ts';
import type { Db } from '../../db/client.ts';
import { byHousehold, linkedChats } from './chats.ts';
import { enqueueMany, type QueuedMessage } from '../../outbox/enqueue.ts';
import { translatorOf, zoneOf, type DistributionOptions } from './common.ts';
import { nextSendable } from './reminder-times.ts';
import { textsFor, type Texts } from '../../messages/notices/distribution.ts';

export async function notifyHouseholds<F extends { householdId: number }>(
  db: Db,
  items: readonly F[],
  build: (texts: Texts, item: F) => OutboundMessage,
  opts: DistributionOptions,
): Promise<{ chats: number; households: number }> {
  if (items.length === 0) return { chats: 0, households: 0 };
  const texts = textsFor(await translatorOf(opts), zoneOf(opts), opts.defaultLocale ?? 'id');
  const chats = byHousehold(await linkedChats(db, [...new Set(items.map((i) => i.householdId))], { bulk: true }));
  const queued: QueuedMessage[] = [];
  let households = 0;
  for (const item of items) {
    const list = chats.get(item.householdId) ?? [];
    if (list.length > 0) households++;
    for (const c of list) queued.push({ contactId: c.contactId, channel: c.channel, message: build(texts(c.language), item) });
  }
  // Sent by staff late in the evening, it still reaches people after 06:00, not in the night.
  const ids = await enqueueMany(db, queued, { priority: 'bulk', now: opts.now, sendFrom: nextSendable(opts.now, zoneOf(opts)) });
  return { chats: ids.length, households };
}
