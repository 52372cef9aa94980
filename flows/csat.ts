import type { Flow } from '../src/conversation/types.ts';
import { CSAT_OPTION_PREFIX, parseCsatOption } from '../src/messages/choices.ts';
import { clean } from './common.ts';

/**
 * The rating of a service (IKM/SKM): after an aid check, a collection, a chat with an officer or a closed
 * complaint, the question goes out through the outbox; its buttons ("csat:<id>:<score>", or "csat:<score>"
 * from a complaint's question sent before issue 20) come back here wherever the chat is (see choiceRoutes),
 * and a typed digit comes as the same button when the question was the last thing sent (the engine).
 */
export const csat: Flow = {
  id: 'csat',
  start: 'score',
  steps: {
    score: {
      prompt: ({ t }) => [{ text: t('csat:askAgain') }],
      async handle(ctx, answer) {
        const pressed = answer.choice ? parseCsatOption(answer.choice) : null;
        if (!pressed) return { say: [{ text: ctx.t('csat:nothingToRate') }], end: true };
        const pending = await ctx.services.satisfaction.pendingRating(ctx.contact.id, pressed.satisfactionId);
        if (!pending) return { say: [{ text: ctx.t('csat:nothingToRate') }], end: true };
        if (pending.answered) return { say: [{ text: ctx.t('csat:alreadyRated') }], end: true };
        ctx.data.score = pressed.score;
        ctx.data.satisfactionId = pending.satisfactionId;
        ctx.data.complaintId = pending.complaintId;
        return { goto: 'comment' };
      },
    },
    comment: {
      prompt: ({ t }) => [{ text: t('csat:askComment'), options: [{ id: 'skip', label: t('csat:skip') }] }],
      async handle(ctx, answer) {
        const comment = answer.choice === 'skip' ? undefined : clean(answer.text, 2000) || undefined;
        const result = await ctx.services.satisfaction.recordRating({
          contactId: ctx.contact.id,
          satisfactionId: ctx.data.satisfactionId == null ? null : Number(ctx.data.satisfactionId),
          complaintId: ctx.data.complaintId == null ? null : Number(ctx.data.complaintId),
          score: Number(ctx.data.score),
          comment,
          now: ctx.now,
          messageId: ctx.messageId,
        });
        const key = result.ok ? 'csat:thanks' : result.reason === 'already_rated' ? 'csat:alreadyRated' : 'csat:nothingToRate';
        return { say: [{ text: ctx.t(key) }], end: true };
      },
    },
  },
};

export const CSAT_ROUTE = { prefix: CSAT_OPTION_PREFIX, flow: 'csat', step: 'score' };
