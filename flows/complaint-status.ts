import type { Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { normalizeTrackingId, trackingIdIn } from '../src/domain/tracking-id.ts';
import { day, menuOption, when } from './common.ts';
import { nikPrompt, type Then } from './identity.ts';

// "Cek status": the status of a report, by the chat's own list or a tracking ID typed (also inside the first
// words, "cek status ADU-2612-00042"). A report filed from another chat is shown once this chat proves it is
// the reporter's: its number not found here, the NIK question follows at once (the same answer whether the
// report exists or not, so a guessed number tells nothing).
//
// Session data: trackingId, mode (what the prompt showed), nikMode (what the NIK question showed, as
// identity.ts's nikPrompt left it).

const REPORT_OPTION = 'report:';

/** "7 Des 2026": the day a report was filed, short enough for a list. */
function shortDay(ctx: StepContext, instant: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: ctx.timeZone }).format(instant);
}

/**
 * "Cek status": this chat's own latest reports first, each a button, for the resident who no longer has the
 * number; typing a number (also inside a sentence) still works, for a report filed elsewhere.
 */
export const statusAsk: Step = {
  async prompt(ctx) {
    const { t } = ctx;
    const own = await ctx.services.complaints.recentComplaints({ contactId: ctx.contact.id }, 5);
    if (own.length === 0) return [{ text: t('complaint:status.prompt'), options: [menuOption(t)] }];
    const lines = own.map((c, i) =>
      t('complaint:status.listLine', {
        n: i + 1,
        trackingId: c.trackingId,
        category: t(`complaint:categories.${c.category}`),
        status: t(`complaint:statusesShort.${c.status}`),
        date: shortDay(ctx, c.createdAt),
      }),
    );
    // The short question first, the list (at most five lines) with its buttons after it.
    return [
      { text: t('complaint:status.listHeader') },
      { text: lines.join('\n'), options: [...own.map((c) => ({ id: `${REPORT_OPTION}${c.trackingId}`, label: c.trackingId })), menuOption(t)] },
    ];
  },
  handle(ctx, answer) {
    const picked = answer.choice?.startsWith(REPORT_OPTION) ? normalizeTrackingId(answer.choice.slice(REPORT_OPTION.length)) : null;
    const trackingId = picked ?? trackingIdIn(answer.text);
    if (!trackingId) return { say: [{ text: ctx.t('complaint:status.badFormat') }], retry: true };
    ctx.data.trackingId = trackingId;
    return { goto: 'statusShow' };
  },
};

export const statusShow: Step = {
  async prompt(ctx) {
    const trackingId = typeof ctx.data.trackingId === 'string' ? ctx.data.trackingId : '';
    const view = trackingId ? await ctx.services.complaints.complaintStatus(trackingId, { contactId: ctx.contact.id, memberId: ctx.contact.memberId }) : null;
    const again = { id: 'again', label: ctx.t('complaint:status.another') };
    if (!view && ctx.contact.memberId === null) {
      // Perhaps filed from another chat: who is asking, straight away, with a way to type another number.
      const ask = await nikPrompt(ctx);
      ctx.data.nikMode = ctx.data.mode;
      ctx.data.mode = 'notFound';
      const last = ask.at(-1)!;
      return [{ text: ctx.t('complaint:status.notFound', { trackingId }) }, ...ask.slice(0, -1), { ...last, options: [again, menuOption(ctx.t)] }];
    }
    if (!view) {
      ctx.data.mode = 'notFound';
      return [{ text: ctx.t('complaint:status.notFoundVerified', { trackingId }), options: [again, menuOption(ctx.t)] }];
    }
    ctx.data.mode = 'found';
    const lines = [
      ctx.t('complaint:status.view', {
        trackingId: view.trackingId,
        category: ctx.t(`complaint:categories.${view.category}`),
        status: ctx.t(`complaint:statuses.${view.status}`),
        created: when(ctx, view.createdAt),
        updated: when(ctx, view.updatedAt),
      }),
    ];
    if ((view.status === 'received' || view.status === 'reopened') && view.verifyDueAt) {
      lines.push(ctx.t('complaint:status.verifyDue', { due: day(ctx, view.verifyDueAt) }));
    } else if ((view.status === 'verified' || view.status === 'in_progress') && view.answerDueAt) {
      lines.push(ctx.t('complaint:status.answerDue', { due: day(ctx, view.answerDueAt) }));
    }
    const replies: Reply[] = [{ text: lines.join('\n') }];
    if (view.lastStaffMessage) replies.push({ text: ctx.t('complaint:status.staffMessage', { message: view.lastStaffMessage }) });
    replies.push({ text: ctx.t('complaint:status.whatNext'), options: [again, menuOption(ctx.t)] });
    return replies;
  },
  handle(ctx, answer) {
    if (answer.choice === 'again') return { goto: 'statusAsk' };
    // The button of sessions saved before the NIK question came with the "not found" answer.
    if (answer.choice === 'identity') {
      return { flow: 'identity', data: { then: 'status' satisfies Then, trackingId: ctx.data.trackingId } };
    }
    // Another tracking ID typed straight away.
    const typed = trackingIdIn(answer.text);
    if (typed) {
      ctx.data.trackingId = typed;
      return { goto: 'statusShow' };
    }
    // The answer to the NIK question: the identity check, which comes back to this report.
    if (ctx.data.mode === 'notFound' && ctx.contact.memberId === null && !answer.choice) {
      return { flow: 'identity', step: 'nik', data: { then: 'status' satisfies Then, trackingId: ctx.data.trackingId, mode: ctx.data.nikMode }, forward: true };
    }
    return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
  },
};
