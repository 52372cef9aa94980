import type { Channel } from '../../domain/vocabulary.ts';
import { loadResources, pickLocale } from '../../i18n.ts';
import { CSAT_OPTION_PREFIX } from '../choices.ts';
import type { OutboundMessage } from '../types.ts';
import { asNotice } from '../window.ts';

// The 1–5 satisfaction question (IKM) after a complaint is closed. Read once from locales/, since it is
// asked from a job with no translator at hand.
let lifecycleTexts: Record<string, { csat: { question: string; options: Record<string, string> } }> | undefined;

/** The question in the contact's language, with the five options as buttons. */
export function csatQuestion(contact: { language: string | null; channel: Channel; lastInboundAt: Date | null }, trackingId: string, now: Date): OutboundMessage {
  if (!lifecycleTexts) {
    const resources = loadResources();
    lifecycleTexts = Object.fromEntries(Object.entries(resources).map(([lang, ns]) => [lang, ns.lifecycle as never]));
  }
  const lang = pickLocale(contact.language, 'id');
  const texts = (lifecycleTexts[lang] ?? lifecycleTexts.id)!.csat;
  const message: OutboundMessage = {
    text: texts.question.replaceAll('{{trackingId}}', trackingId),
    options: [1, 2, 3, 4, 5].map((n) => ({ id: `${CSAT_OPTION_PREFIX}${n}`, label: texts.options[String(n)]! })),
  };
  return asNotice(message, contact, now, [trackingId]);
}
