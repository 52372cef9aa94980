import type { Outcome, Step, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { normalize } from '../src/domain/text.ts';
import { clean, day, meaningfulLength, menuOption, titleOf } from './common.ts';
import { act, notUnderstood } from './invitations-answers.ts';
import { current, currentDeclined, householdOf } from './invitations-view.ts';

// "Tidak bisa hadir", steps of the invitations flow (flows/invitations.ts lists them under these names):
// asked twice, the reason (declineReason, or declineOther written out) and then what declining means
// (declineConfirm), before anything is done. Session data: declineReason, the reason given, kept while the
// decline waits for its confirmation.
//
// Declining is not final: a declined invitation stays on the list, marked, with "Saya jadi bisa hadir" until
// its distribution is over. Right after declining, the flow's `declined` step offers it; taking it back is an
// answer like the others (restore, flows/invitations-answers.ts).

const DECLINE_REASONS = ['sick', 'working_away', 'at_sea', 'elderly_disabled'] as const;

/** Typed at "Yakin tidak bisa hadir?" instead of pressing a button. */
const YES_WORDS = new Set(['ya', 'y', 'iya', 'ya benar', 'benar', 'betul', 'yakin', 'ya yakin', 'yes', 'yes sure', 'sure', 'ok', 'oke']);
const BACK_WORDS = new Set(['kembali', 'tidak', 'tidak jadi', 'batal', 'gak jadi', 'ga jadi', 'nggak jadi', 'back', 'no']);

/** The reason is kept until the resident says yes to what declining means. */
function askToConfirm(ctx: StepContext, reason: string): Outcome {
  ctx.data.declineReason = reason;
  return { goto: 'declineConfirm' };
}

async function decline(ctx: StepContext, reason: string): Promise<Outcome> {
  const householdId = householdOf(ctx);
  const invitationId = ctx.data.invitationId;
  if (householdId === null || typeof invitationId !== 'number') return { goto: 'start' };
  const before = await current(ctx);
  const r = await ctx.services.invitations.declineInvitation({ invitationId, householdId, reason, now: ctx.now, contactId: ctx.contact.id });
  delete ctx.data.declineReason;
  if (!r.ok) return { say: [{ text: ctx.t('invitations:notOpen') }], end: true };
  const say: Reply[] = [{ text: ctx.t('invitations:decline.done', { title: before ? titleOf(ctx, before) : '' }) }];
  // What comes next, and the way back while there is one (the flow's `declined` step offers it).
  if (await currentDeclined(ctx)) return { say, goto: 'declined' };
  return { say, end: true };
}

export const declineReason: Step = {
  prompt: ({ t }) => [
    {
      text: t('invitations:decline.prompt'),
      options: [
        ...DECLINE_REASONS.map((id) => ({ id, label: t(`invitations:decline.reasons.${id}`) })),
        { id: 'other', label: t('invitations:decline.reasons.other') },
        { id: 'proxy', label: t('invitations:decline.proxyInstead') },
        { id: 'back', label: t('invitations:options.back') },
      ],
    },
  ],
  async handle(ctx, answer) {
    const choice = answer.choice;
    if (choice === 'back') return { goto: 'detail' };
    if (choice === 'proxy') return act(ctx, answer);
    if (choice === 'other') return { goto: 'declineOther' };
    const coded = DECLINE_REASONS.find((r) => r === choice);
    if (coded) return askToConfirm(ctx, coded);
    // A reason written out ("anak saya sakit") is as good as a button.
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) >= 3) return askToConfirm(ctx, text);
    return { say: [{ text: ctx.t('invitations:decline.retry') }], retry: true };
  },
};

export const declineOther: Step = {
  prompt: ({ t }) => [{ text: t('invitations:decline.other'), options: [{ id: 'back', label: t('invitations:options.back') }] }],
  async handle(ctx, answer) {
    // "Kembali ke undangan" says where it goes: the invitation, not the list of reasons.
    if (answer.choice === 'back') return { goto: 'detail' };
    const text = clean(answer.text, 500);
    if (meaningfulLength(text) < 3) return { say: [{ text: ctx.t('invitations:decline.otherRetry') }], retry: true };
    return askToConfirm(ctx, text);
  },
};

// What declining means, before it is done: this invitation is cancelled, and the aid can still come through a
// kuasa or another date. Only a clear yes declines.
export const declineConfirm: Step = {
  async prompt(ctx) {
    const inv = await current(ctx);
    if (!inv) {
      ctx.data.view = 'gone';
      return [{ text: ctx.t('invitations:gone'), options: [{ id: 'list', label: ctx.t('invitations:options.list') }, menuOption(ctx.t)] }];
    }
    ctx.data.view = 'confirmDecline';
    return [
      {
        text: ctx.t('invitations:decline.confirm', { title: titleOf(ctx, inv), day: day(ctx, inv.startsAt) }),
        options: [
          { id: 'yes', label: ctx.t('invitations:decline.yes') },
          { id: 'back', label: ctx.t('invitations:decline.back') },
        ],
      },
    ];
  },
  async handle(ctx, answer) {
    if (ctx.data.view === 'gone') return answer.choice === 'list' ? { goto: 'start' } : notUnderstood(ctx);
    const typed = normalize(answer.text);
    const reason = ctx.data.declineReason;
    if (answer.choice === 'back' || (!answer.choice && BACK_WORDS.has(typed))) {
      delete ctx.data.declineReason;
      return { goto: 'detail' };
    }
    if (answer.choice === 'yes' || (!answer.choice && YES_WORDS.has(typed))) {
      if (typeof reason !== 'string' || reason === '') return { goto: 'declineReason' };
      return decline(ctx, reason);
    }
    return { say: [{ text: ctx.t('invitations:decline.confirmRetry') }], retry: true };
  },
};
