import type { Step } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { day, hours, menuOption, timeRange } from './common.ts';
import { act } from './invitations-answers.ts';
import { current, householdOf, placeText } from './invitations-view.ts';

// "Ganti jadwal atau lokasi", the `slots` step of the invitations flow (flows/invitations.ts): the other slots
// of the same distribution, at any of its sites, that have seats left and have not started, and the move to one
// of them. When there are none, the kuasa is offered instead.

export const slots: Step = {
  async prompt(ctx) {
    const invitationId = ctx.data.invitationId;
    const list = typeof invitationId === 'number' ? await ctx.services.invitations.availableSlots(invitationId, ctx.now) : [];
    const back = { id: 'back', label: ctx.t('invitations:options.back') };
    if (list.length === 0) {
      ctx.data.view = 'noSlots';
      return [{ text: ctx.t('invitations:slots.none'), options: [back, { id: 'proxy', label: ctx.t('invitations:actions.proxy') }, menuOption(ctx.t)] }];
    }
    ctx.data.view = 'slots';
    // Labels stay short for small screens and WhatsApp lists: the day goes in the question when it is one day.
    const days = new Set(list.map((s) => day(ctx, s.startsAt)));
    const oneDay = days.size === 1 ? [...days][0]! : undefined;
    const options = list.map((s) => ({
      id: `slot:${s.slotId}`,
      label: ctx.t('invitations:slots.option', {
        when: oneDay ? hours(ctx, s.startsAt, s.endsAt) : `${day(ctx, s.startsAt)}, ${hours(ctx, s.startsAt, s.endsAt)}`,
        site: s.siteName,
        left: s.seatsLeft,
      }),
    }));
    const text = oneDay ? ctx.t('invitations:slots.promptDay', { day: oneDay }) : ctx.t('invitations:slots.prompt');
    return [{ text, options: [...options, back, menuOption(ctx.t)] }];
  },
  async handle(ctx, answer) {
    if (answer.choice === 'back') return { goto: 'detail' };
    if (answer.choice === 'proxy') return act(ctx, answer);
    const slotId = answer.choice?.startsWith('slot:') ? Number(answer.choice.slice(5)) : NaN;
    const householdId = householdOf(ctx);
    const invitationId = ctx.data.invitationId;
    if (!Number.isSafeInteger(slotId)) return { say: [{ text: ctx.t('invitations:slots.retry') }], retry: true };
    if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };

    const r = await ctx.services.invitations.changeSlot({ invitationId, householdId, slotId, now: ctx.now });
    if (!r.ok) {
      if (r.reason === 'full' || r.reason === 'no_such_slot') return { say: [{ text: ctx.t('invitations:slots.full') }], goto: 'slots' };
      return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
    }
    const inv = await current(ctx);
    const say: Reply[] = [{ text: ctx.t('invitations:slots.changed') }];
    if (inv) say.push({ text: [ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }), placeText(ctx, inv)].join('\n') });
    return { say, end: true };
  },
};
