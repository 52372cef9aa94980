import type { Flow } from '../src/conversation/types.ts';
import { normalize } from '../src/domain/text.ts';
import { LAPOR_OPTION_PREFIX, parseLaporOption } from '../src/messages/choices.ts';

/**
 * LAPOR: the answer to a distribution receipt ("Bukan Anda? Balas LAPOR."). The receipt goes out through
 * the outbox after a check-in; its button ("lapor:<invitationId>") comes back here wherever the chat is (see
 * choiceRoutes), and a typed LAPOR comes from the menu. A collection of the household within the last 30
 * days gets a complaint linked to it at once; without one, this is the ordinary complaint flow.
 */
export const lapor: Flow = {
  id: 'lapor',
  start: 'report',
  steps: {
    report: {
      prompt: ({ t }) => [{ text: t('checkin:lapor.prompt') }],
      async handle(ctx, answer) {
        const pressed = parseLaporOption(answer.choice);
        const r = await ctx.services.receipts.reportReceipt({
          contactId: ctx.contact.id,
          memberId: ctx.contact.memberId,
          householdId: ctx.contact.householdId,
          invitationId: pressed,
          messageId: ctx.messageId,
          now: ctx.now,
          timeZone: ctx.timeZone,
          locale: ctx.locale,
        });
        if (!r.ok) {
          // A typed LAPOR without a receipt means what it always meant: "I want to report something".
          const say = pressed !== null ? [{ text: ctx.t('checkin:lapor.noReceipt') }] : [];
          return { say, flow: 'complaint' };
        }
        const key = r.alreadyReported ? 'checkin:lapor.already' : 'checkin:lapor.filed';
        return { say: [{ text: ctx.t(key, { trackingId: r.trackingId }) }, { text: ctx.t('checkin:lapor.more') }], goto: 'more' };
      },
    },
    // What the resident writes next ("Saya tidak pernah datang ke lokasi hari itu") is the report's, not a new
    // request for the menu to read: it joins the report just filed.
    more: {
      prompt: () => [],
      async handle(ctx, answer) {
        if (answer.kind !== 'text' || answer.text.length === 0) return { end: true };
        if (isLaporReply(answer.text)) return { flow: 'lapor', step: 'report', forward: true };
        const joined = await ctx.services.complaints.residentReplied({ contactId: ctx.contact.id, text: answer.text, now: ctx.now, timeZone: ctx.timeZone, messageId: ctx.messageId });
        if (!joined) return { flow: 'menu', step: 'main', forward: true };
        return { say: [{ text: ctx.t('menu:forwarded', { trackingId: joined.trackingId }) }], end: true };
      },
    },
  },
};

/** The whole message is the receipt's keyword (any case, stray punctuation). */
export function isLaporReply(text: string): boolean {
  const n = normalize(text);
  return n === 'lapor' || n === 'report';
}

export const LAPOR_ROUTE = { prefix: LAPOR_OPTION_PREFIX, flow: 'lapor', step: 'report' };
