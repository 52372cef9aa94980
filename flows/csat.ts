import type { Flow } from '../src/conversation/types.ts';
import { CSAT_OPTION_PREFIX, parseCsatOption } from '../src/messages/choices.ts';
import { clean } from './common.ts';

/**
 * The rating of a closed complaint (IKM/SKM). The question goes out through the outbox when staff close a
 * complaint; its buttons ("csat:1".."csat:5") come back here wherever the chat is (see choiceRoutes).
 */
export const csat: Flow = {
  id: 'csat',
  start: 'score',
  steps: {
    score: {
      prompt: ({ t }) => [{ text: t('csat:askAgain') }],
      async handle(ctx, answer) {
        const score = answer.choice ? parseCsatOption(answer.choice) : null;
        const pending = await ctx.services.complaints.pendingCsat(ctx.contact.id);
        if (score === null || !pending) return { say: [{ text: ctx.t('csat:nothingToRate') }], end: true };
        ctx.data.score = score;
        ctx.data.complaintId = pending.complaintId;
        return { goto: 'comment' };
      },
    },
    comment: {
      prompt: ({ t }) => [{ text: t('csat:askComment'), options: [{ id: 'skip', label: t('csat:skip') }] }],
      async handle(ctx, answer) {
        const comment = answer.choice === 'skip' ? undefined : clean(answer.text, 2000) || undefined;
        const result = await ctx.services.complaints.recordCsat({
          complaintId: Number(ctx.data.complaintId),
          contactId: ctx.contact.id,
          score: Number(ctx.data.score),
          comment,
          messageId: ctx.messageId,
        });
        const key = result.ok ? 'csat:thanks' : result.reason === 'already_rated' ? 'csat:alreadyRated' : 'csat:nothingToRate';
        return { say: [{ text: ctx.t(key) }], end: true };
      },
    },
  },
};

export const CSAT_ROUTE = { prefix: CSAT_OPTION_PREFIX, flow: 'csat', step: 'score' };
