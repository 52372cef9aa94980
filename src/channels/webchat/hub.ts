import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { contacts, outbox } from '../../db/schema/index.ts';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../messages/types.ts';
import type { OutboundMetrics } from '../../metrics/index.ts';
import { withImages } from '../../outbox/images.ts';
import type { OutboundMessage } from '../../messages/types.ts';

type Listener = (reply: Reply) => void;

/**
 * Delivers messages that arrive later (staff replies, reminders) to open web chat pages over SSE. They wait
 * in the outbox like every other outbound message and are marked sent only once a page has received them,
 * so a resident who closes the tab gets them on the next visit.
 */
export class WebchatHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    /** Counts what reaches an open chat page, like the dispatcher counts what other channels accept. */
    private readonly metrics?: OutboundMetrics,
  ) {}

  subscribe(chatId: string, listener: Listener): () => void {
    let set = this.listeners.get(chatId);
    if (!set) this.listeners.set(chatId, (set = new Set()));
    set.add(listener);
    this.ensurePolling();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(chatId);
    };
  }

  /** Sends what is waiting for the connected chats. Safe with several processes: rows are claimed with SKIP LOCKED. */
  async deliverPending(): Promise<number> {
    const chatIds = [...this.listeners.keys()];
    if (chatIds.length === 0) return 0;
    const sent = await this.database.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: outbox.id, chatId: contacts.externalId, payload: outbox.payload })
        .from(outbox)
        .innerJoin(contacts, eq(contacts.id, outbox.contactId))
        .where(
          and(
            eq(outbox.channel, 'webchat'),
            eq(outbox.status, 'pending'),
            inArray(contacts.externalId, chatIds),
            sql`${outbox.notBefore} <= now()`,
          ),
        )
        .orderBy(outbox.id)
        .limit(200)
        .for('update', { of: outbox, skipLocked: true });
      const delivered: number[] = [];
      for (const row of rows) {
        const set = this.listeners.get(row.chatId);
        if (!set || set.size === 0) continue;
        // An invitation stores its code; the QR image is drawn here as the dispatcher does for other channels.
        const reply = withImages(row.payload as unknown as OutboundMessage) as Reply;
        for (const l of set) l(reply);
        delivered.push(row.id);
      }
      if (delivered.length) {
        await tx.update(outbox).set({ status: 'sent', sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` }).where(inArray(outbox.id, delivered));
      }
      return delivered.length;
    });
    for (let i = 0; i < sent; i++) this.metrics?.outbound('webchat', { status: 'sent' }, false);
    return sent;
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private ensurePolling() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.polling || this.listeners.size === 0) return;
      this.polling = true;
      this.deliverPending()
        .catch((err) => this.logger.warn({ err }, 'web chat delivery failed; will retry'))
        .finally(() => (this.polling = false));
    }, this.intervalMs);
    this.timer.unref();
  }
}
