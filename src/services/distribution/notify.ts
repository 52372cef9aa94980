// One message per invitation to every recipient of its household (services/outreach/recipients.ts: its
// linked chats, else its registry phone on WhatsApp), each in the chat's own language, queued in the
// caller's transaction. A change of date or a cancellation reaches the families the invitation reached.

import type { OutboundMessage } from '../../messages/types.ts';
import type { Db } from '../../db/client.ts';
import { translatorOf, zoneOf, type DistributionOptions } from './common.ts';
import { nextSendable } from './reminder-times.ts';
import { textsFor, type Texts } from '../../messages/notices/distribution.ts';
import { fanOut } from '../outreach/fan-out.ts';
import { reachHouseholds } from '../outreach/recipients.ts';
import type { ChosenTemplate } from '../outreach/template-choice.ts';

export async function notifyHouseholds<F extends { householdId: number; invitationId?: number }>(
  db: Db,
  items: readonly F[],
  build: (texts: Texts, item: F) => OutboundMessage,
  opts: DistributionOptions,
  /** The WhatsApp Cloud template for a closed window, when not the notice's own (an event's reminder template). */
  template?: ChosenTemplate,
): Promise<{ chats: number; households: number }> {
  if (items.length === 0) return { chats: 0, households: 0 };
  const i18n = await translatorOf(opts);
  const texts = textsFor(i18n, zoneOf(opts), opts.defaultLocale ?? 'id');
  const reach = await reachHouseholds(db, [...new Set(items.map((i) => i.householdId))], opts.outreach);
  // Sent by staff late in the evening, it still reaches people after 06:00, not in the night.
  const sent = await fanOut(db, items, reach, (language, item) => build(texts(language), item), {
    env: opts.outreach,
    i18n,
    defaultLocale: opts.defaultLocale ?? 'id',
    now: opts.now,
    sendFrom: nextSendable(opts.now, zoneOf(opts)),
    ...(template ? { template } : {}),
  });
  return { chats: sent.queued, households: sent.households };
}
