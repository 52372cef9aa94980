import type { Answer, Outcome, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { invitationQr } from '../src/messages/notices/distribution.ts';
import { timeRange } from './common.ts';
import { current, householdOf, placeText } from './invitations-view.ts';

// What an answer to one invitation does, wherever it is given: under the invitation (flows/invitations.ts),
// from a button of a pushed message, at the list of slots or of decline reasons. I'll come is done at once
// (confirm); another slot and I can't come go to their steps (flows/invitations-slots.ts,
// flows/invitations-decline.ts); someone will come for me goes to the kuasa flow (flows/proxy.ts).
//
// A declined invitation has one answer, "Saya jadi bisa hadir" (restore): declining is not final until the
// distribution is over, and services/distribution/restore.ts decides whether it can still be taken back, not
// this flow. Kept apart from the steps so that each of them can send an answer here without an import circle.

export function notUnderstood(ctx: StepContext): Outcome {
  return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
}

async function restore(ctx: StepContext): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  const r = await ctx.services.invitations.restoreInvitation({ invitationId, householdId, contactId: ctx.contact.id, now: ctx.now, timeZone: ctx.timeZone });
  if (!r.ok) return { say: [{ text: ctx.t(r.reason === 'full' ? 'invitations:restored.full' : 'invitations:notOpen') }], end: true };
  const inv = await current(ctx);
  const say: Reply[] = [];
  if (!r.sameSlot) say.push({ text: ctx.t('invitations:restored.otherSlot') });
  say.push({ text: ctx.t(r.status === 'confirmed' ? 'invitations:restored.confirmed' : 'invitations:restored.invited', { code: inv?.code ?? '' }) });
  if (inv) say.push({ text: [ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }), placeText(ctx, inv)].join('\n'), ...invitationQr(inv.code) });
  return { say, end: true };
}

export async function confirm(ctx: StepContext, householdId: number, invitationId: number, before: Reply[] = []): Promise<Outcome> {
  const r = await ctx.services.invitations.confirmInvitation({ invitationId, householdId, now: ctx.now });
  if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
  const inv = await current(ctx);
  const key = r.alreadyConfirmed ? 'invitations:confirmed.already' : 'invitations:confirmed.done';
  return { say: [...before, { text: ctx.t(key, { code: inv?.code ?? '' }) }], end: true };
}

export async function act(ctx: StepContext, answer: Answer): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  // A declined invitation has one answer; the others wait until it is taken back.
  if (ctx.data.view === 'declined') return answer.choice === 'restore' ? restore(ctx) : notUnderstood(ctx);
  switch (answer.choice) {
    case 'confirm':
      return confirm(ctx, householdId, invitationId);
    case 'slot':
      return { goto: 'slots' };
    case 'decline':
      return { goto: 'declineReason' };
    case 'proxy':
      return { say: [{ text: ctx.t('invitations:proxy.intro') }], flow: 'proxy', data: { invitationId } };
    default:
      return notUnderstood(ctx);
  }
}
