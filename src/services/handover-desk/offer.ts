import { and, asc, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contacts } from '../../db/schema/index.ts';
import { OFFER_REPORT_AFTER_MS } from '../../domain/office-hours.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';
import { pickLocale } from '../../i18n.ts';
import { handoverOffer } from '../../messages/notices/handover-offer.ts';
import { asNotice } from '../../messages/window.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { deskHours } from './wait.ts';

// A resident waiting for an officer who never came is not left to find out by writing again: after a set time
// in office hours with no officer's word, the chat is offered, once per handover, to turn the wait into a
// report with a tracking ID (flows/handover.ts files it). The conversation makes the same offer when the
// resident writes after that time; whichever comes first records it here (contacts.handover_offered_at), so
// the resident hears it once.

/** Chats offered per run; the next run takes the rest. */
const BATCH = 200;

/** The conversation made the offer itself: the job does not make it again for this handover. */
export async function noteOffer(db: Db, input: { contactId: number; now: Date }): Promise<void> {
  await db.update(contacts).set({ handoverOfferedAt: input.now }).where(eq(contacts.id, input.contactId));
}

/**
 * Offers the report to chats that have waited OFFER_REPORT_AFTER_MS with no officer's word. Only while the
 * desk is open and has been open that long (a wait that began at night counts from the morning: the officers
 * had their two hours), so nobody is woken by it. Safe in several processes (SKIP LOCKED).
 */
export async function offerReportsToWaitingChats(
  db: Db,
  opts: { now: Date; timeZone: string; i18n: Translator; defaultLocale?: Locale },
): Promise<{ offered: number }> {
  const since = new Date(opts.now.getTime() - OFFER_REPORT_AFTER_MS);
  // Open now and open two hours ago: one span of a day's hours (an office that keeps none is always open).
  if (!(await deskHours(db, { now: opts.now, timeZone: opts.timeZone })).open) return { offered: 0 };
  if (!(await deskHours(db, { now: since, timeZone: opts.timeZone })).open) return { offered: 0 };
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: contacts.id, channel: contacts.channel, language: contacts.language, lastInboundAt: contacts.lastInboundAt })
      .from(contacts)
      .where(
        and(
          isNotNull(contacts.handoverAt),
          lte(contacts.handoverAt, since),
          or(isNull(contacts.handoverOfferedAt), lt(contacts.handoverOfferedAt, contacts.handoverAt)),
          // No officer has written in this handover (the history's rows from the message that asked for one).
          sql`not exists (select 1 from messages m where m.contact_id = ${contacts.id} and m.direction = 'out' and m.staff_id is not null
                and (case when ${contacts.handoverMessageId} is null then m.created_at >= ${contacts.handoverAt} else m.id >= ${contacts.handoverMessageId} end))`,
        ),
      )
      .orderBy(asc(contacts.handoverAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    for (const c of due) {
      const t = opts.i18n.getFixedT(pickLocale(c.language, opts.defaultLocale ?? 'id')) as (key: string) => string;
      const message = asNotice(handoverOffer(t), c, opts.now, [t('handover:offerReport')]);
      await enqueue(tx, { contactId: c.id, channel: c.channel, messages: [message], priority: 'reply', now: opts.now });
      await tx.update(contacts).set({ handoverOfferedAt: opts.now }).where(eq(contacts.id, c.id));
    }
    return { offered: due.length };
  });
}
