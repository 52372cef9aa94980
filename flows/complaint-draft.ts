import type { Answer, Outcome, Step, StepContext } from '../src/conversation/types.ts';
import { matchCommand } from '../src/domain/commands.ts';
import { normalize } from '../src/domain/text.ts';
import { yesOrNo } from '../src/domain/yes-no.ts';

// Leaving a pengaduan half written. A draft is never dropped without asking: the steps that hold one
// (complaint.ts's question, photo and read-back; complaint-confirm.ts's edit) read "menu", "halo", "batal"
// and the other leave words themselves (Step.reads) and ask first, at discardAsk. Session expiry and a plea
// for an officer still end it.
//
// Session data: resume (the step a "batal" or "menu" left, while the resident is asked whether to drop the
// draft).

/** The engine's commands that would drop the draft: the menu (also "halo", "kembali") and batal/cancel. */
function leaveWord(text: string): 'menu' | 'cancel' | undefined {
  const command = matchCommand(text);
  return command === 'menu' || command === 'cancel' ? command : undefined;
}

/** For Step.reads: the draft steps take these words themselves, to ask before anything is dropped. */
export const readsLeaveWords = (text: string) => leaveWord(text) !== undefined;

/** A leave word typed as the whole answer (a pressed or typed option is the option, whatever its label). */
export const leaving = (answer: Answer) => (answer.kind === 'text' && answer.choice === undefined ? leaveWord(answer.text) : undefined);

type DraftStep = 'question' | 'photo' | 'confirm' | 'edit';

export function askDiscard(ctx: StepContext, from: DraftStep): Outcome {
  ctx.data.resume = from;
  return { goto: 'discardAsk' };
}

/**
 * "batal", "menu" or "halo" typed while a report is being written: asked before anything is dropped. Typing
 * "batal" or "menu" again here is the engine's as anywhere, and leaves.
 */
export const discardAsk: Step = {
  // "kembali" at this question means back to the report, not to the menu.
  reads: (text) => ['kembali', 'back'].includes(normalize(text)),
  prompt: ({ t }) => [
    {
      text: t('complaint:discard.prompt'),
      options: [
        { id: 'discard', label: t('complaint:discard.yes') },
        { id: 'keep', label: t('complaint:discard.no') },
      ],
    },
  ],
  handle(ctx, answer) {
    const n = normalize(answer.text);
    const said = answer.kind === 'text' ? yesOrNo(answer.text) : undefined;
    const choice = answer.choice ?? (said === 'yes' ? 'discard' : said === 'no' || ['kembali', 'back', 'lanjut', 'lanjutkan', 'continue'].includes(n) ? 'keep' : undefined);
    if (choice === 'discard') return { say: [{ text: ctx.t('complaint:discard.done') }], end: true };
    if (choice === 'keep') {
      const to = typeof ctx.data.resume === 'string' ? ctx.data.resume : 'confirm';
      delete ctx.data.resume;
      return { goto: to };
    }
    return { say: [{ text: ctx.t('complaint:discard.retry') }], retry: true };
  },
};
