import type { Db } from '../db/client.ts';
import { messages, outbox } from '../db/schema/index.ts';
import { PRIORITY, type Channel } from '../domain/vocabulary.ts';
import type { OutboundMessage } from '../messages/types.ts';

export interface EnqueueInput {
  contactId: number;
  channel: Channel;
  messages: OutboundMessage[];
  /** Replies to a resident go before bulk (invitations, reminders, broadcasts). */
  priority: keyof typeof PRIORITY;
  notBefore?: Date;
  staffId?: number;
}

/**
 * Queues messages to one chat. Call it inside the transaction of the change that causes them, so the
 * change and its messages commit together or not at all. Rows keep their order: the dispatcher never lets
 * a chat's later row overtake an earlier one.
 */
export async function enqueue(db: Db, input: EnqueueInput): Promise<number[]> {
  if (input.messages.length === 0) return [];
  const rows = await db
    .insert(outbox)
    .values(
      input.messages.map((m) => ({
        contactId: input.contactId,
        channel: input.channel,
        payload: m as unknown as Record<string, unknown>,
        priority: PRIORITY[input.priority],
        ...(input.notBefore ? { notBefore: input.notBefore } : {}),
      })),
    )
    .returning({ id: outbox.id });
  // The conversation history shows what was said, whether or not the channel has delivered it yet.
  await db.insert(messages).values(
    input.messages.map((m) => ({
      contactId: input.contactId,
      channel: input.channel,
      direction: 'out' as const,
      kind: 'text' as const,
      body: m.text,
      payload: m.options ? { options: m.options } : null,
      staffId: input.staffId ?? null,
    })),
  );
  return rows.map((r) => r.id);
}
