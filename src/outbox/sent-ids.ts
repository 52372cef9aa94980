import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema/index.ts';
import type { Channel } from '../domain/vocabulary.ts';

/**
 * Of these provider message ids, the ones an outbox row of the channel carries. The dispatcher writes the id
 * when it marks the row sent, so an id missing here is a message not (yet) settled as sent, or not ours: a
 * channel whose delivery reports can overtake that write (WhatsApp Web's acks) asks this before recording.
 */
export async function sentProviderIds(db: Db, channel: Channel, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: outbox.providerMessageId })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), inArray(outbox.providerMessageId, [...ids])));
  return new Set(rows.map((r) => r.id).filter((id): id is string => id !== null));
}
