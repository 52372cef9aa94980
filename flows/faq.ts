import type { Flow } from '../src/conversation/types.ts';
import { officeAnswer } from './answers.ts';

const TOPICS = ['documents', 'schedule', 'dtsen', 'proposal', 'office'] as const;

/** Common questions, answered from locales (and the office list, which is data). */
export const faq: Flow = {
  id: 'faq',
  start: 'topics',
  steps: {
    topics: {
      prompt: ({ t }) => [
        {
          text: t('faq:prompt'),
          options: [...TOPICS.map((id) => ({ id, label: t(`faq:topics.${id}`) })), { id: 'cmd:menu', label: t('chat:backToMenu') }],
        },
      ],
      async handle(ctx, answer) {
        const topic = TOPICS.find((x) => x === answer.choice);
        if (!topic) return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
        if (topic !== 'office') return { say: [{ text: ctx.t(`faq:answers.${topic}`) }], goto: 'more' };
        return { say: [{ text: await officeAnswer(ctx) }], goto: 'more' };
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
