import type { Flow, StepContext } from '../src/conversation/types.ts';
import { matchLanguage } from '../src/domain/commands.ts';
import type { Locale } from '../src/domain/vocabulary.ts';

const LANGUAGES = [
  { id: 'id', label: 'Bahasa Indonesia' },
  { id: 'en', label: 'English' },
];

function chosen(answer: { choice?: string; text: string }): Locale | undefined {
  if (answer.choice === 'id' || answer.choice === 'en') return answer.choice;
  return matchLanguage(answer.text);
}

function setLanguage(ctx: StepContext, locale: Locale) {
  ctx.chat.setLanguage(locale);
  ctx.chat.recordConsent();
}

/** First contact: who we are, what data we use, and which language. */
export const welcome: Flow = {
  id: 'welcome',
  start: 'greet',
  steps: {
    greet: {
      prompt: ({ t }) => [{ text: `${t('menu:greeting')}\n\n${t('chat:notice')}` }, { text: t('menu:chooseLanguage'), options: LANGUAGES }],
      handle(ctx, answer) {
        const locale = chosen(answer);
        if (locale) {
          setLanguage(ctx, locale);
          return { say: [{ text: ctx.t('menu:languageSet') }], end: true };
        }
        // They wrote something else ("cek bansos"): keep the guessed language and let the menu read it.
        ctx.chat.recordConsent();
        return { flow: 'menu', step: 'main', forward: true };
      },
    },
  },
};

/** Changing language at any time (menu entry or the BAHASA / LANGUAGE command). */
export const language: Flow = {
  id: 'language',
  start: 'choose',
  steps: {
    choose: {
      prompt: ({ t }) => [{ text: t('menu:chooseLanguage'), options: LANGUAGES }],
      handle(ctx, answer) {
        const locale = chosen(answer);
        if (!locale) return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
        setLanguage(ctx, locale);
        return { say: [{ text: ctx.t('menu:languageSet') }], end: true };
      },
    },
  },
};
