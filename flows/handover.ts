import type { Flow } from '../src/conversation/types.ts';

/** Talk to an officer: mark the chat for a human and keep the bot quiet there until staff or the resident end it. */
export const handover: Flow = {
  id: 'handover',
  start: 'start',
  steps: {
    start: {
      async prompt(ctx) {
        ctx.chat.startHandover();
        const offices = await ctx.services.offices.listOffices();
        const hours = offices[0]?.hours;
        return [{ text: ctx.t('handover:started', { hours: hours ?? ctx.t('handover:hoursUnknown') }) }];
      },
      // While the chat is with a human the engine does not reach this step; after that the menu takes over.
      handle: () => ({ end: true }),
    },
  },
};
