import type { Flow, StepContext } from '../src/conversation/types.ts';
import { matchLanguage } from '../src/domain/commands.ts';
import { guessLanguage, matchIntent } from '../src/domain/intents.ts';
import type { Locale } from '../src/domain/vocabulary.ts';
import { isLaporReply } from './lapor.ts';

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

const namesLanguage = (text: string) => matchLanguage(text) !== undefined;

/** Who we are and what data we use: said once, before anything else, to every new chat. */
const introduction = (t: StepContext['t']) => `${t('menu:greeting')}\n\n${t('chat:notice')}`;

/** First contact: who we are, what data we use, and which language. */
export const welcome: Flow = {
  id: 'welcome',
  start: 'greet',
  setup: true,
  steps: {
    // A new chat's first message, read before anything is asked. "sy mau cek bansos dong" gets the notice and
    // then the aid check in the language guessed (the next bubble says how to switch); "English" gets the
    // notice in English and the menu; a greeting or anything unclear gets the welcome and its language question.
    read: {
      prompt: ({ t }) => [{ text: introduction(t) }],
      handle(ctx, answer) {
        const locale = matchLanguage(answer.text);
        if (locale) {
          setLanguage(ctx, locale);
          return { say: [{ text: introduction(ctx.t) }], end: true };
        }
        // A greeting is not a request: it gets the welcome and its question.
        const intent = matchIntent(answer.text);
        if (answer.kind === 'text' && ((intent && intent !== 'greeting' && intent !== 'thanks') || isLaporReply(answer.text))) {
          // Written in English: the notice and the answer come in English (the next bubble says how to switch).
          const written = guessLanguage(answer.text);
          if (written && written !== ctx.locale) ctx.chat.setLanguage(written);
          ctx.chat.recordConsent();
          return { say: [{ text: `${introduction(ctx.t)}\n\n${ctx.t('menu:languageHint')}` }], flow: 'menu', step: 'main', forward: true };
        }
        return { flow: 'welcome', step: 'greet' };
      },
    },
    greet: {
      prompt: ({ t }) => [{ text: introduction(t) }, { text: t('menu:chooseLanguage'), options: LANGUAGES }],
      reads: namesLanguage,
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
  setup: true,
  steps: {
    choose: {
      prompt: ({ t }) => [{ text: t('menu:chooseLanguage'), options: LANGUAGES }],
      reads: namesLanguage,
      handle(ctx, answer) {
        const locale = chosen(answer);
        if (!locale) return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
        setLanguage(ctx, locale);
        return { say: [{ text: ctx.t('menu:languageSet') }], end: true };
      },
    },
  },
};
