import { pickOption } from '../src/messages/options.ts';
import type { Flow, StepContext } from '../src/conversation/types.ts';
import { formatDateTime } from '../src/domain/dates.ts';
import { describeSchedule, OFFER_REPORT_AFTER_MS } from '../src/domain/office-hours.ts';
import { HANDOVER_FILE, HANDOVER_WAIT } from '../src/messages/choices.ts';
import { handoverOffer } from '../src/messages/notices/handover-offer.ts';
import type { DeskHours } from '../src/services/for-flows.ts';

// Talk to an officer. The chat is marked for a human; while it waits, the bot does not answer questions, but it
// is not a silent room: the first message of each wait is acknowledged (once, not every message), outside
// office hours the resident hears when an officer will answer, and after a long wait with no officer the
// resident may turn what they wrote into a report with a tracking ID so that nothing is lost.

/** An officer who wrote this recently is in the conversation: "Pesan diterima" would only be noise. */
const LIVE_MS = 10 * 60 * 1000;

const FILE = HANDOVER_FILE;
const KEEP_WAITING = HANDOVER_WAIT;

const reportOptions = (ctx: StepContext) => handoverOffer(ctx.t).options ?? [];

function when(ctx: StepContext, desk: DeskHours): string {
  return desk.nextOpening ? formatDateTime(desk.nextOpening, ctx.locale, ctx.timeZone) : ctx.t('handover:hoursUnknown');
}

function hoursOf(ctx: StepContext, desk: DeskHours): string {
  if (desk.schedule) return describeSchedule(desk.schedule, ctx.locale, ctx.timeZone);
  return desk.hoursText ?? ctx.t('handover:hoursUnknown');
}

export const handover: Flow = {
  id: 'handover',
  start: 'start',
  steps: {
    start: {
      async prompt(ctx) {
        ctx.chat.startHandover();
        const desk = await ctx.services.handover.deskHours({ now: ctx.now, timeZone: ctx.timeZone });
        const text = desk.open ? ctx.t('handover:started', { hours: hoursOf(ctx, desk) }) : ctx.t('handover:startedClosed', { when: when(ctx, desk), hours: hoursOf(ctx, desk) });
        return [{ text }];
      },
      // The engine sends what comes next to `waiting` while the officer has the chat; after that the menu reads it.
      handle: () => ({ flow: 'menu', step: 'main', forward: true }),
    },
    waiting: {
      prompt: () => [],
      async handle(ctx, answer) {
        const wait = await ctx.services.handover.handoverWait(ctx.contact.id);
        // Staff closed the chat while the resident was away: what they wrote now is for the menu.
        if (!wait) return { flow: 'menu', step: 'main', forward: true };
        // Where lists are typed (WhatsApp Web), "1" or "jadikan laporan" answers the offer as a button would.
        // The offer may have come from the job (services/handover-desk/offer.ts) while the resident was silent.
        const choice = answer.choice ?? (ctx.data.offeredAt || wait.offeredAt ? pickOption(reportOptions(ctx), { text: answer.text })?.id : undefined);
        if (choice === FILE) {
          const filed = await ctx.services.handover.fileFromHandover({
            contactId: ctx.contact.id,
            memberId: ctx.contact.memberId,
            now: ctx.now,
            timeZone: ctx.timeZone,
            fallback: ctx.t('handover:reportFallback'),
            answerMessageId: ctx.messageId,
          });
          ctx.chat.endHandover();
          return { say: [{ text: ctx.t('handover:filed', { trackingId: filed.trackingId }) }], end: true };
        }
        if (choice === KEEP_WAITING) return { say: [{ text: ctx.t('handover:keepWaiting') }], wait: true, data: { offeredAt: ctx.now.toISOString() } };

        // The wait starts again whenever an officer writes.
        const since = wait.lastOfficer && wait.lastOfficer.at > wait.since ? wait.lastOfficer.at : wait.since;
        const acked = typeof ctx.data.ackedAt === 'string' ? new Date(ctx.data.ackedAt) : null;
        const saidHere = typeof ctx.data.offeredAt === 'string' ? new Date(ctx.data.offeredAt) : null;
        const offered = saidHere && (!wait.offeredAt || saidHere > wait.offeredAt) ? saidHere : wait.offeredAt;
        if (!wait.lastOfficer && ctx.now.getTime() - since.getTime() >= OFFER_REPORT_AFTER_MS && (!offered || offered < since)) {
          // Recorded for the chat, so the job does not make the same offer again.
          await ctx.services.handover.noteOffer({ contactId: ctx.contact.id, now: ctx.now });
          return {
            say: [handoverOffer(ctx.t)],
            wait: true,
            data: { offeredAt: ctx.now.toISOString(), ackedAt: ctx.now.toISOString() },
          };
        }
        if ((acked && acked >= since) || (wait.lastOfficer && ctx.now.getTime() - wait.lastOfficer.at.getTime() < LIVE_MS)) return { wait: true };
        const desk = await ctx.services.handover.deskHours({ now: ctx.now, timeZone: ctx.timeZone });
        const text = desk.open ? ctx.t('handover:received') : ctx.t('handover:receivedClosed', { when: when(ctx, desk) });
        return { say: [{ text }], wait: true, data: { ackedAt: ctx.now.toISOString() } };
      },
    },
  },
};
