import type { Flow, StepContext } from '../src/conversation/types.ts';
import type { Option } from '../src/messages/types.ts';
import type { ResidentFaq } from '../src/services/for-flows.ts';
import { officeAnswer } from './answers.ts';

const BUILT_IN = ['documents', 'schedule', 'dtsen', 'proposal'] as const;
// The office's own topics (console, admin FAQ) answer to "topic:<key>"; the built-in ids stay as they were,
// so a button pressed before an upgrade still answers.
const OWN_PREFIX = 'topic:';

interface Topic {
  id: string;
  label: string;
  /** Null: the office list, which is data (the offices page), not words. */
  answer: string | null;
}

/** The topics as this resident sees them now: the staff's words over the locale's, hidden ones left out. */
async function topicsFor(ctx: StepContext): Promise<Topic[]> {
  const faq: ResidentFaq = await ctx.services.faq.faqForResident(ctx.locale);
  const topics: Topic[] = [];
  for (const key of BUILT_IN) {
    const own = faq.builtIn[key];
    if (own && !own.active) continue;
    topics.push({ id: key, label: own?.title ?? ctx.t(`faq:topics.${key}`), answer: own?.answer ?? ctx.t(`faq:answers.${key}`) });
  }
  topics.push({ id: 'office', label: ctx.t('faq:topics.office'), answer: null });
  for (const e of faq.extra) topics.push({ id: `${OWN_PREFIX}${e.key}`, label: e.title, answer: e.answer });
  return topics;
}

/** Common questions, answered from the staff's FAQ entries over locales (and the office list, which is data). */
export const faq: Flow = {
  id: 'faq',
  start: 'topics',
  steps: {
    topics: {
      prompt: async (ctx) => {
        const options: Option[] = (await topicsFor(ctx)).map((x) => ({ id: x.id, label: x.label }));
        return [{ text: ctx.t('faq:prompt'), options: [...options, { id: 'cmd:menu', label: ctx.t('chat:backToMenu') }] }];
      },
      async handle(ctx, answer) {
        // Read again: a topic hidden between the list and the press is not answered.
        const topic = (await topicsFor(ctx)).find((x) => x.id === answer.choice);
        if (!topic) return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
        return { say: [{ text: topic.answer ?? (await officeAnswer(ctx)) }], goto: 'more' };
      },
    },
    more: {
      prompt: ({ t }) => [
        {
          text: t('faq:more'),
          options: [
            { id: 'faq', label: t('faq:another') },
            { id: 'cmd:menu', label: t('chat:backToMenu') },
          ],
        },
      ],
      handle: ({ t }, answer) => (answer.choice === 'faq' ? { goto: 'topics' } : { say: [{ text: t('chat:notUnderstood') }], retry: true }),
    },
  },
};
